// The record of a refusal on a site with [security] (docs/security.md): who tried what, as
// whom, and why. picket-bus records a refused publish as bus.publish_refused, the service kit
// a refused command as <service>.command_refused; both carry it as a wire::Refused body.
#pragma once

#include <cstdint>
#include <string_view>

#include "picket/schemas/envelope.capnp.h"
#include "runtime/security_config.h"

namespace picket {

struct RefusalRecord {
  const Identity* who = nullptr;  // the listed identity of the key, if any
  std::string_view identity;      // the key's name (the connection's User-Id)
  std::string_view what;          // the event type or command tried
  std::string_view as_whom;       // the producer or actor it named
  std::string_view reason;
  uint64_t unrecorded = 0;  // refusals not recorded since the last record (rate limit)
};

// Sets `event`'s actor (the identity) and its body, a wire::Refused.
void FillRefusal(wire::Event::Builder event, const RefusalRecord& refusal);

}  // namespace picket
