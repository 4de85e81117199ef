// The queries of the access core (reached through Access::OnCommand): reads only.
#include "access/core/access_queries.h"

#include <algorithm>

#include "access/core/access.h"
#include "access/core/access_store.h"
#include "base/overloaded.h"

namespace picket::access {
namespace {

Reply Error(CommandError e, std::string message) {
  Reply r;
  r.error = e;
  r.message = std::move(message);
  return r;
}

// The difference as unsigned: exact for from < to whatever the values (no overflow).
bool RangeOk(Micros from, Micros to) {
  return from < to && static_cast<uint64_t>(to) - static_cast<uint64_t>(from) <=
                          static_cast<uint64_t>(kMaxQueryRange);
}

}  // namespace

std::string_view CommandErrorName(CommandError e) {
  switch (e) {
    case CommandError::kNone:
      return "none";
    case CommandError::kInvalidArgument:
      return "invalid_argument";
    case CommandError::kUnknownPerson:
      return "unknown_person";
    case CommandError::kUnknownPass:
      return "unknown_pass";
    case CommandError::kAlreadyExists:
      return "already_exists";
    case CommandError::kUnknownHost:
      return "unknown_host";
    case CommandError::kApprovalRequired:
      return "approval_required";
    case CommandError::kNotAuthorized:
      return "not_authorized";
    case CommandError::kUnknownGate:
      return "unknown_gate";
    case CommandError::kAlreadyRevoked:
      return "already_revoked";
    case CommandError::kRevoked:
      return "revoked";
    case CommandError::kNotOnSite:
      return "not_on_site";
    case CommandError::kUnknownEntry:
      return "unknown_entry";
    case CommandError::kValidityTooLong:
      return "validity_too_long";
    case CommandError::kAlreadyPending:
      return "already_pending";
    case CommandError::kNotPending:
      return "not_pending";
  }
  return "?";
}

bool IsQuery(const Command& c) {
  return std::holds_alternative<GetPass>(c.body) || std::holds_alternative<GetPerson>(c.body) ||
         std::holds_alternative<ListVisits>(c.body) || std::holds_alternative<ListOnSite>(c.body) ||
         std::holds_alternative<GetCompliance>(c.body) ||
         std::holds_alternative<ListWatchlist>(c.body) ||
         std::holds_alternative<ListPendingWalkUps>(c.body);
}

CommandResult RunQuery(const AccessConfig& config, const Command& c, Txn& state) {
  AccessStore store(state);
  auto run = Overloaded{
      [&](const GetPass& q) {
        Reply r;
        r.pass = store.LoadPass(q.code);
        return r.pass ? r : Error(CommandError::kUnknownPass, "no pass '" + q.code + "'");
      },
      [&](const GetPerson& q) {
        auto p = store.LoadPerson(q.person);
        if (!p) return Error(CommandError::kUnknownPerson, "no person '" + q.person + "'");
        Reply r;
        PersonDetail d{*p, {}, {}};
        for (const auto& code : store.PassCodesOf(q.person))
          if (auto pass = store.LoadPass(code)) d.passes.push_back(std::move(*pass));
        if (auto id = store.OnSiteVisit(q.person)) d.on_site = store.LoadVisit(*id);
        r.person = std::move(d);
        return r;
      },
      [&](const ListVisits& q) {
        if (!RangeOk(q.from, q.to))
          return Error(CommandError::kInvalidArgument, "need from < to, at most 31 days apart");
        Reply r;
        r.visits = store.VisitsBetween(q.from, q.to);
        return r;
      },
      [&](const ListOnSite&) {
        Reply r;
        for (uint64_t id : store.OnSiteVisitIds()) {
          auto v = store.LoadVisit(id);
          if (!v) throw StoreError("access: on_site names a missing visit");
          auto p = store.LoadPerson(v->person);
          std::string name = p ? p->name : v->person;
          r.on_site.push_back({std::move(*v), std::move(name)});
        }
        return r;
      },
      [&](const GetCompliance& q) {
        if (!RangeOk(q.from, q.to))
          return Error(CommandError::kInvalidArgument, "need from < to, at most 31 days apart");
        Compliance k;
        for (const Visit& v : store.VisitsBetween(q.from, q.to)) {
          if (!q.post.empty() && v.post != q.post) continue;
          ++k.entries;
          (v.manual ? k.unregistered : k.with_pass)++;
          if (v.manual || !config.RulesFor(v.kind).tracks_visits) continue;
          ++k.visitors;
          if (v.preregistered) ++k.preregistered;
          if (v.arrived_at > 0) {
            ++k.announced;
            k.total_wait += v.waited;
            k.max_wait = std::max(k.max_wait, v.waited);
          }
        }
        Reply r;
        r.compliance = k;
        return r;
      },
      [&](const ListWatchlist&) {
        Reply r;
        r.watchlist = store.AllWatchEntries();
        return r;
      },
      [&](const ListPendingWalkUps&) {
        Reply r;
        r.pending_walkups = store.PendingWalkUps();
        return r;
      },
      [&](const auto&) { return Error(CommandError::kInvalidArgument, "not a query"); },
  };
  CommandResult result;
  result.reply = std::visit(run, c.body);
  return result;
}

}  // namespace picket::access
