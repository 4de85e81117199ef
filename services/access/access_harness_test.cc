// picket-access's real adapter (AccessService) on a ServiceHost, in-process: a real
// RocksDB, a scripted bus, a hand-moved clock. Terminal facts in, overstay timers fired by
// moving the clock, commands on the real endpoint, decisions read back from the bus's log.
#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <limits>

#include "access/access_config_toml.h"
#include "access/access_service.h"
#include "access/access_test_support.h"
#include "access/wire_convert.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

namespace picket::access {
namespace {

using picket::testing::MakeTypedEvent;
using picket::testing::ServiceHarness;
using testing::kHour;
using testing::kMinute;

const Micros kStart = testing::Utc(2026, 6, 10, 7, 0);

constexpr const char* kSite = R"(
[access]
time_zone = "UTC0"
overstay_grace = "15m"
overstay_repeat = "30m"
walkups_need_approval = true
officers = ["chief"]

[[access.gates]]
id = "north"
post = "gate-1"

[[access.gates]]
id = "south"
post = "gate-2"
hours = "06:00-18:00"
)";

AccessServiceConfig Config() {
  std::string error;
  auto config = ParseAccessConfig(kSite, "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  return *config;
}

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "access";
  o.tables = Access::Tables();
  o.commands = "any";
  return o;
}

std::string Scan(const std::string& post, const std::string& code, wire::Direction direction,
                 Micros at, const std::string& gate = "") {
  return MakeTypedEvent(
      event_types::kPassScanned, at,
      [&](wire::PassScanned::Builder b) {
        b.setPost(post);
        b.setPassCode(code);
        b.setDirection(direction);
        b.setGate(gate);
      },
      post + "-terminal", "guard-7");
}

template <typename Fill>
std::string Request(const std::string& actor, char id_byte, Fill fill) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::AccessRequest>();
  r.setActor(actor);
  fill(r);
  std::string id(16, id_byte);
  r.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
  return Encode(b);
}

struct Answer {
  wire::AccessError error = wire::AccessError::NONE;
  std::string message;
  std::string frame;
};

Answer Call(ServiceHarness& h, const std::string& frame) {
  auto reply = h.Command(frame);
  REQUIRE(reply);
  std::string why;
  auto msg = DecodedMessage::Decode(*reply, &why);
  REQUIRE(msg);
  auto r = msg->Root<wire::AccessReply>();
  return {r.getError(), r.getMessage().cStr(), *reply};
}

// The type of every event the service published, in bus order.
std::vector<std::string> Types(const ServiceHarness& h) {
  std::vector<std::string> out;
  for (const auto& frame : h.Derived()) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    out.emplace_back(msg->Root<wire::Event>().getType().cStr());
  }
  return out;
}

// The body of the last published event of `type`, as a copy in `holder`.
template <typename Body>
typename Body::Reader Last(const ServiceHarness& h, std::string_view type,
                           capnp::MallocMessageBuilder& holder) {
  std::optional<std::string> found;
  for (const auto& frame : h.Derived()) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    if (std::string_view(msg->Root<wire::Event>().getType().cStr()) == type) found = frame;
  }
  REQUIRE(found);
  std::string why;
  auto msg = DecodedMessage::Decode(*found, &why);
  holder.setRoot(msg->Root<wire::Event>().getBody().getAs<Body>());
  return holder.getRoot<Body>().asReader();
}

// host-1 (staff) and visitor v-1 pre-registered by them with pass P-1 valid 2 h from now.
void SetUpVisitor(ServiceHarness& h) {
  REQUIRE(Call(h, Request("chief", 'a',
                          [](wire::AccessRequest::Builder r) {
                            auto p = r.initRegisterPerson();
                            p.setPerson("host-1");
                            p.setName("Hana Host");
                            p.setKind(wire::PassKind::STAFF);
                          }))
              .error == wire::AccessError::NONE);
  REQUIRE(Call(h, Request("host-1", 'b',
                          [](wire::AccessRequest::Builder r) {
                            auto p = r.initPreRegisterVisitor();
                            p.setPerson("v-1");
                            p.setName("Vera Visitor");
                            p.setHost("host-1");
                            p.setExpectedAt(kStart + kHour);
                          }))
              .error == wire::AccessError::NONE);
  auto issued = Call(h, Request("chief", 'c', [](wire::AccessRequest::Builder r) {
                       auto p = r.initIssuePass();
                       p.setCode("P-1");
                       p.setPerson("v-1");
                       p.setValidFrom(kStart);
                       p.setValidUntil(kStart + 2 * kHour);
                     }));
  INFO(issued.message);
  REQUIRE(issued.error == wire::AccessError::NONE);
}

}  // namespace

TEST_CASE(
    "access in the harness: a scan's decision names the scan, an overstay fires at expiry plus "
    "grace and repeats until the scan out",
    "[access][harness]") {
  ServiceHarness h(Options(), kStart);
  AccessServiceConfig config = Config();
  AccessService service(h.host(), config);
  REQUIRE(h.Start());
  SetUpVisitor(h);
  REQUIRE(h.Settle());
  CHECK(Types(h) == std::vector<std::string>{"access.person_registered", "access.person_registered",
                                             "access.pass_issued"});

  // The terminal of gate-1 names no gate: north is the one gate of its post.
  uint64_t scan = h.Publish(Scan("gate-1", "P-1", wire::Direction::IN, kStart + kMinute));
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder holder;
  auto granted = Last<wire::AccessGranted>(h, "access.granted", holder);
  CHECK(granted.getScanSeq() == scan);
  CHECK(std::string(granted.getGate().cStr()) == "north");
  CHECK(std::string(granted.getPost().cStr()) == "gate-1");
  CHECK(std::string(granted.getPerson().cStr()) == "v-1");
  CHECK(Types(h).back() == "access.visitor_checked_in");

  // An unknown pass: denied, naming its own scan.
  uint64_t bad = h.Publish(Scan("gate-1", "NOPE", wire::Direction::IN, kStart + 2 * kMinute));
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder holder2;
  auto denied = Last<wire::AccessDenied>(h, "access.denied", holder2);
  CHECK(denied.getScanSeq() == bad);
  CHECK(std::string(denied.getReason().cStr()) == "unknown_pass");
  CHECK(h.Metric("picket_access_granted_total") == 1);
  CHECK(h.Metric("picket_access_denied_total") == 1);

  // The pass ends at 2 h; the grace is 15 min: nothing a second before.
  const size_t before = h.Derived().size();
  REQUIRE(h.Advance(2 * kHour + 15 * kMinute - kMicrosPerSecond));
  CHECK(h.Derived().size() == before);
  REQUIRE(h.Advance(kMicrosPerSecond));
  capnp::MallocMessageBuilder holder3;
  auto first = Last<wire::Overstay>(h, "access.overstay", holder3);
  CHECK(first.getNumber() == 1);
  CHECK(std::string(first.getPerson().cStr()) == "v-1");
  CHECK(first.getExpiredAt() == kStart + 2 * kHour);
  REQUIRE(h.Advance(30 * kMinute));
  capnp::MallocMessageBuilder holder4;
  CHECK(Last<wire::Overstay>(h, "access.overstay", holder4).getNumber() == 2);

  // Out (an expired pass still lets its holder leave): the visit ends, so do the repeats.
  h.Publish(Scan("gate-1", "P-1", wire::Direction::OUT, h.clock().Now()));
  REQUIRE(h.Settle());
  CHECK(Types(h).back() == "access.visitor_checked_out");
  const size_t after_out = h.Derived().size();
  REQUIRE(h.Advance(2 * kHour));
  CHECK(h.Derived().size() == after_out);
}

TEST_CASE(
    "access in the harness: refused commands get their code, change nothing and emit nothing, "
    "a retry is answered from the record",
    "[access][harness]") {
  ServiceHarness h(Options(), kStart);
  AccessServiceConfig config = Config();
  AccessService service(h.host(), config);
  REQUIRE(h.Start());
  SetUpVisitor(h);
  REQUIRE(h.Settle());

  auto revoke = [](char id) {
    return Request("chief", id, [](wire::AccessRequest::Builder r) {
      auto p = r.initRevokePass();
      p.setCode("P-1");
      p.setReason("lost");
    });
  };
  auto first = Call(h, revoke('r'));
  CHECK(first.error == wire::AccessError::NONE);
  CHECK(Call(h, revoke('r')).frame == first.frame);  // the same id: not applied again
  REQUIRE(h.Settle());
  const auto types = Types(h);
  CHECK(types.back() == "access.pass_revoked");
  CHECK(std::count(types.begin(), types.end(), "access.pass_revoked") == 1);

  struct Case {
    std::string what, frame;
    wire::AccessError error;
  };
  const std::vector<Case> cases = {
      {"revoked twice", revoke('s'), wire::AccessError::ALREADY_REVOKED},
      {"unknown person",
       Request("chief", 't',
               [](wire::AccessRequest::Builder r) {
                 auto p = r.initIssuePass();
                 p.setCode("P-2");
                 p.setPerson("nobody");
                 p.setValidFrom(kStart);
                 p.setValidUntil(kStart + kHour);
               }),
       wire::AccessError::UNKNOWN_PERSON},
      {"malformed hours",
       Request("chief", 'u',
               [](wire::AccessRequest::Builder r) {
                 auto p = r.initIssuePass();
                 p.setCode("P-2");
                 p.setPerson("v-1");
                 p.setValidFrom(kStart);
                 p.setValidUntil(kStart + kHour);
                 p.setHours("25:00-26:00");
               }),
       wire::AccessError::INVALID_ARGUMENT},
      {"a time before 1970 (the fuzzer's overflow)",
       Request("chief", 'U',
               [](wire::AccessRequest::Builder r) {
                 auto p = r.initIssuePass();
                 p.setCode("P-3");
                 p.setPerson("v-1");
                 p.setValidFrom(std::numeric_limits<int64_t>::min());
                 p.setValidUntil(kStart + kHour);
               }),
       wire::AccessError::INVALID_ARGUMENT},
      {"a query range that would overflow",
       Request("", 'V',
               [](wire::AccessRequest::Builder r) {
                 auto q = r.initListVisits();
                 q.setFrom(std::numeric_limits<int64_t>::min());
                 q.setTo(kStart);
               }),
       wire::AccessError::INVALID_ARGUMENT},
      {"too long a name",
       Request("chief", 'v',
               [](wire::AccessRequest::Builder r) {
                 auto p = r.initRegisterPerson();
                 p.setPerson("long-1");
                 p.setName(std::string(kMaxTextBytes + 1, 'x'));
                 p.setKind(wire::PassKind::STAFF);
               }),
       wire::AccessError::INVALID_ARGUMENT},
      {"a visitor by registerPerson",
       Request("chief", 'w',
               [](wire::AccessRequest::Builder r) {
                 auto p = r.initRegisterPerson();
                 p.setPerson("v-9");
                 p.setName("V");
                 p.setKind(wire::PassKind::VISITOR);
               }),
       wire::AccessError::INVALID_ARGUMENT},
      {"no actor",
       Request("", 'x', [](wire::AccessRequest::Builder r) { r.initCheckOut().setPerson("v-1"); }),
       wire::AccessError::INVALID_ARGUMENT},
      {"not on site",
       Request("chief", 'y',
               [](wire::AccessRequest::Builder r) { r.initCheckOut().setPerson("v-1"); }),
       wire::AccessError::NOT_ON_SITE},
      {"not a request", "garbage", wire::AccessError::MALFORMED},
  };
  const size_t published = h.Derived().size();
  const double refused = h.Metric("picket_access_requests_refused_total");
  for (const auto& c : cases) {
    INFO(c.what);
    auto answer = Call(h, c.frame);
    CHECK(answer.error == c.error);
    CHECK_FALSE(answer.message.empty());
  }
  REQUIRE(h.Settle());
  CHECK(h.Derived().size() == published);
  // Every refusal is counted but the malformed frame (the kit counts that one).
  CHECK(h.Metric("picket_access_requests_refused_total") == refused + cases.size() - 1);

  // A scan whose time is not a time: refused as malformed, judged never.
  h.Publish(Scan("gate-1", "P-1", wire::Direction::IN, -5));
  REQUIRE(h.Settle());
  CHECK(h.Derived().size() == published);
  CHECK(h.Metric("picket_service_events_malformed_total{service=\"access\"}") == 1);

  // The pass is still revoked once, by chief, for "lost"; nobody else was registered.
  auto get = Call(h, Request("", 'z', [](wire::AccessRequest::Builder r) { r.setGetPass("P-1"); }));
  REQUIRE(get.error == wire::AccessError::NONE);
  std::string why;
  auto msg = DecodedMessage::Decode(get.frame, &why);
  auto pass = msg->Root<wire::AccessReply>().getPass();
  CHECK(pass.getRevoked());
  CHECK(std::string(pass.getRevokedReason().cStr()) == "lost");
  auto person =
      Call(h, Request("", 'z', [](wire::AccessRequest::Builder r) { r.setGetPerson("long-1"); }));
  CHECK(person.error == wire::AccessError::UNKNOWN_PERSON);
}

TEST_CASE("access in the harness: the roll call lists who is on site, by a query",
          "[access][harness]") {
  ServiceHarness h(Options(), kStart);
  AccessServiceConfig config = Config();
  AccessService service(h.host(), config);
  REQUIRE(h.Start());
  SetUpVisitor(h);
  h.Publish(Scan("gate-1", "P-1", wire::Direction::IN, kStart + kMinute));
  h.Publish(MakeTypedEvent(
      event_types::kManualEntry, kStart + 2 * kMinute,
      [](wire::ManualEntry::Builder b) {
        b.setPost("gate-2");
        b.setPerson("Ivan Driver");
        b.setNote("delivery, pass forgotten");
      },
      "gate-2-terminal", "guard-8"));
  REQUIRE(h.Settle());
  CHECK(Types(h).back() == "access.unregistered_entry");

  auto roll = Call(h, Request("", 'q', [](wire::AccessRequest::Builder r) { r.setListOnSite(); }));
  REQUIRE(roll.error == wire::AccessError::NONE);
  std::string why;
  auto msg = DecodedMessage::Decode(roll.frame, &why);
  auto on_site = msg->Root<wire::AccessReply>().getOnSite();
  REQUIRE(on_site.size() == 2);
  std::vector<std::string> who;
  for (auto e : on_site) who.emplace_back(e.getVisit().getPerson().cStr());
  std::sort(who.begin(), who.end());
  CHECK(who == std::vector<std::string>{"Ivan Driver", "v-1"});
}

}  // namespace picket::access

namespace picket::access {

TEST_CASE("access in the harness: a truck registered by its plate gets a pass and is let in",
          "[access][harness][vehicle]") {
  ServiceHarness h(Options(), kStart);
  AccessServiceConfig config = Config();
  AccessService service(h.host(), config);
  REQUIRE(h.Start());
  auto truck = Call(h, Request("chief", 'a', [](wire::AccessRequest::Builder r) {
                      auto v = r.initRegisterVehicle();
                      v.setPlate("b-ab 1234");
                      v.setDescription("white Volvo tanker, Acme Logistics");
                      v.setKind(wire::PassKind::CONTRACTOR);
                      v.setCompany("Acme Logistics");
                    }));
  INFO(truck.message);
  REQUIRE(truck.error == wire::AccessError::NONE);
  REQUIRE(Call(h, Request("chief", 'b',
                          [](wire::AccessRequest::Builder r) {
                            auto p = r.initIssuePass();
                            p.setCode("T-1");
                            p.setPerson("veh.BAB1234");
                            p.setValidFrom(kStart);
                            p.setValidUntil(kStart + 8 * kHour);
                          }))
              .error == wire::AccessError::NONE);
  uint64_t scan = h.Publish(Scan("gate-1", "T-1", wire::Direction::IN, kStart + kMinute));
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder holder;
  auto granted = Last<wire::AccessGranted>(h, "access.granted", holder);
  CHECK(granted.getScanSeq() == scan);
  CHECK(std::string(granted.getPerson().cStr()) == "veh.BAB1234");
  capnp::MallocMessageBuilder holder2;
  auto registered = Last<wire::PersonRegistered>(h, "access.person_registered", holder2);
  CHECK(registered.getVehicle());
  CHECK(std::string(registered.getPlate().cStr()) == "b-ab 1234");

  auto get = Call(
      h, Request("", 'z', [](wire::AccessRequest::Builder r) { r.setGetPerson("veh.BAB1234"); }));
  REQUIRE(get.error == wire::AccessError::NONE);
  std::string why;
  auto msg = DecodedMessage::Decode(get.frame, &why);
  auto person = msg->Root<wire::AccessReply>().getPerson();
  CHECK(person.getVehicle());
  CHECK(std::string(person.getName().cStr()) == "white Volvo tanker, Acme Logistics");
  CHECK(std::string(person.getOnSite().getGate().cStr()) == "north");
}

}  // namespace picket::access

namespace picket::access {

TEST_CASE(
    "access in the harness: a walk-up without approval waits in the queue until the host "
    "approves it, a denied one is removed, bad decisions change nothing",
    "[access][harness][walkup]") {
  ServiceHarness h(Options(), kStart);
  AccessServiceConfig config = Config();
  AccessService service(h.host(), config);
  REQUIRE(h.Start());
  SetUpVisitor(h);  // host-1 is staff
  REQUIRE(h.Settle());

  auto walk_up = [](const std::string& person, const std::string& name, char id) {
    return Request("guard-7", id, [&](wire::AccessRequest::Builder r) {
      auto p = r.initRegisterWalkUp();
      p.setPerson(person);
      p.setName(name);
      p.setCompany("Acme");
      p.setHost("host-1");
      p.setGate("north");
    });
  };
  auto decide = [](bool approve, const std::string& person, const std::string& by, char id,
                   const std::string& reason = "") {
    return Request(by, id, [&](wire::AccessRequest::Builder r) {
      auto d = approve ? r.initApproveWalkUp() : r.initDenyWalkUp();
      d.setPerson(person);
      d.setBy(by);
      d.setReason(reason);
    });
  };
  auto pending = [&h]() {
    auto answer = Call(
        h, Request("", 'q', [](wire::AccessRequest::Builder r) { r.setListPendingWalkUps(); }));
    REQUIRE(answer.error == wire::AccessError::NONE);
    std::string why;
    auto msg = DecodedMessage::Decode(answer.frame, &why);
    std::vector<std::string> out;
    for (auto w : msg->Root<wire::AccessReply>().getPendingWalkUps())
      out.push_back(std::string(w.getPerson().cStr()) + "@" + w.getGate().cStr() + "/" +
                    w.getPost().cStr() + " by " + w.getRequestedBy().cStr());
    return out;
  };

  auto asked = Call(h, walk_up("w-1", "Walt Walker", 'A'));
  INFO(asked.message);
  REQUIRE(asked.error == wire::AccessError::NONE);
  {
    std::string why;
    auto msg = DecodedMessage::Decode(asked.frame, &why);
    CHECK(msg->Root<wire::AccessReply>().getPending());
  }
  REQUIRE(h.Advance(kMinute));
  REQUIRE(Call(h, walk_up("w-2", "Wanda", 'B')).error == wire::AccessError::NONE);
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder holder;
  auto requested = Last<wire::WalkUpRequested>(h, "access.walkup_requested", holder);
  CHECK(std::string(requested.getPerson().cStr()) == "w-2");
  CHECK(std::string(requested.getPost().cStr()) == "gate-1");
  CHECK(requested.getRequestedAt() == kStart + kMinute);
  CHECK(pending() ==
        std::vector<std::string>{"w-1@north/gate-1 by guard-7", "w-2@north/gate-1 by guard-7"});
  auto person =
      Call(h, Request("", 'z', [](wire::AccessRequest::Builder r) { r.setGetPerson("w-1"); }));
  CHECK(person.error == wire::AccessError::UNKNOWN_PERSON);  // not registered while it waits

  // Refusals: each answered with its code, nothing published, the queue unchanged.
  const size_t published = h.Derived().size();
  struct Case {
    std::string what, frame;
    wire::AccessError error;
  };
  const std::vector<Case> cases = {
      {"asked twice", walk_up("w-1", "Walt Walker", 'C'), wire::AccessError::ALREADY_PENDING},
      {"approved by a guard", decide(true, "w-1", "guard-7", 'D'),
       wire::AccessError::NOT_AUTHORIZED},
      {"approve an unknown person", decide(true, "nobody", "chief", 'E'),
       wire::AccessError::NOT_PENDING},
      {"deny without a reason", decide(false, "w-1", "chief", 'F'),
       wire::AccessError::INVALID_ARGUMENT},
      {"deny with too long a reason",
       decide(false, "w-1", "chief", 'G', std::string(kMaxTextBytes + 1, 'r')),
       wire::AccessError::INVALID_ARGUMENT},
      {"approve with an empty person", decide(true, "", "chief", 'H'),
       wire::AccessError::INVALID_ARGUMENT},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto answer = Call(h, c.frame);
    CHECK(answer.error == c.error);
    CHECK_FALSE(answer.message.empty());
  }
  REQUIRE(h.Settle());
  CHECK(h.Derived().size() == published);
  CHECK(pending().size() == 2);

  // The host approves w-1: registered as an approved walk-up, out of the queue.
  REQUIRE(h.Advance(4 * kMinute));
  auto approved = Call(h, decide(true, "w-1", "host-1", 'I'));
  INFO(approved.message);
  REQUIRE(approved.error == wire::AccessError::NONE);
  REQUIRE(h.Settle());
  auto types = Types(h);
  REQUIRE(types.size() >= 2);
  CHECK(types[types.size() - 2] == "access.person_registered");
  CHECK(types.back() == "access.walkup_approved");
  capnp::MallocMessageBuilder holder2;
  auto registered = Last<wire::PersonRegistered>(h, "access.person_registered", holder2);
  CHECK(std::string(registered.getPerson().cStr()) == "w-1");
  CHECK(registered.getWalkUp());
  CHECK(std::string(registered.getApprovedBy().cStr()) == "host-1");
  capnp::MallocMessageBuilder holder3;
  CHECK(Last<wire::WalkUpApproved>(h, "access.walkup_approved", holder3).getWaited() ==
        5 * kMinute);
  CHECK(pending() == std::vector<std::string>{"w-2@north/gate-1 by guard-7"});
  CHECK(Call(h, decide(true, "w-1", "host-1", 'J')).error == wire::AccessError::NOT_PENDING);

  // The officer denies w-2.
  auto denied = Call(h, decide(false, "w-2", "chief", 'K', "no appointment"));
  REQUIRE(denied.error == wire::AccessError::NONE);
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder holder4;
  auto no = Last<wire::WalkUpDenied>(h, "access.walkup_denied", holder4);
  CHECK(std::string(no.getPerson().cStr()) == "w-2");
  CHECK(std::string(no.getDeniedBy().cStr()) == "chief");
  CHECK(std::string(no.getReason().cStr()) == "no appointment");
  CHECK(pending().empty());
  auto w2 =
      Call(h, Request("", 'z', [](wire::AccessRequest::Builder r) { r.setGetPerson("w-2"); }));
  CHECK(w2.error == wire::AccessError::UNKNOWN_PERSON);
}

}  // namespace picket::access
