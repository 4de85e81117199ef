// docs/protocol.md against a real picket-bus: every row of its table of inputs and replies
// is built here, sent over the bus's real sockets and its reply checked; the table and the
// builders must name the same inputs. Also the documented metrics, /healthz and ready file.
#include <httplib.h>

#include <capnp/message.h>
#include <capnp/schema.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_fixture.h"
#include "support/bus_requests.h"
#include "wire/codec.h"

namespace picket::testing {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kReplyTimeout(5000);

std::string ReadDoc() {
  std::ifstream in(PICKET_PROTOCOL_DOC);
  std::stringstream doc;
  doc << in.rdbuf();
  return doc.str();
}

// A row of the table: | `id` | endpoint | what is sent | `reply` | eventId |
struct Row {
  std::string id, endpoint, reply, event_id;
};

std::vector<Row> ReadTable(const std::string& doc) {
  std::vector<Row> rows;
  size_t at = doc.find("<!-- conformance table");
  if (at == std::string::npos) return rows;
  std::istringstream in(doc.substr(at));
  std::string line;
  std::getline(in, line);  // the marker
  static const std::regex kRow(
      R"(^\| `([^`]+)` \| (\w+) \| .* \| `([^`]+)` \| (sent|empty|—) \|$)");
  while (std::getline(in, line) && !line.empty() && line[0] == '|') {
    std::smatch m;
    if (std::regex_match(line, m, kRow)) rows.push_back({m[1], m[2], m[3], m[4]});
  }
  return rows;
}

// What an input got, in the words of the table: the reply (DescribeReply) and its eventId:
// "sent" (16 bytes found in the request frame: the id of the event it offers), "empty",
// "—" (not an ack or nack), or "another id".
struct Answer {
  std::string reply, event_id;
};

std::string EventIdVerdict(const std::string& reply, const std::string& request) {
  auto id = ReplyEventId(reply);
  if (!id) return "—";
  if (id->empty()) return "empty";
  if (id->size() == 16 && request.find(*id) != std::string::npos) return "sent";
  return "another id";
}

// The terminal the `derived-forged` row names as its producer: listed, so that the row is
// sent with the key of its producer, as every row is.
const TestIdentity kGateTerminal{"gate-1-terminal", "terminal", "gate-1", {}};

// The bus under test and the ways to talk to it. The site runs with keys (BusUnderTest's
// default [security]): each publish is sent with the key of its producer ("probe", an
// admin, unless a row names another), and the replay endpoint is read with the probe's
// key. Every reply read is described (see Answer); `acks` counts the events recorded, and
// `refusals` the publishes refused as `unauthorized`, which the bus records as
// bus.publish_refused events of its own, to check the log afterwards.
struct Conformance {
  BusUnderTest bus{"max_replay_sessions = 4\n", {kGateTerminal}};
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  size_t acks = 0, refusals = 0;

  // `request`: the request frame the reply answers.
  Answer Describe(const std::optional<std::string>& frame, const std::string& request) {
    if (!frame) return {"no reply within 5 s", "—"};
    Answer a{DescribeReply(*frame), EventIdVerdict(*frame, request)};
    if (a.reply == "ack") ++acks;
    return a;
  }

  // Ingest answers every request: one reply per message, after the envelope frames as
  // they were sent (none after badFrames: that envelope is not echoed). Sent with the key
  // of `as`, the producer the request names.
  Answer Ingest(const std::vector<std::string>& frames, const std::string& as = "probe") {
    IngestProbe probe(ctx, ep.ingest, bus.As(as));
    probe.SendMultipart(frames);
    auto got = probe.ReceiveFrames(kReplyTimeout);
    if (!got) return Describe(std::nullopt, frames.back());
    Answer a = Describe(got->back(), frames.back());
    if (a.reply == "nack unauthorized") ++refusals;
    std::vector<std::string> echoed(got->begin(), got->end() - 1);
    std::vector<std::string> sent(frames.begin(), frames.end() - 1);
    if (a.reply == "nack badFrames") sent.clear();
    CHECK(echoed == sent);
    return a;
  }

  // Replay answers refusals and status at once and in order, so a status sent behind the
  // input tells "no reply" from "not yet": what comes before the status is the input's
  // answer. `stream`: the input may start a stream, whose first message follows.
  Answer Replay(IngestProbe& client, const std::vector<std::string>& frames, bool stream) {
    client.SendMultipart(frames);
    client.Send(BusRequestFrame([](auto r) { r.setStatus(); }));
    std::optional<Answer> answer;
    while (true) {
      Answer d = Describe(client.Receive(kReplyTimeout), frames.back());
      if (d.reply == "status") break;
      if (d.reply.rfind("no reply", 0) == 0) return d;
      if (!answer) answer = d;
    }
    if (answer || !stream) return answer ? *answer : Answer{"none", "—"};
    return Describe(client.Receive(kReplyTimeout), frames.back());
  }
  Answer Replay(const std::vector<std::string>& frames) {
    IngestProbe client = ReplayClient();
    return Replay(client, frames, false);
  }
  // A client of the replay endpoint (which serves every listed key): the probe.
  IngestProbe ReplayClient() { return IngestProbe(ctx, ep.replay, bus.Probe()); }

  // At least `n` events in the log.
  void EnsureEvents(size_t n) {
    while (acks < n) REQUIRE(Ingest({PublishEdited()}).reply == "ack");
  }
  // Starts a session on `client` that has sent one event and waits for credit.
  void OpenSession(IngestProbe& client) {
    EnsureEvents(2);
    REQUIRE(Replay(client, {ReplayFrame(1, 0, 1, 1)}, true).reply == "replayBatch");
  }
  void EndSession(IngestProbe& client) {
    Replay(client, {BusRequestFrame([](auto r) { r.setCancel(); })}, false);
  }

  static std::string ReplayFrame(uint64_t from, uint64_t to, uint32_t credit,
                                 uint32_t max_batch = 0) {
    return BusRequestFrame([&](wire::BusRequest::Builder r) {
      auto q = r.initReplay();
      q.setFromSeq(from);
      q.setToSeq(to);
      q.setCredit(credit);
      q.setMaxBatch(max_batch);
    });
  }
  static std::string CreditFrame(uint32_t events) {
    return BusRequestFrame([&](auto r) { r.initCredit().setEvents(events); });
  }
  static std::string ProgressFrame(const std::string& subscriber) {
    return BusRequestFrame([&](wire::BusRequest::Builder r) {
      auto p = r.initProgress();
      p.setSubscriber(RawText(subscriber));
      p.setAppliedSeq(1);
    });
  }
};

// A BusRequest whose union tag is 99: what a client built on a newer schema might send.
std::string UnknownVariantFrame() {
  return BusRequestFrame([](wire::BusRequest::Builder r) {
    r.setStatus();
    capnp::AnyStruct::Builder any = wire::BusRequest::Builder(r);
    auto offset =
        capnp::Schema::from<wire::BusRequest>().getProto().getStruct().getDiscriminantOffset();
    auto data = any.getDataSection();
    data[offset * 2] = 99;
    data[offset * 2 + 1] = 0;
  });
}

// A publish whose last Text (a registered body's passCode) runs past the end of the
// message: the segment is cut short and its size in the segment table with it.
std::string BodyOutOfBoundsFrame() {
  std::string frame = PublishEdited([](wire::Event::Builder e) {
    e.setType("terminal.pass_scanned");
    auto body = e.getBody().initAs<wire::PassScanned>();
    body.setPost("gate-1");
    body.setPassCode(std::string(64, 'x'));  // allocated last: the end of the segment
  });
  constexpr size_t kCutWords = 4;
  uint32_t words;
  std::memcpy(&words, frame.data() + 4, 4);  // one segment: [count - 1][size in words]
  words -= kCutWords;
  std::memcpy(frame.data() + 4, &words, 4);
  frame.resize(frame.size() - kCutWords * 8);
  return frame;
}

std::string WithBody(const std::string& type,
                     const std::function<void(capnp::AnyPointer::Builder)>& fill) {
  return PublishEdited([&](wire::Event::Builder e) {
    e.setType(type);
    fill(e.getBody());
  });
}

std::string PassScannedWith(const std::string& pass_code) {
  return WithBody("terminal.pass_scanned", [&](capnp::AnyPointer::Builder b) {
    auto p = b.initAs<wire::PassScanned>();
    p.setPost("gate-1");
    p.setPassCode(RawText(pass_code));
  });
}

struct Input {
  std::string endpoint;                      // "ingest" or "replay", as in the table
  std::function<Answer(Conformance&)> send;  // sends the input, returns the answer
};

// One builder per row of the table, by input id.
std::map<std::string, Input> Inputs() {
  const std::string bad = kNotUtf8;
  const std::string nul("gate\0-1", 7);
  // `as`: the producer the frames name, whose key sends them. Rows that spoil the producer
  // itself (producer-*) name no listed identity: they are sent with the probe's key, and
  // refused for the producer before who may publish what is looked at.
  auto ingest = [](std::function<std::vector<std::string>()> frames,
                   const std::string& as = "probe") {
    return Input{"ingest", [frames, as](Conformance& c) { return c.Ingest(frames(), as); }};
  };
  auto publish = [&](std::function<void(wire::Event::Builder)> edit) {
    return ingest([edit] { return std::vector<std::string>{PublishEdited(edit)}; });
  };
  auto replay = [](std::function<std::string()> frame) {
    return Input{"replay", [frame](Conformance& c) { return c.Replay({frame()}); }};
  };
  // An input sent in a session that waits for credit; the session is ended after.
  auto in_session = [](std::string frame, bool stream) {
    return Input{"replay", [frame, stream](Conformance& c) {
                   IngestProbe client = c.ReplayClient();
                   c.OpenSession(client);
                   Answer reply = c.Replay(client, {frame}, stream);
                   c.EndSession(client);
                   return reply;
                 }};
  };
  std::map<std::string, Input> m;
  m["publish"] = publish({});
  m["publish-registered"] =
      ingest([] { return std::vector<std::string>{PassScannedWith("V-\xc3\xa9\xe2\x82\xac")}; });
  m["publish-again"] = Input{"ingest", [](Conformance& c) {
                               std::string frame = PublishEdited();
                               REQUIRE(c.Ingest({frame}).reply == "ack");
                               return c.Ingest({frame});
                             }};
  m["publish-8-envelope-frames"] = ingest([] {
    std::vector<std::string> frames(8, std::string(255, 'e'));
    frames.push_back(PublishEdited());
    return frames;
  });
  m["status"] = ingest(
      [] { return std::vector<std::string>{BusRequestFrame([](auto r) { r.setStatus(); })}; });
  m["frame-garbage"] = ingest([] { return std::vector<std::string>{"not capnp"}; });
  m["frame-empty"] = ingest([] { return std::vector<std::string>{""}; });
  m["frame-truncated"] = ingest([] {
    std::string f = PublishEdited();
    return std::vector<std::string>{f.substr(0, f.size() - 16)};
  });
  m["frame-trailing-bytes"] =
      ingest([] { return std::vector<std::string>{PublishEdited() + std::string(8, '\0')}; });
  m["frame-too-large"] = ingest([] { return std::vector<std::string>{std::string(70000, '\0')}; });
  m["publish-too-large"] = ingest([] {
    return std::vector<std::string>{WithBody("terminal.incident_reported", [](auto b) {
      auto r = b.template initAs<wire::IncidentReported>();
      r.setPost("gate-1");
      r.setKind("smoke");
      r.setNote(std::string(70000, 'n'));
    })};
  });
  m["tag-frame-garbage"] = ingest([] { return std::vector<std::string>{"t-1", "not capnp"}; });
  m["envelope-9-frames"] = ingest([] {
    std::vector<std::string> frames(9, "e");
    frames.push_back(PublishEdited());
    return frames;
  });
  m["envelope-frame-256-bytes"] = ingest([] {
    return std::vector<std::string>{std::string(256, 'e'), PublishEdited()};
  });
  m["request-replay"] =
      ingest([] { return std::vector<std::string>{Conformance::ReplayFrame(1, 0, 10)}; });
  m["request-unknown"] = ingest([] { return std::vector<std::string>{UnknownVariantFrame()}; });
  m["publish-null-event"] = ingest([] {
    return std::vector<std::string>{BusRequestFrame([](wire::BusRequest::Builder r) {
      r.initPublish();
      r.disownPublish();  // the union stays `publish`, its pointer null
    })};
  });
  m["id-absent"] = publish([](auto e) { e.disownId(); });
  m["id-empty"] = publish([](auto e) { e.initId(0); });
  m["id-15-bytes"] = publish([](auto e) { e.initId(15); });
  m["site-empty"] = publish([](auto e) { e.setSite(""); });
  m["site-65-bytes"] = publish([](auto e) { e.setSite(std::string(65, 's')); });
  m["site-not-utf8"] = publish([bad](auto e) { e.setSite(RawText(bad)); });
  m["site-nul"] = publish([nul](auto e) { e.setSite(RawText(nul)); });
  m["site-unterminated"] = publish([](wire::Event::Builder e) {
    capnp::AnyStruct::Builder any = wire::Event::Builder(e);
    const std::string site = kTestSite;  // as Data: the same bytes, no NUL after them
    any.getPointerSection()[1].setAs<capnp::Data>(
        capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(site.data()), site.size()));
  });
  m["site-struct"] = publish([](wire::Event::Builder e) {
    capnp::AnyStruct::Builder any = wire::Event::Builder(e);
    any.getPointerSection()[1].initAs<wire::PanicPressed>().setPost("gate-1");
  });
  m["site-other"] = publish([](auto e) { e.setSite("other-site"); });
  m["type-empty"] = publish([](auto e) { e.setType(""); });
  m["type-65-bytes"] = publish([](auto e) { e.setType("a." + std::string(63, 'b')); });
  m["type-not-utf8"] = publish([bad](auto e) { e.setType(RawText(bad)); });
  m["type-grammar"] = publish([](auto e) { e.setType("PassScanned"); });
  m["type-reserved"] = publish([](auto e) { e.setType("_hb"); });
  m["type-unregistered-in-namespace"] =
      publish([](auto e) { e.setType("terminal.incident_reportd"); });
  m["producer-empty"] = publish([](auto e) { e.setProducer(""); });
  m["producer-65-bytes"] = publish([](auto e) { e.setProducer(std::string(65, 'p')); });
  m["producer-not-utf8"] = publish([bad](auto e) { e.setProducer(RawText(bad)); });
  m["producer-nul"] = publish([nul](auto e) { e.setProducer(RawText(nul)); });
  m["actor-65-bytes"] = publish([](auto e) { e.setActor(std::string(65, 'a')); });
  m["actor-not-utf8"] = publish([bad](auto e) { e.setActor(RawText(bad)); });
  m["actor-nul"] = publish([nul](auto e) { e.setActor(RawText(nul)); });
  m["observed-at-0"] = publish([](auto e) { e.setObservedAt(0); });
  m["observed-at-negative"] = publish([](auto e) { e.setObservedAt(-1); });
  m["observed-at-seconds"] = publish([](auto e) { e.setObservedAt(1'764'000'000); });
  m["observed-at-2000"] = publish([](auto e) { e.setObservedAt(946'684'800'000'000); });
  m["observed-at-2200"] = publish([](auto e) { e.setObservedAt(7'258'118'400'000'000); });
  m["seq-set"] = publish([](auto e) { e.setSeq(7); });
  m["recorded-at-set"] = publish([](auto e) { e.setRecordedAt(7); });
  m["prev-hash-set"] = publish([](auto e) {
    const uint8_t hash[32] = {};
    e.setPrevHash(capnp::Data::Reader(hash, sizeof hash));
  });
  m["body-null"] = publish([](auto e) { e.setType("terminal.pass_scanned"); });
  m["body-list"] = ingest([] {
    return std::vector<std::string>{WithBody("terminal.pass_scanned", [](auto b) {
      b.template initAs<capnp::List<capnp::Text>>(1).set(0, "gate-1");
    })};
  });
  m["body-wrong-kind"] = ingest([] {
    return std::vector<std::string>{WithBody("terminal.pass_scanned", [](auto b) {
      auto p = b.template initAs<wire::PassScanned>();
      p.setPost("gate-1");
      capnp::AnyStruct::Builder any = wire::PassScanned::Builder(p);
      any.getPointerSection()[1].initAs<wire::PanicPressed>();  // passCode is Text
    })};
  });
  m["body-required-absent"] = ingest([] {
    return std::vector<std::string>{WithBody("terminal.incident_reported", [](auto b) {
      auto r = b.template initAs<wire::IncidentReported>();
      r.setKind("intrusion");  // no post
      r.setNote("fence cut");
    })};
  });
  m["body-required-empty"] = ingest([] {
    return std::vector<std::string>{WithBody("shift.started", [](auto b) {
      auto s = b.template initAs<wire::ShiftStarted>();
      s.setPerson("ann");
      s.setPost("gate-1");
      s.setRole("");
    })};
  });
  m["body-not-utf8"] = ingest([bad] { return std::vector<std::string>{PassScannedWith(bad)}; });
  m["body-nul"] = ingest([nul] {
    return std::vector<std::string>{WithBody("shift.started", [&](auto b) {
      auto s = b.template initAs<wire::ShiftStarted>();
      s.setPerson(RawText(nul));
      s.setPost("gate-1");
      s.setRole("guard");
    })};
  });
  m["body-nested-not-utf8"] = ingest([bad] {
    return std::vector<std::string>{WithBody("escalation.incident_opened", [&](auto b) {
      auto o = b.template initAs<wire::IncidentOpened>();
      o.setIncident(1);
      o.setIncidentType("intrusion");
      auto f = o.initTriggerFields(1)[0];
      f.setName("note");
      f.setValue(RawText(bad));
    })};
  });
  m["body-list-not-utf8"] = ingest([bad] {
    return std::vector<std::string>{WithBody("escalation.level_unstaffed", [&](auto b) {
      auto targets = b.template initAs<wire::LevelUnstaffed>().initTargets(2);
      targets.set(0, "role:guard");
      targets.set(1, RawText(bad));
    })};
  });
  m["body-out-of-bounds"] = ingest([] { return std::vector<std::string>{BodyOutOfBoundsFrame()}; });
  m["body-unregistered"] = ingest([] {
    return std::vector<std::string>{WithBody(
        "demo.tick", [](auto b) { b.template initAs<wire::PanicPressed>().setPost("gate-1"); })};
  });
  // The forgery of the security issue: escalation's alert published under another name.
  auto alert = [](const std::string& producer) {
    return PublishEdited([&](wire::Event::Builder e) {
      e.setType("escalation.alert_raised");
      e.setProducer(producer);
      auto a = e.getBody().initAs<wire::AlertRaised>();
      a.setIncident(999);
      a.setPerson("otto");
    });
  };
  // Each is sent with the key of its producer: the forger's own terminal key (a terminal may
  // not publish escalation.*, and only escalation states escalation.*), escalation's key.
  m["derived-forged"] = ingest(
      [alert] { return std::vector<std::string>{alert(kGateTerminal.name)}; }, kGateTerminal.name);
  m["derived-by-owner"] =
      ingest([alert] { return std::vector<std::string>{alert("escalation")}; }, "escalation");

  m["replay-status"] = Input{"replay", [](Conformance& c) {  // no status behind a status
                               IngestProbe client = c.ReplayClient();
                               client.Send(BusRequestFrame([](auto r) { r.setStatus(); }));
                               return c.Describe(client.Receive(kReplyTimeout), "");
                             }};
  m["replay"] = Input{"replay", [](Conformance& c) {
                        c.EnsureEvents(2);
                        IngestProbe client = c.ReplayClient();
                        Answer reply = c.Replay(client, {Conformance::ReplayFrame(1, 0, 10)}, true);
                        c.EndSession(client);
                        return reply;
                      }};
  m["replay-past-head"] =
      Input{"replay", [](Conformance& c) {
              IngestProbe client = c.ReplayClient();
              // The head: every event was acked here, or is the record of a refusal.
              auto from = c.acks + c.refusals + 10;
              return c.Replay(client, {Conformance::ReplayFrame(from, 0, 10)}, true);
            }};
  m["replay-from-0"] = replay([] { return Conformance::ReplayFrame(0, 0, 10); });
  m["replay-to-before-from"] = replay([] { return Conformance::ReplayFrame(5, 4, 10); });
  m["replay-credit-0"] = replay([] { return Conformance::ReplayFrame(1, 0, 0); });
  m["replay-credit-over-max"] = replay([] { return Conformance::ReplayFrame(1, 0, 100001); });
  m["replay-sessions-full"] =
      Input{"replay", [](Conformance& c) {
              std::vector<std::unique_ptr<IngestProbe>> clients;
              Answer reply{"no refusal after 10 sessions", "—"};
              for (int i = 0; i < 10; ++i) {
                clients.push_back(std::make_unique<IngestProbe>(c.ctx, c.ep.replay, c.bus.Probe()));
                c.EnsureEvents(2);
                Answer r = c.Replay(*clients.back(), {Conformance::ReplayFrame(1, 0, 1, 1)}, true);
                if (r.reply != "replayBatch") {
                  reply = r;
                  clients.pop_back();
                  break;
                }
              }
              for (auto& client : clients) c.EndSession(*client);
              return reply;
            }};
  m["credit"] = in_session(Conformance::CreditFrame(10), true);
  m["credit-0"] = in_session(Conformance::CreditFrame(0), false);
  m["credit-over-max"] = in_session(Conformance::CreditFrame(100001), false);
  m["credit-no-session"] = replay([] { return Conformance::CreditFrame(10); });
  m["cancel"] = in_session(BusRequestFrame([](auto r) { r.setCancel(); }), false);
  m["cancel-no-session"] = replay([] { return BusRequestFrame([](auto r) { r.setCancel(); }); });
  m["progress"] = replay([] { return Conformance::ProgressFrame("picket-test"); });
  m["progress-empty"] = replay([] { return Conformance::ProgressFrame(""); });
  m["progress-65-bytes"] = replay([] { return Conformance::ProgressFrame(std::string(65, 'p')); });
  m["progress-not-utf8"] = replay([bad] { return Conformance::ProgressFrame(bad); });
  m["replay-publish"] = replay([] { return PublishEdited(); });
  m["replay-request-unknown"] = replay([] { return UnknownVariantFrame(); });
  m["replay-frame-garbage"] = replay([] { return std::string("not capnp"); });
  m["replay-frame-too-large"] = replay([] { return std::string(70000, '\0'); });
  m["replay-envelope-9-frames"] =
      Input{"replay", [](Conformance& c) {
              std::vector<std::string> frames(9, "e");
              frames.push_back(BusRequestFrame([](auto r) { r.setStatus(); }));
              IngestProbe client = c.ReplayClient();
              return c.Replay(client, frames, false);
            }};
  return m;
}

}  // namespace

TEST_CASE("docs/protocol.md's table of inputs and replies is what a real picket-bus answers",
          "[bus][process][conformance]") {
  const std::vector<Row> rows = ReadTable(ReadDoc());
  REQUIRE(rows.size() >= 50);
  const std::map<std::string, Input> inputs = Inputs();

  // The table and the builders name the same inputs, each once.
  std::set<std::string> ids;
  for (const auto& row : rows) {
    INFO("row " << row.id);
    CHECK(ids.insert(row.id).second);
    CHECK(inputs.count(row.id) == 1);  // a row without an input builder
  }
  for (const auto& [id, input] : inputs) {
    INFO("input builder " << id);
    CHECK(ids.count(id) == 1);  // an input builder without a row
  }

  Conformance c;
  for (const auto& row : rows) {
    auto it = inputs.find(row.id);
    if (it == inputs.end()) continue;
    INFO("row " << row.id);
    CHECK(it->second.endpoint == row.endpoint);
    Answer got = it->second.send(c);
    CHECK(got.reply == row.reply);
    CHECK(got.event_id == row.event_id);
  }

  // Only the acked inputs were recorded, besides the bus's record of each publish refused
  // as unauthorized (a site with keys records who tried what): the log holds exactly as many
  // events of each.
  auto log = ReplayAll(c.ctx, c.ep.replay, 1, milliseconds(10000), c.bus.Probe());
  REQUIRE(log.has_value());
  CHECK(c.refusals >= 1);  // derived-forged
  size_t refusal_records = 0;
  for (const auto& e : *log) {
    if (e.type != "bus.publish_refused") continue;
    ++refusal_records;
    CHECK(e.producer == "bus");
    // Who tried: each row was sent with the key of the producer it names.
    std::string error;
    auto msg = DecodedMessage::Decode(e.event, &error);
    REQUIRE(msg);
    auto refused = msg->Root<wire::Event>().getBody().getAs<wire::Refused>();
    CHECK(std::string(refused.getIdentity().cStr()) == refused.getAsWhom().cStr());
  }
  CHECK(refusal_records == c.refusals);
  CHECK(log->size() - refusal_records == c.acks);
  CHECK(c.bus.process().Running());
}

TEST_CASE(
    "docs/protocol.md lists every metric family picket-bus exports, its /healthz body and "
    "its ready file's keys",
    "[bus][process][conformance]") {
  const std::string doc = ReadDoc();
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  std::string host = ep.http.substr(0, ep.http.rfind(':'));
  int port = std::stoi(ep.http.substr(ep.http.rfind(':') + 1));
  httplib::Client http(host, port);

  // "# TYPE name kind" per family on /metrics; "| `name{labels}` | kind |" in the doc.
  auto metrics = http.Get("/metrics");
  REQUIRE(metrics);
  REQUIRE(metrics->status == 200);
  std::map<std::string, std::string> exported, documented;
  std::istringstream lines(metrics->body);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(# TYPE (\S+) (\S+))"))) exported[m[1]] = m[2];
  }
  std::istringstream doc_lines(doc);
  for (std::string line; std::getline(doc_lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m,
                         std::regex(R"(\| `(picket_bus_[a-z_]+)(\{\w+\})?` \| (\w+) \|.*)")))
      documented[m[1]] = m[3];
  }
  CHECK(exported.size() >= 12);
  CHECK(exported == documented);

  auto health = http.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body == "ok picket-bus\n");
  CHECK(doc.find("`200` with the body `ok picket-bus` and a newline") != std::string::npos);

  auto ready = nlohmann::json::parse(ReadFile(bus.data_dir() + "/ready"));
  std::string keys;
  for (const auto& [key, value] : ready.items()) keys += (keys.empty() ? "`" : "`, `") + key;
  CHECK(keys == "`events`, `http`, `ingest`, `pid`, `replay");
  CHECK(doc.find("exactly the keys `events`, `http`, `ingest`, `pid` and `replay`") !=
        std::string::npos);
}

}  // namespace picket::testing
