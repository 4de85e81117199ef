// scoring_request: one frame on picket-scoring's command endpoint, read as the kit and the
// adapter read it (runtime/typed_commands.h, scoring/wire_convert.h): decoded, its texts
// checked (FindBadText), then ToCommand, then the core's Scoring::OnCommand on a small site
// (scoring_world.h; a copy of its state per input), then EncodeReply. Invariants: a refusal
// by the decoder has a code and a message, and its reply frame (EncodeError) reads back as
// that code and message; the decoder and the command agree on what is a query; the core's
// refusal has a message, emits nothing and changes nothing, nor does a query; an applied
// void's reply is its entry as now stored, voided by the actor, its totals taken out (every
// totals row is again the sum of the live entries); an inspection or commendation changes
// only the counters (points come from the events, not the command) and emits one event per
// finding with the id it replies; a query's rows are what it asked for (leaderboard: the
// period containing `at`, ranked, ranks 1.., at most the limit, each row the subject's
// stored totals; explain: the subject's entries in the period by time, their live ones
// summing to its totals unless truncated; getEntry: that entry; awards: of that kind,
// latest first, at most the limit); a reply frame reads back with the reply's error,
// message, counts, id and truncated flag; the effects fill wire events (CheckEffects).
#include <capnp/dynamic.h>
#include <capnp/message.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>

#include "fuzz/fuzz_support.h"
#include "fuzz/scoring_world.h"
#include "scoring/wire_convert.h"
#include "wire/codec.h"
#include "wire/text_check.h"

namespace {

using namespace picket;
using namespace picket::scoring;
using World = fuzz::ScoringWorld;

struct ReadBack {
  uint16_t error = 0;
  std::string message;
  size_t standings = 0, entries = 0, awards = 0;
  uint64_t id = 0;
  bool truncated = false;
};

// What an encoded ScoringReply carries, or false if it does not read back.
bool ReadReply(const std::string& frame, ReadBack* out) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  if (!msg) return false;
  return ReadSafely<wire::ScoringReply>(
      *msg,
      [&](wire::ScoringReply::Reader r) {
        r.totalSize();
        out->error = static_cast<uint16_t>(r.getError());
        out->message = std::string(r.getMessage().cStr(), r.getMessage().size());
        out->standings = r.getStandings().size();
        out->entries = r.getEntries().size();
        out->awards = r.getAwards().size();
        out->id = r.getId();
        out->truncated = r.getTruncated();
      },
      &why);
}

const std::string& SubjectOf(const Entry& e, SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kGuard:
      return e.guard;
    case SubjectKind::kPost:
      return e.post;
    default:
      return e.squad;
  }
}

// The period a leaderboard or explain query answered: of its kind, containing its time.
void CheckPeriod(const Reply& reply, PeriodKind kind, Micros at) {
  const Micros t = at == 0 ? World::kNow : at;
  fuzz::Require(reply.period.kind == kind && reply.period.start <= t && t < reply.period.end,
                "the period answered is of the kind asked, containing the time asked");
}

// The promises of a query's answer (commands.h), against the unchanged state.
void CheckQuery(const World& world, const CommandBody& body, const Reply& reply) {
  if (!reply.ok()) return;
  if (const auto* q = std::get_if<LeaderboardQuery>(&body)) {
    CheckPeriod(reply, q->kind, q->at);
    const size_t limit = q->limit == 0 ? kMaxRows : q->limit;
    fuzz::Require(reply.standings.size() <= limit, "at most `limit` standings");
    for (size_t i = 0; i < reply.standings.size(); ++i) {
      const Standing& s = reply.standings[i];
      fuzz::Require(s.rank == i + 1, "ranks are 1, 2, ...");
      fuzz::Require(s.totals.entries > 0 &&
                        s.totals == World::StoredTotals(world.state, q->kind, reply.period.start,
                                                        q->subjects, s.subject),
                    "a standing is the subject's stored totals");
      if (i > 0) {
        const Standing& p = reply.standings[i - 1];
        fuzz::Require(RanksBefore(p.subject, p.totals, s.subject, s.totals),
                      "standings are in ranking order");
      }
    }
  } else if (const auto* q = std::get_if<ExplainQuery>(&body)) {
    CheckPeriod(reply, q->kind, q->at);
    fuzz::Require(reply.totals == World::StoredTotals(world.state, q->kind, reply.period.start,
                                                      q->subject_kind, q->subject),
                  "explain's totals are the subject's stored totals");
    fuzz::Require(reply.entries.size() <= kMaxRows, "at most kMaxRows entries");
    Totals live;
    for (size_t i = 0; i < reply.entries.size(); ++i) {
      const Entry& e = reply.entries[i];
      fuzz::Require(SubjectOf(e, q->subject_kind) == q->subject,
                    "an explained entry counts for the subject");
      fuzz::Require(reply.period.start <= e.at && e.at < reply.period.end,
                    "an explained entry is in the period");
      fuzz::Require(World::StoredEntry(world.state, e.id) == e, "an explained entry as stored");
      if (i > 0)
        fuzz::Require(
            std::tuple(reply.entries[i - 1].at, reply.entries[i - 1].id) < std::tuple(e.at, e.id),
            "explained entries ascend by time then id");
      if (e.voided) continue;
      live.points += e.points;
      (e.points > 0 ? live.rewards : live.penalties) += e.points;
      ++live.entries;
    }
    if (!reply.truncated)
      fuzz::Require(live == reply.totals, "the live explained entries sum to the totals");
  } else if (const auto* q = std::get_if<EntryQuery>(&body)) {
    fuzz::Require(reply.entries.size() == 1 && reply.entries[0].id == q->entry &&
                      World::StoredEntry(world.state, q->entry) == reply.entries[0],
                  "getEntry answers that entry as stored");
  } else if (const auto* q = std::get_if<AwardsQuery>(&body)) {
    const size_t limit = q->limit == 0 ? 10 : q->limit;
    fuzz::Require(reply.awards.size() <= limit, "at most `limit` awards");
    for (size_t i = 0; i < reply.awards.size(); ++i) {
      fuzz::Require(reply.awards[i].period.kind == q->kind, "awards of the kind asked");
      if (i > 0)
        fuzz::Require(reply.awards[i - 1].period.start > reply.awards[i].period.start,
                      "awards latest first");
    }
  }
}

// The promises of an applied command (commands.h, scoring.h).
void CheckApplied(const World& world, const Command& command, const CommandResult& r,
                  const MemoryTxn& state) {
  const auto& events = r.effects.events;
  for (const auto& e : events)
    fuzz::Require(e.actor == command.actor && e.at == World::kNow,
                  "a command's events name its actor and its time");
  fuzz::Require(r.effects.set.empty() && r.effects.cancel.empty(), "a command sets no timer");
  if (const auto* c = std::get_if<VoidCommand>(&command.body)) {
    fuzz::Require(r.reply.entries.size() == 1, "a void replies its entry");
    const Entry& e = r.reply.entries[0];
    auto before = World::StoredEntry(world.state, c->entry);
    fuzz::Require(before && !before->voided, "a voided entry was live");
    fuzz::Require(e.id == c->entry && e.voided && e.void_reason == c->reason &&
                      e.voided_by == command.actor && e.void_seq == 0 && e.voided_at == World::kNow,
                  "a void records its reason, actor and time");
    Entry unvoided = e;
    unvoided.voided = false;
    unvoided.void_reason = unvoided.voided_by = "";
    unvoided.voided_at = 0;
    fuzz::Require(unvoided == *before, "a void changes nothing else of the entry");
    fuzz::Require(World::StoredEntry(state, c->entry) == e, "the voided entry as stored");
    fuzz::Require(events.size() == 1 && std::holds_alternative<EntryVoided>(events[0].body) &&
                      std::get<EntryVoided>(events[0].body).entry == e &&
                      !std::get<EntryVoided>(events[0].body).reversal,
                  "a void emits entry_voided with its entry");
    fuzz::Require(world.TotalsAreSums(state), "after a void, totals are the live entries' sums");
    return;
  }
  // Inspections and commendations: the counter moves, the rules score the events later.
  fuzz::Require(world.Unchanged(state, keys::kCounters), "a command earns no points itself");
  if (const auto* c = std::get_if<InspectCommand>(&command.body)) {
    fuzz::Require(r.reply.id == World::Counter(world.state, keys::kNextInspection) &&
                      World::Counter(state, keys::kNextInspection) == r.reply.id + 1,
                  "an inspection takes the next inspection id");
    fuzz::Require(events.size() == c->findings.size(), "one finding_recorded per finding");
    for (size_t i = 0; i < events.size(); ++i) {
      const auto* f = std::get_if<FindingRecorded>(&events[i].body);
      const Finding& want = c->findings[i];
      fuzz::Require(f && f->inspection == r.reply.id && f->post == c->post &&
                        f->guard == c->guard && f->category == want.category &&
                        f->passed == want.passed && f->note == want.note,
                    "a finding_recorded is its finding");
    }
  } else if (const auto* c = std::get_if<CommendCommand>(&command.body)) {
    fuzz::Require(r.reply.id == World::Counter(world.state, keys::kNextCommendation) &&
                      World::Counter(state, keys::kNextCommendation) == r.reply.id + 1,
                  "a commendation takes the next commendation id");
    const auto* e =
        events.size() == 1 ? std::get_if<CommendationRecorded>(&events[0].body) : nullptr;
    fuzz::Require(e && e->commendation == r.reply.id && e->post == c->post &&
                      e->guard == c->guard && e->reason == c->reason,
                  "a commendation emits commendation_recorded with its fields");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& world = World::Get();
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::ScoringRequest>(
      *msg,
      [&](wire::ScoringRequest::Reader request) {
        if (FindBadText(capnp::toDynamic(request), "request")) return;  // malformed
        wire::ScoringError code = wire::ScoringError::NONE;
        std::string message;
        auto command = ToCommand(request, &code, &message);
        ReadBack back;
        if (!command) {
          fuzz::Require(code != wire::ScoringError::NONE && !message.empty(),
                        "a refusal has a code and a message");
          fuzz::Require(ReadReply(EncodeError(code, message), &back),
                        "a refusal's reply reads back");
          fuzz::Require(back.error == static_cast<uint16_t>(code) && back.message == message,
                        "a refusal's reply carries its code and message");
          return;
        }
        const bool query = IsQuery(*command);
        fuzz::Require(query == IsQuery(request), "decoder and command agree on queries");
        MemoryTxn state = world.state;
        CommandResult r = world.core.OnCommand(*command, state, World::kNow);
        const bool emitted =
            !r.effects.events.empty() || !r.effects.set.empty() || !r.effects.cancel.empty();
        if (!r.reply.ok()) {
          fuzz::Require(!r.reply.message.empty(), "a refusal by the core has a message");
          fuzz::Require(!emitted, "a refusal emits nothing");
        }
        if (!r.reply.ok() || query)
          fuzz::Require(world.Unchanged(state), "a refusal or a query changes nothing");
        if (query) {
          fuzz::Require(!emitted, "a query emits nothing");
          CheckQuery(world, command->body, r.reply);
        } else if (r.reply.ok()) {
          CheckApplied(world, *command, r, state);
        }
        fuzz::Require(ReadReply(EncodeReply(r.reply), &back), "a reply reads back");
        fuzz::Require(
            back.error == static_cast<uint16_t>(r.reply.error) && back.message == r.reply.message &&
                back.standings == r.reply.standings.size() &&
                back.entries == r.reply.entries.size() && back.awards == r.reply.awards.size() &&
                back.id == r.reply.id && back.truncated == r.reply.truncated,
            "a reply carries its error, message, rows, id and truncated flag");
        fuzz::CheckEffects(world, r.effects);
      },
      &error);
  return 0;
}
