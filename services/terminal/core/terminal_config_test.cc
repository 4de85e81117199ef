// The terminal's configuration: the test terminal is valid, and each mistake is named.
#include "terminal/core/terminal_config.h"

#include <catch2/catch.hpp>

#include "terminal/core/code_hash.h"
#include "terminal/core/terminal_test_support.h"

namespace picket::terminal {
namespace {

using namespace testing;

std::string ErrorsOf(const TerminalConfig& c) {
  std::string all;
  for (const auto& e : ValidateTerminalConfig(c)) all += e + "\n";
  return all;
}

bool Has(const std::string& errors, std::string_view text) {
  return errors.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("terminal config: the test terminal is valid and finds what it names",
          "[terminal][config]") {
  const TerminalConfig c = TestConfig();
  CHECK(ErrorsOf(c).empty());
  REQUIRE(c.FindGuard("g-8"));
  CHECK(c.FindGuard("g-8")->role == "squad_leader");
  CHECK_FALSE(c.FindGuard("g-9"));
  REQUIRE(c.FindIncidentKind("fire"));
  CHECK(c.FindIncidentKind("fire")->steps.size() == 3);
  CHECK_FALSE(c.FindIncidentKind("flood"));
  CHECK(c.HasGate("g2"));
  CHECK_FALSE(c.HasGate("g3"));
  CHECK_FALSE(c.HasGate(""));
  CHECK(c.LooksLikeTag("CP-1"));
  CHECK_FALSE(c.LooksLikeTag("cp-1"));
  CHECK_FALSE(c.LooksLikeTag("4711"));
}

TEST_CASE("terminal config: identity and gates", "[terminal][config]") {
  TerminalConfig c = TestConfig();
  c.terminal = "";
  c.post = "gate 1";
  c.gates = {"g1", "g1", ""};
  const std::string e = ErrorsOf(c);
  CHECK(Has(e, "terminal: must be"));
  CHECK(Has(e, "post: must be"));
  CHECK(Has(e, "gates[1] 'g1': is listed twice"));
  CHECK(Has(e, "gates[2] '': must be"));
}

TEST_CASE("terminal config: languages, phrases and post orders", "[terminal][config]") {
  TerminalConfig c = TestConfig();
  c.language = "French";
  c.default_language = "";
  c.phrases["fr"]["granted_sideways"] = "?";
  c.phrases["fr"]["granted_out"] = "";
  c.phrases["fr"]["denied_expired"] = "line\tbreak";
  c.phrases["en"]["checking"] = std::string(kMaxPhraseBytes + 1, 'x');
  c.phrases["EN"]["checking"] = "ok";
  c.post_orders = "";
  std::string e = ErrorsOf(c);
  CHECK(Has(e, "language: must look like"));
  CHECK(Has(e, "default_language: must look like"));
  CHECK(Has(e, "phrases.fr.granted_sideways: is not a situation"));
  CHECK(Has(e, "phrases.fr.granted_out: must be 1..400 bytes"));
  CHECK(Has(e, "phrases.fr.denied_expired: must be 1..400 bytes"));
  CHECK(Has(e, "phrases.en.checking: must be 1..400 bytes"));
  CHECK(Has(e, "phrases.EN: is not a language"));
  CHECK(Has(e, "post_orders: must be"));

  TerminalConfig ok = TestConfig();
  ok.language = "pt-BR";
  ok.post_orders = "Line one\nLine two\n\nLine four";
  CHECK(ErrorsOf(ok).empty());
  ok.post_orders = "Line one\n\x1b[2J";
  CHECK(Has(ErrorsOf(ok), "post_orders"));
}

TEST_CASE("terminal config: guards and their stored codes", "[terminal][config]") {
  TerminalConfig c = TestConfig();
  c.guards.push_back({"g-7", "guard", HashCode("1111", "12345678"), ""});  // twice
  c.guards.push_back({"g-9", "", "1111", ""});                             // plain code
  c.guards.push_back({"g-10", "guard", HashCode("1", "12345678"), "4321"});
  const std::string same = HashCode("5555", "12345678");
  c.guards.push_back({"g-11", "guard", same, same});
  const std::string e = ErrorsOf(c);
  CHECK(Has(e, "guards[2] 'g-7': is listed twice"));
  CHECK(Has(e, "guards[3] 'g-9': role must be"));
  CHECK(Has(e, "guards[3] 'g-9': login_code must be a stored hash"));
  CHECK(Has(e, "guards[4] 'g-10': duress_code must be empty or a stored hash"));
  CHECK(Has(e, "guards[5] 'g-11': duress_code is the login code"));
}

TEST_CASE("terminal config: incident kinds and their procedures", "[terminal][config]") {
  TerminalConfig c = TestConfig();
  c.incident_kinds.push_back({"fire", "", {}});
  c.incident_kinds.push_back(
      {"flood",
       "",
       {{"pump", "Start the pump", true}, {"pump", "Again", false}, {"x y", "", false}}});
  const std::string e = ErrorsOf(c);
  CHECK(Has(e, "incident_kinds[2] 'fire': is listed twice"));
  CHECK(Has(e, "incident_kinds[3] 'flood' steps[1] 'pump': is listed twice"));
  CHECK(Has(e, "incident_kinds[3] 'flood' steps[2] 'x y': id must be"));
  CHECK(Has(e, "incident_kinds[3] 'flood' steps[2] 'x y': text must be"));
}

TEST_CASE("terminal config: checkpoint prefixes and limits", "[terminal][config]") {
  TerminalConfig c = TestConfig();
  c.checkpoint_prefixes = {"", "/cp", "C P"};
  c.panic_cancel_window = 61 * kSecond;
  c.decision_timeout = 0;
  c.max_login_failures = 0;
  c.login_lockout = -1;
  c.max_pending_scans = 0;
  const std::string e = ErrorsOf(c);
  CHECK(Has(e, "checkpoint_prefixes[0] ''"));
  CHECK(Has(e, "checkpoint_prefixes[1] '/cp'"));
  CHECK(Has(e, "checkpoint_prefixes[2] 'C P'"));
  CHECK(Has(e, "panic_cancel_window: must be 0..60 s"));
  CHECK(Has(e, "decision_timeout: must be 1..60 s"));
  CHECK(Has(e, "max_login_failures: must be 1..100"));
  CHECK(Has(e, "login_lockout: must be 0..3600 s"));
  CHECK(Has(e, "max_pending_scans: must be 1..10000"));

  TerminalConfig edge = TestConfig();
  edge.panic_cancel_window = 0;  // the panic goes at once: allowed
  edge.checkpoint_prefixes.clear();
  edge.incident_kinds.clear();
  edge.gates.clear();
  CHECK(ErrorsOf(edge).empty());
}

}  // namespace picket::terminal
