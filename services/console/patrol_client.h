// The console's side of picket-patrol's command endpoint (schemas/patrol.capnp,
// docs/patrol.md): the queries behind the Patrols page. 200 with the answer; picket-patrol's
// refusals: invalidArgument 400 invalid_argument; unavailable or no answer 503; anything
// else 502 bad_gateway. Blocking: HTTP worker threads only. Thread-safe.
#pragma once

#include <string>

#include "console/service_endpoint.h"

namespace picket::console {

class PatrolClient {
 public:
  explicit PatrolClient(ServiceTarget target) : target_(std::move(target)) {}

  // listRounds in [from, to) (at most 31 days): {"rounds": [round...], "truncated"}.
  ApiResult Rounds(Micros from, Micros to, const std::string& post) const;
  // currentRounds at `post` ("" = every post): {"rounds": [round...]}.
  ApiResult Current(const std::string& post) const;

 private:
  ServiceTarget target_;
};

}  // namespace picket::console
