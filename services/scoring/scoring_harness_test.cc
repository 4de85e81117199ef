// picket-scoring's real adapter (ScoringService) on a ServiceHost, in-process: a real
// RocksDB, a scripted bus, a hand-moved clock. Events in, ledger events read back from the
// bus's log, commands and queries on the real endpoint.
#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "scoring/scoring_config_toml.h"
#include "scoring/scoring_service.h"
#include "scoring/wire_convert.h"
#include "testing/memory_txn.h"
#include "testing/request_fuzz.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

namespace picket::scoring {
namespace {

using picket::testing::kTestTime;  // 2025-11-24 16:00 UTC (a Monday)
using picket::testing::MakeTypedEvent;
using picket::testing::ServiceHarness;

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;

constexpr const char* kSite = R"(
[scoring]
time_zone = "UTC0"
squads = { north = ["gate-1", "gate-2"] }
posts = ["yard"]
award_periods = ["day"]
award_delay = "1m"
)";

ScoringServiceConfig Config() {
  std::string error;
  auto config = ParseScoringConfig(kSite, "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  return *config;
}

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "scoring";
  o.tables = Scoring::Tables();
  o.commands = "any";
  return o;
}

std::string Missed(uint64_t round, const std::string& checkpoint, Micros at,
                   const std::string& producer = "patrol") {
  return MakeTypedEvent(
      event_types::kCheckpointMissed, at,
      [&](wire::CheckpointMissed::Builder b) {
        b.setPost("gate-1");
        b.setRoute("perimeter");
        b.setRound(round);
        b.setCheckpoint(checkpoint);
        b.setGuard("guard-7");
        b.setDeadline(at);
      },
      producer, "");
}

std::string Withdrawn(uint64_t round, const std::string& checkpoint, Micros at) {
  return MakeTypedEvent(
      event_types::kMissedWithdrawn, at,
      [&](wire::MissedReviewed::Builder b) {
        b.setPost("gate-1");
        b.setRoute("perimeter");
        b.setRound(round);
        b.setCheckpoint(checkpoint);
        b.setGuard("guard-7");
        b.setOnTime(true);
      },
      "patrol", "guard-7");
}

// `frame` as the bus records it: with its seq and receive time.
std::string Recorded(const std::string& frame, uint64_t seq) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  capnp::MallocMessageBuilder b;
  b.setRoot(msg->Root<wire::Event>());
  auto e = b.getRoot<wire::Event>();
  e.setSeq(seq);
  e.setRecordedAt(e.getObservedAt());
  return Encode(b);
}

template <typename Fill>
std::string Request(const std::string& actor, char id_byte, Fill fill) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::ScoringRequest>();
  r.setActor(actor);
  fill(r);
  if (id_byte) {
    std::string id(16, id_byte);
    r.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
  }
  return Encode(b);
}

wire::ScoringReply::Reader Call(ServiceHarness& h, const std::string& frame,
                                capnp::MallocMessageBuilder& holder) {
  auto reply = h.Command(frame);
  REQUIRE(reply);
  std::string why;
  auto msg = DecodedMessage::Decode(*reply, &why);
  REQUIRE(msg);
  holder.setRoot(msg->Root<wire::ScoringReply>());
  return holder.getRoot<wire::ScoringReply>().asReader();
}

// The derived events of `type`, as copies.
std::vector<std::string> DerivedOf(const ServiceHarness& h, std::string_view type) {
  std::vector<std::string> out;
  for (const auto& frame : h.Derived()) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    if (std::string_view(msg->Root<wire::Event>().getType().cStr()) == type) out.push_back(frame);
  }
  return out;
}

int64_t GuardPoints(ServiceHarness& h, const std::string& guard) {
  capnp::MallocMessageBuilder m;
  auto reply = Call(h,
                    Request("", 0,
                            [&](wire::ScoringRequest::Builder r) {
                              auto q = r.initExplain();
                              q.setSubjectKind(wire::SubjectKind::GUARD);
                              q.setSubject(guard);
                              q.setPeriod(wire::PeriodKind::DAY);
                            }),
                    m);
  REQUIRE(reply.getError() == wire::ScoringError::NONE);
  return reply.getTotals().getPoints();
}

TEST_CASE(
    "scoring in the harness: a verdict earns, its withdrawal reverses, a forgery earns "
    "nothing",
    "[scoring][harness]") {
  ServiceHarness h(Options());
  ScoringServiceConfig config = Config();
  ScoringService service(h.host(), config);
  REQUIRE(h.Start());

  h.Publish(Missed(1, "A", kTestTime + kSecond));
  REQUIRE(h.Settle());
  REQUIRE(DerivedOf(h, "scoring.points_awarded").size() == 1);
  const int64_t penalty = GuardPoints(h, "guard-7");
  CHECK(penalty < 0);

  // The same verdict from a terminal's key: not patrol's, so it earns nothing.
  h.Publish(Missed(2, "B", kTestTime + 2 * kSecond, "gate-1-terminal"));
  REQUIRE(h.Settle());
  CHECK(DerivedOf(h, "scoring.points_awarded").size() == 1);
  CHECK(h.Metric("picket_service_events_foreign_total{service=\"scoring\"}") == 1);

  // A late scan withdraws the miss: the entry is voided and the penalty is gone; the
  // on-time late scan earns its own point.
  h.Publish(Withdrawn(1, "A", kTestTime + 3 * kSecond));
  REQUIRE(h.Settle());
  REQUIRE(DerivedOf(h, "scoring.entry_voided").size() == 1);
  CHECK(GuardPoints(h, "guard-7") > 0);
  CHECK(h.Metric("picket_scoring_voids_total") == 1);
}

TEST_CASE("scoring in the harness: an inspection is scored once it is on the bus, and voided",
          "[scoring][harness]") {
  ServiceHarness h(Options());
  ScoringServiceConfig config = Config();
  ScoringService service(h.host(), config);
  REQUIRE(h.Start());

  capnp::MallocMessageBuilder r1;
  auto inspected = Call(h,
                        Request("chief", 'a',
                                [&](wire::ScoringRequest::Builder r) {
                                  auto x = r.initInspect();
                                  x.setPost("gate-1");
                                  x.setGuard("guard-7");
                                  auto f = x.initFindings(2);
                                  f[0].setCategory("uniform");
                                  f[0].setPassed(true);
                                  f[1].setCategory("phone");
                                  f[1].setPassed(false);
                                  f[1].setNote("on the phone at the barrier");
                                }),
                        r1);
  INFO(inspected.getMessage().cStr());
  REQUIRE(inspected.getError() == wire::ScoringError::NONE);
  CHECK(inspected.getId() == 1);
  REQUIRE(h.Settle());
  auto findings = DerivedOf(h, "scoring.finding_recorded");
  REQUIRE(findings.size() == 2);
  // The points come from the findings as recorded on the bus, like any other event: each
  // entry names a finding's seq, never the command.
  auto awarded = DerivedOf(h, "scoring.points_awarded");
  REQUIRE(awarded.size() == 2);
  std::set<uint64_t> finding_seqs, entry_seqs;
  for (const auto& frame : findings) {
    std::string why;
    finding_seqs.insert(DecodedMessage::Decode(frame, &why)->Root<wire::Event>().getSeq());
  }
  for (const auto& frame : awarded) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    entry_seqs.insert(msg->Root<wire::Event>().getBody().getAs<wire::LedgerEntry>().getSeq());
  }
  CHECK(entry_seqs == finding_seqs);
  CHECK_FALSE(entry_seqs.count(0));
  const int64_t before = GuardPoints(h, "guard-7");

  // Void the fault: its points stop counting; a second void is refused.
  uint64_t fault_entry = 0;
  for (const auto& frame : awarded) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    auto entry = msg->Root<wire::Event>().getBody().getAs<wire::LedgerEntry>();
    if (entry.getPoints() < 0) fault_entry = entry.getEntry();
  }
  REQUIRE(fault_entry != 0);
  auto void_entry = [&](char id) {
    return Request("chief", id, [&](wire::ScoringRequest::Builder r) {
      auto v = r.initVoidEntry();
      v.setEntry(fault_entry);
      v.setReason("phone call was the control room");
    });
  };
  capnp::MallocMessageBuilder r2;
  auto voided = Call(h, void_entry('b'), r2);
  REQUIRE(voided.getError() == wire::ScoringError::NONE);
  REQUIRE(voided.getEntries().size() == 1);
  CHECK(voided.getEntries()[0].getVoided());
  CHECK(GuardPoints(h, "guard-7") > before);
  capnp::MallocMessageBuilder r3;
  CHECK(Call(h, void_entry('c'), r3).getError() == wire::ScoringError::ALREADY_VOIDED);

  // Bad input: unknown post, unknown entry, garbage. Nothing new on the bus.
  const size_t derived = h.Derived().size();
  capnp::MallocMessageBuilder r4;
  CHECK(Call(h,
             Request("chief", 'd',
                     [&](wire::ScoringRequest::Builder r) {
                       auto x = r.initInspect();
                       x.setPost("gate-9");
                       x.initFindings(1)[0].setCategory("uniform");
                     }),
             r4)
            .getError() == wire::ScoringError::UNKNOWN_POST);
  capnp::MallocMessageBuilder r5;
  CHECK(Call(h,
             Request("chief", 'e',
                     [&](wire::ScoringRequest::Builder r) {
                       auto v = r.initVoidEntry();
                       v.setEntry(999);
                       v.setReason("x");
                     }),
             r5)
            .getError() == wire::ScoringError::UNKNOWN_ENTRY);
  capnp::MallocMessageBuilder r6;
  CHECK(Call(h, std::string("not a message"), r6).getError() == wire::ScoringError::MALFORMED);
  CHECK(h.Derived().size() == derived);
}

TEST_CASE("scoring in the harness: the day's best post gets the award after the day ends",
          "[scoring][harness]") {
  ServiceHarness h(Options());
  ScoringServiceConfig config = Config();
  ScoringService service(h.host(), config);
  REQUIRE(h.Start());
  // gate-1's guard misses a checkpoint; yard gets a commendation.
  h.Publish(Missed(1, "A", kTestTime + kSecond));
  capnp::MallocMessageBuilder r1;
  REQUIRE(Call(h,
               Request("chief", 'a',
                       [&](wire::ScoringRequest::Builder r) {
                         auto c = r.initCommend();
                         c.setPost("yard");
                         c.setReason("spotless post");
                       }),
               r1)
              .getError() == wire::ScoringError::NONE);
  REQUIRE(h.Settle());
  REQUIRE(DerivedOf(h, "scoring.commendation_recorded").size() == 1);
  CHECK(DerivedOf(h, "scoring.award_granted").empty());
  // The day ends at midnight UTC (8 h after 16:00); the award comes award_delay later.
  REQUIRE(h.Advance(8 * kHour + kMinute));
  auto awards = DerivedOf(h, "scoring.award_granted");
  REQUIRE(awards.size() == 1);
  std::string why;
  auto msg = DecodedMessage::Decode(awards[0], &why);
  auto award = msg->Root<wire::Event>().getBody().getAs<wire::AwardGranted>();
  CHECK(std::string(award.getPost().cStr()) == "yard");
  CHECK(award.getPeriod().getKind() == wire::PeriodKind::DAY);
  CHECK(std::string(award.getPeriod().getLabel().cStr()) == "2025-11-24");
}

TEST_CASE(
    "scoring decoders: 50 000 mutated requests and events never crash and refuse with a "
    "message",
    "[scoring][fuzz]") {
  ScoringServiceConfig config = Config();
  Scoring core(config.scoring);
  MemoryTxn state(Scoring::Tables());
  const std::vector<std::string> seeds = {
      Request("chief", 'a',
              [](wire::ScoringRequest::Builder r) {
                auto x = r.initInspect();
                x.setPost("gate-1");
                auto f = x.initFindings(1);
                f[0].setCategory("badge");
              }),
      Request("chief", 'b',
              [](wire::ScoringRequest::Builder r) {
                auto v = r.initVoidEntry();
                v.setEntry(1);
                v.setReason("x");
              }),
      Request("", 0,
              [](wire::ScoringRequest::Builder r) {
                r.initLeaderboard().setSubjects(wire::SubjectKind::POST);
              }),
      Recorded(Missed(1, "A", kTestTime), 42),
  };
  std::mt19937_64 rng(20261128);
  int commands = 0, facts = 0;
  for (int i = 0; i < 50000; ++i) {
    const size_t which = static_cast<size_t>(i) % seeds.size();
    std::string frame = MutateFrame(seeds[which], rng);
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    if (!msg) continue;
    if (which == seeds.size() - 1) {
      ReadSafely<wire::Event>(
          *msg,
          [&](wire::Event::Reader event) {
            std::string why;
            auto fact = ToFact(event, &why);
            if (!fact) return;
            Effects fx = core.OnEvent(*fact, state);
            capnp::MallocMessageBuilder out;
            for (const auto& e : fx.events) FillEvent(out.initRoot<wire::Event>(), e);
            ++facts;
          },
          &error);
      continue;
    }
    ReadSafely<wire::ScoringRequest>(
        *msg,
        [&](wire::ScoringRequest::Reader request) {
          wire::ScoringError code = wire::ScoringError::NONE;
          std::string message;
          auto command = ToCommand(request, &code, &message);
          if (!command) {
            CHECK_FALSE(message.empty());
            return;
          }
          CommandResult r = core.OnCommand(*command, state, kTestTime);
          if (!r.reply.ok()) CHECK_FALSE(r.reply.message.empty());
          (void)EncodeReply(r.reply);
          ++commands;
        },
        &error);
  }
  // The mutations must reach the core, or this proves nothing.
  CHECK(commands > 2000);
  CHECK(facts > 2000);
}

}  // namespace
}  // namespace picket::scoring
