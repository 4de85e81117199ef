// Access::OnCommand: every command checks its input, then the state, and refuses with an
// error Reply before writing anything; only then does it write and emit.
#include <algorithm>

#include "access/core/access.h"
#include "access/core/access_keys.h"
#include "access/core/access_queries.h"
#include "access/core/access_store.h"
#include "access/core/visit_flow.h"
#include "base/overloaded.h"

namespace picket::access {
namespace {

CommandResult Refuse(CommandError e, std::string message) {
  CommandResult r;
  r.reply.error = e;
  r.reply.message = std::move(message);
  return r;
}

bool TextOk(std::string_view s) { return s.size() <= kMaxTextBytes; }

// Checks the fields every registration has; "" if fine, else the sentence.
std::string CheckPersonFields(std::string_view id, std::string_view name,
                              const std::vector<std::string>& aliases, std::string_view company) {
  if (!IsValidId(id)) return "person id must be 1..64 of [A-Za-z0-9._@-]";
  if (IsVehicleId(id))
    return "person ids starting with 'veh.' are reserved for vehicles (RegisterVehicle)";
  if (NormalizeName(name).empty() || !TextOk(name)) return "name must be non-empty text";
  if (aliases.size() > kMaxAliases) return "at most 16 aliases";
  for (const auto& a : aliases)
    if (NormalizeName(a).empty() || !TextOk(a)) return "an alias must be non-empty text";
  if (!TextOk(company)) return "company is too long";
  return "";
}

class CommandRun {
 public:
  CommandRun(const AccessConfig& config, Txn& txn, Micros now, const std::string& actor)
      : config_(config), store_(txn), now_(now), actor_(actor) {}

  CommandResult Run(const RegisterPerson& c) {
    if (auto why = CheckPersonFields(c.person, c.name, c.aliases, c.company); !why.empty())
      return Refuse(CommandError::kInvalidArgument, why);
    if (c.kind == PassKind::kVisitor)
      return Refuse(CommandError::kInvalidArgument,
                    "visitors are registered by pre-registration or as walk-ups");
    if (store_.LoadPerson(c.person))
      return Refuse(CommandError::kAlreadyExists, "person '" + c.person + "' exists");
    if (store_.LoadPendingWalkUp(c.person))
      return Refuse(CommandError::kAlreadyPending,
                    "a walk-up request for '" + c.person + "' is waiting for approval");
    Person p;
    p.id = c.person;
    p.name = c.name;
    p.aliases = c.aliases;
    p.kind = c.kind;
    p.company = c.company;
    p.registered_by = actor_;
    p.registered_at = now_;
    return Register(p);
  }

  CommandResult Run(const PreRegisterVisitor& c) {
    if (auto why = CheckPersonFields(c.person, c.name, c.aliases, c.company); !why.empty())
      return Refuse(CommandError::kInvalidArgument, why);
    if (!TimeInRange(c.expected_at))
      return Refuse(CommandError::kInvalidArgument,
                    "expected_at is required (a time after 1970 and before 10000)");
    if (auto refused = CheckHostAndNew(c.person, c.host)) return *refused;
    Person p;
    p.id = c.person;
    p.name = c.name;
    p.aliases = c.aliases;
    p.kind = PassKind::kVisitor;
    p.company = c.company;
    p.host = c.host;
    p.registered_by = actor_;
    p.registered_at = now_;
    p.expected_at = c.expected_at;
    return Register(p);
  }

  CommandResult Run(const RegisterWalkUp& c) {
    if (auto why = CheckPersonFields(c.person, c.name, c.aliases, c.company); !why.empty())
      return Refuse(CommandError::kInvalidArgument, why);
    if (!c.post.empty() && !IsValidId(c.post))
      return Refuse(CommandError::kInvalidArgument, "post must be 1..64 of [A-Za-z0-9._@-]");
    if (!c.gate.empty() && !config_.FindGate(c.gate))
      return Refuse(CommandError::kUnknownGate, "no gate '" + c.gate + "'");
    if (auto refused = CheckHostAndNew(c.person, c.host)) return *refused;
    if (!c.approved_by.empty() && !MayApprove(c.approved_by, c.host))
      return Refuse(CommandError::kNotAuthorized,
                    "'" + c.approved_by + "' is neither the host nor an officer");
    if (c.approved_by.empty() && config_.walkups_need_approval) {
      PendingWalkUp w{c.person, c.name, c.aliases, c.company, c.host, c.post, c.gate, actor_, now_};
      if (w.post.empty() && !w.gate.empty()) w.post = config_.PostOf(w.gate);
      store_.SavePendingWalkUp(w);
      CommandResult r =
          Done(WalkUpRequested{w.person, w.name, w.company, w.host, w.post, w.gate, now_});
      r.reply.pending = true;
      return r;
    }
    Person p;
    p.id = c.person;
    p.name = c.name;
    p.aliases = c.aliases;
    p.kind = PassKind::kVisitor;
    p.company = c.company;
    p.host = c.host;
    p.registered_by = actor_;
    p.registered_at = now_;
    p.walk_up = true;
    p.approved_by = c.approved_by;
    return Register(p);
  }

  CommandResult Run(const ApproveWalkUp& c) {
    PendingWalkUp walkup;
    if (auto refused = CheckDecision(c.person, c.by, &walkup)) return *refused;
    const PendingWalkUp* w = &walkup;
    // The host must still be staff and the id free (a refusal leaves the request waiting).
    if (auto refused = CheckHostAndNew(w->person, w->host, /*pending_ok=*/true)) return *refused;
    Person p;
    p.id = w->person;
    p.name = w->name;
    p.aliases = w->aliases;
    p.kind = PassKind::kVisitor;
    p.company = w->company;
    p.host = w->host;
    p.registered_by = w->requested_by;
    p.registered_at = now_;
    p.walk_up = true;
    p.approved_by = c.by;
    store_.ClearPendingWalkUp(w->person);
    CommandResult r = Register(p);
    r.effects.events.push_back({actor_, now_,
                                WalkUpApproved{w->person, w->name, w->host, c.by, w->requested_at,
                                               now_ - w->requested_at}});
    return r;
  }

  CommandResult Run(const DenyWalkUp& c) {
    if (NormalizeName(c.reason).empty() || !TextOk(c.reason))
      return Refuse(CommandError::kInvalidArgument, "a reason is required (at most 500 bytes)");
    PendingWalkUp w;
    if (auto refused = CheckDecision(c.person, c.by, &w)) return *refused;
    store_.ClearPendingWalkUp(w.person);
    return Done(WalkUpDenied{w.person, w.name, w.host, c.by, c.reason, w.requested_at});
  }

  CommandResult Run(const RegisterVehicle& c) {
    const std::string plate = NormalizePlate(c.plate);
    if (plate.empty())
      return Refuse(CommandError::kInvalidArgument,
                    "plate must be 1..16 ASCII letters and digits (spaces, '-', '.' and other "
                    "separators are ignored)");
    if (c.plate.size() > kMaxPlateBytes)
      return Refuse(CommandError::kInvalidArgument, "plate is too long as written");
    if (NormalizeName(c.description).empty() || !TextOk(c.description))
      return Refuse(CommandError::kInvalidArgument, "description must be non-empty text");
    if (!TextOk(c.company)) return Refuse(CommandError::kInvalidArgument, "company is too long");
    if (!c.driver.empty() && !IsValidId(c.driver))
      return Refuse(CommandError::kInvalidArgument, "driver must be a person id");
    if (IsVehicleId(c.driver))
      return Refuse(CommandError::kInvalidArgument, "a driver is a person, not a vehicle");
    if (c.kind == PassKind::kVisitor || !c.host.empty()) {
      auto h = c.host.empty() ? std::nullopt : store_.LoadPerson(c.host);
      if (!h || h->kind != PassKind::kStaff)
        return Refuse(CommandError::kUnknownHost,
                      "host '" + c.host + "' is not a registered staff member");
    }
    const std::string id = "veh." + plate;
    if (store_.LoadPerson(id))
      return Refuse(CommandError::kAlreadyExists, "a vehicle with plate " + plate + " exists");
    if (!c.driver.empty() && !store_.LoadPerson(c.driver))
      return Refuse(CommandError::kUnknownPerson, "no person '" + c.driver + "' (driver)");
    Person p;
    p.id = id;
    p.name = c.description;
    p.aliases = {c.plate};
    if (plate != c.plate) p.aliases.push_back(plate);
    p.kind = c.kind;
    p.company = c.company;
    p.host = c.host;
    p.registered_by = actor_;
    p.registered_at = now_;
    p.vehicle = true;
    p.plate = c.plate;
    p.driver = c.driver;
    return Register(p);
  }

  CommandResult Run(const IssuePass& c) {
    if (!IsValidPassCode(c.code))
      return Refuse(CommandError::kInvalidArgument, "pass code must be 1..64 printable, no spaces");
    if (!TimeInRange(c.valid_from) || !TimeInRange(c.valid_until))
      return Refuse(CommandError::kInvalidArgument,
                    "valid_from and valid_until must be times after 1970 and before 10000");
    if (c.valid_until <= c.valid_from)
      return Refuse(CommandError::kInvalidArgument, "valid_until must be after valid_from");
    if (c.valid_until <= now_)
      return Refuse(CommandError::kInvalidArgument, "the pass would be expired");
    for (const auto& g : c.gates)
      if (!config_.FindGate(g)) return Refuse(CommandError::kUnknownGate, "no gate '" + g + "'");
    auto person = store_.LoadPerson(c.person);
    if (!person) return Refuse(CommandError::kUnknownPerson, "no person '" + c.person + "'");
    if (c.valid_until - c.valid_from > config_.RulesFor(person->kind).max_validity)
      return Refuse(CommandError::kValidityTooLong,
                    "longer than a " + std::string(PassKindName(person->kind)) + " pass may be");
    if (store_.LoadPass(c.code)) return Refuse(CommandError::kAlreadyExists, "pass code in use");
    Pass p;
    p.code = c.code;
    p.person = c.person;
    p.kind = person->kind;
    p.valid_from = c.valid_from;
    p.valid_until = c.valid_until;
    p.gates = c.gates;
    p.hours = c.hours;
    p.host = person->host;
    p.issued_by = actor_;
    p.issued_at = now_;
    store_.SavePass(p);
    return Done(PassIssued{p.person, p.code, p.kind, p.valid_from, p.valid_until});
  }

  CommandResult Run(const RevokePass& c) {
    if (NormalizeName(c.reason).empty() || !TextOk(c.reason))
      return Refuse(CommandError::kInvalidArgument, "a reason is required");
    auto p = store_.LoadPass(c.code);
    if (!p) return Refuse(CommandError::kUnknownPass, "no pass '" + c.code + "'");
    if (p->revoked)
      return Refuse(CommandError::kAlreadyRevoked, "revoked already by " + p->revoked_by);
    p->revoked = true;
    p->revoked_by = actor_;
    p->revoked_reason = c.reason;
    p->revoked_at = now_;
    store_.SavePass(*p);
    return Done(PassRevoked{p->person, p->code, c.reason});
  }

  CommandResult Run(const ExtendPass& c) {
    auto p = store_.LoadPass(c.code);
    if (!p) return Refuse(CommandError::kUnknownPass, "no pass '" + c.code + "'");
    if (p->revoked) return Refuse(CommandError::kRevoked, "the pass is revoked");
    if (!TimeInRange(c.valid_until))
      return Refuse(CommandError::kInvalidArgument,
                    "valid_until must be a time after 1970 and before 10000");
    if (c.valid_until <= p->valid_until)
      return Refuse(CommandError::kInvalidArgument, "the new valid_until must be later");
    if (c.valid_until - p->valid_from > config_.RulesFor(p->kind).max_validity)
      return Refuse(CommandError::kValidityTooLong,
                    "longer than a " + std::string(PassKindName(p->kind)) + " pass may be");
    const Micros previous = p->valid_until;
    p->valid_until = c.valid_until;
    ++p->extensions;
    store_.SavePass(*p);
    CommandResult r = Done(PassExtended{p->person, p->code, previous, p->valid_until});
    if (auto id = store_.OnSiteVisit(p->person)) {
      auto v = store_.LoadVisit(*id);
      if (v && v->pass_code == p->code && config_.RulesFor(p->kind).tracks_visits)
        r.effects.set.push_back(OverstayTimer(v->id, FirstOverstayDue(config_, p->valid_until), 1));
    }
    return r;
  }

  CommandResult Run(const CheckOut& c) {
    if (c.person.empty()) return Refuse(CommandError::kInvalidArgument, "person is required");
    if (!c.gate.empty() && !config_.FindGate(c.gate))
      return Refuse(CommandError::kUnknownGate, "no gate '" + c.gate + "'");
    auto id = store_.OnSiteVisit(c.person);
    if (!id) return Refuse(CommandError::kNotOnSite, "'" + c.person + "' is not on site");
    auto v = store_.LoadVisit(*id);
    if (!v) throw StoreError("access: on_site names a missing visit");
    CommandResult r;
    CloseVisit(config_, store_, &*v, now_, c.gate, actor_, /*by_command=*/true, &r.effects);
    return r;
  }

  CommandResult Run(const AddWatchlistEntry& c) {
    if (NormalizeName(c.name).empty() && c.person.empty())
      return Refuse(CommandError::kInvalidArgument, "an entry names a name, a person, or both");
    if (!c.person.empty() && !IsValidId(c.person))
      return Refuse(CommandError::kInvalidArgument, "person id must be 1..64 of [A-Za-z0-9._@-]");
    if (NormalizeName(c.reason).empty() || !TextOk(c.reason) || !TextOk(c.name))
      return Refuse(CommandError::kInvalidArgument, "a reason is required");
    WatchlistEntry e{
        store_.TakeId(keys::kNextWatchIdKey), c.name, c.person, c.reason, c.action, actor_, now_};
    store_.AddWatchEntry(e);
    CommandResult r = Done(WatchlistAdded{e.id, e.name, e.person, e.reason, e.action});
    r.reply.entry = e.id;
    return r;
  }

  CommandResult Run(const RemoveWatchlistEntry& c) {
    if (NormalizeName(c.reason).empty() || !TextOk(c.reason))
      return Refuse(CommandError::kInvalidArgument, "a reason is required");
    auto e = store_.LoadWatchEntry(c.entry);
    if (!e)
      return Refuse(CommandError::kUnknownEntry, "no watchlist entry " + std::to_string(c.entry));
    store_.RemoveWatchEntry(*e);
    return Done(WatchlistRemoved{e->id, c.reason});
  }

 private:
  std::optional<CommandResult> CheckHostAndNew(const std::string& person, const std::string& host,
                                               bool pending_ok = false) {
    auto h = host.empty() ? std::nullopt : store_.LoadPerson(host);
    if (!h || h->kind != PassKind::kStaff)
      return Refuse(CommandError::kUnknownHost,
                    "host '" + host + "' is not a registered staff member");
    if (store_.LoadPerson(person))
      return Refuse(CommandError::kAlreadyExists, "person '" + person + "' exists");
    if (!pending_ok && store_.LoadPendingWalkUp(person))
      return Refuse(CommandError::kAlreadyPending,
                    "a walk-up request for '" + person +
                        "' is already waiting for approval (approve or deny it)");
    return std::nullopt;
  }

  bool MayApprove(const std::string& who, const std::string& host) const {
    return who == host || config_.IsOfficer(who);
  }

  // Fills *w with the pending walk-up `person` that `by` may decide on, or returns the
  // refusal.
  std::optional<CommandResult> CheckDecision(const std::string& person, const std::string& by,
                                             PendingWalkUp* w) {
    if (!IsValidId(person))
      return Refuse(CommandError::kInvalidArgument, "person id must be 1..64 of [A-Za-z0-9._@-]");
    if (!IsValidId(by))
      return Refuse(CommandError::kInvalidArgument,
                    "by (who decides: the host or an officer) must be 1..64 of [A-Za-z0-9._@-]");
    auto pending = store_.LoadPendingWalkUp(person);
    if (!pending)
      return Refuse(CommandError::kNotPending,
                    store_.LoadPerson(person)
                        ? "'" + person + "' is registered; no walk-up request is waiting"
                        : "no walk-up request is waiting for '" + person + "'");
    if (!MayApprove(by, pending->host))
      return Refuse(CommandError::kNotAuthorized,
                    "'" + by + "' is neither the host ('" + pending->host + "') nor an officer");
    *w = std::move(*pending);
    return std::nullopt;
  }

  CommandResult Register(const Person& p) {
    store_.SavePerson(p);
    PersonRegistered ev;
    ev.person = p.id;
    ev.name = p.name;
    ev.host = p.host;
    ev.kind = p.kind;
    ev.walk_up = p.walk_up;
    ev.approved_by = p.approved_by;
    ev.expected_at = p.expected_at;
    ev.vehicle = p.vehicle;
    ev.plate = p.plate;
    ev.driver = p.driver;
    return Done(std::move(ev));
  }

  CommandResult Done(EventBody body) {
    CommandResult r;
    r.effects.events.push_back({actor_, now_, std::move(body)});
    return r;
  }

  const AccessConfig& config_;
  AccessStore store_;
  Micros now_;
  const std::string& actor_;
};

}  // namespace

CommandResult Access::OnCommand(const Command& command, Txn& state, Micros now) {
  if (IsQuery(command)) return RunQuery(config_, command, state);
  if (command.actor.empty() || !TextOk(command.actor))
    return Refuse(CommandError::kInvalidArgument, "the actor is required");
  CommandRun run(config_, state, now, command.actor);
  return std::visit(Overloaded{[&](const auto& c) -> CommandResult {
                      if constexpr (requires { run.Run(c); })
                        return run.Run(c);
                      else
                        return Refuse(CommandError::kInvalidArgument, "not a command");
                    }},
                    command.body);
}

}  // namespace picket::access
