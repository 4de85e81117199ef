#include "picketctl/access_request.h"

#include <capnp/message.h>

#include "picket/schemas/access.capnp.h"
#include "picketctl/access_time.h"
#include "picketctl/incident_request.h"
#include "picketctl/service_call.h"
#include "wire/codec.h"

namespace picket {
namespace {

using wire::AccessRequest;

// Checks and converts the arguments; the first problem ends it (`error` set).
class Builder {
 public:
  Builder(const AccessArgs& args, Micros now, std::string* error)
      : args_(args), now_(now), error_(error) {}

  bool Text(const std::string& value, const char* what) {
    if (!ok()) return false;
    if (value.empty()) *error_ = std::string(what) + " must not be empty";
    return ok();
  }
  Micros Time(const std::string& value, const char* flag) {
    if (!ok()) return 0;
    std::string why;
    auto at = ParseAccessTime(value, now_, &why);
    if (!at) *error_ = std::string(flag) + ": " + why;
    return at.value_or(0);
  }
  wire::PassKind Kind(const std::string& value) {
    if (value == "staff") return wire::PassKind::STAFF;
    if (value == "contractor") return wire::PassKind::CONTRACTOR;
    if (!ok()) return wire::PassKind::UNKNOWN;
    *error_ = "--kind: '" + value + "' is not staff or contractor" +
              (value == "visitor" ? " (visitors come by preregister or walk-up)" : "");
    return wire::PassKind::UNKNOWN;
  }
  wire::WatchAction Action(const std::string& value) {
    if (value == "deny") return wire::WatchAction::DENY;
    if (value == "supervisor") return wire::WatchAction::SUPERVISOR;
    if (value == "notify") return wire::WatchAction::NOTIFY;
    if (ok()) *error_ = "--action: '" + value + "' is not deny, supervisor or notify";
    return wire::WatchAction::UNKNOWN;
  }
  uint64_t Entry(const std::string& value) {
    auto entry = ParseIncidentId(value);  // decimal, optionally "#12", from 1
    if (!entry && ok()) *error_ = "'" + value + "' is not a watchlist entry (a number from 1)";
    return entry.value_or(0);
  }
  void Person(wire::PersonInput::Builder p, bool visitor) {
    Text(args_.id, "ID");
    Text(args_.name, "--name");
    if (visitor) Text(args_.host, "--host");
    p.setPerson(args_.id);
    p.setName(args_.name);
    auto aliases = p.initAliases(static_cast<unsigned>(args_.aliases.size()));
    for (size_t i = 0; i < args_.aliases.size(); ++i)
      aliases.set(static_cast<unsigned>(i), args_.aliases[i]);
    p.setCompany(args_.company);
    p.setHost(args_.host);
  }
  void Fill(AccessRequest::Builder req);
  bool ok() const { return error_->empty(); }

 private:
  const AccessArgs& args_;
  Micros now_;
  std::string* error_;
};

void Builder::Fill(AccessRequest::Builder req) {
  const AccessArgs& a = args_;
  switch (a.verb) {
    case AccessVerb::kRegisterPerson: {
      auto p = req.initRegisterPerson();
      Person(p, false);
      p.setKind(Kind(a.kind));
      break;
    }
    case AccessVerb::kPreRegister: {
      auto p = req.initPreRegisterVisitor();
      Person(p, true);
      p.setExpectedAt(Time(a.expected, "--expected"));
      break;
    }
    case AccessVerb::kWalkUp: {
      auto p = req.initRegisterWalkUp();
      Person(p, true);
      p.setApprovedBy(a.approved_by);
      p.setGate(a.gate);
      p.setPost(a.post);
      break;
    }
    case AccessVerb::kRegisterVehicle: {
      auto v = req.initRegisterVehicle();
      Text(a.id, "PLATE");
      Text(a.name, "--description");
      v.setPlate(a.id);
      v.setDescription(a.name);
      v.setKind(a.kind == "visitor" ? wire::PassKind::VISITOR : Kind(a.kind));
      v.setCompany(a.company);
      v.setHost(a.host);
      v.setDriver(a.driver);
      break;
    }
    case AccessVerb::kIssuePass: {
      auto p = req.initIssuePass();
      Text(a.id, "CODE");
      Text(a.person, "--person");
      p.setCode(a.id);
      p.setPerson(a.person);
      p.setValidFrom(Time(a.from, "--from"));
      p.setValidUntil(Time(a.until, "--until"));
      auto gates = p.initGates(static_cast<unsigned>(a.gates.size()));
      for (size_t i = 0; i < a.gates.size(); ++i) gates.set(static_cast<unsigned>(i), a.gates[i]);
      p.setHours(a.hours);
      break;
    }
    case AccessVerb::kRevoke: {
      Text(a.id, "CODE");
      Text(a.reason, "--reason");
      auto r = req.initRevokePass();
      r.setCode(a.id);
      r.setReason(a.reason);
      break;
    }
    case AccessVerb::kExtend: {
      Text(a.id, "CODE");
      auto e = req.initExtendPass();
      e.setCode(a.id);
      e.setValidUntil(Time(a.until, "--until"));
      break;
    }
    case AccessVerb::kCheckOut: {
      Text(a.id, "PERSON");
      auto c = req.initCheckOut();
      c.setPerson(a.id);
      c.setGate(a.gate);
      break;
    }
    case AccessVerb::kWatchAdd: {
      if (a.name.empty() && a.person.empty() && ok())
        *error_ = "give --name NAME or --person ID (or both): whom the entry is about";
      Text(a.reason, "--reason");
      auto w = req.initAddWatchlistEntry();
      w.setName(a.name);
      w.setPerson(a.person);
      w.setReason(a.reason);
      w.setAction(Action(a.action));
      break;
    }
    case AccessVerb::kWatchRemove: {
      auto r = req.initRemoveWatchlistEntry();
      r.setEntry(Entry(a.id));
      Text(a.reason, "--reason");
      r.setReason(a.reason);
      break;
    }
    case AccessVerb::kApprove:
    case AccessVerb::kDeny: {
      Text(a.id, "ID");
      Text(a.by, "--by");
      if (a.verb == AccessVerb::kDeny) Text(a.reason, "--reason");
      auto d = a.verb == AccessVerb::kApprove ? req.initApproveWalkUp() : req.initDenyWalkUp();
      d.setPerson(a.id);
      d.setBy(a.by);
      d.setReason(a.reason);
      break;
    }
    case AccessVerb::kPending:
      req.setListPendingWalkUps();
      break;
    case AccessVerb::kPass:
      Text(a.id, "CODE");
      req.setGetPass(a.id);
      break;
    case AccessVerb::kPerson:
      Text(a.id, "ID");
      req.setGetPerson(a.id);
      break;
    case AccessVerb::kVisits: {
      auto r = req.initListVisits();
      r.setFrom(Time(a.from, "--from"));
      r.setTo(Time(a.to, "--to"));
      break;
    }
    case AccessVerb::kOnSite:
      req.setListOnSite();
      break;
    case AccessVerb::kCompliance: {
      auto c = req.initGetCompliance();
      c.setPost(a.post);
      c.setFrom(Time(a.from, "--from"));
      c.setTo(Time(a.to, "--to"));
      break;
    }
    case AccessVerb::kWatchlist:
      req.setListWatchlist();
      break;
  }
}

}  // namespace

std::string_view AccessVerbName(AccessVerb verb) {
  switch (verb) {
    case AccessVerb::kRegisterPerson:
      return "register-person";
    case AccessVerb::kPreRegister:
      return "preregister";
    case AccessVerb::kWalkUp:
      return "walk-up";
    case AccessVerb::kRegisterVehicle:
      return "register-vehicle";
    case AccessVerb::kIssuePass:
      return "issue-pass";
    case AccessVerb::kRevoke:
      return "revoke";
    case AccessVerb::kExtend:
      return "extend";
    case AccessVerb::kCheckOut:
      return "check-out";
    case AccessVerb::kWatchAdd:
      return "watch-add";
    case AccessVerb::kWatchRemove:
      return "watch-remove";
    case AccessVerb::kApprove:
      return "approve";
    case AccessVerb::kDeny:
      return "deny";
    case AccessVerb::kPending:
      return "pending";
    case AccessVerb::kPass:
      return "pass";
    case AccessVerb::kPerson:
      return "person";
    case AccessVerb::kVisits:
      return "visits";
    case AccessVerb::kOnSite:
      return "on-site";
    case AccessVerb::kCompliance:
      return "compliance";
    case AccessVerb::kWatchlist:
      return "watchlist";
  }
  return "?";
}

bool IsAccessQuery(AccessVerb verb) { return verb >= AccessVerb::kPass; }

std::optional<std::string> BuildAccessRequest(const AccessArgs& args, std::string_view command_id,
                                              Micros now, std::string* error) {
  return BuildServiceRequest<AccessRequest>(
      args.actor, IsAccessQuery(args.verb), command_id,
      [&](AccessRequest::Builder req) {
        Builder builder(args, now, error);
        builder.Fill(req);
        return builder.ok();
      },
      error);
}

}  // namespace picket
