// `picketctl incident watch`: which of the site's events an officer sees, and how.
// Pure: it gets recorded events in seq order (from the Subscriber) and returns lines.
//
// Shown:
//   - escalation.alert_raised for the watched person (for everyone when none is given):
//       #57 2026-11-25T23:04:04.365Z incident 12 alert to ann: level 1, opened,
//           target role:duty_officer, intrusion at gate-1
//     (one line; "fallback" instead of "level N", "level 2 repeat 1" on a repeat run; the
//     incident type and post when an escalation.incident_opened for it was seen earlier
//     in the stream);
//   - for incidents whose alerts it has shown: acknowledged, unacknowledged, reassigned,
//     resolved and cancelled, so the officer sees the state change:
//       #60 2026-11-25T23:04:09.001Z incident 12 acknowledged by bob
// With json, each is one JSON object instead:
//   {"seq","at","type","incident","person","level","pass","fallback","reason","target",
//    "respondBy","incidentType","post"}       (alert; the last two only when known)
//   {"seq","at","type","incident","actor", ...type-specific fields}   (state changes)
// Times are the bus's recordedAt (observedAt if not recorded), unix µs in JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "picket/schemas/envelope.capnp.h"

namespace picket {

struct AlertWatchOptions {
  std::string person;  // "" = every person
  bool json = false;
  // Incidents remembered (type and post; which were shown). Beyond this the lowest ids
  // are forgotten, so a watch that runs for months stays small.
  size_t max_incidents = 100000;
};

class AlertWatch {
 public:
  explicit AlertWatch(AlertWatchOptions options) : options_(std::move(options)) {}

  // Looks at one event (any type) and returns the line to print, without a newline, or
  // nullopt. An escalation event whose body cannot be read is skipped (nullopt) and
  // counted in unreadable(). Never throws.
  std::optional<std::string> OnEvent(wire::Event::Reader event);

  uint64_t unreadable() const { return unreadable_; }

 private:
  struct Known {
    std::string incident_type, post;
  };
  std::optional<std::string> Dispatch(wire::Event::Reader event, std::string_view type);
  std::optional<std::string> OnAlert(wire::Event::Reader event);
  void Remember(uint64_t incident, Known known);
  void Trim();

  AlertWatchOptions options_;
  std::map<uint64_t, Known> known_;  // incident -> from incident_opened
  std::set<uint64_t> shown_;         // incidents with an alert shown
  uint64_t unreadable_ = 0;
};

}  // namespace picket
