// The small site the picket-access harnesses run the core on (access/core/access.h): the
// testing kit's World without Catch2 (its REQUIREs need a running test). Built once per
// process; each input runs on a copy of its state, so a run does not depend on the inputs
// before it and a crash reproduces from its one input.
//
// Gates north (post-1, open 06:00-22:00 local), south (post-2, always open) and depot (no
// post); time zone CET/CEST; visitor passes open north and south by default; officer
// "chief". State: staff host-1, visitor v-1 with pass P-1 valid an hour either side of
// `now` and on site (scanned in at north), staff s-1 with pass S-1, a watchlist entry for
// "Ivan Petrov" (supervisor).
#pragma once

#include <string>

#include "access/core/access.h"
#include "access/core/access_config.h"
#include "fuzz/fuzz_support.h"
#include "testing/memory_txn.h"

namespace picket::fuzz {

class AccessWorld {
 public:
  static constexpr Micros kNow = 1'781'074'800'000'000;  // 2026-06-10 07:00 UTC, a Wednesday
  static constexpr Micros kHour = 3600 * kMicrosPerSecond;

  static const AccessWorld& Get() {
    static const AccessWorld world;
    return world;
  }

  access::AccessConfig config;
  mutable access::Access core;  // holds only the config; its handlers are not const
  MemoryTxn state;              // copy it per input

  // Whether `s` has the same rows as the world's state in every table.
  bool Unchanged(const MemoryTxn& s) const {
    for (const auto& t : access::Access::Tables())
      if (s.Rows(t) != state.Rows(t)) return false;
    return true;
  }

  AccessWorld(const AccessWorld&) = delete;
  AccessWorld& operator=(const AccessWorld&) = delete;

 private:
  static access::AccessConfig SiteConfig() {
    using namespace access;
    AccessConfig c;
    c.time_zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    c.gates = {{"north", "post-1", DailyHours{6 * 60, 22 * 60}},
               {"south", "post-2", std::nullopt},
               {"depot", "", std::nullopt}};
    c.kinds[PassKind::kVisitor].default_gates = {"north", "south"};
    c.officers = {"chief"};
    c.overstay_grace = 15 * 60 * kMicrosPerSecond;
    c.overstay_repeat = 30 * 60 * kMicrosPerSecond;
    c.walkups_need_approval = true;
    Require(ValidateAccessConfig(&c).empty(), "the harness's site config is valid");
    return c;
  }

  AccessWorld() : config(SiteConfig()), core(config), state(access::Access::Tables()) {
    using namespace access;
    auto run = [&](CommandBody body) {
      Require(core.OnCommand(Command{"chief", std::move(body)}, state, kNow).reply.ok(),
              "the harness's world is set up");
    };
    run(RegisterPerson{"host-1", "Hana Host", {}, PassKind::kStaff, "Plant"});
    run(PreRegisterVisitor{"v-1", "Vera Visitor", {"Vera V"}, "Acme", "host-1", kNow});
    run(IssuePass{"P-1", "v-1", kNow - kHour, kNow + kHour, {}, {}});
    run(RegisterPerson{"s-1", "Sam Staff", {}, PassKind::kStaff, "Plant"});
    run(IssuePass{"S-1", "s-1", kNow - kHour, kNow + 100 * kHour, {}, {}});
    AddWatchlistEntry w;
    w.name = "Ivan Petrov";
    w.reason = "theft";
    w.action = WatchAction::kAdmitWithSupervisor;
    run(w);
    auto in =
        core.OnPassScanned(PassScanned{"P-1", "north", Direction::kIn, "guard-7", "", kNow}, state);
    Require(!in.events.empty(), "the harness's visitor scanned in");
  }
};

}  // namespace picket::fuzz
