// Test support for the access core's unit tests: a validated site configuration, UTC
// times from calendar fields, a MemoryTxn world with shortcuts for the usual setup, and
// helpers to pick event bodies out of Effects. Linked by tests only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "access/core/access.h"
#include "testing/memory_txn.h"
#include "testing/utc.h"

namespace picket::access::testing {

inline constexpr Micros kMinute = 60 * kMicrosPerSecond;
inline constexpr Micros kHour = 60 * kMinute;
inline constexpr Micros kDay = 24 * kHour;

// Microseconds since the epoch of the UTC calendar time.
using ::picket::testing::Utc;

// The test site, validated (REQUIREd): zone CET/CEST;
//   gate north (post-1, open 06:00-22:00 local), gate south (post-2, always open),
//   gate depot (no post: its post is "depot", always open);
//   visitor passes open north and south only by default; officers: "chief";
//   overstay grace 15 min, repeat 30 min; walk-ups need approval.
AccessConfig SiteConfig();

using Snapshot = std::map<std::string, MemoryTxn::Table>;

// A site with its state. `now` is the time commands run at; scans pass their own time.
struct World {
  explicit World(AccessConfig c = SiteConfig());

  AccessConfig config;
  Access access;
  MemoryTxn state;
  Micros now = Utc(2026, 6, 10, 7, 0);  // a Wednesday, 09:00 CEST

  // Runs a command as `actor` at `now`.
  CommandResult Run(CommandBody body, std::string actor = "officer-1");
  // REQUIREs success: staff "host-1" (Hana Host) and a visitor `person` pre-registered by
  // them, with a visitor pass `code` valid [from, until).
  void AddVisitorWithPass(const std::string& person, const std::string& name,
                          const std::string& code, Micros from, Micros until,
                          std::vector<std::string> aliases = {});
  Effects Scan(const std::string& code, const std::string& gate, Direction dir, Micros at,
               const std::string& supervisor = "");
  // Every table's rows, to check that something changed nothing.
  Snapshot Rows() const;
};

template <class T>
std::vector<T> Bodies(const Effects& fx) {
  std::vector<T> out;
  for (const auto& e : fx.events)
    if (auto* b = std::get_if<T>(&e.body)) out.push_back(*b);
  return out;
}

std::vector<std::string> Types(const Effects& fx);

}  // namespace picket::access::testing
