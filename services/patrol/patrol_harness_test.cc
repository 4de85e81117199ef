// picket-patrol's real adapter (PatrolService) on a ServiceHost, in-process: a real
// RocksDB, a scripted bus, a hand-moved clock. Terminal facts in, deadlines fired by moving
// the clock, commands on the real endpoint, verdicts read back from the bus's log.
#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "patrol/patrol_config_toml.h"
#include "patrol/patrol_service.h"
#include "patrol/wire_convert.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

namespace picket::patrol {
namespace {

using picket::testing::kTestTime;  // 2025-11-24 16:00 UTC, where the harness clock starts
using picket::testing::MakeTypedEvent;
using picket::testing::ServiceHarness;

constexpr Micros kSecond = kMicrosPerSecond;

// The scripted bus stamps recordedAt near kTestTime, so the skew limit is a day here.
constexpr const char* kSite = R"(
[patrol]
time_zone = "UTC0"
skew_limit = "24h"

[[patrol.checkpoints]]
tag = "A"
name = "North fence"
[[patrol.checkpoints]]
tag = "B"
name = "Tank farm"
[[patrol.checkpoints]]
tag = "C"
name = "South yard"

[[patrol.routes]]
id = "perimeter"
post = "gate-1"
checkpoints = ["A", "B", "C"]
leg_min = "1m"
leg_max = "10m"
grace = "5m"
early = "15m"

[[patrol.schedules]]
id = "afternoon"
route = "perimeter"
at = ["16:30"]
)";

PatrolServiceConfig Config() {
  std::string error;
  auto config = ParsePatrolConfig(kSite, "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  return *config;
}

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "patrol";
  o.tables = Patrol::Tables();
  o.commands = "any";
  return o;
}

std::string Started(Micros at, const std::string& route = "") {
  return MakeTypedEvent(
      event_types::kPatrolStart, at,
      [&](wire::PatrolStart::Builder b) {
        b.setPost("gate-1");
        b.setRoute(route);
      },
      "gate-1-terminal", "guard-7");
}

std::string Scan(const std::string& tag, Micros at) {
  return MakeTypedEvent(
      event_types::kCheckpointScanned, at,
      [&](wire::CheckpointScanned::Builder b) {
        b.setPost("gate-1");
        b.setTag(tag);
      },
      "gate-1-terminal", "guard-7");
}

template <typename Fill>
std::string Request(const std::string& actor, char id_byte, Fill fill) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::PatrolRequest>();
  r.setActor(actor);
  fill(r);
  std::string id(16, id_byte);
  r.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
  return Encode(b);
}

// Sends `frame`; the reply, decoded, as a copy in `holder`.
wire::PatrolReply::Reader Call(ServiceHarness& h, const std::string& frame,
                               capnp::MallocMessageBuilder& holder) {
  auto reply = h.Command(frame);
  REQUIRE(reply);
  std::string why;
  auto msg = DecodedMessage::Decode(*reply, &why);
  REQUIRE(msg);
  holder.setRoot(msg->Root<wire::PatrolReply>());
  return holder.getRoot<wire::PatrolReply>().asReader();
}

std::vector<std::string> Types(const ServiceHarness& h) {
  std::vector<std::string> out;
  for (const auto& frame : h.Derived()) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    out.emplace_back(msg->Root<wire::Event>().getType().cStr());
  }
  return out;
}

// The last published event of `type`: its envelope and body, copied into `holder`.
template <typename Body>
typename Body::Reader Last(const ServiceHarness& h, std::string_view type,
                           capnp::MallocMessageBuilder& holder, Micros* observed = nullptr) {
  std::optional<std::string> found;
  for (const auto& frame : h.Derived()) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    if (std::string_view(msg->Root<wire::Event>().getType().cStr()) == type) found = frame;
  }
  REQUIRE(found);
  std::string why;
  auto msg = DecodedMessage::Decode(*found, &why);
  if (observed) *observed = msg->Root<wire::Event>().getObservedAt();
  holder.setRoot(msg->Root<wire::Event>().getBody().getAs<Body>());
  return holder.getRoot<Body>().asReader();
}

size_t Count(const ServiceHarness& h, std::string_view type) {
  auto types = Types(h);
  return static_cast<size_t>(std::count(types.begin(), types.end(), type));
}

}  // namespace

TEST_CASE(
    "patrol in the harness: a scheduled round is walked, a skipped checkpoint is missed at its "
    "deadline, and a supervisor excuses it",
    "[patrol][harness]") {
  ServiceHarness h(Options());
  PatrolServiceConfig config = Config();
  PatrolService service(h.host(), config);
  REQUIRE(h.Start());
  REQUIRE(h.Settle());

  // 16:15 = due 16:30 - early 15 min: the round becomes startable.
  REQUIRE(h.Advance(15 * kMinute));
  REQUIRE(Count(h, "patrol.round_scheduled") == 1);
  capnp::MallocMessageBuilder m1;
  auto scheduled = Last<wire::RoundScheduled>(h, "patrol.round_scheduled", m1);
  const uint64_t round = scheduled.getRound();
  CHECK(scheduled.getDue() == kTestTime + 30 * kMinute);

  REQUIRE(h.Advance(5 * kMinute));  // 16:20
  h.Publish(Started(kTestTime + 20 * kMinute));
  h.Publish(Scan("A", kTestTime + 25 * kMinute));
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder m2;
  auto started = Last<wire::RoundStarted>(h, "patrol.round_started", m2);
  CHECK(started.getRound() == round);
  CHECK(started.getOrder().size() == 3);
  capnp::MallocMessageBuilder m3;
  auto accepted = Last<wire::CheckpointAccepted>(h, "patrol.checkpoint_accepted", m3);
  CHECK(std::string(accepted.getCheckpoint().cStr()) == "A");
  CHECK(accepted.getOnTime());

  // B is skipped: its deadline is A's scan + leg_max + grace = 16:40. Nothing a second
  // before; "missed" at the deadline, with exactly the fields escalation's rules read.
  REQUIRE(h.Advance(20 * kMinute - kSecond));  // 16:39:59
  CHECK(Count(h, "patrol.checkpoint_missed") == 0);
  REQUIRE(h.Advance(kSecond));
  REQUIRE(Count(h, "patrol.checkpoint_missed") == 1);
  capnp::MallocMessageBuilder m4;
  Micros missed_at = 0;
  auto missed = Last<wire::CheckpointMissed>(h, "patrol.checkpoint_missed", m4, &missed_at);
  CHECK(std::string(missed.getPost().cStr()) == "gate-1");
  CHECK(std::string(missed.getRoute().cStr()) == "perimeter");
  CHECK(missed.getRound() == round);
  CHECK(std::string(missed.getCheckpoint().cStr()) == "B");
  CHECK(missed.getDeadline() == kTestTime + 40 * kMinute);
  CHECK(missed_at == kTestTime + 40 * kMinute);
  CHECK(h.Metric("picket_patrol_checkpoints_missed_total") == 1);

  // C after B's deadline: the round completes with 2 on time and 1 missed.
  h.Publish(Scan("C", kTestTime + 45 * kMinute));
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder m5;
  auto completed = Last<wire::RoundCompleted>(h, "patrol.round_completed", m5);
  CHECK(completed.getOnTime() == 2);
  CHECK(completed.getMissed() == 1);
  CHECK(completed.getTotal() == 25 * kMinute);

  // A rescan of C changes nothing but a "duplicate" on the record.
  h.Publish(Scan("C", kTestTime + 46 * kMinute));
  REQUIRE(h.Settle());
  capnp::MallocMessageBuilder m6;
  auto dup = Last<wire::CheckpointRejected>(h, "patrol.checkpoint_rejected", m6);
  CHECK(std::string(dup.getReason().cStr()) == "no_round");  // the round is over

  // The supervisor excuses B; cancelling the completed round is refused.
  capnp::MallocMessageBuilder r1;
  auto excused = Call(h,
                      Request("chief", 'a',
                              [&](wire::PatrolRequest::Builder r) {
                                auto x = r.initExcuseCheckpoint();
                                x.setRound(round);
                                x.setCheckpoint("B");
                                x.setReason("called to the gate for a delivery");
                              }),
                      r1);
  INFO(excused.getMessage().cStr());
  REQUIRE(excused.getError() == wire::PatrolError::NONE);
  REQUIRE(h.Settle());
  CHECK(Count(h, "patrol.checkpoint_excused") == 1);
  capnp::MallocMessageBuilder r2;
  auto refused = Call(h,
                      Request("chief", 'b',
                              [&](wire::PatrolRequest::Builder r) {
                                auto x = r.initCancelRound();
                                x.setRound(round);
                                x.setReason("mistake");
                              }),
                      r2);
  CHECK(refused.getError() == wire::PatrolError::WRONG_STATE);
  capnp::MallocMessageBuilder r3;
  auto unknown = Call(h,
                      Request("chief", 'c',
                              [&](wire::PatrolRequest::Builder r) {
                                auto x = r.initCancelRound();
                                x.setRound(999);
                                x.setReason("mistake");
                              }),
                      r3);
  CHECK(unknown.getError() == wire::PatrolError::UNKNOWN_ROUND);

  // The round as a query sees it.
  capnp::MallocMessageBuilder r4;
  auto got =
      Call(h, Request("", 'd', [&](wire::PatrolRequest::Builder r) { r.setGetRound(round); }), r4);
  REQUIRE(got.getError() == wire::PatrolError::NONE);
  REQUIRE(got.getRounds().size() == 1);
  auto info = got.getRounds()[0];
  CHECK(std::string(info.getStatus().cStr()) == "completed");
  REQUIRE(info.getCheckpoints().size() == 3);
  CHECK(std::string(info.getCheckpoints()[1].getState().cStr()) == "excused");
}

TEST_CASE("patrol in the harness: a round nobody starts is not_started at due plus grace",
          "[patrol][harness]") {
  ServiceHarness h(Options());
  PatrolServiceConfig config = Config();
  PatrolService service(h.host(), config);
  REQUIRE(h.Start());
  REQUIRE(h.Advance(35 * kMinute - kSecond));  // 16:34:59
  CHECK(Count(h, "patrol.round_scheduled") == 1);
  CHECK(Count(h, "patrol.round_not_started") == 0);
  REQUIRE(h.Advance(kSecond));
  REQUIRE(Count(h, "patrol.round_not_started") == 1);
  capnp::MallocMessageBuilder m;
  auto late = Last<wire::RoundNotStarted>(h, "patrol.round_not_started", m);
  CHECK(std::string(late.getPost().cStr()) == "gate-1");
  CHECK(std::string(late.getRoute().cStr()) == "perimeter");
  CHECK(late.getDeadline() == kTestTime + 35 * kMinute);
  CHECK(late.getLateness() == 0);
  CHECK(h.Metric("picket_patrol_rounds_not_started_total") == 1);

  // A start fact without a guard cannot be judged: counted as malformed, nothing emitted.
  const size_t before = h.Derived().size();
  h.Publish(MakeTypedEvent(
      event_types::kPatrolStart, kTestTime + 36 * kMinute,
      [](wire::PatrolStart::Builder b) { b.setPost("gate-1"); }, "gate-1-terminal", ""));
  REQUIRE(h.Settle());
  CHECK(h.Derived().size() == before);
  CHECK(h.Metric("picket_service_events_malformed_total{service=\"patrol\"}") == 1);
}

}  // namespace picket::patrol
