#include "picketctl/score_request.h"

#include <capnp/message.h>

#include <charconv>

#include "picket/schemas/scoring.capnp.h"
#include "picketctl/access_time.h"
#include "picketctl/incident_request.h"
#include "picketctl/service_call.h"
#include "wire/codec.h"

namespace picket {
namespace {

using wire::ScoringRequest;

// One finding as typed: "CATEGORY" or "CATEGORY:note".
struct FindingText {
  std::string category, note;
};

FindingText SplitFinding(const std::string& value) {
  size_t colon = value.find(':');
  if (colon == std::string::npos) return {value, ""};
  return {value.substr(0, colon), value.substr(colon + 1)};
}

// Checks and converts the arguments; the first problem is the one reported (`error` set).
class Builder {
 public:
  Builder(const ScoreArgs& args, Micros now, std::string* error)
      : args_(args), now_(now), error_(error) {}

  void Fill(ScoringRequest::Builder req);
  bool ok() const { return error_->empty(); }

 private:
  void Fail(const std::string& why) {
    if (ok()) *error_ = why;
  }
  void Text(const std::string& value, const char* what) {
    if (value.empty()) Fail(std::string(what) + " must not be empty");
  }
  uint64_t Entry() {
    auto entry = ParseIncidentId(args_.entry);  // decimal, optionally "#42", from 1
    if (!entry) Fail("'" + args_.entry + "' is not an entry (a number from 1)");
    return entry.value_or(0);
  }
  wire::PeriodKind Period(wire::PeriodKind fallback);
  wire::SubjectKind Subjects();
  uint32_t Limit();
  Micros At();
  void Findings(wire::InspectRequest::Builder inspect);
  void Explain(wire::ExplainQuery::Builder explain);

  const ScoreArgs& args_;
  Micros now_;
  std::string* error_;
};

wire::PeriodKind Builder::Period(wire::PeriodKind fallback) {
  const std::string& p = args_.period;
  if (p.empty()) return fallback;
  if (p == "shift") return wire::PeriodKind::SHIFT;
  if (p == "day") return wire::PeriodKind::DAY;
  if (p == "week") return wire::PeriodKind::WEEK;
  if (p == "month") return wire::PeriodKind::MONTH;
  Fail("--period: '" + p + "' is not shift, day, week or month");
  return fallback;
}

wire::SubjectKind Builder::Subjects() {
  const std::string& by = args_.by;
  if (by == "guard") return wire::SubjectKind::GUARD;
  if (by == "post") return wire::SubjectKind::POST;
  if (by == "squad") return wire::SubjectKind::SQUAD;
  Fail("--by: '" + by + "' is not guard, post or squad");
  return wire::SubjectKind::GUARD;
}

uint32_t Builder::Limit() {
  const std::string& text = args_.limit;
  if (text.empty()) return 0;
  uint32_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > kMaxScoreLimit) {
    Fail("--limit: '" + text + "' is not a number from 1 to " + std::to_string(kMaxScoreLimit));
    return 0;
  }
  return n;
}

Micros Builder::At() {
  if (args_.at.empty()) return 0;  // the service's now
  std::string why;
  auto at = ParseAccessTime(args_.at, now_, &why);
  if (!at) Fail("--at: " + why);
  return at.value_or(0);
}

void Builder::Findings(wire::InspectRequest::Builder inspect) {
  std::vector<std::pair<FindingText, bool>> findings;
  auto take = [&](const std::vector<std::string>& values, const char* flag, bool passed) {
    for (const auto& value : values) {
      FindingText f = SplitFinding(value);
      if (f.category.empty())
        Fail(std::string(flag) + ": '" + value + "' has no category (give CATEGORY[:note])");
      findings.emplace_back(std::move(f), passed);
    }
  };
  take(args_.passes, "--pass", true);
  take(args_.faults, "--fault", false);
  if (findings.empty())
    Fail("give at least one finding: --pass CATEGORY or --fault CATEGORY[:note]");
  auto list = inspect.initFindings(static_cast<unsigned>(findings.size()));
  for (unsigned i = 0; i < findings.size(); ++i) {
    list[i].setCategory(findings[i].first.category);
    list[i].setNote(findings[i].first.note);
    list[i].setPassed(findings[i].second);
  }
}

void Builder::Explain(wire::ExplainQuery::Builder explain) {
  const ScoreArgs& a = args_;
  int given = !a.guard.empty() + !a.post.empty() + !a.squad.empty();
  if (given == 0) Fail("whose entries? give one of --guard G, --post P or --squad S");
  if (given > 1) Fail("give only one of --guard, --post and --squad");
  if (!a.guard.empty()) {
    explain.setSubjectKind(wire::SubjectKind::GUARD);
    explain.setSubject(a.guard);
  } else if (!a.post.empty()) {
    explain.setSubjectKind(wire::SubjectKind::POST);
    explain.setSubject(a.post);
  } else {
    explain.setSubjectKind(wire::SubjectKind::SQUAD);
    explain.setSubject(a.squad);
  }
  explain.setPeriod(Period(wire::PeriodKind::DAY));
  explain.setAt(At());
}

void Builder::Fill(ScoringRequest::Builder req) {
  const ScoreArgs& a = args_;
  switch (a.verb) {
    case ScoreVerb::kInspect: {
      auto i = req.initInspect();
      Text(a.post, "POST");
      i.setPost(a.post);
      i.setGuard(a.guard);
      Findings(i);
      break;
    }
    case ScoreVerb::kCommend: {
      auto c = req.initCommend();
      if (a.guard.empty() && a.post.empty()) Fail("whom? give --guard G, --post P or both");
      Text(a.reason, "--reason");
      c.setGuard(a.guard);
      c.setPost(a.post);
      c.setReason(a.reason);
      break;
    }
    case ScoreVerb::kVoid: {
      auto v = req.initVoidEntry();
      v.setEntry(Entry());
      Text(a.reason, "--reason");
      v.setReason(a.reason);
      break;
    }
    case ScoreVerb::kLeaderboard: {
      auto q = req.initLeaderboard();
      q.setPeriod(Period(wire::PeriodKind::DAY));
      q.setAt(At());
      q.setSubjects(Subjects());
      q.setLimit(Limit());
      break;
    }
    case ScoreVerb::kExplain:
      Explain(req.initExplain());
      break;
    case ScoreVerb::kEntry:
      req.setGetEntry(Entry());
      break;
    case ScoreVerb::kAwards: {
      auto q = req.initAwards();
      q.setPeriod(Period(wire::PeriodKind::WEEK));
      q.setLimit(Limit());
      break;
    }
  }
}

}  // namespace

std::string_view ScoreVerbName(ScoreVerb verb) {
  switch (verb) {
    case ScoreVerb::kInspect:
      return "inspect";
    case ScoreVerb::kCommend:
      return "commend";
    case ScoreVerb::kVoid:
      return "void";
    case ScoreVerb::kLeaderboard:
      return "leaderboard";
    case ScoreVerb::kExplain:
      return "explain";
    case ScoreVerb::kEntry:
      return "entry";
    case ScoreVerb::kAwards:
      return "awards";
  }
  return "?";
}

bool IsScoreQuery(ScoreVerb verb) { return verb >= ScoreVerb::kLeaderboard; }

std::optional<std::string> BuildScoreRequest(const ScoreArgs& args, std::string_view command_id,
                                             Micros now, std::string* error) {
  return BuildServiceRequest<ScoringRequest>(
      args.actor, IsScoreQuery(args.verb), command_id,
      [&](ScoringRequest::Builder req) {
        Builder builder(args, now, error);
        builder.Fill(req);
        return builder.ok();
      },
      error);
}

}  // namespace picket
