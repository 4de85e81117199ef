// The guard's session: login and the post orders, scans and their decisions with the
// standard phrase, the network being down, rounds and gate reports, malformed lines.
#include "terminal/core/session.h"

#include <catch2/catch.hpp>

#include "terminal/core/terminal_test_support.h"

namespace picket::terminal {
namespace {

using namespace testing;

// A copy of the one event of `type` in fx (REQUIREd).
OutgoingEvent One(const Effects& fx, std::string_view type) {
  const auto events = fx.EventsOf(type);
  REQUIRE(events.size() == 1);
  return *events.front();
}

bool Refused(const Effects& fx, std::string_view code) {
  return fx.events.empty() && fx.commands.empty() &&
         fx.Says(NoticeKind::kError, std::string(code) + " ");
}

// Scans `code` and answers it with `d` (its id filled in).
Effects ScanAndDecide(Terminal& t, const std::string& code, Decision d, Micros now) {
  const Effects scan = t.Type(code, now);
  d.scan_event_id = IdOf(One(scan, "terminal.pass_scanned"));
  return t.session.OnDecision(d, now + kSecond);
}

}  // namespace

TEST_CASE("session: before login only /login and /help are taken", "[terminal][session]") {
  Terminal t;
  for (const char* line :
       {"4711", "/ack", "/logout", "/visitor p-1", "/manual p-1 why", "/round start",
        "/incident fire smoke", "/panic", "/cancel", "/done 1 call", "/in", "/gate g2"}) {
    INFO(line);
    const Effects fx = t.Type(line);
    CHECK(Refused(fx, "not_logged_in"));
    CHECK(fx.Says(NoticeKind::kError, "/login <guard> <code>"));
  }
  const Effects help = t.Type("/help");
  CHECK(help.Says(NoticeKind::kHelp, "/login <guard> <code>"));
  CHECK(help.events.empty());
  CHECK(t.published.empty());
  CHECK(t.session.screen().stage == Stage::kLoggedOut);
}

TEST_CASE("session: login starts the shift and shows the post orders until /ack",
          "[terminal][session]") {
  Terminal t;
  const Effects login = t.Type("/login g-8 9999", kT0 + 5);
  const OutgoingEvent& started = One(login, "shift.started");
  CHECK(started.Get("person") == "g-8");
  CHECK(started.Get("post") == "gate-1");
  CHECK(started.Get("role") == "squad_leader");
  CHECK(started.actor == "g-8");
  CHECK(started.observed_at == kT0 + 5);
  CHECK(login.Says(NoticeKind::kOrders, "Check every badge."));
  CHECK(login.Says(NoticeKind::kOrders, "No phones on duty."));
  CHECK(t.session.screen().stage == Stage::kAwaitingAck);
  CHECK(t.session.screen().post_orders ==
        std::vector<std::string>{"Check every badge.", "No phones on duty."});

  // Nothing but /ack, /logout, /help and the panic before the orders are acknowledged.
  for (const char* line : {"4711", "/visitor p-1", "/manual p-1 why", "/round start",
                           "/incident fire smoke", "/done 1 call", "/in", "/gate g2"}) {
    INFO(line);
    CHECK(Refused(t.Type(line), "orders_not_acknowledged"));
  }
  CHECK(t.Type("/help").Says(NoticeKind::kHelp, "/ack"));

  const Effects ack = t.Type("/ack");
  CHECK(ack.events.empty());
  CHECK(t.session.screen().stage == Stage::kOnDuty);
  CHECK(t.session.screen().post_orders.empty());
  CHECK(t.Type("/ack").Says(NoticeKind::kInfo, "Nothing to acknowledge"));
  CHECK_FALSE(t.Type("4711").events.empty());
}

TEST_CASE("session: a wrong code or an unknown guard gets the same refusal, and logins lock",
          "[terminal][session]") {
  Terminal t;
  const Effects wrong = t.Type("/login g-7 1111", kT0);
  const Effects unknown = t.Type("/login g-99 2468", kT0);
  CHECK(Refused(wrong, "login_refused"));
  CHECK(wrong.notices == unknown.notices);  // names cannot be probed
  const Effects third = t.Type("/login g-7 0000", kT0);
  CHECK(third.Says(NoticeKind::kError, "locked for 60 s"));
  // Locked: even the right code is refused until the lockout has passed.
  CHECK(Refused(t.Type("/login g-7 2468", kT0 + 59 * kSecond), "login_locked"));
  CHECK(t.session.screen().stage == Stage::kLoggedOut);
  CHECK(t.Type("/login g-7 2468", kT0 + 60 * kSecond).EventsOf("shift.started").size() == 1);
}

TEST_CASE("session: a good login resets the failure count", "[terminal][session]") {
  Terminal t;
  t.Type("/login g-7 1111");
  t.Type("/login g-7 1111");
  t.Type("/login g-7 2468");
  t.Type("/ack");
  t.Type("/logout");
  CHECK(Refused(t.Type("/login g-7 1111"), "login_refused"));
  CHECK_FALSE(t.Type("/login g-7 1111").Says(NoticeKind::kError, "locked"));
}

TEST_CASE("session: logout ends the shift, but not during a round or a panic countdown",
          "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  CHECK(Refused(t.Type("/login g-8 9999"), "already_logged_in"));
  t.Type("/round start");
  CHECK(Refused(t.Type("/logout"), "in_round"));
  t.Type("/round end");
  t.Type("/panic", kT0);
  CHECK(Refused(t.Type("/logout", kT0 + kSecond), "panic_pending"));
  t.Type("/cancel", kT0 + 2 * kSecond);
  const Effects out = t.Type("/logout", kT0 + 3 * kSecond);
  const OutgoingEvent& ended = One(out, "shift.ended");
  CHECK(ended.Get("person") == "g-7");
  CHECK(ended.actor == "g-7");
  CHECK(ended.observed_at == kT0 + 3 * kSecond);
  CHECK(t.session.screen().stage == Stage::kLoggedOut);
  CHECK(t.session.screen().guard.empty());
  CHECK(Refused(t.Type("4711"), "not_logged_in"));
}

TEST_CASE("session: a pass scan names the post, direction and gate", "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  const OutgoingEvent& in = One(t.Type("4711", kT0 + 7), "terminal.pass_scanned");
  CHECK(in.fields == std::vector<Field>{{"post", "gate-1"},
                                        {"passCode", "4711"},
                                        {"direction", "in"},
                                        {"gate", "g1"},
                                        {"supervisor", ""}});
  CHECK(in.actor == "g-7");
  CHECK(in.observed_at == kT0 + 7);
  CHECK(t.session.screen().last.verdict == Verdict::kChecking);

  t.Type("/out");
  t.Type("/gate g2");
  const OutgoingEvent& out = One(t.Type("4711"), "terminal.pass_scanned");
  CHECK(out.Get("direction") == "out");
  CHECK(out.Get("gate") == "g2");
  CHECK(Refused(t.Type("/gate g9"), "unknown_gate"));
  CHECK(t.session.screen().gate == "g2");
}

TEST_CASE("session: the standard phrase shown matches the decision", "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  const PhraseBook book(t.config.phrases, t.config.language, t.config.default_language);

  SECTION("granted, in and out") {
    const Effects in = ScanAndDecide(t, "4711", {"", true, "", "p-1"}, kT0);
    CHECK(t.session.screen().last.verdict == Verdict::kGranted);
    CHECK(t.session.screen().last.phrase == kFrGrantedIn);  // the site's language
    CHECK(in.Says(NoticeKind::kGranted, "4711 in p-1"));
    CHECK(in.Says(NoticeKind::kSay, kFrGrantedIn));
    t.Type("/out");
    const Effects out = ScanAndDecide(t, "4711", {"", true, "", "p-1"}, kT0);
    CHECK(t.session.screen().last.phrase == BuiltInPhrase(Situation::kGrantedOut));
    CHECK(out.Says(NoticeKind::kSay, BuiltInPhrase(Situation::kGrantedOut)));
  }
  SECTION("denied, for every reason access sends") {
    for (std::string_view reason : KnownDenyReasons()) {
      INFO(reason);
      const Effects fx = ScanAndDecide(t, "4711", {"", false, std::string(reason), ""}, kT0);
      const std::string expected =
          book.Lookup(SituationOfDecision(false, Direction::kIn, reason)).text;
      CHECK(t.session.screen().last.verdict == Verdict::kDenied);
      CHECK(t.session.screen().last.detail == reason);
      CHECK(t.session.screen().last.phrase == expected);
      CHECK(fx.Says(NoticeKind::kDenied, "4711 in " + std::string(reason)));
      CHECK(fx.Says(NoticeKind::kSay, expected));
      CHECK(t.ScreenText().find(expected.substr(0, 40)) != std::string::npos);
    }
    // The three sources of the lookup order, seen through decisions.
    ScanAndDecide(t, "1", {"", false, "expired", ""}, kT0);
    CHECK(t.session.screen().last.phrase == kFrDeniedExpired);
    ScanAndDecide(t, "2", {"", false, "revoked", ""}, kT0);
    CHECK(t.session.screen().last.phrase == kEnDeniedRevoked);
    ScanAndDecide(t, "3", {"", false, "wrong_gate", ""}, kT0);
    CHECK(t.session.screen().last.phrase == BuiltInPhrase(Situation::kDeniedWrongGate));
    ScanAndDecide(t, "4", {"", false, "a_new_reason", ""}, kT0);
    CHECK(t.session.screen().last.phrase == BuiltInPhrase(Situation::kDeniedOther));
  }
}

TEST_CASE("session: a decision is matched by the scan's event id, once", "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  const std::string id = IdOf(One(t.Type("4711"), "terminal.pass_scanned"));
  CHECK(t.session.OnDecision({"ev-999", true, "", "p-1"}, kT0).notices.empty());
  CHECK(t.session.OnDecision({"", true, "", "p-1"}, kT0).notices.empty());
  CHECK(t.session.screen().last.verdict == Verdict::kChecking);
  CHECK_FALSE(t.session.OnDecision({id, false, "expired", ""}, kT0).notices.empty());
  CHECK(t.session.screen().last.verdict == Verdict::kDenied);
  // A second decision for the same scan (a redelivery) changes nothing.
  CHECK(t.session.OnDecision({id, true, "", "p-1"}, kT0).notices.empty());
  CHECK(t.session.screen().last.verdict == Verdict::kDenied);
}

TEST_CASE("session: with the network down the scan is kept and the screen says so",
          "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  t.session.OnConnection(false, 3, kT0);
  const Effects fx = t.Type("4711", kT0);
  const OutgoingEvent& scan = One(fx, "terminal.pass_scanned");  // kept: for the outbox
  CHECK(fx.Says(NoticeKind::kNoDecision, "4711 network_down scan kept"));
  CHECK(fx.Says(NoticeKind::kSay, BuiltInPhrase(Situation::kNetworkDown)));
  CHECK(t.session.screen().last.verdict == Verdict::kNoDecision);
  CHECK(t.ScreenText().find("the network is down. The scan is kept") != std::string::npos);
  CHECK_FALSE(t.session.NextDeadline());  // no "no answer" to wait for

  // The network comes back; the late decision still reaches the screen.
  t.session.OnConnection(true, 0, kT0 + 60 * kSecond);
  const Effects late = t.session.OnDecision({IdOf(scan), true, "", "p-1"}, kT0 + 61 * kSecond);
  CHECK(late.Says(NoticeKind::kGranted, "4711 in p-1 (late)"));
  CHECK(t.session.screen().last.verdict == Verdict::kGranted);
  CHECK(t.session.screen().last.late);
  CHECK(t.ScreenText().find("the decision came late") != std::string::npos);
}

TEST_CASE("session: the network going down while a decision is awaited", "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  t.session.OnConnection(true, 0, kT0);
  t.Type("4711", kT0);
  const Effects down = t.session.OnConnection(false, 1, kT0 + kSecond);
  CHECK(down.Says(NoticeKind::kConnection, "down outbox=1"));
  CHECK(down.Says(NoticeKind::kNoDecision, "4711 network_down"));
  CHECK(t.session.screen().last.detail == "network_down");
  // Only changes of state are announced; a new depth only redraws.
  const Effects deeper = t.session.OnConnection(false, 2, kT0 + 2 * kSecond);
  CHECK(deeper.notices.empty());
  CHECK(deeper.screen_changed);
  CHECK(t.session.screen().outbox_depth == 2);
  CHECK_FALSE(t.session.OnConnection(false, 2, kT0).screen_changed);
}

TEST_CASE("session: no answer within the decision timeout", "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  t.session.OnConnection(true, 0, kT0);
  const OutgoingEvent scan = One(t.Type("4711", kT0), "terminal.pass_scanned");
  REQUIRE(t.session.NextDeadline() == kT0 + 5 * kSecond);
  CHECK(t.session.OnTimer(kT0 + 5 * kSecond - 1).notices.empty());
  const Effects timeout = t.session.OnTimer(kT0 + 5 * kSecond);
  CHECK(timeout.Says(NoticeKind::kNoDecision, "4711 no_answer scan kept"));
  CHECK(timeout.Says(NoticeKind::kSay, BuiltInPhrase(Situation::kNoAnswer)));
  CHECK(t.session.screen().last.detail == "no_answer");
  CHECK_FALSE(t.session.NextDeadline());
  CHECK(t.session.OnTimer(kT0 + 9 * kSecond).notices.empty());  // said once
  t.session.OnDecision({IdOf(scan), false, "expired", ""}, kT0 + 9 * kSecond);
  CHECK(t.session.screen().last.verdict == Verdict::kDenied);
  CHECK(t.session.screen().last.late);
}

TEST_CASE("session: a decision for an earlier scan is a notice, not the big letters",
          "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  const OutgoingEvent first = One(t.Type("1111", kT0), "terminal.pass_scanned");
  t.Type("2222", kT0 + kSecond);
  const Effects fx = t.session.OnDecision({IdOf(first), false, "expired", ""}, kT0 + 2 * kSecond);
  CHECK(fx.Says(NoticeKind::kDenied, "1111 in expired (earlier scan)"));
  CHECK_FALSE(fx.Says(NoticeKind::kSay, ""));  // nobody to say it to
  CHECK(t.session.screen().last.subject == "2222");
  CHECK(t.session.screen().last.verdict == Verdict::kChecking);
}

TEST_CASE("session: only the last max_pending_scans scans await a decision",
          "[terminal][session]") {
  Terminal t;  // max_pending_scans = 4
  t.OnDuty();
  const OutgoingEvent oldest = One(t.Type("1000"), "terminal.pass_scanned");
  for (int i = 1; i <= 4; ++i) t.Type(std::to_string(1000 + i));
  CHECK(t.session.OnDecision({IdOf(oldest), true, "", ""}, kT0).notices.empty());
  const OutgoingEvent& kept = t.published[t.published.size() - 4];
  CHECK(kept.Get("passCode") == "1001");
  CHECK_FALSE(t.session.OnDecision({IdOf(kept), true, "", ""}, kT0).notices.empty());
}

TEST_CASE("session: checkpoint tags during a round", "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  CHECK(Refused(t.Type("CP-1"), "tag_outside_round"));
  CHECK(Refused(t.Type("/round end"), "not_in_round"));
  const OutgoingEvent& start = One(t.Type("/round start north", kT0 + 1), "terminal.round_started");
  CHECK(start.fields == std::vector<Field>{{"post", "gate-1"}, {"route", "north"}});
  CHECK(Refused(t.Type("/round start"), "in_round"));

  const Effects tag = t.Type("CP-1", kT0 + 2);
  const OutgoingEvent& scanned = One(tag, "terminal.checkpoint_scanned");
  CHECK(scanned.fields == std::vector<Field>{{"post", "gate-1"}, {"tag", "CP-1"}});
  CHECK(scanned.observed_at == kT0 + 2);
  CHECK(tag.Says(NoticeKind::kCheckpoint, "CP-1 1 this round"));
  CHECK(tag.Says(NoticeKind::kSay, BuiltInPhrase(Situation::kCheckpointRecorded)));
  t.Type("CP-2");
  CHECK(t.session.screen().round_checkpoints == 2);
  // With prefixes configured, a pass is still a pass during a round.
  CHECK(t.Type("4711").EventsOf("terminal.pass_scanned").size() == 1);

  const Effects end = t.Type("/round end", kT0 + 3);
  CHECK(One(end, "terminal.round_ended").fields == std::vector<Field>{{"post", "gate-1"}});
  CHECK(end.Says(NoticeKind::kInfo, "2 checkpoints recorded"));
  CHECK_FALSE(t.session.screen().in_round);
}

TEST_CASE("session: the round patrol completed is over on screen, and a new one can start",
          "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  CHECK(t.session.OnRoundClosed(3, 0, 0, kT0).notices.empty());  // not in a round: ignored
  t.Type("/round start north");
  t.Type("CP-1");
  const Effects closed = t.session.OnRoundClosed(1, 0, 2, kT0 + 5);
  CHECK(closed.events.empty());
  CHECK(closed.Says(NoticeKind::kInfo, "Round complete: 1 on time, 0 late, 2 missed."));
  CHECK(closed.screen_changed);
  CHECK_FALSE(t.session.screen().in_round);
  CHECK(t.session.screen().route.empty());
  CHECK(Refused(t.Type("/round end"), "not_in_round"));
  CHECK(t.Type("/round start north").EventsOf("terminal.round_started").size() == 1);
}

TEST_CASE("session: without prefixes every scan in a round is a tag", "[terminal][session]") {
  TerminalConfig c = TestConfig();
  c.checkpoint_prefixes.clear();
  Terminal t(c);
  t.OnDuty();
  CHECK(t.Type("north-7").EventsOf("terminal.pass_scanned").size() == 1);
  t.Type("/round start");
  CHECK(One(t.Type("north-7"), "terminal.checkpoint_scanned").Get("tag") == "north-7");
  t.Type("/round end");
  CHECK(t.Type("north-7").EventsOf("terminal.pass_scanned").size() == 1);
}

TEST_CASE("session: visitors and manual entries name the gate and get their phrase",
          "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  const Effects visitor = t.Type("/visitor p-12", kT0 + 1);
  CHECK(One(visitor, "terminal.visitor_arrived").fields ==
        std::vector<Field>{{"post", "gate-1"}, {"gate", "g1"}, {"person", "p-12"}});
  CHECK(visitor.Says(NoticeKind::kSay, BuiltInPhrase(Situation::kVisitorAnnounced)));
  CHECK(t.session.screen().last.verdict == Verdict::kVisitor);
  CHECK(One(t.Type("/visitor p-12 g2"), "terminal.visitor_arrived").Get("gate") == "g2");
  CHECK(Refused(t.Type("/visitor p-12 g7"), "unknown_gate"));

  const Effects manual = t.Type("/manual Jürgen Weiß  fire brigade, no pass", kT0 + 2);
  const OutgoingEvent& entry = One(manual, "terminal.manual_entry");
  CHECK(entry.Get("person") == "Jürgen");
  CHECK(entry.Get("note") == "Weiß  fire brigade, no pass");
  CHECK(entry.Get("gate") == "g1");
  CHECK(manual.Says(NoticeKind::kSay, BuiltInPhrase(Situation::kManualEntryRecorded)));
}

TEST_CASE("session: an incident report names a configured kind", "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  const Effects fx = t.Type("/incident fire smoke in hall B", kT0 + 4);
  const OutgoingEvent& reported = One(fx, "terminal.incident_reported");
  CHECK(reported.fields ==
        std::vector<Field>{{"post", "gate-1"}, {"kind", "fire"}, {"note", "smoke in hall B"}});
  CHECK(reported.observed_at == kT0 + 4);
  CHECK(fx.Says(NoticeKind::kSay, BuiltInPhrase(Situation::kIncidentReported)));
  const Effects unknown = t.Type("/incident flood water");
  CHECK(Refused(unknown, "unknown_kind"));
  CHECK(unknown.Says(NoticeKind::kError, "Kinds: fire, intrusion"));
}

TEST_CASE("session: malformed lines are refused with a message and the session goes on",
          "[terminal][session]") {
  Terminal t;
  t.OnDuty();
  t.session.OnConnection(true, 0, kT0);
  const ScreenModel before = t.session.screen();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {std::string(300, '7'), "too_long"},
      {"47\xff"
       "11",
       "not_utf8"},
      {"47\t11", "not_printable"},
      {"47 11", "bad_scan"},
      {"/fly", "unknown_command"},
      {"/login g-7", "missing_argument"},
      {"/ack please", "extra_argument"},
      {"/done twelve call", "bad_argument"},
  };
  for (const auto& [line, code] : bad) {
    INFO(code);
    const Effects fx = t.Type(line);
    REQUIRE(fx.notices.size() == 1);
    CHECK(fx.notices[0].kind == NoticeKind::kError);
    CHECK(fx.notices[0].text.rfind(code + " ", 0) == 0);
    CHECK(fx.events.empty());
    CHECK(t.session.screen().error == fx.notices[0].text.substr(code.size() + 1));
    CHECK(t.session.screen().stage == before.stage);
    CHECK(t.session.screen().last.verdict == before.last.verdict);
  }
  // Still working: a scan goes out and clears the error line.
  CHECK(t.Type("4711").EventsOf("terminal.pass_scanned").size() == 1);
  CHECK(t.session.screen().error.empty());
  // A blank line does nothing at all.
  const Effects blank = t.Type("\r\n");
  CHECK(blank.notices.empty());
  CHECK_FALSE(blank.screen_changed);
}

}  // namespace picket::terminal
