// The console's side of picket-access's command endpoint (schemas/access.capnp,
// docs/access.md): the queries behind the Gates page. Replies come back as the HTTP
// status and JSON body of the console's API (docs/console.md): 200 with the answer, 503
// `unavailable` when picket-access does not answer, 502 `bad_gateway` for a reply that
// makes no sense, and access's own refusals as 4xx with its error's name.
//
// Blocking (CallCommand): HTTP worker threads only. Thread-safe.
#pragma once

#include "base/clock.h"
#include "console/service_endpoint.h"

namespace picket::console {

class AccessClient {
 public:
  explicit AccessClient(ServiceTarget target) : target_(std::move(target)) {}

  // listOnSite: 200 {"on_site": [{"person", "name", "kind", "gate", "post", "since",
  // "manual", "pass_code", "guard_in"}...]}, by person.
  ApiResult OnSite() const;
  // listVisits: the visits whose entry is in [from, to) (at most 31 days), by entry time:
  // 200 {"visits": [{"visit", "person", "kind", "gate", "post", "pass_code", "guard_in",
  // "checked_in_at", "checked_out_at" (0 while on site), "checked_out_by", "exit_gate",
  // "manual", "preregistered", "note"}...]}; access's invalidArgument as 400
  // invalid_argument.
  ApiResult Visits(Micros from, Micros to) const;
  // getPerson: 200 {"person", "name", "company", "kind"}; 404 unknown_person.
  ApiResult Person(const std::string& person) const;

  // listPendingWalkUps: 200 {"walkups": [{"person", "name", "company", "host", "gate",
  // "post", "requested_by", "requested_at"}...]}, oldest first.
  ApiResult PendingWalkUps() const;
  // approveWalkUp (approve) or denyWalkUp (with `reason`) of the pending walk-up `person`,
  // `actor` deciding (actor and `by`): 200 {"person", "approved"|"denied": true,
  // "unpublished"}, or access's refusal:
  //   invalidArgument 400 invalid_argument; notAuthorized 403 not_authorized;
  //   notPending / unknownPerson 404 not_pending / unknown_person; alreadyExists,
  //   unknownHost, alreadyPending 409 (their names); unavailable / no answer 503;
  //   anything else 502 bad_gateway.
  ApiResult DecideWalkUp(const std::string& actor, const std::string& person, bool approve,
                         const std::string& reason) const;

 private:
  ServiceTarget target_;
};

}  // namespace picket::console
