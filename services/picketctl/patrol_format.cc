#include "picketctl/patrol_format.h"

#include "picketctl/access_lists.h"
#include "picketctl/access_time.h"
#include "picketctl/text_columns.h"
#include "wire/enum_names.h"

namespace picket {
namespace {

using wire::PatrolRequest;
using Rows = std::vector<std::vector<std::string>>;

std::string Str(capnp::Text::Reader text) { return AccessText(text); }

// A time for CSV: RFC 3339, or empty when unset.
std::string CsvTime(Micros at) { return at == 0 ? "" : FormatAccessTime(at); }

uint32_t CountState(wire::RoundInfo::Reader r, const char* state) {
  uint32_t n = 0;
  for (auto c : r.getCheckpoints())
    if (c.getState() == state) ++n;
  return n;
}

// What the status does not say: "started late, ran late, extended 10m", or "".
std::string RoundNotes(wire::RoundInfo::Reader r) {
  std::string notes;
  auto add = [&](const std::string& note) { notes += (notes.empty() ? "" : ", ") + note; };
  if (r.getStartedLate()) add("started late");
  if (r.getLateReported()) add("ran late");
  if (r.getEndedEarly()) add("ended early");
  if (r.getExtension() > 0) add("extended " + FormatSpan(r.getExtension()));
  return notes;
}

// Who started it, else whom the schedule names (" (assigned)"), else "-".
std::string GuardCell(wire::RoundInfo::Reader r) {
  if (r.getGuard().size() > 0) return Str(r.getGuard());
  if (r.getAssigned().size() > 0) return Str(r.getAssigned()) + " (assigned)";
  return "-";
}

// "round 4 (perimeter at gate-1)" from the reply's round, or "round 4".
std::string RoundLabel(uint64_t id, wire::PatrolReply::Reader reply) {
  std::string label = "round " + std::to_string(id);
  for (auto r : reply.getRounds()) {
    if (r.getRound() == id)
      return label + " (" + Str(r.getRoute()) + " at " + Str(r.getPost()) + ")";
  }
  return label;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvField(cells[i]);
  return out + "\r\n";
}

std::vector<std::string> CompletionCells(wire::CompletionInfo::Reader c) {
  return {Str(c.getSubject()),
          std::to_string(c.getRounds()),
          std::to_string(c.getCompleted()),
          std::to_string(c.getNotStarted()),
          std::to_string(c.getLate()),
          std::to_string(c.getCheckpointsOnTime()),
          std::to_string(c.getCheckpointsLate()),
          std::to_string(c.getCheckpointsMissed()),
          std::to_string(c.getCheckpointsExcused())};
}

}  // namespace

std::string FormatSpan(Micros span) {
  int64_t s = std::max<Micros>(span, 0) / kMicrosPerSecond;
  if (s == 0) return "0s";
  std::string out;
  if (s >= 86400) out += std::to_string(s / 86400) + "d";
  if (s % 86400 >= 3600) out += std::to_string(s % 86400 / 3600) + "h";
  if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "m";
  if (s % 60 > 0) out += std::to_string(s % 60) + "s";
  return out;
}

std::string PatrolRate(uint32_t permille) {
  return std::to_string(permille / 10) + "." + std::to_string(permille % 10) + "%";
}

std::string PatrolProgress(wire::RoundInfo::Reader r) {
  auto all = r.getCheckpoints().size();
  return std::to_string(all - CountState(r, "pending")) + " of " + std::to_string(all);
}

std::string NextCheckpoint(wire::RoundInfo::Reader r) {
  for (auto c : r.getCheckpoints())
    if (c.getState() == "pending") return Str(c.getTag());
  return "-";
}

std::string FormatPatrolResult(PatrolRequest::Reader request, wire::PatrolReply::Reader reply) {
  switch (request.which()) {
    case PatrolRequest::EXTEND_DEADLINE: {
      auto e = request.getExtendDeadline();
      std::string line =
          RoundLabel(e.getRound(), reply) + ": deadlines extended by " + FormatSpan(e.getBy());
      for (auto r : reply.getRounds()) {
        if (r.getRound() == e.getRound() && r.getExtension() != e.getBy())
          line += " (" + FormatSpan(r.getExtension()) + " in all)";
      }
      return line + ": " + Str(e.getReason());
    }
    case PatrolRequest::EXCUSE_CHECKPOINT: {
      auto e = request.getExcuseCheckpoint();
      return RoundLabel(e.getRound(), reply) + ": checkpoint " + Str(e.getCheckpoint()) +
             " excused: " + Str(e.getReason());
    }
    case PatrolRequest::CANCEL_ROUND: {
      auto c = request.getCancelRound();
      return RoundLabel(c.getRound(), reply) + " cancelled: " + Str(c.getReason());
    }
    default:
      return "done";
  }
}

std::string FormatPatrolRefusal(wire::PatrolReply::Reader reply) {
  std::string name =
      wire::SchemaEnumerantName<wire::PatrolError>(static_cast<uint16_t>(reply.getError()));
  std::string message = Str(reply.getMessage());
  return name + ": " + (message.empty() ? "(no message)" : message) + "\n";
}

std::string FormatRounds(capnp::List<wire::RoundInfo>::Reader rounds) {
  if (rounds.size() == 0) return "no rounds in that period\n";
  Rows rows = {{"ROUND", "ROUTE", "POST", "DUE", "STARTED", "STATUS", "GUARD", "ON TIME", "LATE",
                "MISSED", "EXCUSED", "NOTE"}};
  for (auto r : rounds) {
    rows.push_back({std::to_string(r.getRound()), DashIfEmpty(Str(r.getRoute())),
                    DashIfEmpty(Str(r.getPost())), FormatAccessTime(r.getDue()),
                    FormatAccessTime(r.getStartedAt()), DashIfEmpty(Str(r.getStatus())),
                    GuardCell(r), std::to_string(CountState(r, "on_time")),
                    std::to_string(CountState(r, "late")), std::to_string(CountState(r, "missed")),
                    std::to_string(CountState(r, "excused")), DashIfEmpty(RoundNotes(r))});
  }
  return Columns(rows);
}

std::string FormatRoundsCsv(capnp::List<wire::RoundInfo>::Reader rounds) {
  std::string out =
      CsvLine({"round", "route", "post", "schedule", "due", "started", "ended", "status", "guard",
               "assigned", "on_time", "late", "missed", "excused", "pending", "notes"});
  for (auto r : rounds) {
    out += CsvLine({std::to_string(r.getRound()), Str(r.getRoute()), Str(r.getPost()),
                    Str(r.getSchedule()), CsvTime(r.getDue()), CsvTime(r.getStartedAt()),
                    CsvTime(r.getEndedAt()), Str(r.getStatus()), Str(r.getGuard()),
                    Str(r.getAssigned()), std::to_string(CountState(r, "on_time")),
                    std::to_string(CountState(r, "late")), std::to_string(CountState(r, "missed")),
                    std::to_string(CountState(r, "excused")),
                    std::to_string(CountState(r, "pending")), RoundNotes(r)});
  }
  return out;
}

std::string FormatRound(wire::RoundInfo::Reader r) {
  std::string out = "round " + std::to_string(r.getRound()) + ": " + Str(r.getRoute()) + " at " +
                    Str(r.getPost()) + ", " + Str(r.getStatus()) + "\n";
  std::string schedule = r.getSchedule().size() > 0 ? Str(r.getSchedule()) : "- (unscheduled)";
  if (r.getAssigned().size() > 0) schedule += ", assigned to " + Str(r.getAssigned());
  std::string extension = r.getExtension() > 0 ? FormatSpan(r.getExtension()) : "-";
  Rows facts = {{"  guard", DashIfEmpty(Str(r.getGuard()))},
                {"  schedule", schedule},
                {"  due", FormatAccessTime(r.getDue())},
                {"  started", FormatAccessTime(r.getStartedAt())},
                {"  ended", FormatAccessTime(r.getEndedAt())},
                {"  extension", extension},
                {"  notes", DashIfEmpty(RoundNotes(r))}};
  out += Columns(facts);
  if (r.getCheckpoints().size() == 0) return out + "checkpoints: none\n";
  out += "checkpoints:\n";
  Rows rows = {{"  #", "CHECKPOINT", "STATE", "SCANNED", "DEADLINE", "WITHDRAWN"}};
  unsigned position = 0;
  for (auto c : r.getCheckpoints()) {
    rows.push_back({"  " + std::to_string(++position), Str(c.getTag()),
                    DashIfEmpty(Str(c.getState())), FormatAccessTime(c.getScannedAt()),
                    FormatAccessTime(c.getDeadline()), c.getWithdrawn() ? "yes" : "no"});
  }
  return out + Columns(rows);
}

std::string FormatCurrentRounds(capnp::List<wire::RoundInfo>::Reader rounds,
                                const std::string& post) {
  if (rounds.size() == 0)
    return "no rounds in progress" + (post.empty() ? "" : " at " + post) + "\n";
  Rows rows = {{"ROUND", "ROUTE", "POST", "GUARD", "STARTED", "PROGRESS", "NEXT", "NOTE"}};
  for (auto r : rounds) {
    std::string notes = RoundNotes(r);
    if (uint32_t missed = CountState(r, "missed"); missed > 0)
      notes = std::to_string(missed) + " missed" + (notes.empty() ? "" : ", " + notes);
    rows.push_back({std::to_string(r.getRound()), DashIfEmpty(Str(r.getRoute())),
                    DashIfEmpty(Str(r.getPost())), GuardCell(r), FormatAccessTime(r.getStartedAt()),
                    PatrolProgress(r), NextCheckpoint(r), DashIfEmpty(notes)});
  }
  return Columns(rows);
}

std::string FormatCompletion(wire::CompletionQuery::Reader asked,
                             capnp::List<wire::CompletionInfo>::Reader completion) {
  const bool by_post = asked.getByPost();
  std::string out = "completion by " + std::string(by_post ? "post" : "guard") + ", " +
                    FormatAccessTime(asked.getFrom()) + " .. " + FormatAccessTime(asked.getTo()) +
                    "\n";
  if (completion.size() == 0) return out + "no rounds in that period\n";
  Rows rows = {{by_post ? "POST" : "GUARD", "ROUNDS", "COMPLETED", "NOT STARTED", "LATE",
                "CP ON TIME", "CP LATE", "CP MISSED", "CP EXCUSED", "RATE"}};
  for (auto c : completion) {
    auto cells = CompletionCells(c);
    cells.push_back(PatrolRate(c.getPermille()));
    rows.push_back(std::move(cells));
  }
  return out + Columns(rows);
}

std::string FormatCompletionCsv(wire::CompletionQuery::Reader asked,
                                capnp::List<wire::CompletionInfo>::Reader completion) {
  std::string out = CsvLine({asked.getByPost() ? "post" : "guard", "rounds", "completed",
                             "not_started", "late", "checkpoints_on_time", "checkpoints_late",
                             "checkpoints_missed", "checkpoints_excused", "rate_percent"});
  for (auto c : completion) {
    auto cells = CompletionCells(c);
    std::string rate = PatrolRate(c.getPermille());
    cells.push_back(rate.substr(0, rate.size() - 1));  // without the '%'
    out += CsvLine(cells);
  }
  return out;
}

std::string FormatPatrolQuery(PatrolRequest::Reader request, wire::PatrolReply::Reader reply,
                              bool csv) {
  switch (request.which()) {
    case PatrolRequest::LIST_ROUNDS:
      return csv ? FormatRoundsCsv(reply.getRounds()) : FormatRounds(reply.getRounds());
    case PatrolRequest::GET_ROUND:
      return reply.getRounds().size() > 0 ? FormatRound(reply.getRounds()[0]) : "no such round\n";
    case PatrolRequest::CURRENT_ROUNDS:
      return FormatCurrentRounds(reply.getRounds(), Str(request.getCurrentRounds()));
    case PatrolRequest::GET_COMPLETION:
      return csv ? FormatCompletionCsv(request.getGetCompletion(), reply.getCompletion())
                 : FormatCompletion(request.getGetCompletion(), reply.getCompletion());
    default:
      return FormatPatrolResult(request, reply) + "\n";
  }
}

}  // namespace picket
