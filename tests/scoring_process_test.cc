// picket-scoring as a real process against a real picket-bus: a simulated day of a site's
// verdicts goes through the bus, and the day's leaderboard must equal the totals this test
// computes itself from the events it sent, with the default rules' points as
// docs/scoring.md lists them. Then the same day again with picket-scoring killed (SIGKILL)
// in the middle and restarted: the totals must equal the clean run's.
//
// The events are published as their owners (producer "patrol", "access", "escalation"),
// each with its owner's key: scoring trusts a derived event only from the service its
// namespace names, and the test site's bus takes it only from that service's key.
#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <random>

#include "picket/schemas/access.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "picket/schemas/scoring.capnp.h"
#include "support/bus_fixture.h"
#include "support/bus_probe.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "wire/codec.h"
#include "wire/event_id.h"

using namespace picket;
using namespace picket::testing;
using std::chrono::milliseconds;

namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kMinute = 60 * kSecond;
// 2026-06-10 00:00 UTC: the simulated day (the site's zone is UTC).
constexpr int64_t kDay0 = 1'781'049'600LL * kSecond;

const std::string kToml = R"(
[scoring]
commands = "tcp://127.0.0.1:*"
http = ""
time_zone = "UTC0"
squads = { north = ["gate-1", "gate-2"] }
posts = ["yard"]
)";

const std::vector<std::string> kGuards = {"ann", "ben", "cho", "dev"};
const std::vector<std::string> kPosts = {"gate-1", "gate-2", "yard"};

// One event of the simulated day, and the points the default rules give it.
struct Sent {
  EventSpec spec;
  std::string guard;  // who the points are for ("" = nobody)
  int64_t points = 0;
};

// A deterministic day: rounds with on-time, late and missed checkpoints (some misses
// withdrawn by a late scan), completed and not-started rounds, visitors checked out,
// unregistered entries, overstays, and acknowledgements fast and slow.
std::vector<Sent> SimulateDay(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  std::vector<Sent> out;
  int64_t t = kDay0 + 5 * kMinute;
  uint64_t round = 0, visit = 0, incident = 0;
  auto add = [&](std::string type, std::string producer, std::string actor, std::string guard,
                 int64_t points, std::function<void(capnp::AnyPointer::Builder)> body) {
    Sent s;
    s.spec.type = std::move(type);
    s.spec.producer = std::move(producer);
    s.spec.actor = std::move(actor);
    s.spec.observed_at = t;
    s.spec.body = std::move(body);
    s.guard = std::move(guard);
    s.points = points;
    out.push_back(std::move(s));
    t += 40 * kSecond + static_cast<int64_t>(rng() % 60) * kSecond;
  };
  while (t < kDay0 + 23 * 60 * kMinute) {
    const std::string guard = pick(kGuards), post = pick(kPosts);
    switch (rng() % 5) {
      case 0:
      case 1: {  // a round of three checkpoints
        const uint64_t r = ++round;
        int missed = 0;
        for (const char* tag : {"A", "B", "C"}) {
          const uint32_t roll = rng() % 10;
          if (roll < 7) {
            const bool on_time = roll < 6;
            add("patrol.checkpoint_accepted", "patrol", guard, guard, on_time ? 1 : 0,
                [=](capnp::AnyPointer::Builder b) {
                  auto a = b.initAs<wire::CheckpointAccepted>();
                  a.setRound(r), a.setPost(post), a.setGuard(guard), a.setCheckpoint(tag);
                  a.setOnTime(on_time);
                });
          } else {
            ++missed;
            add("patrol.checkpoint_missed", "patrol", "", guard, -5,
                [=](capnp::AnyPointer::Builder b) {
                  auto m = b.initAs<wire::CheckpointMissed>();
                  m.setRound(r), m.setPost(post), m.setGuard(guard), m.setCheckpoint(tag);
                });
            if (roll == 9) {  // a late scan from an offline terminal withdraws it
              --missed;
              out.back().points = 0;  // reversed: the miss counts nothing in the end
              add("patrol.missed_withdrawn", "patrol", guard, guard, 1,
                  [=](capnp::AnyPointer::Builder b) {
                    auto w = b.initAs<wire::MissedReviewed>();
                    w.setRound(r), w.setPost(post), w.setGuard(guard), w.setCheckpoint(tag);
                    w.setOnTime(true);
                  });
            }
          }
        }
        add("patrol.round_completed", "patrol", guard, guard, missed == 0 ? 10 : 0,
            [=](capnp::AnyPointer::Builder b) {
              auto c = b.initAs<wire::RoundCompleted>();
              c.setRound(r), c.setPost(post), c.setGuard(guard);
              c.setMissed(static_cast<uint32_t>(missed));
            });
        break;
      }
      case 2: {
        const uint64_t r = ++round;
        add("patrol.round_not_started", "patrol", "", guard, -10,
            [=](capnp::AnyPointer::Builder b) {
              auto n = b.initAs<wire::RoundNotStarted>();
              n.setRound(r), n.setPost(post), n.setGuard(guard);
            });
        break;
      }
      case 3: {  // access: the gate's guard is the actor
        const uint64_t v = ++visit;
        const uint32_t roll = rng() % 3;
        if (roll == 0)
          add("access.visitor_checked_out", "access", guard, guard, 2,
              [=](capnp::AnyPointer::Builder b) {
                auto c = b.initAs<wire::VisitorCheckedOut>();
                c.setPost(post), c.setPerson("visitor"), c.setVisit(v);
              });
        else if (roll == 1)
          add("access.unregistered_entry", "access", guard, guard, -5,
              [=](capnp::AnyPointer::Builder b) {
                auto u = b.initAs<wire::UnregisteredEntry>();
                u.setPost(post), u.setPerson("walk-in"), u.setVisit(v);
              });
        else
          add("access.overstay", "access", "", "", 0,  // no actor, no guard: the post only
              [=](capnp::AnyPointer::Builder b) {
                auto o = b.initAs<wire::Overstay>();
                o.setPost(post), o.setPerson("visitor"), o.setVisit(v), o.setNumber(1);
              });
        break;
      }
      default: {  // an officer acknowledges an incident
        const uint64_t i = ++incident;
        const int64_t response = static_cast<int64_t>(rng() % 400) * kSecond;
        add("escalation.incident_acknowledged", "escalation", guard, guard,
            response <= 60 * kSecond ? 3 : (response > 5 * kMinute ? -3 : 0),
            [=](capnp::AnyPointer::Builder b) {
              auto a = b.initAs<wire::IncidentAcknowledged>();
              a.setIncident(i), a.setVersion(2), a.setResponseTime(response);
            });
      }
    }
  }
  return out;
}

std::map<std::string, int64_t> Expected(const std::vector<Sent>& day) {
  std::map<std::string, int64_t> totals;
  for (const auto& s : day)
    if (!s.guard.empty() && s.points != 0) totals[s.guard] += s.points;
  return totals;
}

// One ingest connection per producer, with that producer's key.
class Owners {
 public:
  Owners(zmq::context_t& ctx, const BusUnderTest& bus, std::string ingest)
      : ctx_(ctx), bus_(bus), ingest_(std::move(ingest)) {}
  IngestProbe& For(const std::string& producer) {
    auto& probe = probes_[producer];
    if (!probe) probe = std::make_unique<IngestProbe>(ctx_, ingest_, bus_.As(producer));
    return *probe;
  }

 private:
  zmq::context_t& ctx_;
  const BusUnderTest& bus_;
  std::string ingest_;
  std::map<std::string, std::unique_ptr<IngestProbe>> probes_;
};

void PublishAll(Owners& owners, const std::vector<Sent>& day, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    auto reply = owners.For(day[i].spec.producer).Publish(day[i].spec, milliseconds(10000));
    REQUIRE(reply);
    INFO(reply->message);
    REQUIRE(reply->kind == Reply::kAck);
  }
}

std::string Leaderboard() {
  capnp::MallocMessageBuilder b;
  auto q = b.initRoot<wire::ScoringRequest>().initLeaderboard();
  q.setPeriod(wire::PeriodKind::DAY);
  q.setAt(kDay0 + 12 * 60 * kMinute);
  q.setSubjects(wire::SubjectKind::GUARD);
  return Encode(b);
}

// The day's guard leaderboard as picket-scoring answers it: guard -> points.
// Asked with an officer's key (otto's), as picketctl score does for an officer.
std::map<std::string, int64_t> Standings(zmq::context_t& ctx, const BusUnderTest& bus,
                                         const std::string& commands,
                                         std::string* label = nullptr) {
  auto bytes =
      CallEndpoint(ctx, commands, Leaderboard(), milliseconds(10000), bus.As("otto", "scoring"));
  REQUIRE(bytes);
  std::string error;
  auto msg = DecodedMessage::Decode(*bytes, &error);
  REQUIRE(msg);
  auto r = msg->Root<wire::ScoringReply>();
  REQUIRE(r.getError() == wire::ScoringError::NONE);
  if (label) *label = r.getPeriod().getLabel().cStr();
  std::map<std::string, int64_t> out;
  uint32_t rank = 0;
  int64_t last = INT64_MAX;
  for (auto s : r.getStandings()) {
    CHECK(s.getRank() == ++rank);
    CHECK(s.getTotals().getPoints() <= last);  // best first
    last = s.getTotals().getPoints();
    if (s.getTotals().getPoints() != 0 || s.getTotals().getEntries() != 0)
      out[s.getSubject().cStr()] = s.getTotals().getPoints();
  }
  // Guards whose entries cancel out exactly are still on the board; compare points only.
  for (auto it = out.begin(); it != out.end();) it = it->second == 0 ? out.erase(it) : ++it;
  return out;
}

// The bus's head now: the last event this test published (scoring's own come after it).
uint64_t HeadSeq(zmq::context_t& ctx, const BusEndpoints& bus, const CurveClientKeys& probe) {
  auto status = QueryStatus(ctx, bus.ingest, milliseconds(10000), probe);
  REQUIRE(status);
  return status->head_seq;
}

// Waits until picket-scoring reports to the bus that it has applied everything up to `seq`.
void WaitApplied(zmq::context_t& ctx, const BusEndpoints& bus, const CurveClientKeys& probe,
                 uint64_t seq) {
  REQUIRE(WaitUntil(
      [&] {
        auto status = QueryStatus(ctx, bus.ingest, milliseconds(10000), probe);
        return status && status->applied["scoring"] >= seq;
      },
      milliseconds(30000)));
}

}  // namespace

TEST_CASE("scoring: a simulated day through the bus gives the leaderboard the events add up to",
          "[scoring][process]") {
  const auto day = SimulateDay(7);
  REQUIRE(day.size() > 500);
  BusUnderTest bus(kToml, {{"otto", "officer", "", {}}});
  auto endpoints = bus.Start();
  ServiceUnderTest scoring("picket-scoring", bus.config_path(), bus.dir().path() + "/data/scoring");
  const std::string commands = scoring.Start()["commands"].get<std::string>();
  zmq::context_t ctx;
  Owners owners(ctx, bus, endpoints.ingest);
  PublishAll(owners, day, 0, day.size());
  WaitApplied(ctx, endpoints, bus.Probe(), HeadSeq(ctx, endpoints, bus.Probe()));
  std::string label;
  const auto standings = Standings(ctx, bus, commands, &label);
  CHECK(label == "2026-06-10");
  CHECK(standings == Expected(day));
  CHECK(scoring.process().Running());
}

TEST_CASE("scoring: kill -9 in the middle of the day and restart: the totals equal a clean run's",
          "[scoring][process]") {
  const auto day = SimulateDay(11);
  BusUnderTest bus(kToml, {{"otto", "officer", "", {}}});
  auto endpoints = bus.Start();
  ServiceUnderTest scoring("picket-scoring", bus.config_path(), bus.dir().path() + "/data/scoring");
  scoring.Start();
  zmq::context_t ctx;
  Owners owners(ctx, bus, endpoints.ingest);
  const size_t half = day.size() / 2;
  PublishAll(owners, day, 0, half);
  // Killed with half the day sent; the rest arrives while it is down.
  scoring.Kill();
  PublishAll(owners, day, half, day.size());
  const std::string commands = scoring.Start()["commands"].get<std::string>();
  WaitApplied(ctx, endpoints, bus.Probe(), HeadSeq(ctx, endpoints, bus.Probe()));
  CHECK(Standings(ctx, bus, commands) == Expected(day));

  // And once more, after a kill with nothing in flight: nothing is scored twice.
  scoring.Kill();
  const std::string again = scoring.Start()["commands"].get<std::string>();
  WaitApplied(ctx, endpoints, bus.Probe(), HeadSeq(ctx, endpoints, bus.Probe()));
  CHECK(Standings(ctx, bus, again) == Expected(day));
}
