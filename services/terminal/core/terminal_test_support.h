// Test support for the terminal core's unit tests: a validated test terminal and helpers
// to drive a Session the way the adapter would (binding event ids, reading the screen).
// Tests only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "terminal/core/session.h"
#include "terminal/core/terminal_config.h"

namespace picket::terminal::testing {

inline constexpr Micros kSecond = kMicrosPerSecond;
inline constexpr Micros kT0 = 1'700'000'000 * kSecond;  // any fixed instant

// The test terminal, validated (REQUIREd):
//   terminal gate-1-terminal, post gate-1, gates g1 and g2, direction in
//   language fr (a few phrases), default language en (one phrase), the rest built-in
//   post orders: two lines, "Check every badge." / "No phones on duty."
//   guards: g-7 (code 2468, duress 1357), g-8 (role squad_leader, code 9999, no duress)
//   checkpoint prefixes "CP-"; incident kinds fire (3 steps, call mandatory) and intrusion
//   panic window 10 s, decision timeout 5 s, 3 failures lock logins for 60 s,
//   max_pending_scans 4
TerminalConfig TestConfig();

// The French phrases of TestConfig (for matching).
inline constexpr std::string_view kFrGrantedIn = "Bonjour, vous pouvez entrer.";
inline constexpr std::string_view kFrDeniedExpired = "Desole, votre laissez-passer a expire.";
inline constexpr std::string_view kEnDeniedRevoked = "Sorry, this pass was withdrawn (site en).";

// A Session over a config it owns, with the adapter's bookkeeping: each event published
// gets the id "ev-<ref>" bound at once (as the adapter does before sending).
struct Terminal {
  explicit Terminal(TerminalConfig c = TestConfig());
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // HandleLine then bind ids; records every event in `published`.
  Effects Type(std::string_view line, Micros now = kT0);
  Effects Bind(Effects fx);
  // Login as g-7 with the login code and /ack (REQUIREs both accepted).
  void OnDuty(Micros now = kT0);
  // The visible text of the full screen (80 x 30), joined with '\n'.
  std::string ScreenText(size_t width = 80, size_t height = 30) const;

  TerminalConfig config;
  Session session;
  std::vector<OutgoingEvent> published;
};

// The id the Terminal bound to `e`.
std::string IdOf(const OutgoingEvent& e);

}  // namespace picket::terminal::testing
