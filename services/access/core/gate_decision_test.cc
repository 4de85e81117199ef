// DecideScan on values: the decision order (which reason wins when several apply) and the
// validity edges. The state-backed paths are in access_scan_test.cc.
#include "access/core/gate_decision.h"

#include <catch2/catch.hpp>

#include "access/access_test_support.h"

namespace picket::access {
namespace {

using testing::kHour;
using testing::Utc;

struct Case {
  AccessConfig config = testing::SiteConfig();
  Pass pass;
  ScanInputs in;

  Case() {
    pass.code = "P1";
    pass.person = "v-1";
    pass.kind = PassKind::kVisitor;
    pass.valid_from = Utc(2026, 6, 10, 6, 0);
    pass.valid_until = Utc(2026, 6, 10, 16, 0);
    in.gate = config.FindGate("north");
    in.pass = &pass;
    in.at = Utc(2026, 6, 10, 8, 0);  // 10:00 CEST
  }
  ScanDecision Decide() { return DecideScan(config, in); }
  std::optional<DenyReason> Reason() { return Decide().denied; }
};

WatchlistEntry Entry(WatchAction action, uint64_t id = 1) {
  return WatchlistEntry{id, "ivan petrov", "", "banned", action, "chief", 1};
}

}  // namespace

TEST_CASE("decision order: with every fault present each reason wins in turn",
          "[access][decision]") {
  Case c;
  // Every fault at once: revoked, a deny entry, not yet valid, a gate the pass does not
  // open, outside the pass's hours, and already on site.
  c.pass.revoked = true;
  c.in.hits = {Entry(WatchAction::kDeny)};
  c.in.at = Utc(2026, 6, 10, 21, 0);  // 23:00 CEST
  c.pass.valid_from = c.in.at + 1;
  c.pass.valid_until = c.in.at + kHour;
  c.in.gate = c.config.FindGate("depot");  // visitors: north and south only
  c.pass.hours = DailyHours{8 * 60, 17 * 60};
  c.in.on_site = true;

  CHECK(c.Reason() == DenyReason::kRevoked);
  c.pass.revoked = false;
  CHECK(c.Reason() == DenyReason::kWatchlist);
  c.in.hits.clear();
  CHECK(c.Reason() == DenyReason::kNotYetValid);
  c.pass.valid_from = c.in.at - kHour;
  c.pass.valid_until = c.in.at;
  CHECK(c.Reason() == DenyReason::kExpired);
  c.pass.valid_until = c.in.at + kHour;
  CHECK(c.Reason() == DenyReason::kWrongGate);
  c.in.gate = c.config.FindGate("south");  // no hours of its own
  CHECK(c.Reason() == DenyReason::kOutsideHours);
  c.pass.hours.reset();
  CHECK(c.Reason() == DenyReason::kAntiPassback);
  c.in.on_site = false;
  CHECK(c.Decide().granted());
}

TEST_CASE("decision order: an unknown gate comes first, then an unknown pass",
          "[access][decision]") {
  Case c;
  c.in.gate = nullptr;
  c.in.pass = nullptr;
  CHECK(c.Reason() == DenyReason::kUnknownGate);
  c.in.gate = c.config.FindGate("north");
  CHECK(c.Reason() == DenyReason::kUnknownPass);
  c.in.direction = Direction::kOut;
  CHECK(c.Reason() == DenyReason::kUnknownPass);
}

TEST_CASE("validity edges: valid exactly at valid_from, expired exactly at valid_until",
          "[access][decision]") {
  Case c;
  c.in.at = c.pass.valid_from - 1;
  CHECK(c.Reason() == DenyReason::kNotYetValid);
  c.in.at = c.pass.valid_from;
  CHECK(c.Decide().granted());
  c.in.at = c.pass.valid_until - 1;
  CHECK(c.Decide().granted());
  c.in.at = c.pass.valid_until;
  CHECK(c.Reason() == DenyReason::kExpired);
}

TEST_CASE("watchlist actions: deny refuses, supervisor needs an officer, notify admits",
          "[access][decision]") {
  Case c;
  c.in.hits = {Entry(WatchAction::kAdmitWithSupervisor)};
  CHECK(c.Reason() == DenyReason::kWatchlist);
  c.in.supervisor_present = true;
  auto d = c.Decide();
  CHECK(d.granted());
  CHECK(d.hits.size() == 1);
  c.in.hits.push_back(Entry(WatchAction::kDeny, 2));  // a deny entry is not overridden
  CHECK(c.Reason() == DenyReason::kWatchlist);
  c.in.hits = {Entry(WatchAction::kAdmitAndNotify)};
  c.in.supervisor_present = false;
  d = c.Decide();
  CHECK(d.granted());
  REQUIRE(d.hits.size() == 1);
  CHECK(d.hits[0].action == WatchAction::kAdmitAndNotify);
  // Hits are reported whatever wins.
  c.pass.revoked = true;
  d = c.Decide();
  CHECK(d.denied == DenyReason::kRevoked);
  CHECK(d.hits.size() == 1);
}

TEST_CASE("leaving: only the gate, the pass and anti-passback can refuse", "[access][decision]") {
  Case c;
  c.in.direction = Direction::kOut;
  c.in.on_site = true;
  c.pass.revoked = true;
  c.in.hits = {Entry(WatchAction::kDeny)};
  c.in.at = c.pass.valid_until + kHour;  // expired, and 19:00 CEST
  c.in.gate = c.config.FindGate("depot");
  c.pass.hours = DailyHours{8 * 60, 9 * 60};
  auto d = c.Decide();
  CHECK(d.granted());
  CHECK(d.hits.empty());
  c.in.on_site = false;
  CHECK(c.Reason() == DenyReason::kAntiPassback);
}

TEST_CASE("gates and hours: the pass's own list, else its kind's default, else every gate",
          "[access][decision]") {
  Case c;
  CHECK(PassOpensGate(c.config, c.pass, "north"));
  CHECK_FALSE(PassOpensGate(c.config, c.pass, "depot"));  // visitor default: north, south
  c.pass.gates = {"depot"};
  CHECK(PassOpensGate(c.config, c.pass, "depot"));
  CHECK_FALSE(PassOpensGate(c.config, c.pass, "north"));
  c.pass.kind = PassKind::kStaff;
  c.pass.gates.clear();
  CHECK(PassOpensGate(c.config, c.pass, "depot"));  // staff: no default list
  CHECK_FALSE(PassHours(c.config, c.pass));
  c.config.kinds[PassKind::kStaff].default_hours = DailyHours{7 * 60, 19 * 60};
  CHECK(PassHours(c.config, c.pass) == DailyHours{7 * 60, 19 * 60});
  c.pass.hours = DailyHours{0, 12 * 60};
  CHECK(PassHours(c.config, c.pass) == DailyHours{0, 12 * 60});
  // The gate's hours apply to every pass: north closes at 22:00 local.
  c.pass.hours.reset();
  c.config.kinds[PassKind::kStaff].default_hours.reset();
  c.pass.valid_until = Utc(2026, 6, 11, 0, 0);
  c.in.at = Utc(2026, 6, 10, 19, 59);  // 21:59 CEST
  CHECK(c.Decide().granted());
  c.in.at = Utc(2026, 6, 10, 20, 0);  // 22:00 CEST
  CHECK(c.Reason() == DenyReason::kOutsideHours);
}

}  // namespace picket::access
