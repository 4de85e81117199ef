// The escalation core driven by events and timers: opening, grouping, the chain of
// levels with repeat and fallback, unstaffed levels, panics, late and stale timers.
#include "escalation/core/escalation.h"

#include <catch2/catch.hpp>

#include "escalation/core/incident_keys.h"
#include "escalation/escalation_test_support.h"

namespace picket::escalation {
namespace {

using testing::Harness;
using testing::kT0;
using testing::Sec;
using Names = std::vector<std::string>;

template <class T>
const T& Body(const Effects& fx, size_t i) {
  REQUIRE(i < fx.events.size());
  const T* b = std::get_if<T>(&fx.events[i].body);
  REQUIRE(b != nullptr);
  return *b;
}

}  // namespace

TEST_CASE("A reported incident opens and alerts the first level at once", "[escalation]") {
  Harness h;
  h.StaffNorth();
  Effects fx = h.Report("gate-1");
  CHECK(Harness::Types(fx) ==
        Names{"escalation.incident_opened", "escalation.alert_raised", "escalation.alert_raised"});
  const auto& opened = Body<IncidentOpened>(fx, 0);
  CHECK(opened.incident_type == "intrusion");
  CHECK(opened.severity == Severity::kHigh);
  CHECK(opened.group_key == "gate-1");
  CHECK(opened.trigger_seq == 4);
  CHECK(opened.reported_by == "guard-gate-1");
  CHECK(fx.events[0].actor == "guard-gate-1");
  CHECK(Harness::Alerted(fx) == Names{"lea", "otto"});  // post_leader, role:duty_officer
  CHECK(Body<AlertRaised>(fx, 1).target == "post_leader");
  CHECK(Body<AlertRaised>(fx, 2).target == "role:duty_officer");
  CHECK(Body<AlertRaised>(fx, 2).level == 1);
  // Each alert says when the chain moves on: the level's wait, the same as the step timer.
  CHECK(Body<AlertRaised>(fx, 1).respond_by == kT0 + Sec(30));
  CHECK(Body<AlertRaised>(fx, 2).respond_by == kT0 + Sec(30));
  for (const auto& e : fx.events) CHECK(e.incident == 1);
  for (const auto& e : fx.events) CHECK(e.version == 1);
  CHECK(fx.set == std::vector<Timer>{{kT0 + Sec(30), 1, 1}});
  CHECK(fx.cancel.empty());
  CHECK_FALSE(fx.reply.has_value());
}

TEST_CASE("Events no rule matches change nothing", "[escalation]") {
  Harness h;
  int writes = h.txn.writes();
  CHECK(h.Event("access.denied", {{"post", "gate-1"}, {"reason", "expired"}}).events.empty());
  CHECK(h.Event("terminal.pass_scanned", {{"post", "gate-1"}}).events.empty());
  CHECK(h.Report("gate-1", "lost_key").events.empty());
  CHECK(h.txn.writes() == writes);
  CHECK(h.timers.empty());
}

TEST_CASE("Grouping: a flood at one post becomes one incident with a count", "[escalation]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  for (int i = 0; i < 5; ++i) {
    h.now += Sec(1);
    Effects fx = h.Report("gate-1");
    CHECK(Harness::Types(fx) == Names{"escalation.incident_grouped"});
    CHECK(Body<IncidentGrouped>(fx, 0).count == static_cast<uint32_t>(i + 2));
    CHECK(Harness::Alerted(fx).empty());
  }
  // Another post is another key.
  Effects other = h.Report("gate-2");
  CHECK(Body<IncidentOpened>(other, 0).group_key == "gate-2");
  CHECK(other.events[0].incident == 2);
  auto list = h.Run("otto", ListOpen{}).reply->incidents;
  REQUIRE(list.size() == 2);
  CHECK(list[0].count == 6);
  CHECK(list[1].count == 1);
}

TEST_CASE("AnnouncesGrouped: counts 2 to 10, round counts, and once per second of bus time",
          "[escalation]") {
  const Micros t = kT0;
  for (uint32_t c = 2; c <= 10; ++c) CHECK(AnnouncesGrouped(c, t, t));
  for (uint32_t c : {20u, 30u, 90u, 100u, 200u, 1000u, 7000u, 10000u, 4000000000u})
    CHECK(AnnouncesGrouped(c, t, t));
  for (uint32_t c : {11u, 19u, 21u, 99u, 101u, 110u, 150u, 999u, 1001u, 1100u, 4000000001u})
    CHECK_FALSE(AnnouncesGrouped(c, t, t));
  CHECK_FALSE(AnnouncesGrouped(11, t + kGroupedEventInterval - 1, t));
  CHECK(AnnouncesGrouped(11, t + kGroupedEventInterval, t));
}

TEST_CASE("Grouping: a flood keeps every report but announces only some of them", "[escalation]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  std::vector<uint32_t> announced;
  for (int i = 0; i < 999; ++i) {  // 999 more reports, 100 us apart: 0.1 s of bus time
    h.now += 100;
    Effects fx = h.Report("gate-1");
    CHECK(Harness::Alerted(fx).empty());
    for (size_t k = 0; k < fx.events.size(); ++k) {
      REQUIRE(fx.events[k].type() == "escalation.incident_grouped");
      announced.push_back(Body<IncidentGrouped>(fx, k).count);
    }
  }
  CHECK(announced == std::vector<uint32_t>{2,   3,   4,   5,   6,   7,   8,   9,   10,
                                           20,  30,  40,  50,  60,  70,  80,  90,  100,
                                           200, 300, 400, 500, 600, 700, 800, 900, 1000});
  // A second after the last announced report (count 1000), the next one is announced.
  h.now += kGroupedEventInterval - 100;
  CHECK(Harness::Types(h.Report("gate-1")).empty());  // 1001, 0.9999 s after 1000
  h.now += 100;
  Effects late = h.Report("gate-1");
  REQUIRE(Harness::Types(late) == Names{"escalation.incident_grouped"});
  CHECK(Body<IncidentGrouped>(late, 0).count == 1002);
  // Every report is counted; the history has a row per announced one (the bus's log keeps
  // every report).
  auto detail = *h.Run("otto", GetIncident{1}).reply->detail;
  CHECK(detail.summary.count == 1002);
  std::vector<std::string> grouped_rows;
  for (const HistoryEntry& e : detail.history)
    if (e.type == "escalation.incident_grouped") grouped_rows.push_back(e.text);
  REQUIRE(grouped_rows.size() == announced.size() + 1);
  CHECK_THAT(grouped_rows.back(), Catch::Contains("1002"));
}

TEST_CASE("Grouping: a trigger after the grouping window opens a new incident", "[escalation]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  h.Run("otto", Acknowledge{1});  // keep the chain quiet; the window is what matters
  h.now += Sec(10 * 60);          // exactly the window: still joins
  CHECK(Harness::Types(h.Report("gate-1")) == Names{"escalation.incident_grouped"});
  h.now += Sec(10 * 60) + 1;  // one microsecond past the window since the last trigger
  Effects fx = h.Report("gate-1");
  REQUIRE_FALSE(fx.events.empty());
  CHECK(fx.events[0].type() == "escalation.incident_opened");
  CHECK(fx.events[0].incident == 2);
}

TEST_CASE("Dedup keys with two fields keep different people apart", "[escalation]") {
  Harness h;
  h.Shift("otto", "hq", "duty_officer");
  auto deny = [&](const std::string& person) {
    return h.Event(
        "access.denied",
        {{"post", "gate-1"}, {"reason", "watchlist"}, {"person", person}, {"pass_code", "P1"}});
  };
  CHECK(Body<IncidentOpened>(deny("mallory"), 0).group_key == "gate-1/mallory");
  CHECK(Harness::Types(deny("mallory")) == Names{"escalation.incident_grouped"});
  Effects eve = deny("eve");
  CHECK(Body<IncidentOpened>(eve, 0).group_key == "gate-1/eve");
  CHECK(Harness::Alerted(eve) == Names{"otto"});
}

TEST_CASE("Escalation walks the levels, repeats, then the fallback, never silent", "[escalation]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  h.log.clear();
  h.AdvanceTo(kT0 + Sec(30));  // level 1 waited 30 s: level 2 (all:manager)
  REQUIRE(h.fired.size() == 1);
  CHECK(Harness::Types(h.fired[0]) == Names{"escalation.incident_escalated",
                                            "escalation.alert_raised", "escalation.alert_raised"});
  const auto& up = Body<IncidentEscalated>(h.fired[0], 0);
  CHECK(up.from_level == 1);
  CHECK(up.to_level == 2);
  CHECK(up.reason == "wait_passed");
  CHECK(up.lateness == 0);
  CHECK(Harness::Alerted(h.fired[0]) == Names{"mia", "chief"});  // on duty first, then standing

  h.AdvanceTo(kT0 + Sec(30 + 120));  // repeat = 1 from level 2: level 2 again, pass 1
  REQUIRE(h.fired.size() == 2);
  CHECK(Body<IncidentEscalated>(h.fired[1], 0).to_level == 2);
  CHECK(Body<IncidentEscalated>(h.fired[1], 0).pass == 1);
  CHECK(Body<AlertRaised>(h.fired[1], 1).pass == 1);

  h.AdvanceTo(kT0 + Sec(30 + 240));  // the chain has run out: the fallback
  REQUIRE(h.fired.size() == 3);
  CHECK(Body<IncidentEscalated>(h.fired[2], 0).to_fallback);
  CHECK(Harness::Alerted(h.fired[2]) == Names{"chief"});
  CHECK(Body<AlertRaised>(h.fired[2], 1).fallback);
  CHECK(Body<AlertRaised>(h.fired[2], 1).reason == "fallback");

  h.AdvanceTo(kT0 + Sec(30 + 240 + 300 * 3));  // and again every fallback_wait
  REQUIRE(h.fired.size() == 6);
  for (size_t i = 3; i < 6; ++i) {
    CHECK(Harness::Alerted(h.fired[i]) == Names{"chief"});
    CHECK(Body<AlertRaised>(h.fired[i], 0).reason == "fallback_repeat");
  }
  CHECK(h.timers.size() == 1);  // one row per incident, always
}

TEST_CASE("A level with nobody on duty is recorded and passed at once", "[escalation]") {
  Harness h;  // nobody on shift: level 1 (post_leader, duty officer) is empty
  Effects fx = h.Report("gate-1");
  CHECK(Harness::Types(fx) == Names{"escalation.incident_opened", "escalation.level_unstaffed",
                                    "escalation.incident_escalated", "escalation.alert_raised"});
  CHECK(Body<LevelUnstaffed>(fx, 1).targets == Names{"post_leader", "role:duty_officer"});
  CHECK(Body<IncidentEscalated>(fx, 2).reason == "unstaffed");
  CHECK(Harness::Alerted(fx) == Names{"chief"});  // level 2: all:manager has chief standing
  CHECK(fx.set == std::vector<Timer>{{kT0 + Sec(120), 1, 1}});
}

TEST_CASE("When every level is empty the fallback is alerted at once", "[escalation]") {
  Harness h;  // panic -> policy "short": role:duty_officer only, nobody on duty
  h.Event("terminal.panic_pressed", {{"post", "gate-2"}}, "guard-2");
  h.AdvanceTo(kT0 + Sec(15));
  REQUIRE(h.fired.size() == 1);
  CHECK(Harness::Types(h.fired[0]) ==
        Names{"escalation.incident_escalated", "escalation.level_unstaffed",
              "escalation.incident_escalated", "escalation.alert_raised"});
  CHECK(Body<IncidentEscalated>(h.fired[0], 2).to_fallback);
  CHECK(Harness::Alerted(h.fired[0]) == Names{"chief"});
}

TEST_CASE("Roles resolve against the roster as it is when the level is reached", "[escalation]") {
  Harness h;
  h.Shift("otto", "hq", "duty_officer");
  h.Event("access.denied", {{"post", "gate-1"}, {"reason", "watchlist"}, {"person", "m"}});
  h.EndShift("otto");
  h.Shift("dora", "hq", "duty_officer");
  h.AdvanceTo(kT0 + Sec(45));  // short: one level, then fallback chief + role:duty_officer
  REQUIRE(h.fired.size() == 1);
  CHECK(Harness::Alerted(h.fired[0]) == Names{"chief", "dora"});
}

TEST_CASE("A timer handled late says how late", "[escalation]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  auto fired = h.FireLate(kT0 + Sec(37));  // due at +30 s, handled at +37 s
  REQUIRE(fired.size() == 1);
  CHECK(Body<IncidentEscalated>(fired[0], 0).lateness == Sec(7));
  CHECK(Body<AlertRaised>(fired[0], 1).lateness == Sec(7));
  // The next level's wait runs from when it was actually reached.
  CHECK(fired[0].set == std::vector<Timer>{{kT0 + Sec(37 + 120), 1, 2}});
}

TEST_CASE("A stale or early timer raises nothing", "[escalation]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  Effects early = h.core.OnTimer({kT0 + Sec(30), 1, 1}, h.txn, kT0 + Sec(29));
  CHECK(early.events.empty());
  CHECK(early.cancel.empty());
  // A row at another time than the incident's deadline (left by an older version, which
  // kept one row per deadline) is stale, whatever its version.
  Effects stale = h.core.OnTimer({kT0 + Sec(20), 1, 1}, h.txn, kT0 + Sec(30));
  CHECK(stale.events.empty());
  CHECK(stale.cancel == std::vector<Timer>{{kT0 + Sec(20), 1, 0}});
  Effects unknown = h.core.OnTimer({kT0, 99, 1}, h.txn, kT0 + Sec(30));
  CHECK(unknown.events.empty());
  CHECK(unknown.cancel.size() == 1);
}

TEST_CASE("Panic: nothing is raised during the cancel window, a cancel ends it",
          "[escalation][panic]") {
  Harness h;
  h.StaffNorth();
  h.Shift("guard-2", "gate-2", "guard");  // who may cancel: someone on duty
  Effects fx = h.Event("terminal.panic_pressed", {{"post", "gate-2"}}, "guard-2");
  CHECK(Harness::Types(fx) == Names{"escalation.incident_opened"});
  CHECK(Body<IncidentOpened>(fx, 0).cancel_window_until == kT0 + Sec(15));
  CHECK(fx.set == std::vector<Timer>{{kT0 + Sec(15), 1, 1}});
  h.now += Sec(10);
  Effects again = h.Event("terminal.panic_pressed", {{"post", "gate-2"}}, "guard-2");
  CHECK(Harness::Types(again) == Names{"escalation.incident_grouped"});
  Effects cancel = h.Run("guard-2", CancelIncident{1});
  REQUIRE(cancel.reply->ok());
  CHECK(Harness::Types(cancel) == Names{"escalation.incident_cancelled"});
  CHECK(cancel.set.empty());
  CHECK(h.timers.empty());
  h.AdvanceTo(kT0 + Sec(3600));
  CHECK(h.AlertedSinceClear().empty());
  CHECK(h.Run("otto", Acknowledge{1}).reply->error == CommandError::kCancelled);
  CHECK(h.Run("otto", ListOpen{}).reply->incidents.empty());
}

TEST_CASE("Panic: escalation starts when the cancel window passes", "[escalation][panic]") {
  Harness h;
  h.StaffNorth();
  h.Shift("guard-2", "gate-2", "guard");  // who may cancel: someone on duty
  h.Event("terminal.panic_pressed", {{"post", "gate-2"}}, "guard-2");
  h.AdvanceTo(kT0 + Sec(15));
  REQUIRE(h.fired.size() == 1);
  CHECK(Harness::Types(h.fired[0]) ==
        Names{"escalation.incident_escalated", "escalation.alert_raised"});
  CHECK(Body<IncidentEscalated>(h.fired[0], 0).reason == "cancel_window_passed");
  CHECK(Harness::Alerted(h.fired[0]) == Names{"otto"});
  Effects late = h.Run("guard-2", CancelIncident{1});
  CHECK(late.reply->error == CommandError::kCancelWindowPassed);
  CHECK(late.events.empty());
}

TEST_CASE("Cancel is refused for incidents without a cancel window", "[escalation][panic]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  CHECK(h.Run("lea", CancelIncident{1}).reply->error == CommandError::kCancelWindowPassed);
  CHECK(h.Run("lea", CancelIncident{42}).reply->error == CommandError::kUnknownIncident);
}

TEST_CASE("Panic: an ack inside the cancel window stops it before any alert",
          "[escalation][panic]") {
  Harness h;
  h.StaffNorth();
  h.Event("terminal.panic_pressed", {{"post", "gate-2"}}, "guard-2");
  h.now += Sec(3);
  Effects ack = h.Run("otto", Acknowledge{1});
  REQUIRE(ack.reply->ok());
  CHECK(std::get<IncidentAcknowledged>(ack.events[0].body).level == 0);
  CHECK(ack.cancel == std::vector<Timer>{{kT0 + Sec(15), 1, 0}});
  h.AdvanceTo(kT0 + Sec(60));
  CHECK(h.AlertedSinceClear().empty());
}

TEST_CASE("Incident types keep their own keys", "[escalation]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  Effects panic = h.Event("terminal.panic_pressed", {{"post", "gate-1"}}, "guard-1");
  CHECK(panic.events[0].type() == "escalation.incident_opened");
  CHECK(panic.events[0].incident == 2);
}

}  // namespace picket::escalation

namespace picket::escalation {

TEST_CASE(
    "Every alert says what happened: the incident's type, post, severity and the reporter's "
    "note, which the incident keeps (a reopening report brings its own)",
    "[escalation][note]") {
  Harness h;
  h.StaffNorth();
  auto report = [&](const std::string& note) {
    return h.Event("terminal.incident_reported",
                   {{"post", "gate-1"}, {"kind", "intrusion"}, {"note", note}}, "guard-gate-1");
  };
  Effects fx = report("fence cut near the north gate");
  REQUIRE(Harness::Alerted(fx) == Names{"lea", "otto"});
  for (size_t i = 1; i <= 2; ++i) {
    const auto& a = Body<AlertRaised>(fx, i);
    CHECK(a.incident_type == "intrusion");
    CHECK(a.post == "gate-1");
    CHECK(a.severity == Severity::kHigh);
    CHECK(a.note == "fence cut near the north gate");
  }
  // The next level's alerts carry it too, and so does the incident's detail.
  h.Advance(Sec(30));
  bool escalated = false;
  for (const auto& e : h.log)
    if (const auto* a = std::get_if<AlertRaised>(&e.body); a && a->person == "mia") {
      escalated = true;
      CHECK(a->note == "fence cut near the north gate");
    }
  CHECK(escalated);
  Effects shown = h.Run("otto", GetIncident{1});
  REQUIRE(shown.reply);
  REQUIRE(shown.reply->detail);
  CHECK(shown.reply->detail->note == "fence cut near the north gate");

  // Resolved, then reported again within the reopen window: the new report's note.
  h.Run("otto", Resolve{1, "drill"});
  Effects reopened = report("gate forced again");
  CHECK(Body<IncidentReopened>(reopened, 0).count == 2);
  CHECK(Body<AlertRaised>(reopened, 1).note == "gate forced again");

  // A note longer than kMaxNoteBytes is cut at a character boundary.
  std::string long_note(kMaxNoteBytes - 1, 'x');
  long_note += "\xc3\xa9\xc3\xa9";  // é straddles the limit
  h.Advance(Sec(3600));
  Effects other = h.Event("terminal.incident_reported",
                          {{"post", "gate-2"}, {"kind", "intrusion"}, {"note", long_note}});
  const auto& cut = Body<AlertRaised>(other, 1);
  CHECK(cut.note == std::string(kMaxNoteBytes - 1, 'x'));
}

}  // namespace picket::escalation
