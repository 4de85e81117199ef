// The guard's session in danger: the panic and its cancel window, the duress code (silent
// panic, nothing on screen), and the incidents at this post with their procedure steps.
#include <catch2/catch.hpp>

#include "terminal/core/screen.h"
#include "terminal/core/session.h"
#include "terminal/core/terminal_test_support.h"

namespace picket::terminal {
namespace {

using namespace testing;

bool IsSilentPanic(const OutgoingEvent& e) {
  return e.type == "terminal.panic_pressed" && e.Get("duress") == "true";
}

IncidentInfo Fire(uint64_t id, std::string post = "gate-1", std::string trigger = "") {
  return {id, "fire", std::move(post), "high", std::move(trigger)};
}

}  // namespace

TEST_CASE("panic: the cancel window counts down and /cancel sends nothing", "[terminal][panic]") {
  Terminal t;
  t.OnDuty();
  const Effects press = t.Type("/panic", kT0);
  CHECK(press.events.empty());
  CHECK(press.Says(NoticeKind::kPanic, "in 10 s: /cancel to stop it"));
  REQUIRE(t.session.PanicDue() == kT0 + 10 * kSecond);
  CHECK(t.session.screen().panic_pending);
  CHECK(t.session.screen().panic_seconds_left == 10);
  CHECK(t.session.NextDeadline() == kT0 + kSecond);  // the next second of the countdown

  const Effects tick = t.session.OnTimer(kT0 + kSecond);
  CHECK(tick.Says(NoticeKind::kPanic, "in 9 s"));
  CHECK(t.session.screen().panic_seconds_left == 9);
  CHECK(t.session.NextDeadline() == kT0 + 2 * kSecond);
  CHECK(t.session.OnTimer(kT0 + kSecond + 10).notices.empty());  // same second: quiet
  CHECK(t.ScreenText().find("Panic in 9 s. Type /cancel") != std::string::npos);

  CHECK(t.Type("/panic", kT0 + 2 * kSecond).Says(NoticeKind::kInfo, "already counting down"));
  CHECK(t.session.PanicDue() == kT0 + 10 * kSecond);  // not restarted

  const Effects cancel = t.Type("/cancel", kT0 + 9 * kSecond);
  CHECK(cancel.events.empty());
  CHECK(cancel.Says(NoticeKind::kPanic, "cancelled: nothing was sent"));
  CHECK_FALSE(t.session.PanicDue());
  CHECK_FALSE(t.session.NextDeadline());
  CHECK(t.session.OnTimer(kT0 + 20 * kSecond).events.empty());
  CHECK(t.published.size() == 1);  // only the shift start
  CHECK(t.Type("/cancel").Says(NoticeKind::kError, "no_panic"));
}

TEST_CASE("panic: when the window has passed it goes out, observed at the press",
          "[terminal][panic]") {
  Terminal t;
  t.OnDuty();
  t.Type("/panic", kT0 + 3);
  CHECK(t.session.OnTimer(kT0 + 3 + 10 * kSecond - 1).events.empty());
  const Effects sent = t.Bind(t.session.OnTimer(kT0 + 3 + 10 * kSecond + 250));
  REQUIRE(sent.events.size() == 1);
  const OutgoingEvent& panic = sent.events[0];
  CHECK(panic.type == "terminal.panic_pressed");
  CHECK(panic.fields == std::vector<Field>{{"post", "gate-1"}});
  CHECK(panic.actor == "g-7");
  CHECK(panic.observed_at == kT0 + 3);
  CHECK(sent.Says(NoticeKind::kPanic, "sent"));
  CHECK_FALSE(t.session.screen().panic_pending);
  CHECK(t.session.OnTimer(kT0 + 30 * kSecond).events.empty());  // once
  CHECK(t.Type("/cancel", kT0 + 31 * kSecond).Says(NoticeKind::kError, "no_panic"));
}

TEST_CASE("panic: a /cancel at the due time is too late and sends it", "[terminal][panic]") {
  Terminal t;
  t.OnDuty();
  t.Type("/panic", kT0);
  const Effects late = t.Type("/cancel", kT0 + 10 * kSecond);
  CHECK(late.EventsOf("terminal.panic_pressed").size() == 1);
  CHECK(late.Says(NoticeKind::kPanic, "too late to cancel"));
}

TEST_CASE("panic: a window of 0 sends at once, before /ack too, but not before login",
          "[terminal][panic]") {
  TerminalConfig c = TestConfig();
  c.panic_cancel_window = 0;
  Terminal t(c);
  CHECK(t.Type("/panic").Says(NoticeKind::kError, "not_logged_in"));
  t.Type("/login g-7 2468");
  const Effects now = t.Type("/panic", kT0 + 1);  // post orders not yet acknowledged
  REQUIRE(now.EventsOf("terminal.panic_pressed").size() == 1);
  CHECK(now.EventsOf("terminal.panic_pressed")[0]->observed_at == kT0 + 1);
  CHECK_FALSE(t.session.NextDeadline());
}

TEST_CASE("duress: a duress login looks exactly like a login and sends a silent panic",
          "[terminal][duress]") {
  Terminal normal;
  Terminal forced;
  const Effects a = normal.Type("/login g-7 2468", kT0);
  const Effects b = forced.Type("/login g-7 1357", kT0);

  // What the guard (and whoever forces them) can see: identical.
  CHECK(a.notices == b.notices);
  CHECK(a.screen_changed == b.screen_changed);
  CHECK(RenderLines(a) == RenderLines(b));
  CHECK(normal.ScreenText() == forced.ScreenText());
  CHECK(normal.session.screen().stage == forced.session.screen().stage);

  // What goes out: the same shift start, plus the silent panic.
  REQUIRE(a.events.size() == 1);
  REQUIRE(b.events.size() == 2);
  CHECK(IsSilentPanic(b.events[0]));
  CHECK(b.events[0].fields == std::vector<Field>{{"post", "gate-1"}, {"duress", "true"}});
  CHECK(b.events[0].actor == "g-7");
  CHECK(b.events[0].observed_at == kT0);
  CHECK(b.events[1].type == "shift.started");
  CHECK(b.events[1].fields == a.events[0].fields);
  CHECK_FALSE(forced.session.NextDeadline());  // no cancel window: it went at once

  // And the rest of the shift goes on as normal.
  CHECK(normal.Type("/ack").notices == forced.Type("/ack").notices);
  CHECK(normal.ScreenText() == forced.ScreenText());
}

TEST_CASE("duress: also during a lockout and while someone is logged in", "[terminal][duress]") {
  Terminal normal;
  Terminal forced;
  for (Terminal* t : {&normal, &forced}) {
    for (int i = 0; i < 3; ++i) t->Type("/login g-7 0000", kT0);
  }
  const Effects a = normal.Type("/login g-7 2468", kT0 + kSecond);
  const Effects b = forced.Type("/login g-7 1357", kT0 + kSecond);
  CHECK(a.Says(NoticeKind::kError, "login_locked"));
  CHECK(a.notices == b.notices);
  CHECK(a.events.empty());
  REQUIRE(b.events.size() == 1);
  CHECK(IsSilentPanic(b.events[0]));

  Terminal busy;
  busy.OnDuty();
  const Effects c = busy.Type("/login g-7 1357");
  CHECK(c.Says(NoticeKind::kError, "already_logged_in"));
  REQUIRE(c.events.size() == 1);
  CHECK(IsSilentPanic(c.events[0]));
  // g-8 has no duress code: their codes never send one.
  CHECK(busy.Type("/login g-8 1357").events.empty());
}

TEST_CASE("duress: the duress code scanned at the gate shows a grant and sends only the panic",
          "[terminal][duress]") {
  Terminal t;
  t.OnDuty();
  const ScreenModel before = t.session.screen();
  const Effects fx = t.Type("1357", kT0 + 2);
  REQUIRE(fx.events.size() == 1);
  CHECK(IsSilentPanic(fx.events[0]));
  CHECK(fx.events[0].observed_at == kT0 + 2);
  for (const OutgoingEvent& e : t.published) {
    for (const Field& f : e.fields) CHECK(f.value != "1357");  // the code never goes out
  }
  CHECK(t.session.screen().last.verdict == Verdict::kGranted);
  CHECK(t.session.screen().last.phrase == kFrGrantedIn);
  CHECK(fx.Says(NoticeKind::kGranted, "1357 in"));
  CHECK(fx.Says(NoticeKind::kSay, kFrGrantedIn));
  CHECK_FALSE(fx.Says(NoticeKind::kPanic, ""));
  CHECK(t.session.screen().notice == before.notice);
  CHECK(t.session.screen().error == before.error);
  CHECK_FALSE(t.session.screen().panic_pending);
  CHECK(t.ScreenText().find("anic") == std::string::npos);
  // Another guard's duress code is just a pass code here.
  CHECK(t.Type("9999").EventsOf("terminal.pass_scanned").size() == 1);
}

TEST_CASE("duress: the incident the silent panic opens stays off the screen",
          "[terminal][duress]") {
  Terminal t;
  const Effects login = t.Type("/login g-7 1357");
  const std::string silent_id = IdOf(login.events[0]);
  t.Type("/ack");
  const Effects hidden =
      t.session.OnIncidentOpened({5, "panic", "gate-1", "critical", silent_id}, kT0);
  CHECK(hidden.notices.empty());
  CHECK_FALSE(hidden.screen_changed);
  CHECK(t.session.screen().incidents.empty());
  CHECK(t.ScreenText().find("#5") == std::string::npos);
  // A panic incident from elsewhere (another terminal's panic) is shown.
  t.session.OnIncidentOpened({6, "panic", "gate-1", "critical", ""}, kT0);
  CHECK(t.session.screen().incidents.size() == 1);
}

TEST_CASE("incidents: those opened at this post are shown with their procedure",
          "[terminal][incident]") {
  Terminal t;
  t.OnDuty();
  CHECK(t.session.OnIncidentOpened(Fire(3, "gate-2"), kT0).notices.empty());
  const Effects fx = t.session.OnIncidentOpened(Fire(12), kT0);
  CHECK(fx.Says(NoticeKind::kIncident, "#12 fire opened (high)"));
  CHECK(fx.Says(NoticeKind::kStep, "#12 call [ ] Call the fire brigade (112) *"));
  CHECK(fx.Says(NoticeKind::kStep, "#12 meet [ ] Meet the fire brigade at the gate"));
  CHECK_FALSE(fx.Says(NoticeKind::kStep, "gate *"));
  t.session.OnIncidentOpened({4, "intrusion", "gate-1", "", ""}, kT0);
  CHECK(t.session.OnIncidentOpened(Fire(12), kT0).notices.empty());  // once
  const auto& incidents = t.session.screen().incidents;
  REQUIRE(incidents.size() == 2);
  CHECK(incidents[0].id == 4);  // by id
  CHECK(incidents[0].label == "intrusion");
  CHECK(incidents[0].steps.empty());
  CHECK(incidents[1].label == "Fire");
  CHECK(incidents[1].steps.size() == 3);
  const std::string screen = t.ScreenText();
  CHECK(screen.find("#12 Fire (high)") != std::string::npos);
  CHECK(screen.find("[ ] call  Call the fire brigade (112) *") != std::string::npos);
}

TEST_CASE("incidents: /done sends the step to escalation, step_done ticks it",
          "[terminal][incident]") {
  Terminal t;
  t.OnDuty();
  t.session.OnIncidentOpened(Fire(12), kT0);
  CHECK(t.Type("/done 13 call").Says(NoticeKind::kError, "unknown_incident"));
  const Effects bad_step = t.Type("/done 12 pray");
  CHECK(bad_step.Says(NoticeKind::kError, "unknown_step"));
  CHECK(bad_step.Says(NoticeKind::kError, "Steps: call, evacuate, meet"));

  const Effects done = t.Type("/done 12 call");
  CHECK(done.events.empty());
  REQUIRE(done.commands.size() == 1);
  CHECK(done.commands[0].service == "escalation");
  CHECK(done.commands[0].name == "markStepDone");
  CHECK(done.commands[0].Get("incident") == "12");
  CHECK(done.commands[0].Get("step") == "call");
  CHECK(done.commands[0].actor == "g-7");
  CHECK(done.Says(NoticeKind::kStep, "#12 call [~]"));
  CHECK(t.ScreenText().find("[~] call") != std::string::npos);

  const Effects confirmed = t.session.OnStepDone(12, "call", kT0);
  CHECK(confirmed.Says(NoticeKind::kStep, "#12 call [x] Call the fire brigade (112) *"));
  CHECK(t.ScreenText().find("[x] call") != std::string::npos);
  CHECK(t.session.OnStepDone(12, "call", kT0).notices.empty());  // once
  CHECK(t.session.OnStepDone(99, "call", kT0).notices.empty());
  CHECK(t.Type("/done 12 call").Says(NoticeKind::kError, "step_already_done"));
  // A step done by someone else (the duty officer) is ticked too.
  t.session.OnStepDone(12, "meet", kT0);
  CHECK(t.ScreenText().find("[x] meet") != std::string::npos);
}

TEST_CASE("incidents: a resolved or cancelled incident leaves the screen", "[terminal][incident]") {
  Terminal t;
  t.OnDuty();
  t.session.OnIncidentOpened(Fire(12), kT0);
  t.session.OnIncidentOpened(Fire(13), kT0);
  const Effects closed = t.session.OnIncidentClosed(12, "resolved", kT0);
  CHECK(closed.Says(NoticeKind::kIncident, "#12 fire resolved"));
  CHECK(t.session.OnIncidentClosed(12, "resolved", kT0).notices.empty());
  REQUIRE(t.session.screen().incidents.size() == 1);
  CHECK(t.session.screen().incidents[0].id == 13);
  t.session.OnIncidentClosed(13, "cancelled", kT0);
  CHECK(t.ScreenText().find("No open incidents at gate-1.") != std::string::npos);
  // Incidents stay on screen across a change of guard: they belong to the post.
  t.session.OnIncidentOpened(Fire(14), kT0);
  t.Type("/logout");
  CHECK(t.session.screen().incidents.size() == 1);
}

}  // namespace picket::terminal

namespace picket::terminal {

TEST_CASE(
    "incidents: a kind the guard may not report is refused by /incident, but its procedure "
    "shows when one opens at the post",
    "[terminal][incident]") {
  TerminalConfig c = testing::TestConfig();
  c.incident_kinds.push_back(
      {"watchlist", "", {{"hold", "Keep the person at the gate", true}}, false});
  testing::Terminal t(c);
  t.OnDuty();
  const Effects refused = t.Type("/incident watchlist someone on the list");
  CHECK(refused.events.empty());
  CHECK(refused.Says(NoticeKind::kError, "unknown_kind"));
  CHECK_FALSE(refused.Says(NoticeKind::kError, "watchlist,"));  // not offered either
  const Effects opened = t.session.OnIncidentOpened({9, "watchlist", "gate-1", "high", ""}, kT0);
  CHECK(opened.Says(NoticeKind::kStep, "#9 hold [ ] Keep the person at the gate *"));
}

}  // namespace picket::terminal
