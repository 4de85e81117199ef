// A subscriber of picket-bus never receives an event it could not decode: each kind of Text
// that is not UTF-8 (or holds a NUL), in each envelope field and in bodies, is refused, and
// neither the PUB stream nor a replay ever carries one.
#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_fixture.h"
#include "support/bus_requests.h"
#include "wire/codec.h"
#include "wire/event_json.h"

namespace picket::testing {
namespace {

using std::chrono::milliseconds;

// What a strict reader (one that checks Text, as most languages' Cap'n Proto libraries do)
// makes of an encoded Event: nullopt if it reads every field, body included, else why not.
// Independent of the bus's own check: nlohmann::json's strict dump rejects invalid UTF-8.
std::optional<std::string> StrictReadProblem(const std::string& encoded) {
  std::string error;
  auto msg = DecodedMessage::Decode(encoded, &error);
  if (!msg) return "not a message: " + error;
  std::optional<std::string> problem;
  bool read = ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        auto json = EventToJson(event, &error);
        if (!json) {
          problem = "unreadable: " + error;
          return;
        }
        try {
          std::string dumped = json->dump();  // error_handler_t::strict
          if (dumped.find("\\u0000") != std::string::npos) problem = "a NUL in a Text";
        } catch (const nlohmann::json::exception& e) {
          problem = std::string("not UTF-8: ") + e.what();
        }
      },
      &error);
  if (!read) return "unreadable: " + error;
  return problem;
}

struct BadPublish {
  std::string what;  // for the failure message
  std::string frame;
};

// Every kind of bad Text in every envelope Text field and in registered bodies (a field
// at the top, one in a struct in a list, an element of a list of Text).
std::vector<BadPublish> BadPublishes() {
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"not a UTF-8 byte", kNotUtf8},
      {"a lone continuation byte", "gate\x80"},
      {"a truncated sequence", "gate\xe2\x82"},
      {"an overlong NUL", "gate\xc0\x80"},
      {"a surrogate", "gate\xed\xa0\x80"},
      {"above U+10FFFF", "gate\xf4\x90\x80\x80"},
      {"a NUL byte", std::string("gate\0-1", 7)},
  };
  std::vector<BadPublish> out;
  for (const auto& [kind, bytes] : kinds) {
    auto text = [b = bytes] { return b; };
    out.push_back({"site: " + kind, PublishEdited([&](auto e) { e.setSite(RawText(text())); })});
    out.push_back({"type: " + kind, PublishEdited([&](auto e) { e.setType(RawText(text())); })});
    out.push_back(
        {"producer: " + kind, PublishEdited([&](auto e) { e.setProducer(RawText(text())); })});
    out.push_back({"actor: " + kind, PublishEdited([&](auto e) { e.setActor(RawText(text())); })});
    out.push_back({"PassScanned.post: " + kind, PublishEdited([&](wire::Event::Builder e) {
                     e.setType("terminal.pass_scanned");
                     auto p = e.getBody().initAs<wire::PassScanned>();
                     p.setPost(RawText(text()));
                     p.setPassCode("V-1");
                   })});
    out.push_back({"IncidentOpened.triggerFields[1].value: " + kind,
                   PublishEdited([&](wire::Event::Builder e) {
                     e.setType("escalation.incident_opened");
                     auto o = e.getBody().initAs<wire::IncidentOpened>();
                     o.setIncident(1);
                     auto fields = o.initTriggerFields(2);
                     fields[0].setName("post");
                     fields[0].setValue("gate-1");
                     fields[1].setName("note");
                     fields[1].setValue(RawText(text()));
                   })});
    out.push_back({"LevelUnstaffed.targets[0]: " + kind, PublishEdited([&](wire::Event::Builder e) {
                     e.setType("escalation.level_unstaffed");
                     e.getBody().initAs<wire::LevelUnstaffed>().initTargets(1).set(0,
                                                                                   RawText(text()));
                   })});
  }
  return out;
}

// A [topic][event] message from the PUB socket, or nullopt after `timeout`.
std::optional<std::pair<std::string, std::string>> NextPub(zmq::socket_t& sub,
                                                           milliseconds timeout) {
  zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) <= 0) return std::nullopt;
  zmq::message_t topic, payload;
  if (!sub.recv(topic, zmq::recv_flags::none) || !topic.more()) return std::nullopt;
  if (!sub.recv(payload, zmq::recv_flags::none)) return std::nullopt;
  return std::make_pair(topic.to_string(), payload.to_string());
}

}  // namespace

TEST_CASE("No Text a strict reader cannot read reaches a subscriber, on PUB or in replay",
          "[bus][process][text]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "");
  const CurveClientKeys keys = bus.Probe();  // it publishes every event below and reads them
  SecureClient(sub, keys);
  sub.connect(ep.events);
  // Subscribed once a heartbeat comes through (PUB drops what is sent before that).
  REQUIRE(WaitUntil(
      [&] {
        auto m = NextPub(sub, milliseconds(100));
        return m && m->first == "_hb";
      },
      milliseconds(10000)));

  // Every publish names the producer "probe" (PublishEdited, EventSpec) and is sent with its
  // key, the bad ones too (but those whose bad Text is the producer): bad Text is refused as
  // badText before who may publish what is looked at (the probe, an admin, may not publish
  // escalation.*), so no refusal is recorded either: the stream below holds the acked only.
  IngestProbe probe(ctx, ep.ingest, keys);
  auto publish = [&](const std::string& frame) {
    probe.Send(frame);
    auto reply = probe.Receive(milliseconds(5000));
    return reply ? ParseReply(*reply) : Reply{};
  };
  // Good events around the bad ones, with UTF-8 beyond ASCII, so the stream is not empty.
  std::set<EventId> acked;
  auto publish_good = [&](const std::string& actor) {
    EventSpec spec;
    spec.actor = actor;
    auto r = publish(PublishFrame(spec));
    REQUIRE(r.kind == Reply::kAck);
    acked.insert(r.id);
    return r.seq;
  };
  publish_good("caf\xc3\xa9");
  for (const auto& bad : BadPublishes()) {
    INFO(bad.what);
    Reply r = publish(bad.frame);
    CHECK(r.kind == Reply::kNack);
    CHECK(r.code == "badText");
    publish_good("\xe2\x82\xac \xf0\x9d\x84\x9e");
  }
  // A subscriber name that is not UTF-8 never gets into a Status reply.
  {
    IngestProbe replay(ctx, ep.replay, keys);
    replay.Send(BusRequestFrame([](wire::BusRequest::Builder r) {
      auto p = r.initProgress();
      p.setSubscriber(RawText(kNotUtf8));
      p.setAppliedSeq(1);
    }));
    auto reply = replay.Receive(milliseconds(5000));
    REQUIRE(reply);
    CHECK(DescribeReply(*reply) == "nack badText");
  }
  const uint64_t last = publish_good("end");

  // PUB: every event up to the last is one that was acked and reads strictly; the topic
  // is its type's bytes.
  std::set<EventId> streamed;
  uint64_t seen = 0;
  while (seen < last) {
    auto m = NextPub(sub, milliseconds(10000));
    REQUIRE(m.has_value());
    if (m->first == "_hb") continue;
    auto problem = StrictReadProblem(m->second);
    INFO(problem.value_or(""));
    REQUIRE_FALSE(problem.has_value());
    std::string error;
    auto msg = DecodedMessage::Decode(m->second, &error);
    auto event = msg->Root<wire::Event>();
    CHECK(m->first == std::string(event.getType().cStr(), event.getType().size()));
    seen = event.getSeq();
    auto id = EventId::FromBytes(
        std::string_view(reinterpret_cast<const char*>(event.getId().begin()), 16));
    REQUIRE(id.has_value());
    streamed.insert(*id);
  }
  CHECK(streamed == acked);

  // Replay: the whole log, the same events, each read strictly.
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(10000), keys);
  REQUIRE(log.has_value());
  std::set<EventId> replayed;
  for (const auto& e : *log) {
    auto problem = StrictReadProblem(e.event);
    INFO(problem.value_or(""));
    CHECK_FALSE(problem.has_value());
    replayed.insert(e.id);
  }
  CHECK(replayed == acked);
  auto status = QueryStatus(ctx, ep.replay, milliseconds(5000), keys);
  REQUIRE(status.has_value());
  CHECK(status->applied.empty());
}

}  // namespace picket::testing
