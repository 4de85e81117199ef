// Reading a terminal's configuration: [terminal] of site.toml for one post plus the codes
// file. Every key, the defaults, each class of error with its file, line and key (and
// nothing accepted), inputs that must not crash, the examples in deploy/ and
// docs/terminal.md, loading from disk, and HashCodeLine.
#include "terminal/terminal_config_toml.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "terminal/core/code_hash.h"

namespace picket::terminal {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;

std::string Code(std::string_view code, std::string_view salt) {
  return "\"" + HashCode(code, salt) + "\"";
}

// hana: 4711 (duress 4712); omar: 2580; kurt: 9876.
std::string Codes() {
  return "[guards]\nhana.login = " + Code("4711", "0011223344556677") +
         "\nhana.duress = " + Code("4712", "8899aabbccddeeff") +
         "\nomar.login = " + Code("2580", "0123456789abcdef") +
         "\nkurt = { login = " + Code("9876", "fedcba98") + " }\n";
}

constexpr std::string_view kSite = R"([escalation.incident_types.intrusion]
severity = "high"
policy = "standard"
[[escalation.incident_types.intrusion.steps]]
id = "secure_gate"
text = "Close and lock the gate"
mandatory = true
[[escalation.incident_types.intrusion.steps]]
id = "call_police"
text = "Call the police if anyone entered"

[escalation.incident_types.fire]
severity = "critical"
policy = "standard"

[[escalation.rules]]
event = "terminal.incident_reported"
match = { kind = "intrusion" }
incident = "intrusion"

[[escalation.rules]]
event = "terminal.incident_reported"
match = { kind = "fire" }
incident = "fire"

[[access.gates]]
id = "main-gate"
post = "gate-1"

[[access.gates]]
id = "side-gate"
post = "gate-1"

[[access.gates]]
id = "delivery-gate"
post = "gate-2"

[[patrol.checkpoints]]
tag = "CP-NORTH"
name = "North"

[terminal]
codes_file = "codes.toml"
language = "de"
default_language = "fr"
checkpoint_prefixes = ["CP-", "TAG-"]
panic_cancel_window = "15s"
decision_timeout = "3s"
max_login_failures = 3
login_lockout = "5m"
max_pending_scans = 100
post_orders = "Site orders."

[terminal.phrases.de]
granted_in = "Guten Tag."
checking = "Einen Moment bitte."

[terminal.phrases.fr]
granted_out = "Au revoir."

[terminal.roles]
kurt = "squad_leader"

[terminal.incident_kinds]
intrusion = "Intruder"
fire = ""

[terminal.posts.gate-1]
terminal = "gate-1-box"
gates = ["main-gate", "side-gate"]
direction = "out"
guards = ["hana", "kurt"]
post_orders = """
Line one.
Line two."""
http = "127.0.0.1:7490"
sync = false

[terminal.posts.gate-2]
gates = ["delivery-gate"]
)";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> Errors(std::string_view site, std::string_view codes,
                                std::string_view post = "gate-1") {
  std::string error;
  auto config = ParseTerminalConfig(site, "site.toml", post, codes, "codes.toml", &error);
  if (config) return {};
  CHECK_FALSE(error.empty());
  return Lines(error);
}

TerminalServiceConfig Read(std::string_view site, std::string_view codes,
                           std::string_view post = "gate-1") {
  std::string error;
  auto config = ParseTerminalConfig(site, "site.toml", post, codes, "codes.toml", &error);
  INFO(error);
  REQUIRE(config);
  return *config;
}

int LineOf(std::string_view text, std::string_view marker) {
  const size_t at = text.find(marker);
  REQUIRE(at != std::string_view::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// `text` with the first `from` replaced by `to`.
std::string With(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const size_t at = out.find(from);
  REQUIRE(at != std::string::npos);
  return out.replace(at, from.size(), to);
}

// Reading gives exactly one error, in `file` on the line of `marker` in `text`, with `what`.
void CheckOneError(const std::string& site, const std::string& codes, const std::string& file,
                   std::string_view marker, const std::string& what,
                   std::string_view post = "gate-1") {
  const auto errors = Errors(site, codes, post);
  std::string all;
  for (const auto& e : errors) all += e + "\n";
  INFO("errors:\n" + all);
  REQUIRE(errors.size() == 1);
  const std::string& text = file == "site.toml" ? site : codes;
  CHECK(errors[0].rfind(file + ":" + std::to_string(LineOf(text, marker)) + ":", 0) == 0);
  CHECK_THAT(errors[0], Catch::Contains(what));
}

void SiteError(const std::string& site, std::string_view marker, const std::string& what) {
  CheckOneError(site, Codes(), "site.toml", marker, what);
}

void CodesError(const std::string& codes, std::string_view marker, const std::string& what) {
  CheckOneError(std::string(kSite), codes, "codes.toml", marker, what);
}

// The smallest configuration: one post, one guard.
constexpr std::string_view kMinimal = R"([terminal]
post_orders = "Orders."
[terminal.posts.p]
)";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("terminal config: every key is read", "[terminal][config]") {
  const TerminalServiceConfig s = Read(kSite, Codes());
  CHECK(s.http == "127.0.0.1:7490");
  CHECK_FALSE(s.sync);
  const TerminalConfig& c = s.terminal;
  CHECK(c.terminal == "gate-1-box");
  CHECK(c.post == "gate-1");
  CHECK(c.gates == std::vector<std::string>{"main-gate", "side-gate"});
  CHECK(c.default_direction == Direction::kOut);
  CHECK(c.language == "de");
  CHECK(c.default_language == "fr");
  CHECK(c.phrases.at("de").at("granted_in") == "Guten Tag.");
  CHECK(c.phrases.at("de").at("checking") == "Einen Moment bitte.");
  CHECK(c.phrases.at("fr").at("granted_out") == "Au revoir.");
  CHECK(c.post_orders == "Line one.\nLine two.");  // the post's own, not the site's
  CHECK(c.checkpoint_prefixes == std::vector<std::string>{"CP-", "TAG-"});
  CHECK(c.panic_cancel_window == 15 * kSecond);
  CHECK(c.decision_timeout == 3 * kSecond);
  CHECK(c.max_login_failures == 3);
  CHECK(c.login_lockout == 300 * kSecond);
  CHECK(c.max_pending_scans == 100);

  REQUIRE(c.guards.size() == 2);  // the post's list, not the whole codes file
  const GuardLogin* hana = c.FindGuard("hana");
  REQUIRE(hana);
  CHECK(hana->role == "guard");
  CHECK(CodeMatches(hana->login_code, "4711"));
  CHECK(CodeMatches(hana->duress_code, "4712"));
  const GuardLogin* kurt = c.FindGuard("kurt");
  REQUIRE(kurt);
  CHECK(kurt->role == "squad_leader");
  CHECK(CodeMatches(kurt->login_code, "9876"));
  CHECK(kurt->duress_code.empty());
  CHECK_FALSE(c.FindGuard("omar"));

  REQUIRE(c.incident_kinds.size() == 2);
  const IncidentKind* intrusion = c.FindIncidentKind("intrusion");
  REQUIRE(intrusion);
  CHECK(intrusion->label == "Intruder");
  REQUIRE(intrusion->steps.size() == 2);  // escalation's procedure
  CHECK(intrusion->steps[0].id == "secure_gate");
  CHECK(intrusion->steps[0].text == "Close and lock the gate");
  CHECK(intrusion->steps[0].mandatory);
  CHECK_FALSE(intrusion->steps[1].mandatory);
  REQUIRE(c.FindIncidentKind("fire"));
  CHECK(c.FindIncidentKind("fire")->steps.empty());
  CHECK(ValidateTerminalConfig(c).empty());
}

TEST_CASE("terminal config: another post of the same files", "[terminal][config]") {
  const TerminalServiceConfig s = Read(kSite, Codes(), "gate-2");
  const TerminalConfig& c = s.terminal;
  CHECK(c.terminal == "gate-2-terminal");
  CHECK(c.post == "gate-2");
  CHECK(c.gates == std::vector<std::string>{"delivery-gate"});
  CHECK(c.default_direction == Direction::kIn);
  CHECK(c.post_orders == "Site orders.");  // the site's
  CHECK(c.guards.size() == 3);             // no list: every guard of the codes file
  CHECK(s.http.empty());
  CHECK(s.sync);
}

TEST_CASE("terminal config: the defaults", "[terminal][config]") {
  const TerminalConfig c =
      Read(kMinimal, "[guards]\nhana.login = " + Code("1", "00000000"), "p").terminal;
  const TerminalConfig d;
  CHECK(c.terminal == "p-terminal");
  CHECK(c.gates.empty());
  CHECK(c.language == "en");
  CHECK(c.default_language == "en");
  CHECK(c.phrases.empty());
  CHECK(c.checkpoint_prefixes.empty());
  CHECK(c.incident_kinds.empty());
  CHECK(c.panic_cancel_window == d.panic_cancel_window);
  CHECK(c.decision_timeout == d.decision_timeout);
  CHECK(c.max_login_failures == d.max_login_failures);
  CHECK(c.login_lockout == d.login_lockout);
  CHECK(c.max_pending_scans == d.max_pending_scans);
  REQUIRE(c.guards.size() == 1);
  CHECK(c.guards[0].role == "guard");
}

TEST_CASE("terminal config: the post, the section and unknown keys", "[terminal][config]") {
  const std::string site(kSite);
  const auto unknown = Errors(site, Codes(), "gate-9");
  REQUIRE(unknown.size() == 1);
  CHECK_THAT(unknown[0], Catch::StartsWith("site.toml:") &&
                             Catch::Contains("terminal.posts: unknown post 'gate-9' "
                                             "(configured: gate-1, gate-2)"));
  const auto odd = Errors(site, Codes(), "gate\x1b[2J");
  REQUIRE(odd.size() == 1);
  CHECK_THAT(odd[0], Catch::Contains("unknown post (not a name") && !Catch::Contains("\x1b"));

  const auto missing = Errors("[site]\nid = \"x\"\n", Codes());
  REQUIRE(missing.size() == 1);
  CHECK_THAT(missing[0], Catch::Contains("the [terminal] section is missing"));
  const auto no_posts = Errors("[terminal]\npost_orders = \"x\"\n", Codes());
  REQUIRE(no_posts.size() == 1);
  CHECK_THAT(no_posts[0], Catch::Contains("terminal.posts: no terminal is configured"));

  SiteError(With(site, "language = \"de\"", "colour = \"de\""), "colour",
            "terminal.colour: unknown key");
  SiteError(With(site, "sync = false", "sink = false"), "sink",
            "terminal.posts.gate-1.sink: unknown key");
  CodesError(Codes() + "pin = 1\n", "pin", "guards.pin: must be a table");
  CodesError("secret = 1\n" + Codes(), "secret", "secret: unknown key");
  CodesError(With(Codes(), "hana.duress", "hana.pin"), "hana.pin", "guards.hana.pin: unknown key");
}

TEST_CASE("terminal config: wrong types and values out of range", "[terminal][config]") {
  const std::string site(kSite);
  SiteError(With(site, "language = \"de\"", "language = 1"), "language = 1",
            "terminal.language: must be a string");
  SiteError(With(site, "gates = [\"main-gate\", \"side-gate\"]", "gates = \"main-gate\""),
            "gates = \"main-gate\"", "terminal.posts.gate-1.gates: must be an array of strings");
  SiteError(With(site, "max_login_failures = 3", "max_login_failures = \"3\""),
            "max_login_failures", "must be an integer");
  SiteError(With(site, "max_login_failures = 3", "max_login_failures = 0"), "max_login_failures",
            "must be between 1 and 100, got 0");
  SiteError(With(site, "max_pending_scans = 100", "max_pending_scans = 99999999999"),
            "max_pending_scans", "must be between 1 and 10000");
  SiteError(With(site, "panic_cancel_window = \"15s\"", "panic_cancel_window = \"2m\""),
            "panic_cancel_window", "'2m' is out of range (0 ms to 60000 ms)");
  SiteError(With(site, "decision_timeout = \"3s\"", "decision_timeout = \"0\""), "decision_timeout",
            "out of range");
  SiteError(With(site, "login_lockout = \"5m\"", "login_lockout = 5"), "login_lockout",
            "must be a duration string");
  SiteError(With(site, "direction = \"out\"", "direction = \"sideways\""), "sideways",
            "terminal.posts.gate-1.direction: must be \"in\" or \"out\"");
  SiteError(With(site, "sync = false", "sync = \"no\""), "sync", "must be true or false");
  SiteError(With(site, "http = \"127.0.0.1:7490\"", "http = \"nowhere\""), "nowhere",
            "must be host:port or empty");
  SiteError(With(site, "[terminal.phrases.fr]\ngranted_out = \"Au revoir.\"",
                 "[terminal.phrases]\nfr = \"Au revoir.\""),
            "fr = ", "terminal.phrases.fr: must be a table");
  SiteError(With(site, "granted_out =", "granted_outt ="), "granted_outt",
            "terminal.phrases.fr.granted_outt: unknown situation 'granted_outt' (known: "
            "granted_in, granted_out,");
  SiteError(With(site, "kurt = \"squad_leader\"", "kurt = 7"), "kurt = 7",
            "terminal.roles.kurt: must be a string");
  SiteError(With(site, "[terminal.posts.gate-2]\ngates = [\"delivery-gate\"]\n",
                 "[terminal.posts]\ngate-2 = 1\n"),
            "gate-2 = 1", "terminal.posts.gate-2: must be a table");
}

TEST_CASE("terminal config: codes are stored hashes, and no message repeats one",
          "[terminal][config]") {
  CodesError(
      With(Codes(), "hana.login = \"sha256$0011223344556677$", "hana.login = \"sha256$0011$"),
      "hana.login", "guards.hana.login: is not a well-formed stored hash");
  CodesError(With(Codes(), "hana.login = \"sha256$0011223344556677$",
                  "hana.login = \"sha256$00112233445566ZZ$"),
             "hana.login", "is not a well-formed stored hash");
  const std::string plain = With(Codes(), "omar.login = \"", "omar.login = \"2580\"\n#");
  CodesError(plain, "omar.login", "guards.omar.login: looks like a plain code: store only");
  const std::string number = With(Codes(), "omar.login = \"", "omar.login = 2580\n#");
  CodesError(number, "omar.login", "guards.omar.login: is a number, a plain code");
  for (const auto& codes : {plain, number}) {
    for (const auto& e : Errors(std::string(kSite), codes)) CHECK_THAT(e, !Catch::Contains("2580"));
  }
  CodesError(With(Codes(), "hana.duress = \"", "hana.duress = \"\"\n#"), "hana.duress",
             "guards.hana.duress: is empty");
  // A login code missing: the guard's table is where it should be.
  const auto missing = Errors(std::string(kSite), With(Codes(), "hana.login = ", "hana.logon = "));
  REQUIRE(missing.size() == 2);
  CHECK_THAT(missing[0], Catch::StartsWith("codes.toml:2:") &&
                             Catch::Contains("guards.hana.login: is required"));
  CHECK_THAT(missing[1], Catch::StartsWith("codes.toml:2:") &&
                             Catch::Contains("guards.hana.logon: unknown key"));
  CodesError("[guards]\nhana = \"4711\"\n", "hana", "guards.hana: must be a table");
  const auto same =
      Errors(std::string(kSite), With(Codes(), "hana.duress = " + Code("4712", "8899aabbccddeeff"),
                                      "hana.duress = " + Code("4711", "0011223344556677")));
  REQUIRE(same.size() == 1);
  CHECK_THAT(same[0], Catch::StartsWith("codes.toml:") &&
                          Catch::Contains("guards.hana: duress_code is the login code"));
}

TEST_CASE("terminal config: guards, incident kinds, gates and tags against the site",
          "[terminal][config]") {
  const std::string site(kSite);
  SiteError(With(site, "guards = [\"hana\", \"kurt\"]", "guards = [\"hana\", \"nobody\"]"),
            "guards", "terminal.posts.gate-1.guards: guard 'nobody' has no codes in codes.toml");
  SiteError(With(site, "guards = [\"hana\", \"kurt\"]", "guards = []"), "guards = []",
            "nobody can log in at this terminal: the list is empty");
  // Every post is checked: gate-1's list names guards the file does not have (in file
  // order: [terminal.roles] comes first).
  const auto others = Errors(site, "[guards]\nomar.login = " + Code("1", "00000000"), "gate-2");
  REQUIRE(others.size() == 3);
  CHECK_THAT(others[0], Catch::Contains("terminal.roles.kurt: no guard 'kurt' in codes.toml"));
  CHECK_THAT(others[1], Catch::Contains("gate-1.guards: guard 'hana' has no codes"));
  CHECK_THAT(others[2], Catch::Contains("gate-1.guards: guard 'kurt' has no codes"));
  const auto nobody = Errors(kMinimal, "[guards]\n", "p");
  REQUIRE(nobody.size() == 1);
  CHECK_THAT(nobody[0], Catch::Contains("terminal.posts.p.guards: nobody can log in at this "
                                        "terminal: codes.toml has no [guards]"));

  SiteError(With(site, "fire = \"\"", "flood = \"\""), "flood = ",
            "terminal.incident_kinds.flood: is not an incident type of [escalation] (defined: "
            "fire, intrusion)");
  SiteError(With(site, "match = { kind = \"fire\" }", "match = { kind = \"smoke\" }"),
            "fire = \"\"",
            "terminal.incident_kinds.fire: no [[escalation.rules]] opens an incident when it is "
            "reported");
  SiteError(With(site, "gates = [\"main-gate\", \"side-gate\"]", "gates = [\"main-gat\"]"),
            "[\"main-gat\"]",
            "gate 'main-gat' is not an [[access.gates]] id (main-gate, side-gate, "
            "delivery-gate)");
  SiteError(With(site, "gates = [\"main-gate\", \"side-gate\"]\n", ""), "[terminal.posts.gate-1]",
            "post 'gate-1' has several [[access.gates]] (main-gate, side-gate): list the ones "
            "this terminal serves");
  SiteError(
      With(site, "checkpoint_prefixes = [\"CP-\", \"TAG-\"]", "checkpoint_prefixes = [\"TAG-\"]"),
      "checkpoint_prefixes", "[patrol] checkpoint 'CP-NORTH' starts with none of them");
}

TEST_CASE("terminal config: the core's checks are placed at the key they are about",
          "[terminal][config]") {
  // Without [access], [patrol] and [escalation]: only the core judges these.
  const std::string site = std::string(kSite.substr(kSite.find("[terminal]")));
  SiteError(With(site, "language = \"de\"", "language = \"German\""),
            "language = ", "terminal.language: must look like \"en\" or \"pt-BR\"");
  SiteError(With(site, "terminal = \"gate-1-box\"", "terminal = \"gate 1\""), "gate 1",
            "terminal.posts.gate-1.terminal: must be 1..64 bytes");
  SiteError(
      With(site, "gates = [\"main-gate\", \"side-gate\"]", "gates = [\"main-gate\", \"a b\"]"),
      "a b", "terminal.posts.gate-1.gates[2]: must be 1..64 bytes");
  SiteError(With(site, "gates = [\"main-gate\", \"side-gate\"]", "gates = [\"g\", \"g\"]"), "\"g\"",
            "terminal.posts.gate-1.gates[2]: is listed twice");
  SiteError(With(site, "Guten Tag.", std::string(401, 'x')), "granted_in",
            "terminal.phrases.de.granted_in: must be 1..400 bytes");
  SiteError(With(site, "kurt = \"squad_leader\"", "kurt = \"squad leader\""),
            "kurt = ", "terminal.roles.kurt: role must be 1..64 bytes");
  SiteError(With(site, "intrusion = \"Intruder\"", "intrusion = \"" + std::string(65, 'I') + "\""),
            "intrusion = ", "terminal.incident_kinds.intrusion: label must be at most 64 bytes");
  SiteError(With(site, "\"CP-\", \"TAG-\"", "\"CP-\", \"/x\""), "checkpoint_prefixes",
            "terminal.checkpoint_prefixes[2]: must be 1..128 bytes without spaces");
  SiteError(With(site, "Line one.", "Line\tone."), "post_orders = \"\"\"",
            "terminal.posts.gate-1.post_orders: must be 1..4000 bytes");
  SiteError(With(site, "post_orders = \"Site orders.\"\n", ""), "[terminal.posts.gate-2]",
            "terminal.posts.gate-2.post_orders: is required, here or in [terminal]");
  CheckOneError(site, Codes() + "\"bad name\".login = " + Code("1", "00000000") + "\n",
                "codes.toml", "bad name", "guards.bad name: person must be 1..64 bytes", "gate-2");
  // A step of escalation's procedure the screen cannot show is placed in [escalation].
  const std::string long_step =
      With(std::string(kSite), "Close and lock the gate", std::string(401, 's'));
  SiteError(long_step, "text = \"sss",
            "escalation.incident_types.intrusion.steps[1]: text must be 1..400 bytes");
}

TEST_CASE("terminal config: no input crashes it, and nothing bad is accepted",
          "[terminal][config]") {
  const std::string site(kSite);
  std::vector<std::pair<std::string, std::string>> cases = {
      {"terminal = 1\n", Codes()},
      {"[terminal]\nposts = [1, 2]\n", Codes()},
      {"[terminal]\nposts = \"gate-1\"\n", Codes()},
      {"[[terminal]]\nx = 1\n", Codes()},
      {"[terminal]\nphrases = [[1]]\nincident_kinds = 3\nroles = []\n[terminal.posts.gate-1]\n",
       Codes()},
      {"[terminal.posts.gate-1]\nguards = [[\"a\"]]\ngates = [1, \"x\"]\n", Codes()},
      {site, "guards = [1, 2]\n"},
      {site, "[guards]\nhana.login = [\"sha256$00000000$00\"]\n"},
      {site, "[guards.hana.login]\nx = 1\n"},
      {"a = " + std::string(5000, '[') + std::string(5000, ']') + "\n", Codes()},
      {"a = " + std::string(100000, '{'), Codes()},
      {site, "a = " + std::string(5000, '[')},
      {With(site, "Guten Tag.", std::string(1 << 20, 'x')), Codes()},
      {With(site, "gate-1-box", std::string(1 << 20, 'x')), Codes()},
      {std::string("\x00\xff\xfe[terminal", 12), Codes()},
      {site, std::string("\xff\xfe\x00", 3)},
      {With(site, "[terminal.roles]", "[terminal.roles]\n\"\" = \"\""), Codes()},
  };
  for (const auto& [s, c] : cases) {
    INFO(s.substr(0, 200) + "\n---\n" + c.substr(0, 200));
    std::string error;
    CHECK_FALSE(ParseTerminalConfig(s, "site.toml", "gate-1", c, "codes.toml", &error));
    CHECK_FALSE(error.empty());
    CHECK(error.size() < 20000);
  }
  // Files cut short (a full disk, a copy interrupted): refused, or read into valid values.
  const std::string codes = Codes();
  for (size_t n = 0; n <= site.size(); n += 7) {
    for (size_t m : {codes.size() / 2, codes.size()}) {
      std::string error;
      auto config = ParseTerminalConfig(site.substr(0, n), "site.toml", "gate-1",
                                        codes.substr(0, m), "codes.toml", &error);
      if (config) {
        CHECK(ValidateTerminalConfig(config->terminal).empty());
      } else {
        CHECK_FALSE(error.empty());
      }
    }
  }
}

TEST_CASE("terminal config: the example site and codes file in deploy/", "[terminal][config]") {
  const std::string site = ReadFile(PICKET_EXAMPLE_SITE);
  const std::string codes = ReadFile(PICKET_EXAMPLE_CODES);
  for (const char* post : {"gate-1", "gate-2"}) {
    INFO(post);
    const TerminalConfig c = Read(site, codes, post).terminal;
    CHECK(c.post == post);
    CHECK_FALSE(c.guards.empty());
    CHECK_FALSE(c.gates.empty());
    const IncidentKind* intrusion = c.FindIncidentKind("intrusion");
    REQUIRE(intrusion);
    CHECK_FALSE(intrusion->steps.empty());  // from [escalation.incident_types.intrusion]
    CHECK(intrusion->reportable);
    // Not a kind the guard reports, but its procedure shows when one opens at the post.
    const IncidentKind* watchlist = c.FindIncidentKind("watchlist");
    REQUIRE(watchlist);
    CHECK_FALSE(watchlist->reportable);
    CHECK(watchlist->steps.size() == 2);
    CHECK(ValidateTerminalConfig(c).empty());
  }
  // The demo codes the docs name.
  const TerminalConfig c = Read(site, codes).terminal;
  const GuardLogin* hana = c.FindGuard("hana");
  REQUIRE(hana);
  CHECK(CodeMatches(hana->login_code, "4711"));
  CHECK(CodeMatches(hana->duress_code, "4712"));
  CHECK(CodeMatches(c.FindGuard("omar")->login_code, "2580"));
  CHECK(CodeMatches(c.FindGuard("omar")->duress_code, "0852"));
  CHECK(CodeMatches(c.FindGuard("kurt")->login_code, "9876"));
  CHECK(c.FindGuard("kurt")->role == "squad_leader");
}

TEST_CASE("terminal config: docs/terminal.md's examples are deploy/'s and read",
          "[terminal][config]") {
  // The doc's ```toml blocks: the [terminal] section, then the codes file.
  const std::string doc = ReadFile(PICKET_TERMINAL_DOC);
  std::vector<std::string> blocks;
  for (size_t at = doc.find("```toml\n"); at != std::string::npos;
       at = doc.find("```toml\n", at + 1)) {
    const size_t begin = at + 8;
    const size_t end = doc.find("```", begin);
    REQUIRE(end != std::string::npos);
    blocks.push_back(doc.substr(begin, end - begin));
  }
  REQUIRE(blocks.size() >= 2);
  CHECK(ReadFile(PICKET_EXAMPLE_SITE).find(blocks[0]) != std::string::npos);
  CHECK(ReadFile(PICKET_EXAMPLE_CODES).find(blocks[1]) != std::string::npos);
  const TerminalConfig c = Read(blocks[0], blocks[1]).terminal;
  CHECK(c.post == "gate-1");
  CHECK(c.FindGuard("hana"));
}

TEST_CASE("terminal config: loading the files, and the codes file's mode", "[terminal][config]") {
  char tmpl[] = "/tmp/picket-terminal-config-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  const std::string dir = tmpl;
  const std::string site_path = dir + "/site.toml";
  std::ofstream(site_path) << kMinimal;
  std::string error;
  auto missing = LoadTerminalConfig(site_path, "p", "", &error);
  CHECK_FALSE(missing);
  CHECK_THAT(error, Catch::Contains(dir + "/terminal-codes.toml: cannot open the codes file"));

  const std::string codes_path = dir + "/terminal-codes.toml";
  std::ofstream(codes_path) << "[guards]\nhana.login = " << Code("1", "00000000") << "\n";
  REQUIRE(chmod(codes_path.c_str(), 0644) == 0);
  error.clear();
  CHECK_FALSE(LoadTerminalConfig(site_path, "p", "", &error));
  CHECK_THAT(error, Catch::Contains("others may read or write the codes file: chmod 600"));

  REQUIRE(chmod(codes_path.c_str(), 0600) == 0);
  auto loaded = LoadTerminalConfig(site_path, "p", "", &error);
  INFO(error);
  REQUIRE(loaded);
  CHECK(loaded->terminal.FindGuard("hana"));

  // codes_file, relative to the site file's directory; an explicit path wins.
  std::filesystem::create_directory(dir + "/secret");
  std::filesystem::rename(codes_path, dir + "/secret/codes.toml");
  std::ofstream(site_path) << "[terminal]\ncodes_file = \"secret/codes.toml\"\n"
                           << kMinimal.substr(kMinimal.find('\n') + 1);
  CHECK(LoadTerminalConfig(site_path, "p", "", &error));
  CHECK(LoadTerminalConfig(site_path, "p", dir + "/secret/codes.toml", &error));
  CHECK_FALSE(LoadTerminalConfig(site_path, "p", dir + "/nothing.toml", &error));
  std::filesystem::remove_all(dir);
}

TEST_CASE("terminal config: HashCodeLine makes a line the codes file reads", "[terminal][config]") {
  std::string error;
  const auto login = HashCodeLine("hana", CodeKind::kLogin, "4711", "0011223344556677", &error);
  REQUIRE(login);
  CHECK(*login == "hana.login = \"" + HashCode("4711", "0011223344556677") + "\"");
  const auto duress = HashCodeLine("j.smith", CodeKind::kDuress, "4712", "8899aabb", &error);
  REQUIRE(duress);
  CHECK_THAT(*duress, Catch::StartsWith("\"j.smith\".duress = \"sha256$8899aabb$"));

  const std::string codes = "[guards]\n" + *login + "\n" + *duress +
                            "\n\"j.smith\".login = " + Code("1234", "00000000") + "\n";
  const TerminalConfig c = Read(kMinimal, codes, "p").terminal;
  REQUIRE(c.FindGuard("hana"));
  CHECK(CodeMatches(c.FindGuard("hana")->login_code, "4711"));
  REQUIRE(c.FindGuard("j.smith"));
  CHECK(CodeMatches(c.FindGuard("j.smith")->duress_code, "4712"));

  struct Bad {
    std::string guard;
    CodeKind kind;
    std::string code, salt, what;
  };
  for (const Bad& b : std::vector<Bad>{
           {"", CodeKind::kLogin, "4711", "00000000", "the guard"},
           {"ha na", CodeKind::kLogin, "4711", "00000000", "the guard"},
           {std::string(65, 'g'), CodeKind::kLogin, "4711", "00000000", "the guard"},
           {"hana", CodeKind::kLogin, "", "00000000", "the code"},
           {"hana", CodeKind::kLogin, "47 11", "00000000", "the code"},
           {"hana", CodeKind::kLogin, "47\t11", "00000000", "the code"},
           {"hana", CodeKind::kLogin, std::string(129, '7'), "00000000", "the code"},
           {"hana", CodeKind::kDuress, "/4711", "00000000", "must not start with '/'"},
           {"hana", CodeKind::kLogin, "4711", "0000000", "the salt"},
           {"hana", CodeKind::kLogin, "4711", "000000000", "the salt"},
           {"hana", CodeKind::kLogin, "4711", "ABCDEF01", "the salt"},
           {"hana", CodeKind::kLogin, "4711", std::string(66, '0'), "the salt"},
       }) {
    error.clear();
    CHECK_FALSE(HashCodeLine(b.guard, b.kind, b.code, b.salt, &error));
    CHECK_THAT(error, Catch::Contains(b.what));
    if (b.code.size() > 2) CHECK_THAT(error, !Catch::Contains(b.code));
  }
  CHECK(HashCodeLine("hana", CodeKind::kLogin, "/4711", "00000000", &error));  // an arg, fine
}

}  // namespace picket::terminal

namespace picket::terminal {

TEST_CASE("terminal config: a post's own way to the bus, all three endpoints or none",
          "[terminal][config]") {
  const std::string site(kSite);
  CHECK(Read(site, Codes()).bus_ingest.empty());  // the site's [bus]
  const std::string linked =
      With(site, "sync = false",
           "sync = false\nbus_ingest = \"tcp://10.0.0.1:7611\"\nbus_events = "
           "\"tcp://10.0.0.1:7612\"\nbus_replay = \"ipc:///run/picket/replay\"");
  const TerminalServiceConfig c = Read(linked, Codes());
  CHECK(c.bus_ingest == "tcp://10.0.0.1:7611");
  CHECK(c.bus_events == "tcp://10.0.0.1:7612");
  CHECK(c.bus_replay == "ipc:///run/picket/replay");
  SiteError(With(site, "sync = false", "sync = false\nbus_ingest = \"tcp://10.0.0.1:7611\""),
            "bus_ingest", "give bus_ingest, bus_events and bus_replay together, or none");
  SiteError(With(linked, "tcp://10.0.0.1:7612", "http://10.0.0.1:7612"), "bus_events",
            "must be a tcp:// or ipc:// endpoint");
}

}  // namespace picket::terminal
