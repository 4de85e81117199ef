#include "terminal/core/terminal_test_support.h"

#include <catch2/catch.hpp>

#include "terminal/core/code_hash.h"
#include "terminal/core/screen.h"

namespace picket::terminal::testing {

TerminalConfig TestConfig() {
  TerminalConfig c;
  c.terminal = "gate-1-terminal";
  c.post = "gate-1";
  c.gates = {"g1", "g2"};
  c.language = "fr";
  c.default_language = "en";
  c.phrases["fr"]["granted_in"] = std::string(kFrGrantedIn);
  c.phrases["fr"]["denied_expired"] = std::string(kFrDeniedExpired);
  c.phrases["en"]["denied_revoked"] = std::string(kEnDeniedRevoked);
  c.post_orders = "Check every badge.\nNo phones on duty.";
  c.guards = {
      {"g-7", "guard", HashCode("2468", "a1b2c3d4"), HashCode("1357", "0badc0de")},
      {"g-8", "squad_leader", HashCode("9999", "00112233"), ""},
  };
  c.checkpoint_prefixes = {"CP-"};
  c.incident_kinds = {
      {"fire",
       "Fire",
       {{"call", "Call the fire brigade (112)", true},
        {"evacuate", "Evacuate the building", true},
        {"meet", "Meet the fire brigade at the gate", false}}},
      {"intrusion", "", {}},
  };
  c.panic_cancel_window = 10 * kSecond;
  c.decision_timeout = 5 * kSecond;
  c.max_login_failures = 3;
  c.login_lockout = 60 * kSecond;
  c.max_pending_scans = 4;
  const std::vector<std::string> errors = ValidateTerminalConfig(c);
  INFO((errors.empty() ? std::string() : errors.front()));
  REQUIRE(errors.empty());
  return c;
}

Terminal::Terminal(TerminalConfig c) : config(std::move(c)), session(config) {}

Effects Terminal::Bind(Effects fx) {
  for (const OutgoingEvent& e : fx.events) {
    session.BindEventId(e.ref, IdOf(e));
    published.push_back(e);
  }
  return fx;
}

Effects Terminal::Type(std::string_view line, Micros now) {
  return Bind(session.HandleLine(line, now));
}

void Terminal::OnDuty(Micros now) {
  const Effects login = Type("/login g-7 2468", now);
  REQUIRE(login.EventsOf("shift.started").size() == 1);
  REQUIRE(Type("/ack", now).Says(NoticeKind::kInfo, "acknowledged"));
  REQUIRE(session.screen().stage == Stage::kOnDuty);
}

std::string Terminal::ScreenText(size_t width, size_t height) const {
  std::string text;
  for (const std::string& line : RenderFullScreen(session.screen(), width, height)) {
    text += StripAnsi(line) + "\n";
  }
  return text;
}

std::string IdOf(const OutgoingEvent& e) { return "ev-" + std::to_string(e.ref); }

}  // namespace picket::terminal::testing
