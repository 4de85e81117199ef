#include "access/wire_convert.h"

#include <capnp/message.h>

#include "base/overloaded.h"
#include "wire/codec.h"

namespace picket::access {
namespace {

std::string Text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

std::vector<std::string> Texts(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (auto t : list) out.push_back(Text(t));
  return out;
}

void SetList(capnp::List<capnp::Text>::Builder list, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) list.set(static_cast<unsigned>(i), values[i]);
}

template <typename W, typename C>
constexpr bool Same(W wire_value, C core_value) {
  return static_cast<uint16_t>(wire_value) == static_cast<uint16_t>(core_value);
}
using E = wire::AccessError;
static_assert(Same(wire::PassKind::VISITOR, PassKind::kVisitor) &&
              Same(wire::PassKind::CONTRACTOR, PassKind::kContractor) &&
              Same(wire::PassKind::STAFF, PassKind::kStaff));
static_assert(Same(wire::WatchAction::DENY, WatchAction::kDeny) &&
              Same(wire::WatchAction::SUPERVISOR, WatchAction::kAdmitWithSupervisor) &&
              Same(wire::WatchAction::NOTIFY, WatchAction::kAdmitAndNotify));
static_assert(Same(E::NONE, CommandError::kNone) &&
              Same(E::INVALID_ARGUMENT, CommandError::kInvalidArgument) &&
              Same(E::UNKNOWN_PERSON, CommandError::kUnknownPerson) &&
              Same(E::UNKNOWN_PASS, CommandError::kUnknownPass) &&
              Same(E::ALREADY_EXISTS, CommandError::kAlreadyExists) &&
              Same(E::UNKNOWN_HOST, CommandError::kUnknownHost) &&
              Same(E::APPROVAL_REQUIRED, CommandError::kApprovalRequired) &&
              Same(E::NOT_AUTHORIZED, CommandError::kNotAuthorized) &&
              Same(E::UNKNOWN_GATE, CommandError::kUnknownGate) &&
              Same(E::ALREADY_REVOKED, CommandError::kAlreadyRevoked) &&
              Same(E::REVOKED, CommandError::kRevoked) &&
              Same(E::NOT_ON_SITE, CommandError::kNotOnSite) &&
              Same(E::UNKNOWN_ENTRY, CommandError::kUnknownEntry) &&
              Same(E::VALIDITY_TOO_LONG, CommandError::kValidityTooLong) &&
              Same(E::ALREADY_PENDING, CommandError::kAlreadyPending) &&
              Same(E::NOT_PENDING, CommandError::kNotPending));

wire::PassKind ToWire(PassKind k) { return static_cast<wire::PassKind>(static_cast<uint16_t>(k)); }
wire::WatchAction ToWire(WatchAction a) {
  return static_cast<wire::WatchAction>(static_cast<uint16_t>(a));
}
wire::Direction ToWire(Direction d) {
  return d == Direction::kOut ? wire::Direction::OUT : wire::Direction::IN;
}

std::optional<PassKind> FromWire(wire::PassKind k) {
  switch (k) {
    case wire::PassKind::VISITOR:
      return PassKind::kVisitor;
    case wire::PassKind::CONTRACTOR:
      return PassKind::kContractor;
    case wire::PassKind::STAFF:
      return PassKind::kStaff;
    default:
      return std::nullopt;
  }
}
std::optional<WatchAction> FromWire(wire::WatchAction a) {
  switch (a) {
    case wire::WatchAction::DENY:
      return WatchAction::kDeny;
    case wire::WatchAction::SUPERVISOR:
      return WatchAction::kAdmitWithSupervisor;
    case wire::WatchAction::NOTIFY:
      return WatchAction::kAdmitAndNotify;
    default:
      return std::nullopt;
  }
}

// The fact's time, or nullopt (and *why) for one outside TimeInRange.
std::optional<Micros> FactTime(wire::Event::Reader event, std::string* why) {
  Micros at = event.getObservedAt() != 0 ? event.getObservedAt() : event.getRecordedAt();
  if (TimeInRange(at)) return at;
  *why = "observedAt " + std::to_string(at) + " is not a time after 1970 and before 10000";
  return std::nullopt;
}

void FillPass(wire::PassInfo::Builder w, const Pass& p) {
  w.setCode(p.code);
  w.setPerson(p.person);
  w.setKind(ToWire(p.kind));
  w.setValidFrom(p.valid_from);
  w.setValidUntil(p.valid_until);
  SetList(w.initGates(static_cast<unsigned>(p.gates.size())), p.gates);
  if (p.hours) w.setHours(p.hours->Format());
  w.setHost(p.host);
  w.setIssuedBy(p.issued_by);
  w.setIssuedAt(p.issued_at);
  w.setRevoked(p.revoked);
  w.setRevokedBy(p.revoked_by);
  w.setRevokedReason(p.revoked_reason);
  w.setRevokedAt(p.revoked_at);
  w.setExtensions(p.extensions);
}

void FillVisit(wire::VisitInfo::Builder w, const Visit& v) {
  w.setVisit(v.id);
  w.setPerson(v.person);
  w.setPassCode(v.pass_code);
  w.setKind(ToWire(v.kind));
  w.setGate(v.gate);
  w.setPost(v.post);
  w.setGuardIn(v.guard_in);
  w.setArrivedAt(v.arrived_at);
  w.setCheckedInAt(v.checked_in_at);
  w.setWaited(v.waited);
  w.setManual(v.manual);
  w.setPreregistered(v.preregistered);
  w.setNote(v.note);
  w.setCheckedOutAt(v.checked_out_at);
  w.setCheckedOutBy(v.checked_out_by);
  w.setExitGate(v.exit_gate);
}

void FillPerson(wire::PersonInfo::Builder w, const PersonDetail& d) {
  const Person& p = d.person;
  w.setPerson(p.id);
  w.setName(p.name);
  SetList(w.initAliases(static_cast<unsigned>(p.aliases.size())), p.aliases);
  w.setKind(ToWire(p.kind));
  w.setCompany(p.company);
  w.setHost(p.host);
  w.setRegisteredBy(p.registered_by);
  w.setRegisteredAt(p.registered_at);
  w.setExpectedAt(p.expected_at);
  w.setWalkUp(p.walk_up);
  w.setApprovedBy(p.approved_by);
  w.setVehicle(p.vehicle);
  w.setPlate(p.plate);
  w.setDriver(p.driver);
  auto passes = w.initPasses(static_cast<unsigned>(d.passes.size()));
  for (size_t i = 0; i < d.passes.size(); ++i)
    FillPass(passes[static_cast<unsigned>(i)], d.passes[i]);
  if (d.on_site) FillVisit(w.initOnSite(), *d.on_site);
}

void FillCompliance(wire::ComplianceInfo::Builder w, const Compliance& c) {
  w.setEntries(c.entries);
  w.setWithPass(c.with_pass);
  w.setUnregistered(c.unregistered);
  w.setVisitors(c.visitors);
  w.setPreregistered(c.preregistered);
  w.setAnnounced(c.announced);
  w.setTotalWait(c.total_wait);
  w.setMaxWait(c.max_wait);
  w.setRegisteredPermille(c.registered_permille());
  w.setMeanWait(c.mean_wait());
}

}  // namespace

std::string ResolveGate(const AccessConfig& config, std::string_view post, std::string_view gate) {
  if (!gate.empty()) return std::string(gate);
  if (config.FindGate(post)) return std::string(post);
  const GateConfig* only = nullptr;
  for (const auto& g : config.gates) {
    if (config.PostOf(g.id) != post) continue;
    if (only) return std::string(post);  // two gates: the terminal must say which
    only = &g;
  }
  return only ? only->id : std::string(post);
}

std::optional<PassScanned> ToPassScanned(const AccessConfig& config, wire::Event::Reader event,
                                         wire::PassScanned::Reader body, std::string* why) {
  PassScanned s;
  auto at = FactTime(event, why);
  if (!at) return std::nullopt;
  switch (body.getDirection()) {
    case wire::Direction::IN:
      s.direction = Direction::kIn;
      break;
    case wire::Direction::OUT:
      s.direction = Direction::kOut;
      break;
    default:
      *why = "direction " + std::to_string(static_cast<uint16_t>(body.getDirection())) +
             " is neither in nor out";
      return std::nullopt;
  }
  s.code = Text(body.getPassCode());
  s.gate = ResolveGate(config, Text(body.getPost()), Text(body.getGate()));
  s.guard = Text(event.getActor());
  s.supervisor = Text(body.getSupervisor());
  s.at = *at;
  return s;
}

std::optional<ManualEntry> ToManualEntry(const AccessConfig& config, wire::Event::Reader event,
                                         wire::ManualEntry::Reader body, std::string* why) {
  auto at = FactTime(event, why);
  if (!at) return std::nullopt;
  return ManualEntry{ResolveGate(config, Text(body.getPost()), Text(body.getGate())),
                     Text(body.getPerson()), Text(body.getNote()), Text(event.getActor()), *at};
}

std::optional<VisitorArrival> ToVisitorArrival(const AccessConfig& config,
                                               wire::Event::Reader event,
                                               wire::VisitorArrival::Reader body,
                                               std::string* why) {
  auto at = FactTime(event, why);
  if (!at) return std::nullopt;
  return VisitorArrival{ResolveGate(config, Text(body.getPost()), Text(body.getGate())),
                        Text(body.getPerson()), Text(event.getActor()), *at};
}

void FillEvent(wire::Event::Builder event, const OutgoingEvent& out, uint64_t scan_seq) {
  event.setType(std::string(out.type()));
  event.setActor(out.actor);
  event.setObservedAt(out.at);
  auto body = event.getBody();
  std::visit(Overloaded{
                 [&](const AccessGranted& e) {
                   auto w = body.initAs<wire::AccessGranted>();
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setDirection(ToWire(e.direction));
                   w.setKind(ToWire(e.kind));
                   w.setSupervisor(e.supervisor);
                   w.setScanSeq(scan_seq);
                 },
                 [&](const AccessDenied& e) {
                   auto w = body.initAs<wire::AccessDenied>();
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setReason(std::string(DenyReasonName(e.reason)));
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setDirection(ToWire(e.direction));
                   w.setScanSeq(scan_seq);
                 },
                 [&](const WatchlistHit& e) {
                   auto w = body.initAs<wire::WatchlistHit>();
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setPerson(e.person);
                   w.setReason(e.reason);
                   w.setAction(ToWire(e.action));
                   w.setEntry(e.entry);
                   w.setMatched(e.matched);
                 },
                 [&](const UnregisteredEntry& e) {
                   auto w = body.initAs<wire::UnregisteredEntry>();
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setPerson(e.person);
                   w.setNote(e.note);
                   w.setVisit(e.visit);
                 },
                 [&](const VisitorArrived& e) {
                   auto w = body.initAs<wire::VisitorArrived>();
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setPerson(e.person);
                 },
                 [&](const VisitorCheckedIn& e) {
                   auto w = body.initAs<wire::VisitorCheckedIn>();
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setVisit(e.visit);
                   w.setWaited(e.waited);
                 },
                 [&](const VisitorCheckedOut& e) {
                   auto w = body.initAs<wire::VisitorCheckedOut>();
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setVisit(e.visit);
                   w.setStayed(e.stayed);
                   w.setByCommand(e.by_command);
                 },
                 [&](const Overstay& e) {
                   auto w = body.initAs<wire::Overstay>();
                   w.setPost(e.post);
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setVisit(e.visit);
                   w.setExpiredAt(e.expired_at);
                   w.setNumber(e.number);
                   w.setLateness(e.lateness);
                 },
                 [&](const PersonRegistered& e) {
                   auto w = body.initAs<wire::PersonRegistered>();
                   w.setPerson(e.person);
                   w.setName(e.name);
                   w.setHost(e.host);
                   w.setKind(ToWire(e.kind));
                   w.setWalkUp(e.walk_up);
                   w.setApprovedBy(e.approved_by);
                   w.setExpectedAt(e.expected_at);
                   w.setVehicle(e.vehicle);
                   w.setPlate(e.plate);
                   w.setDriver(e.driver);
                 },
                 [&](const PassIssued& e) {
                   auto w = body.initAs<wire::PassIssued>();
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setKind(ToWire(e.kind));
                   w.setValidFrom(e.valid_from);
                   w.setValidUntil(e.valid_until);
                 },
                 [&](const PassRevoked& e) {
                   auto w = body.initAs<wire::PassRevoked>();
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setReason(e.reason);
                 },
                 [&](const PassExtended& e) {
                   auto w = body.initAs<wire::PassExtended>();
                   w.setPerson(e.person);
                   w.setPassCode(e.pass_code);
                   w.setPreviousUntil(e.previous_until);
                   w.setValidUntil(e.valid_until);
                 },
                 [&](const WatchlistAdded& e) {
                   auto w = body.initAs<wire::WatchlistAdded>();
                   w.setEntry(e.entry);
                   w.setName(e.name);
                   w.setPerson(e.person);
                   w.setReason(e.reason);
                   w.setAction(ToWire(e.action));
                 },
                 [&](const WatchlistRemoved& e) {
                   auto w = body.initAs<wire::WatchlistRemoved>();
                   w.setEntry(e.entry);
                   w.setReason(e.reason);
                 },
                 [&](const WalkUpRequested& e) {
                   auto w = body.initAs<wire::WalkUpRequested>();
                   w.setPerson(e.person);
                   w.setName(e.name);
                   w.setCompany(e.company);
                   w.setHost(e.host);
                   w.setPost(e.post);
                   w.setGate(e.gate);
                   w.setRequestedAt(e.requested_at);
                 },
                 [&](const WalkUpApproved& e) {
                   auto w = body.initAs<wire::WalkUpApproved>();
                   w.setPerson(e.person);
                   w.setName(e.name);
                   w.setHost(e.host);
                   w.setApprovedBy(e.approved_by);
                   w.setRequestedAt(e.requested_at);
                   w.setWaited(e.waited);
                 },
                 [&](const WalkUpDenied& e) {
                   auto w = body.initAs<wire::WalkUpDenied>();
                   w.setPerson(e.person);
                   w.setName(e.name);
                   w.setHost(e.host);
                   w.setDeniedBy(e.denied_by);
                   w.setReason(e.reason);
                   w.setRequestedAt(e.requested_at);
                 },
             },
             out.body);
}

CommandAccess AccessOf(wire::AccessRequest::Reader request) {
  if (IsQuery(request)) return {Role::kOfficer, ""};
  switch (request.which()) {
    case wire::AccessRequest::REGISTER_PERSON:
    case wire::AccessRequest::REGISTER_VEHICLE:
    case wire::AccessRequest::ADD_WATCHLIST_ENTRY:
    case wire::AccessRequest::REMOVE_WATCHLIST_ENTRY:
      return {Role::kAdmin, request.getActor().cStr()};
    case wire::AccessRequest::APPROVE_WALK_UP:
      return {Role::kOfficer, request.getApproveWalkUp().getBy().cStr()};
    case wire::AccessRequest::DENY_WALK_UP:
      return {Role::kOfficer, request.getDenyWalkUp().getBy().cStr()};
    default:
      return {Role::kOfficer, request.getActor().cStr()};
  }
}

bool IsQuery(wire::AccessRequest::Reader request) {
  switch (request.which()) {
    case wire::AccessRequest::GET_PASS:
    case wire::AccessRequest::GET_PERSON:
    case wire::AccessRequest::LIST_VISITS:
    case wire::AccessRequest::LIST_ON_SITE:
    case wire::AccessRequest::GET_COMPLIANCE:
    case wire::AccessRequest::LIST_WATCHLIST:
    case wire::AccessRequest::LIST_PENDING_WALK_UPS:
      return true;
    default:
      return false;
  }
}

std::optional<Command> ToCommand(wire::AccessRequest::Reader request, wire::AccessError* code,
                                 std::string* message) {
  auto refuse = [&](std::string text,
                    wire::AccessError c = wire::AccessError::INVALID_ARGUMENT) -> std::nullopt_t {
    *code = c;
    *message = std::move(text);
    return std::nullopt;
  };
  Command c;
  c.actor = Text(request.getActor());
  switch (request.which()) {
    case wire::AccessRequest::REGISTER_PERSON: {
      auto r = request.getRegisterPerson();
      auto kind = FromWire(r.getKind());
      if (!kind || *kind == PassKind::kVisitor)
        return refuse(
            "kind: registerPerson takes staff or contractor (visitors come by "
            "preRegisterVisitor or registerWalkUp)");
      c.body = RegisterPerson{Text(r.getPerson()), Text(r.getName()), Texts(r.getAliases()), *kind,
                              Text(r.getCompany())};
      break;
    }
    case wire::AccessRequest::PRE_REGISTER_VISITOR: {
      auto r = request.getPreRegisterVisitor();
      c.body = PreRegisterVisitor{Text(r.getPerson()),  Text(r.getName()), Texts(r.getAliases()),
                                  Text(r.getCompany()), Text(r.getHost()), r.getExpectedAt()};
      break;
    }
    case wire::AccessRequest::REGISTER_WALK_UP: {
      auto r = request.getRegisterWalkUp();
      c.body = RegisterWalkUp{Text(r.getPerson()),  Text(r.getName()), Texts(r.getAliases()),
                              Text(r.getCompany()), Text(r.getHost()), Text(r.getApprovedBy()),
                              Text(r.getPost()),    Text(r.getGate())};
      break;
    }
    case wire::AccessRequest::REGISTER_VEHICLE: {
      auto r = request.getRegisterVehicle();
      auto kind = FromWire(r.getKind());
      if (!kind) return refuse("kind: must be visitor, contractor or staff");
      c.body = RegisterVehicle{Text(r.getPlate()),   Text(r.getDescription()), *kind,
                               Text(r.getCompany()), Text(r.getHost()),        Text(r.getDriver())};
      break;
    }
    case wire::AccessRequest::ISSUE_PASS: {
      auto r = request.getIssuePass();
      IssuePass p{Text(r.getCode()), Text(r.getPerson()), r.getValidFrom(),
                  r.getValidUntil(), Texts(r.getGates()), std::nullopt};
      if (r.getHours().size() > 0) {
        std::string why;
        p.hours = DailyHours::Parse(Text(r.getHours()), &why);
        if (!p.hours) return refuse("hours: " + why);
      }
      c.body = std::move(p);
      break;
    }
    case wire::AccessRequest::REVOKE_PASS: {
      auto r = request.getRevokePass();
      c.body = RevokePass{Text(r.getCode()), Text(r.getReason())};
      break;
    }
    case wire::AccessRequest::EXTEND_PASS: {
      auto r = request.getExtendPass();
      c.body = ExtendPass{Text(r.getCode()), r.getValidUntil()};
      break;
    }
    case wire::AccessRequest::CHECK_OUT: {
      auto r = request.getCheckOut();
      c.body = CheckOut{Text(r.getPerson()), Text(r.getGate())};
      break;
    }
    case wire::AccessRequest::ADD_WATCHLIST_ENTRY: {
      auto r = request.getAddWatchlistEntry();
      auto action = FromWire(r.getAction());
      if (!action) return refuse("action: must be deny, supervisor or notify");
      c.body =
          AddWatchlistEntry{Text(r.getName()), Text(r.getPerson()), Text(r.getReason()), *action};
      break;
    }
    case wire::AccessRequest::REMOVE_WATCHLIST_ENTRY: {
      auto r = request.getRemoveWatchlistEntry();
      c.body = RemoveWatchlistEntry{r.getEntry(), Text(r.getReason())};
      break;
    }
    case wire::AccessRequest::GET_PASS:
      c.body = GetPass{Text(request.getGetPass())};
      break;
    case wire::AccessRequest::GET_PERSON:
      c.body = GetPerson{Text(request.getGetPerson())};
      break;
    case wire::AccessRequest::LIST_VISITS: {
      auto r = request.getListVisits();
      c.body = ListVisits{r.getFrom(), r.getTo()};
      break;
    }
    case wire::AccessRequest::LIST_ON_SITE:
      c.body = ListOnSite{};
      break;
    case wire::AccessRequest::GET_COMPLIANCE: {
      auto r = request.getGetCompliance();
      c.body = GetCompliance{Text(r.getPost()), r.getFrom(), r.getTo()};
      break;
    }
    case wire::AccessRequest::LIST_WATCHLIST:
      c.body = ListWatchlist{};
      break;
    case wire::AccessRequest::APPROVE_WALK_UP: {
      auto r = request.getApproveWalkUp();
      c.body = ApproveWalkUp{Text(r.getPerson()), Text(r.getBy())};
      break;
    }
    case wire::AccessRequest::DENY_WALK_UP: {
      auto r = request.getDenyWalkUp();
      c.body = DenyWalkUp{Text(r.getPerson()), Text(r.getBy()), Text(r.getReason())};
      break;
    }
    case wire::AccessRequest::LIST_PENDING_WALK_UPS:
      c.body = ListPendingWalkUps{};
      break;
    default:
      return refuse("not a request this service knows (a newer client?)",
                    wire::AccessError::MALFORMED);
  }
  return c;
}

std::string EncodeReply(const Reply& reply) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::AccessReply>();
  w.setError(static_cast<wire::AccessError>(static_cast<uint16_t>(reply.error)));
  w.setMessage(reply.message);
  w.setEntry(reply.entry);
  if (reply.pass) FillPass(w.initPass(), *reply.pass);
  if (reply.person) FillPerson(w.initPerson(), *reply.person);
  if (!reply.visits.empty()) {
    auto list = w.initVisits(static_cast<unsigned>(reply.visits.size()));
    for (size_t i = 0; i < reply.visits.size(); ++i)
      FillVisit(list[static_cast<unsigned>(i)], reply.visits[i]);
  }
  if (!reply.on_site.empty()) {
    auto list = w.initOnSite(static_cast<unsigned>(reply.on_site.size()));
    for (size_t i = 0; i < reply.on_site.size(); ++i) {
      FillVisit(list[static_cast<unsigned>(i)].initVisit(), reply.on_site[i].visit);
      list[static_cast<unsigned>(i)].setName(reply.on_site[i].name);
    }
  }
  if (reply.compliance) FillCompliance(w.initCompliance(), *reply.compliance);
  if (!reply.watchlist.empty()) {
    auto list = w.initWatchlist(static_cast<unsigned>(reply.watchlist.size()));
    for (size_t i = 0; i < reply.watchlist.size(); ++i) {
      auto e = list[static_cast<unsigned>(i)];
      const WatchlistEntry& x = reply.watchlist[i];
      e.setEntry(x.id);
      e.setName(x.name);
      e.setPerson(x.person);
      e.setReason(x.reason);
      e.setAction(ToWire(x.action));
      e.setAddedBy(x.added_by);
      e.setAddedAt(x.added_at);
    }
  }
  w.setPending(reply.pending);
  if (!reply.pending_walkups.empty()) {
    auto list = w.initPendingWalkUps(static_cast<unsigned>(reply.pending_walkups.size()));
    for (size_t i = 0; i < reply.pending_walkups.size(); ++i) {
      auto e = list[static_cast<unsigned>(i)];
      const PendingWalkUp& x = reply.pending_walkups[i];
      e.setPerson(x.person);
      e.setName(x.name);
      SetList(e.initAliases(static_cast<unsigned>(x.aliases.size())), x.aliases);
      e.setCompany(x.company);
      e.setHost(x.host);
      e.setPost(x.post);
      e.setGate(x.gate);
      e.setRequestedBy(x.requested_by);
      e.setRequestedAt(x.requested_at);
    }
  }
  return Encode(b);
}

std::string EncodeError(wire::AccessError code, std::string_view message) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::AccessReply>();
  w.setError(code);
  w.setMessage(std::string(message));
  return Encode(b);
}

}  // namespace picket::access
