// The console's side of picket-access's command endpoint (schemas/access.capnp,
// docs/access.md): the queries behind the Gates page. Replies come back as the HTTP
// status and JSON body of the console's API (docs/console.md): 200 with the answer, 503
// `unavailable` when picket-access does not answer, 502 `bad_gateway` for a reply that
// makes no sense, and access's own refusals as 4xx with its error's name.
//
// Blocking (CallCommand): HTTP worker threads only. Thread-safe.
#pragma once

#include "console/service_endpoint.h"

namespace picket::console {

class AccessClient {
 public:
  explicit AccessClient(ServiceTarget target) : target_(std::move(target)) {}

  // listOnSite: 200 {"on_site": [{"person", "name", "kind", "gate", "post", "since",
  // "manual", "pass_code", "guard_in"}...]}, by person.
  ApiResult OnSite() const;

 private:
  ServiceTarget target_;
};

}  // namespace picket::console
