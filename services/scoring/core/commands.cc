// Scoring::OnCommand: every command checks its input, then the state, and refuses with an
// error Reply before writing anything; only then does it write and emit. Queries are in
// queries.cc.
#include <algorithm>
#include <set>

#include "base/overloaded.h"
#include "scoring/core/ledger.h"
#include "scoring/core/queries.h"
#include "scoring/core/scoring.h"
#include "scoring/core/scoring_keys.h"

namespace picket::scoring {
namespace {

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// Required text: something besides spaces, at most kMaxTextBytes.
bool Given(std::string_view s) { return s.size() <= kMaxTextBytes && !Blank(s); }

std::string TooLong(std::string_view what) {
  return std::string(what) + " is longer than " + std::to_string(kMaxTextBytes) + " bytes";
}

class CommandRun {
 public:
  CommandRun(const ScoringConfig& config, Ledger& ledger, Micros now, const std::string& actor)
      : config_(config), ledger_(ledger), now_(now), actor_(actor) {}

  CommandResult Run(const InspectCommand& c) {
    if (auto refused = CheckInspection(c)) return *refused;
    CommandResult out;
    out.reply.id = ledger_.Take(keys::kNextInspection);
    for (const Finding& f : c.findings)
      Emit(out, FindingRecorded{out.reply.id, c.post, c.guard, f.category, f.passed, f.note});
    return out;
  }

  CommandResult Run(const CommendCommand& c) {
    if (c.guard.empty() && c.post.empty())
      return Refuse(CommandError::kInvalidArgument, "a guard or a post is required");
    if (c.guard.size() > kMaxTextBytes)
      return Refuse(CommandError::kInvalidArgument, TooLong("guard"));
    if (!Given(c.reason)) return Refuse(CommandError::kInvalidArgument, "a reason is required");
    if (!c.post.empty() && !KnownPosts(config_).count(c.post))
      return Refuse(CommandError::kUnknownPost, "no post '" + c.post + "' in [scoring]");
    CommandResult out;
    out.reply.id = ledger_.Take(keys::kNextCommendation);
    Emit(out, CommendationRecorded{out.reply.id, c.post, c.guard, c.reason});
    return out;
  }

  CommandResult Run(const VoidCommand& c) {
    if (!Given(c.reason)) return Refuse(CommandError::kInvalidArgument, "a reason is required");
    auto e = ledger_.Load(c.entry);
    if (!e) return Refuse(CommandError::kUnknownEntry, "no entry " + std::to_string(c.entry));
    if (e->voided)
      return Refuse(CommandError::kAlreadyVoided,
                    "entry " + std::to_string(c.entry) + " is voided already");
    Entry after = ledger_.Void(*std::move(e), c.reason, actor_, 0, now_);
    CommandResult out;
    out.reply.entries.push_back(after);
    Emit(out, EntryVoided{std::move(after), false});
    return out;
  }

 private:
  std::optional<CommandResult> CheckInspection(const InspectCommand& c) const {
    using E = CommandError;
    if (c.post.empty()) return Refuse(E::kInvalidArgument, "a post is required");
    if (!KnownPosts(config_).count(c.post))
      return Refuse(E::kUnknownPost, "no post '" + c.post + "' in [scoring]");
    if (c.guard.size() > kMaxTextBytes) return Refuse(E::kInvalidArgument, TooLong("guard"));
    if (c.findings.empty()) return Refuse(E::kInvalidArgument, "an inspection needs findings");
    if (c.findings.size() > kMaxFindings)
      return Refuse(E::kInvalidArgument,
                    "at most " + std::to_string(kMaxFindings) + " findings per inspection");
    const auto& known = config_.categories;
    std::set<std::string_view> seen;
    for (const Finding& f : c.findings) {
      if (std::find(known.begin(), known.end(), f.category) == known.end())
        return Refuse(E::kUnknownCategory, "no category '" + f.category + "'");
      if (!seen.insert(f.category).second)
        return Refuse(E::kInvalidArgument, "category '" + f.category + "' is given twice");
      if (f.note.size() > kMaxTextBytes) return Refuse(E::kInvalidArgument, TooLong("a note"));
    }
    return std::nullopt;
  }

  void Emit(CommandResult& out, EventBody body) {
    out.effects.events.push_back({actor_, now_, std::move(body)});
  }

  const ScoringConfig& config_;
  Ledger& ledger_;
  const Micros now_;
  const std::string& actor_;
};

}  // namespace

bool IsQuery(const Command& c) {
  return std::holds_alternative<LeaderboardQuery>(c.body) ||
         std::holds_alternative<ExplainQuery>(c.body) ||
         std::holds_alternative<EntryQuery>(c.body) || std::holds_alternative<AwardsQuery>(c.body);
}

std::string_view CommandErrorName(CommandError e) {
  switch (e) {
    case CommandError::kNone:
      return "none";
    case CommandError::kInvalidArgument:
      return "invalid_argument";
    case CommandError::kUnknownPost:
      return "unknown_post";
    case CommandError::kUnknownCategory:
      return "unknown_category";
    case CommandError::kUnknownEntry:
      return "unknown_entry";
    case CommandError::kAlreadyVoided:
      return "already_voided";
  }
  return "?";
}

CommandResult Scoring::OnCommand(const Command& command, Txn& state, Micros now) {
  Ledger ledger(state, calendar_);
  if (IsQuery(command)) {
    QueryRun run(calendar_, ledger, now);
    return std::visit(Overloaded{
                          [&](const LeaderboardQuery& q) { return run.Run(q); },
                          [&](const ExplainQuery& q) { return run.Run(q); },
                          [&](const EntryQuery& q) { return run.Run(q); },
                          [&](const AwardsQuery& q) { return run.Run(q); },
                          [](const auto&) { return CommandResult{}; },
                      },
                      command.body);
  }
  if (!Given(command.actor))
    return Refuse(CommandError::kInvalidArgument, "the supervisor acting (actor) is required");
  CommandRun run(config_, ledger, now, command.actor);
  return std::visit(Overloaded{
                        [&](const InspectCommand& c) { return run.Run(c); },
                        [&](const CommendCommand& c) { return run.Run(c); },
                        [&](const VoidCommand& c) { return run.Run(c); },
                        [](const auto&) { return CommandResult{}; },
                    },
                    command.body);
}

}  // namespace picket::scoring
