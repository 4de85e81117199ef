// The configuration of picket-access as plain values: the site's gates and their hours,
// the site's time zone, what each pass kind allows, the overstay grace and repeat, and
// whether walk-ups need approval. The adapter reads it from `[access]` in site.toml
// (access_config_toml.h); the core only needs ValidateAccessConfig to have passed.
//
// A config that reached the core has passed ValidateAccessConfig, so the core may rely
// on: `zone` is parsed; every gate id is unique and non-empty; every kind's default gates
// exist; durations are positive where required.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/core/access_types.h"
#include "base/clock.h"
#include "domain/site_time.h"

namespace picket::access {

struct GateConfig {
  std::string id;    // e.g. "north-gate"
  std::string post;  // the guard post that staffs it (events' `post`); empty = the gate id
  std::optional<DailyHours> hours;  // site local time; none = always open
};

// What a pass of one kind may do, unless the pass itself says otherwise.
struct PassKindRules {
  // Gates a pass of this kind opens when the pass names none; empty = every gate.
  std::vector<std::string> default_gates;
  std::optional<DailyHours> default_hours;  // none = any time the gate is open
  Micros max_validity = 0;                  // > 0: valid_until - valid_from at most this
  // Visitor flow: check-in/check-out events, wait times and overstay timers. Staff passes
  // normally do not (they still count for anti-passback and the roll call).
  bool tracks_visits = false;
};

struct AccessConfig {
  std::string time_zone = "UTC0";           // a POSIX TZ rule (site_time.h)
  TimeZoneRule zone = TimeZoneRule::Utc();  // parsed from time_zone by Validate
  std::vector<GateConfig> gates;
  std::map<PassKind, PassKindRules> kinds = {
      {PassKind::kVisitor, {{}, {}, 24LL * 3600 * kMicrosPerSecond, true}},
      {PassKind::kContractor, {{}, {}, 366LL * 24 * 3600 * kMicrosPerSecond, true}},
      {PassKind::kStaff, {{}, {}, 5LL * 366 * 24 * 3600 * kMicrosPerSecond, false}},
  };
  // A visitor still on site this long after the pass expired raises access.overstay, and
  // again every `overstay_repeat` until checked out (0 = once only).
  Micros overstay_grace = 15 * 60 * kMicrosPerSecond;
  Micros overstay_repeat = 30 * 60 * kMicrosPerSecond;
  // Walk-ups (visitors registered at the gate) need approval by their host or an officer.
  bool walkups_need_approval = true;
  // People who may approve any walk-up and who count as supervisors (person ids).
  std::vector<std::string> officers;

  const GateConfig* FindGate(std::string_view id) const;
  const PassKindRules& RulesFor(PassKind kind) const;
  bool IsOfficer(std::string_view person) const;
  // The post of a gate (its configured post, else the gate id; the id itself if unknown).
  std::string PostOf(std::string_view gate) const;
};

// Checks `config` and fills config->zone from time_zone. Returns every problem, one
// sentence each ("gates[1]: duplicate id 'north'"); empty means valid.
std::vector<std::string> ValidateAccessConfig(AccessConfig* config);

}  // namespace picket::access
