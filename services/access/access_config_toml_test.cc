// Reading [access] from site.toml: every key, the defaults, every kind of error with its
// line and key path, and the example site in deploy/.
#include "access/access_config_toml.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "runtime/site_config.h"

namespace picket::access {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kDay = 24 * kHour;

// The 1-based line of `text` holding `marker` (the first), or 0.
int LineOf(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The error lines of reading `text`; none if it reads.
std::vector<std::string> Errors(std::string_view text) {
  std::string error;
  auto config = ParseAccessConfig(text, "site.toml", &error);
  if (config) return {};
  CHECK_FALSE(error.empty());
  return Lines(error);
}

// True if some error is exactly "site.toml:<line>:<col>: <what>" for some column.
bool HasError(const std::vector<std::string>& errors, int line, const std::string& what) {
  const std::string prefix = "site.toml:" + std::to_string(line) + ":";
  for (const auto& e : errors) {
    if (e.rfind(prefix, 0) != 0) continue;
    size_t rest = e.find(": ", prefix.size());
    if (rest != std::string::npos && e.substr(rest + 2) == what) return true;
  }
  return false;
}

// Reads `text` (which must be valid) and returns the config.
AccessServiceConfig Read(std::string_view text) {
  std::string error;
  auto config = ParseAccessConfig(text, "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  return *config;
}

// A one-problem check: reading `text` gives exactly one error, `what`, on the line of
// `marker`.
void CheckOnlyError(std::string_view text, std::string_view marker, const std::string& what) {
  auto errors = Errors(text);
  INFO(text);
  for (const auto& e : errors) INFO(e);
  const int line = LineOf(text, marker);
  REQUIRE(line > 0);
  INFO("expected at line " << line << ": " << what);
  CHECK(errors.size() == 1);
  CHECK(HasError(errors, line, what));
}

}  // namespace

TEST_CASE("access config: every key is read", "[access][config]") {
  constexpr std::string_view kText = R"(
[access]
commands = "ipc:///run/picket/access.sock"
http = "0.0.0.0:9483"
reply_wait = "250ms"
time_zone = "CET-1CEST,M3.5.0,M10.5.0/3"
overstay_grace = "20m"
overstay_repeat = "0s"
walkups_need_approval = false
officers = ["otto", "chief"]

[[access.gates]]
id = "north-gate"
post = "gate-1"
hours = "06:00-22:00"

[[access.gates]]
id = "depot"

[[access.gates]]
id = "night"
hours = "22:00-06:00"

[access.kinds.visitor]
default_gates = ["north-gate"]
default_hours = "07:00-19:00"
max_validity = "12h"
tracks_visits = false

[access.kinds.contractor]
default_gates = ["north-gate", "depot"]

[access.kinds.staff]
tracks_visits = true
max_validity = "730d"
default_hours = "05:00-24:00"
)";
  AccessServiceConfig c = Read(kText);
  CHECK(c.commands == "ipc:///run/picket/access.sock");
  CHECK(c.http == "0.0.0.0:9483");
  CHECK(c.reply_wait == 250 * kMicrosPerMilli);
  const AccessConfig& a = c.access;
  CHECK(a.time_zone == "CET-1CEST,M3.5.0,M10.5.0/3");
  // Validated: the zone is parsed.
  CHECK(a.zone.std_name == "CET");
  CHECK(a.zone.has_dst);
  CHECK(a.zone.std_offset_seconds == 3600);
  CHECK(a.overstay_grace == 20 * kMinute);
  CHECK(a.overstay_repeat == 0);
  CHECK_FALSE(a.walkups_need_approval);
  CHECK(a.officers == std::vector<std::string>{"otto", "chief"});

  REQUIRE(a.gates.size() == 3);
  CHECK(a.gates[0].id == "north-gate");
  CHECK(a.gates[0].post == "gate-1");
  CHECK(a.gates[0].hours == DailyHours{6 * 60, 22 * 60});
  CHECK(a.gates[1].id == "depot");
  CHECK(a.gates[1].post.empty());  // the gate id
  CHECK(a.PostOf("depot") == "depot");
  CHECK_FALSE(a.gates[1].hours.has_value());
  CHECK(a.gates[2].hours == DailyHours{22 * 60, 6 * 60});

  const PassKindRules& visitor = a.RulesFor(PassKind::kVisitor);
  CHECK(visitor.default_gates == std::vector<std::string>{"north-gate"});
  CHECK(visitor.default_hours == DailyHours{7 * 60, 19 * 60});
  CHECK(visitor.max_validity == 12 * kHour);
  CHECK_FALSE(visitor.tracks_visits);

  // Given in part: the keys not given keep the kind's defaults.
  const AccessConfig defaults;
  const PassKindRules& contractor = a.RulesFor(PassKind::kContractor);
  CHECK(contractor.default_gates == std::vector<std::string>{"north-gate", "depot"});
  CHECK_FALSE(contractor.default_hours.has_value());
  CHECK(contractor.max_validity == defaults.RulesFor(PassKind::kContractor).max_validity);
  CHECK(contractor.tracks_visits);

  const PassKindRules& staff = a.RulesFor(PassKind::kStaff);
  CHECK(staff.default_gates.empty());
  CHECK(staff.default_hours == DailyHours{5 * 60, 24 * 60});
  CHECK(staff.max_validity == 730 * kDay);
  CHECK(staff.tracks_visits);
}

TEST_CASE("access config: an absent section gives the defaults", "[access][config]") {
  for (std::string_view text : {std::string_view(""), std::string_view("[site]\nid = \"x\"\n"),
                                std::string_view("[access]\n")}) {
    INFO("text: " << text);
    AccessServiceConfig c = Read(text);
    CHECK(c.commands == "tcp://127.0.0.1:7412");
    CHECK(c.http == "127.0.0.1:7483");
    CHECK(c.reply_wait == 1500 * kMicrosPerMilli);
    const AccessConfig& a = c.access;
    const AccessConfig defaults;
    CHECK(a.time_zone == "UTC0");
    CHECK(a.zone.std_name == "UTC");
    CHECK_FALSE(a.zone.has_dst);
    // No gates: every scan is refused as unknown_gate.
    CHECK(a.gates.empty());
    CHECK(a.officers.empty());
    CHECK(a.overstay_grace == 15 * kMinute);
    CHECK(a.overstay_repeat == 30 * kMinute);
    CHECK(a.walkups_need_approval);
    for (PassKind kind : {PassKind::kVisitor, PassKind::kContractor, PassKind::kStaff}) {
      const PassKindRules& got = a.RulesFor(kind);
      const PassKindRules& want = defaults.RulesFor(kind);
      CHECK(got.default_gates == want.default_gates);
      CHECK(got.default_hours == want.default_hours);
      CHECK(got.max_validity == want.max_validity);
      CHECK(got.tracks_visits == want.tracks_visits);
    }
  }
}

TEST_CASE("access config: empty http, reply_wait 0 and an empty gates array are allowed",
          "[access][config]") {
  AccessServiceConfig c = Read(R"(
[access]
http = ""
reply_wait = "0"
gates = []
)");
  CHECK(c.http.empty());
  CHECK(c.reply_wait == 0);
  CHECK(c.access.gates.empty());
}

TEST_CASE("access config: unknown keys are errors, at the top, in a gate and in a kind",
          "[access][config]") {
  SECTION("top level") {
    constexpr std::string_view kText = R"(
[access]
time_zone = "UTC0"
colour = "blue"
)";
    CheckOnlyError(kText, "colour", "access.colour: unknown key");
  }
  SECTION("in a gate") {
    constexpr std::string_view kText = R"(
[access]
[[access.gates]]
id = "north"
[[access.gates]]
id = "south"
opening = "06:00-22:00"
)";
    CheckOnlyError(kText, "opening", "access.gates[2].opening: unknown key");
  }
  SECTION("in a kind") {
    constexpr std::string_view kText = R"(
[access.kinds.visitor]
max_validity = "12h"
max_valid = "12h"
)";
    CheckOnlyError(kText, "max_valid =", "access.kinds.visitor.max_valid: unknown key");
  }
}

TEST_CASE("access config: values of the wrong type", "[access][config]") {
  struct Case {
    std::string_view text;
    std::string_view marker;
    std::string what;
  };
  const std::vector<Case> cases = {
      {"[access]\ncommands = 7412\n", "commands", "access.commands: must be a string"},
      {"[access]\nhttp = 7483\n", "http", "access.http: must be a string"},
      {"[access]\ntime_zone = 1\n", "time_zone", "access.time_zone: must be a string"},
      {"[access]\nwalkups_need_approval = \"yes\"\n", "walkups",
       "access.walkups_need_approval: must be true or false"},
      {"[access]\nofficers = \"otto\"\n", "officers",
       "access.officers: must be an array of strings"},
      {"[access]\nofficers = [\"otto\", 7]\n", "officers",
       "access.officers: must be an array of strings"},
      {"[access]\noverstay_grace = 900\n", "overstay_grace",
       "access.overstay_grace: must be a duration string such as \"500ms\", \"30s\", \"15m\", "
       "\"2h\", \"7d\""},
      {"[access]\ngates = \"north\"\n", "gates",
       "access.gates: must be an array of tables ([[access.gates]])"},
      {"[access]\ngates = [\"north\"]\n", "gates",
       "access.gates: must be an array of tables ([[access.gates]])"},
      {"[access]\nkinds = 1\n", "kinds", "access.kinds: must be a table"},
      {"[access]\nkinds = { visitor = 1 }\n", "kinds", "access.kinds.visitor: must be a table"},
      {"[[access.gates]]\nid = 7\n", "id", "access.gates[1].id: must be a string"},
      {"[[access.gates]]\nid = \"n\"\npost = 1\n", "post",
       "access.gates[1].post: must be a string"},
      {"[[access.gates]]\nid = \"n\"\nhours = 6\n", "hours",
       "access.gates[1].hours: must be a string"},
      {"[access.kinds.staff]\ntracks_visits = 1\n", "tracks",
       "access.kinds.staff.tracks_visits: must be true or false"},
      {"[access.kinds.staff]\ndefault_gates = \"north\"\n", "default_gates",
       "access.kinds.staff.default_gates: must be an array of strings"},
      {"[access.kinds.staff]\ndefault_hours = [\"07:00-19:00\"]\n", "default_hours",
       "access.kinds.staff.default_hours: must be a string"},
      {"access = 5\n", "access", "access: must be a table"},
  };
  for (const auto& c : cases) CheckOnlyError(c.text, c.marker, c.what);
}

TEST_CASE("access config: endpoints are checked", "[access][config]") {
  CheckOnlyError("[access]\ncommands = \"http://127.0.0.1:7412\"\n", "commands",
                 "access.commands: must be a tcp:// or ipc:// endpoint, got "
                 "'http://127.0.0.1:7412'");
  CheckOnlyError("[access]\ncommands = \"\"\n", "commands",
                 "access.commands: must be a tcp:// or ipc:// endpoint, got ''");
  CheckOnlyError("[access]\nhttp = \"7483\"\n", "http",
                 "access.http: must be host:port or empty, got '7483'");
}

TEST_CASE("access config: durations are checked", "[access][config]") {
  CheckOnlyError("[access]\nreply_wait = \"1.5s\"\n", "reply_wait",
                 "access.reply_wait: '1.5s' is not a duration (a whole number followed by us, ms, "
                 "s, m, h or d)");
  CheckOnlyError("[access]\nreply_wait = \"1m\"\n", "reply_wait",
                 "access.reply_wait: '1m' is out of range (0 ms to 30000 ms)");
  CheckOnlyError("[access]\noverstay_grace = \"15 min\"\n", "overstay_grace",
                 "access.overstay_grace: '15 min' is not a duration (a whole number followed by "
                 "us, ms, s, m, h or d)");
  CheckOnlyError("[access]\noverstay_grace = \"-5m\"\n", "overstay_grace",
                 "access.overstay_grace: '-5m' is not a duration (a whole number followed by us, "
                 "ms, s, m, h or d)");
  // Between 0 (once only) and a minute: the core's check, at the key.
  CheckOnlyError("[access]\noverstay_grace = \"5m\"\noverstay_repeat = \"30s\"\n",
                 "overstay_repeat",
                 "access.overstay_repeat: must be 0 (once only) or at least 1 minute");
  CheckOnlyError("[access.kinds.visitor]\nmax_validity = \"0\"\n", "max_validity",
                 "access.kinds.visitor.max_validity: '0' is out of range (60000 ms to "
                 "316224000000 ms)");
}

TEST_CASE("access config: hours must be HH:MM-HH:MM and not empty or the whole day",
          "[access][config]") {
  CheckOnlyError("[[access.gates]]\nid = \"north\"\nhours = \"6-22\"\n", "hours",
                 "access.gates[1].hours: hours '6-22': expected HH:MM-HH:MM");
  CheckOnlyError("[[access.gates]]\nid = \"north\"\nhours = \"06:00-25:00\"\n", "hours",
                 "access.gates[1].hours: hours '06:00-25:00': expected HH:MM-HH:MM");
  CheckOnlyError("[[access.gates]]\nid = \"north\"\nhours = \"00:00-24:00\"\n", "hours",
                 "access.gates[1].hours: hours '00:00-24:00': an empty or full-day window");
  CheckOnlyError("[access.kinds.staff]\ndefault_hours = \"08:00-08:00\"\n", "default_hours",
                 "access.kinds.staff.default_hours: hours '08:00-08:00': an empty or full-day "
                 "window");
  CheckOnlyError("[access.kinds.staff]\ndefault_hours = \"\"\n", "default_hours",
                 "access.kinds.staff.default_hours: hours '': expected HH:MM-HH:MM");
}

TEST_CASE("access config: a kind other than visitor, contractor and staff is an error",
          "[access][config]") {
  constexpr std::string_view kText = R"(
[access.kinds.visitor]
max_validity = "8h"

[access.kinds.guest]
max_validity = "8h"
)";
  CheckOnlyError(kText, "[access.kinds.guest]",
                 "access.kinds.guest: unknown pass kind 'guest' (kinds: visitor, contractor, "
                 "staff)");
  CheckOnlyError("[access]\nkinds = { Visitor = {} }\n", "kinds",
                 "access.kinds.Visitor: unknown pass kind 'Visitor' (kinds: visitor, contractor, "
                 "staff)");
}

TEST_CASE("access config: gates, their ids and posts", "[access][config]") {
  SECTION("a duplicate id, at the second one's id") {
    constexpr std::string_view kText = R"(
[[access.gates]]
id = "north"

[[access.gates]]
id = "south"

[[access.gates]]
id = "north"   # again
post = "gate-3"
)";
    CheckOnlyError(kText, "\"north\"   # again", "access.gates[3].id: duplicate id 'north'");
  }
  SECTION("counted in the file even after a gate without an id") {
    constexpr std::string_view kText = R"(
[[access.gates]]
post = "gate-1"

[[access.gates]]
id = "north"

[[access.gates]]
id = "north"   # again
)";
    auto errors = Errors(kText);
    for (const auto& e : errors) INFO(e);
    CHECK(errors.size() == 2);
    CHECK(HasError(errors, 2, "access.gates[1].id: is required"));
    CHECK(HasError(errors, LineOf(kText, "# again"), "access.gates[3].id: duplicate id 'north'"));
  }
  SECTION("ids and posts must be valid ids") {
    constexpr std::string_view kText = R"(
[access]
officers = ["otto", "duty officer"]
[[access.gates]]
id = "north gate"
post = "gate 1"
)";
    auto errors = Errors(kText);
    for (const auto& e : errors) INFO(e);
    CHECK(errors.size() == 3);
    CHECK(HasError(errors, 3, "access.officers: 'duty officer' is not a valid id"));
    CHECK(HasError(errors, 5, "access.gates[1].id: id 'north gate' is not a valid id"));
    CHECK(HasError(errors, 6, "access.gates[1].post: post 'gate 1' is not a valid id"));
  }
  SECTION("an empty post") {
    CheckOnlyError("[[access.gates]]\nid = \"north\"\npost = \"\"\n", "post",
                   "access.gates[1].post: must not be empty (leave it out for the gate id)");
  }
}

TEST_CASE("access config: a kind's default gate must be a gate", "[access][config]") {
  constexpr std::string_view kText = R"(
[[access.gates]]
id = "north"

[access.kinds.visitor]
default_gates = ["north", "west"]
)";
  CheckOnlyError(kText, "default_gates",
                 "access.kinds.visitor.default_gates: default gate 'west' is not a gate");
}

TEST_CASE("access config: the time zone is a zone name or a POSIX TZ rule", "[access][config]") {
  CheckOnlyError("[access]\nofficers = []\ntime_zone = \"CET-1CEST\"\n", "time_zone",
                 "access.time_zone: time zone 'CET-1CEST': no zone file "
                 "/usr/share/zoneinfo/CET-1CEST (is the tzdata package installed?), and not a "
                 "POSIX TZ rule (a daylight-time zone needs its start and end rules "
                 "(,Mm.w.d,Mm.w.d))");
  CheckOnlyError("[access]\ntime_zone = \"\"\n", "time_zone",
                 "access.time_zone: time zone '': neither a zone name such as "
                 "\"Europe/Berlin\" nor a POSIX TZ rule (a zone name needs at least 3 "
                 "characters)");
  std::string error;
  auto c = ParseAccessConfig("[access]\ntime_zone = \"Europe/Berlin\"\n", "site.toml", &error);
  INFO(error);
  REQUIRE(c);
  CHECK(c->access.time_zone == "CET-1CEST,M3.5.0,M10.5.0/3");
}

TEST_CASE("access config: several errors are reported together, in file order",
          "[access][config]") {
  constexpr std::string_view kText = R"(
[access]
commands = "http://x"
reply_wait = "soon"
time_zone = "Mars"
walkups_need_approval = "no"
colour = "blue"

[[access.gates]]
id = "north"
hours = "6-22"

[[access.gates]]
id = "north"
door = 1

[access.kinds.visitor]
default_gates = ["west"]
max_validity = "forever"

[access.kinds.guest]
)";
  auto errors = Errors(kText);
  for (const auto& e : errors) INFO(e);
  REQUIRE(errors.size() == 11);
  // Exact lines (line 1 is the empty line after R"().
  CHECK(
      HasError(errors, 3, "access.commands: must be a tcp:// or ipc:// endpoint, got 'http://x'"));
  CHECK(HasError(errors, 4,
                 "access.reply_wait: 'soon' is not a duration (a whole number followed by us, ms, "
                 "s, m, h or d)"));
  CHECK(errors[2].rfind("site.toml:5:", 0) == 0);
  CHECK_THAT(errors[2], Catch::Contains("access.time_zone: time zone 'Mars': no zone file"));
  CHECK(HasError(errors, 6, "access.walkups_need_approval: must be true or false"));
  CHECK(HasError(errors, 7, "access.colour: unknown key"));
  CHECK(HasError(errors, 11, "access.gates[1].hours: hours '6-22': expected HH:MM-HH:MM"));
  CHECK(HasError(errors, 14, "access.gates[2].id: duplicate id 'north'"));
  CHECK(HasError(errors, 15, "access.gates[2].door: unknown key"));
  CHECK(HasError(errors, 18,
                 "access.kinds.visitor.default_gates: default gate 'west' is not a gate"));
  CHECK(HasError(errors, 19,
                 "access.kinds.visitor.max_validity: 'forever' is not a duration (a whole number "
                 "followed by us, ms, s, m, h or d)"));
  CHECK(HasError(errors, 21,
                 "access.kinds.guest: unknown pass kind 'guest' (kinds: visitor, contractor, "
                 "staff)"));
  // In file order.
  int last = 0;
  for (const auto& e : errors) {
    int line = std::stoi(e.substr(std::string("site.toml:").size()));
    CHECK(line >= last);
    last = line;
  }
}

TEST_CASE("access config: a TOML syntax error is reported with its position", "[access][config]") {
  std::string error;
  auto config = ParseAccessConfig("[access]\ntime_zone = \"UTC0\n", "site.toml", &error);
  CHECK_FALSE(config);
  CHECK_THAT(error, Catch::StartsWith("site.toml:2:"));
}

TEST_CASE("access config: ReadAccessConfig reads the section of a parsed site file",
          "[access][config]") {
  std::string error;
  auto root = ParseToml("[site]\nid = \"x\"\n[[access.gates]]\nid = \"north\"\n", "s.toml", &error);
  REQUIRE(root);
  auto config = ReadAccessConfig(*root, "s.toml", &error);
  INFO(error);
  REQUIRE(config);
  REQUIRE(config->access.gates.size() == 1);
  CHECK(config->access.gates[0].id == "north");
  auto bad = ParseToml("[access]\nhttp = \"x\"\n", "s.toml", &error);
  REQUIRE(bad);
  CHECK_FALSE(ReadAccessConfig(*bad, "s.toml", &error));
  CHECK(error == "s.toml:2:8: access.http: must be host:port or empty, got 'x'");
}

TEST_CASE("deploy/config/site.toml is a valid site with a valid [access] section",
          "[access][config]") {
  std::string error;
  auto site = LoadSiteConfig(PICKET_EXAMPLE_SITE, &error);
  INFO(error);
  REQUIRE(site);
  std::ifstream in(PICKET_EXAMPLE_SITE);
  std::stringstream text;
  text << in.rdbuf();
  auto config = ParseAccessConfig(text.str(), "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  const AccessConfig& a = config->access;
  CHECK(config->commands == "tcp://127.0.0.1:7412");
  CHECK(a.zone.std_name == "CET");
  CHECK(a.zone.has_dst);
  REQUIRE(a.gates.size() == 2);
  CHECK(a.gates[0].id == "main-gate");
  CHECK(a.PostOf("main-gate") == "gate-1");
  CHECK_FALSE(a.gates[0].hours.has_value());
  CHECK(a.gates[1].id == "delivery-gate");
  CHECK(a.PostOf("delivery-gate") == "gate-2");
  CHECK(a.gates[1].hours.has_value());
  CHECK(a.IsOfficer("chief"));
}

}  // namespace picket::access
