// Who may publish what, at the bus's ingest on a site with [security] (docs/security.md,
// "What each role may do"). The ZAP handler has admitted the sender's key already; this
// decides by the identity the key is listed under:
//
//   - every event's producer must be the identity's name (no one publishes as another);
//   - a terminal: observations (terminal.*) and shift changes (shift.*) only, each for its
//     own post (the body's `post`), and a `gate` only its post or one of its `gates`;
//   - a service: its own derived types (OwnerOf(type) == its name, or, for a service
//     outside the registered namespaces such as picket-tally, `<its name>.*`), and shift
//     changes (shift.*) it makes for people it checked (the console, the demo's simulator);
//   - an officer or supervisor: shift changes (shift.*) only (picketctl shift);
//   - an admin: observations and shift changes for any post, and free types (demo.*).
//
// Derived types of another owner, bus.* included, are refused to everyone (the owner rule,
// CheckPublishable, comes first).
#pragma once

#include <optional>
#include <string>

#include "picket/schemas/envelope.capnp.h"
#include "runtime/security_config.h"

namespace picket {

// Why `who` may not publish `event`, or nullopt if it may. Reads the body by its
// registered schema: call it inside ReadSafely, after CheckPublishable passed.
std::optional<std::string> WhyPublishRefused(const Identity& who, wire::Event::Reader event);

}  // namespace picket
