#include "picketctl/patrol_request.h"

#include <capnp/message.h>

#include "picket/schemas/patrol.capnp.h"
#include "picketctl/access_time.h"
#include "picketctl/incident_request.h"
#include "picketctl/service_call.h"
#include "runtime/config.h"
#include "wire/codec.h"

namespace picket {
namespace {

using wire::PatrolRequest;

// Checks and converts the arguments; the first problem is the one reported (`error` set).
class Builder {
 public:
  Builder(const PatrolArgs& args, Micros now, std::string* error)
      : args_(args), now_(now), error_(error) {}

  void Text(const std::string& value, const char* what) {
    if (ok() && value.empty()) *error_ = std::string(what) + " must not be empty";
  }
  uint64_t Round() {
    auto round = ParseIncidentId(args_.round);  // decimal, optionally "#12", from 1
    if (!round && ok()) *error_ = "'" + args_.round + "' is not a round (a number from 1)";
    return round.value_or(0);
  }
  Micros Duration(const std::string& value, const char* flag) {
    auto d = ParseDurationMicros(value);
    if (!d && ok()) *error_ = std::string(flag) + ": '" + value + "' is not a duration like 10m";
    return d.value_or(0);
  }
  // [from, to): each given one parsed, --to defaulting to now and --from to 24 h before --to.
  std::pair<Micros, Micros> Window() {
    Micros to = args_.to.empty() ? now_ : Time(args_.to, "--to");
    Micros from = args_.from.empty() ? to - kDefaultPatrolWindow : Time(args_.from, "--from");
    return {from, to};
  }
  bool ByPost() {
    if (args_.group == "post") return true;
    if (args_.group != "guard" && ok())
      *error_ = "--by: '" + args_.group + "' is not guard or post";
    return false;
  }
  void Fill(PatrolRequest::Builder req);
  bool ok() const { return error_->empty(); }

 private:
  Micros Time(const std::string& value, const char* flag) {
    std::string why;
    auto at = ParseAccessTime(value, now_, &why);
    if (!at && ok()) *error_ = std::string(flag) + ": " + why;
    return at.value_or(0);
  }

  const PatrolArgs& args_;
  Micros now_;
  std::string* error_;
};

void Builder::Fill(PatrolRequest::Builder req) {
  const PatrolArgs& a = args_;
  switch (a.verb) {
    case PatrolVerb::kExtend: {
      auto e = req.initExtendDeadline();
      e.setRound(Round());
      e.setBy(Duration(a.by, "--by"));
      Text(a.reason, "--reason");
      e.setReason(a.reason);
      break;
    }
    case PatrolVerb::kExcuse: {
      auto e = req.initExcuseCheckpoint();
      e.setRound(Round());
      Text(a.checkpoint, "CHECKPOINT");
      Text(a.reason, "--reason");
      e.setCheckpoint(a.checkpoint);
      e.setReason(a.reason);
      break;
    }
    case PatrolVerb::kCancel: {
      auto c = req.initCancelRound();
      c.setRound(Round());
      Text(a.reason, "--reason");
      c.setReason(a.reason);
      break;
    }
    case PatrolVerb::kRounds: {
      auto q = req.initListRounds();
      auto [from, to] = Window();
      q.setFrom(from);
      q.setTo(to);
      q.setPost(a.post);
      q.setGuard(a.guard);
      q.setRoute(a.route);
      break;
    }
    case PatrolVerb::kRound:
      req.setGetRound(Round());
      break;
    case PatrolVerb::kCurrent:
      req.setCurrentRounds(a.post);
      break;
    case PatrolVerb::kCompletion: {
      auto q = req.initGetCompletion();
      auto [from, to] = Window();
      q.setFrom(from);
      q.setTo(to);
      q.setByPost(ByPost());
      break;
    }
  }
}

}  // namespace

std::string_view PatrolVerbName(PatrolVerb verb) {
  switch (verb) {
    case PatrolVerb::kExtend:
      return "extend";
    case PatrolVerb::kExcuse:
      return "excuse";
    case PatrolVerb::kCancel:
      return "cancel";
    case PatrolVerb::kRounds:
      return "rounds";
    case PatrolVerb::kRound:
      return "round";
    case PatrolVerb::kCurrent:
      return "current";
    case PatrolVerb::kCompletion:
      return "completion";
  }
  return "?";
}

bool IsPatrolQuery(PatrolVerb verb) { return verb >= PatrolVerb::kRounds; }

std::optional<std::string> BuildPatrolRequest(const PatrolArgs& args, std::string_view command_id,
                                              Micros now, std::string* error) {
  return BuildServiceRequest<PatrolRequest>(
      args.actor, IsPatrolQuery(args.verb), command_id,
      [&](PatrolRequest::Builder req) {
        Builder builder(args, now, error);
        builder.Fill(req);
        return builder.ok();
      },
      error);
}

}  // namespace picket
