// [notify] in site.toml: good configs, and every refusal with file:line:col and key.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "notify/notify_config_toml.h"

namespace picket::notify {
namespace {

constexpr const char* kSite = "[site]\nid = \"north\"\ndata_root = \"/tmp/x\"\n";

std::optional<NotifyConfig> Parse(const std::string& notify, std::string* error,
                                  const std::string& source = "site.toml") {
  return ParseNotifyConfig(std::string(kSite) + notify, source, error);
}

// The config must be refused with an error that contains `what`.
std::string Refused(const std::string& notify, const std::string& what) {
  std::string error;
  auto c = Parse(notify, &error);
  INFO(error);
  CHECK_FALSE(c.has_value());
  CHECK_THAT(error, Catch::Contains(what));
  return error;
}

constexpr const char* kGood = R"(
[notify]
http = "127.0.0.1:0"
workers = 2
head_check_timeout = "2s"
[notify.retry]
initial_backoff = "500ms"
max_backoff = "30s"
max_attempts = 5
[notify.channels.ops]
url = "https://hooks.ops.invalid:8443/picket?x=1"
secret = "0123456789abcdef-secret"
timeout = "3s"
headers = { Authorization = "Bearer t0k3n" }
[notify.channels.pager]
kind = "webhook"
url = "http://127.0.0.1:9000"
secret = "pager-secret-0123456789"
[notify.people]
ann = ["ops", "pager"]
[notify.roles]
duty_officer = ["pager"]
manager = ["ops"]
[escalation.roster]
people = { bob = ["manager"] }
)";

}  // namespace

TEST_CASE("notify config: a full [notify] section is read into values", "[notify][config]") {
  std::string error;
  auto c = Parse(kGood, &error);
  INFO(error);
  REQUIRE(c.has_value());
  CHECK(c->http == "127.0.0.1:0");
  CHECK(c->workers == 2);
  CHECK(c->head_check_timeout == 2 * kMicrosPerSecond);
  CHECK(c->retry.initial_backoff == 500 * kMicrosPerMilli);
  CHECK(c->retry.max_backoff == 30 * kMicrosPerSecond);
  CHECK(c->retry.max_attempts == 5);
  const Channel* ops = c->FindChannel("ops");
  REQUIRE(ops != nullptr);
  CHECK(ops->target.scheme == "https");
  CHECK(ops->target.host == "hooks.ops.invalid");
  CHECK(ops->target.port == 8443);
  CHECK(ops->target.path == "/picket?x=1");
  CHECK(ops->target.Origin() == "https://hooks.ops.invalid:8443");
  CHECK(ops->timeout == 3 * kMicrosPerSecond);
  CHECK(ops->secret == "0123456789abcdef-secret");
  REQUIRE(ops->headers.size() == 1);
  CHECK(ops->headers[0].first == "Authorization");
  const Channel* pager = c->FindChannel("pager");
  REQUIRE(pager != nullptr);
  CHECK(pager->target.port == 9000);
  CHECK(pager->target.path == "/");
  std::string url_error;
  CHECK(ParseWebhookUrl("http://h", &url_error)->port == 80);
  CHECK(ParseWebhookUrl("HTTPS://h?q", &url_error)->port == 443);
  CHECK(ParseWebhookUrl("HTTPS://h?q", &url_error)->path == "/?q");
  CHECK(pager->timeout == 10 * kMicrosPerSecond);  // the default
}

TEST_CASE(
    "notify config: a person's channels are their own, their standing roles' and the "
    "alert's role, once each",
    "[notify][config]") {
  std::string error;
  auto c = Parse(kGood, &error);
  REQUIRE(c.has_value());
  auto names = [](const std::vector<const Channel*>& v) {
    std::vector<std::string> out;
    for (const auto* ch : v) out.push_back(ch->name);
    return out;
  };
  CHECK(names(c->ChannelsFor("ann", "person:ann")) == std::vector<std::string>{"ops", "pager"});
  CHECK(names(c->ChannelsFor("ann", "role:duty_officer")) ==
        std::vector<std::string>{"ops", "pager"});
  CHECK(names(c->ChannelsFor("bob", "person:bob")) == std::vector<std::string>{"ops"});
  CHECK(names(c->ChannelsFor("carl", "role:duty_officer")) == std::vector<std::string>{"pager"});
  CHECK(names(c->ChannelsFor("carl", "all:manager")) == std::vector<std::string>{"ops"});
  CHECK(c->ChannelsFor("carl", "post_leader").empty());
  CHECK(c->ChannelsFor("carl", "role:nobody").empty());
}

TEST_CASE("notify config: no [notify] section is an empty config", "[notify][config]") {
  std::string error;
  auto c = Parse("", &error);
  REQUIRE(c.has_value());
  CHECK(c->channels.empty());
  CHECK(c->ChannelsFor("ann", "role:x").empty());
}

TEST_CASE("notify config: unknown keys at every level are refused with their position",
          "[notify][config]") {
  std::string e = Refused("[notify]\nworkerz = 3\n", "site.toml:5:11: notify.workerz: unknown key");
  Refused("[notify.retry]\nmax_attempt = 3\n", "notify.retry.max_attempt: unknown key");
  Refused("[notify.channels.a]\nurl = \"http://h\"\nsecret = \"0123456789abcdef\"\nsecrte = 1\n",
          "notify.channels.a.secrte: unknown key");
}

TEST_CASE("notify config: bad URLs are refused", "[notify][config]") {
  auto channel = [](const std::string& url) {
    return "[notify.channels.a]\nurl = \"" + url + "\"\nsecret = \"0123456789abcdef\"\n";
  };
  Refused(channel("ftp://h/x"), "scheme must be http or https");
  Refused(channel("hooks.invalid/x"), "must be an absolute http:// or https:// URL");
  Refused(channel("http://"), "must name a host");
  Refused(channel("http://h:0/"), "port must be a number between 1 and 65535");
  Refused(channel("http://h:99999/"), "port must be a number between 1 and 65535");
  Refused(channel("http://user:pw@h/"), "must not carry user info");
  Refused(channel("http://h/a b"), "spaces or control characters");
  Refused(channel("http://h/#frag"), "fragment");
  std::string e =
      Refused(channel("gopher://h"), "site.toml:5:7: notify.channels.a.url: 'gopher://h'");
  (void)e;
}

TEST_CASE("notify config: a missing, doubled, short or unreadable secret is refused",
          "[notify][config]") {
  Refused("[notify.channels.a]\nurl = \"http://h\"\n",
          "notify.channels.a.secret: is required (or secret_file");
  Refused(
      "[notify.channels.a]\nurl = \"http://h\"\nsecret = \"0123456789abcdef\"\n"
      "secret_file = \"/x\"\n",
      "give either secret or secret_file, not both");
  Refused("[notify.channels.a]\nurl = \"http://h\"\nsecret = \"short\"\n",
          "the secret must be 16..4096 bytes, got 5");
  Refused("[notify.channels.a]\nurl = \"http://h\"\nsecret_file = \"/nonexistent/picket.secret\"\n",
          "notify.channels.a.secret_file: /nonexistent/picket.secret: cannot open the file");
  Refused("[notify.channels.a]\nsecret = \"0123456789abcdef\"\n",
          "notify.channels.a.url: is required");
}

TEST_CASE("notify config: secret_file is read relative to the config file, without its newline",
          "[notify][config]") {
  auto dir = std::filesystem::temp_directory_path() /
             ("picket-notify-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ops.secret") << "0123456789abcdef-from-file\n";
  std::string error;
  auto c = Parse("[notify.channels.a]\nurl = \"http://h\"\nsecret_file = \"ops.secret\"\n", &error,
                 (dir / "site.toml").string());
  std::filesystem::remove_all(dir);
  INFO(error);
  REQUIRE(c.has_value());
  CHECK(c->FindChannel("a")->secret == "0123456789abcdef-from-file");
}

TEST_CASE("notify config: a person or role naming an undefined channel is refused",
          "[notify][config]") {
  std::string chan = "[notify.channels.ops]\nurl = \"http://h\"\nsecret = \"0123456789abcdef\"\n";
  Refused(chan + "[notify.people]\nann = [\"ops\", \"pagr\"]\n",
          "site.toml:8:7: notify.people.ann: channel 'pagr' is not defined (defined: ops)");
  Refused(chan + "[notify.roles]\nduty_officer = [\"nope\"]\n",
          "notify.roles.duty_officer: channel 'nope' is not defined");
  Refused("[notify.people]\nann = \"ops\"\n", "notify.people.ann: must be an array of strings");
}

TEST_CASE("notify config: negative, zero, malformed and inverted durations are refused",
          "[notify][config]") {
  Refused("[notify.retry]\ninitial_backoff = \"-5s\"\n",
          "site.toml:5:19: notify.retry.initial_backoff: must not be negative, got '-5s'");
  Refused("[notify.retry]\ninitial_backoff = \"0\"\n", "initial_backoff: '0' is out of range");
  Refused("[notify.retry]\nmax_backoff = \"soon\"\n", "max_backoff: 'soon' is not a duration");
  Refused("[notify.retry]\ninitial_backoff = 5\n", "initial_backoff: must be a duration string");
  Refused("[notify.retry]\ninitial_backoff = \"10s\"\nmax_backoff = \"1s\"\n",
          "max_backoff: must not be shorter than initial_backoff");
  Refused("[notify.retry]\nmax_attempts = 0\n", "max_attempts: must be between 1 and 1000, got 0");
  Refused(
      "[notify.channels.a]\nurl = \"http://h\"\nsecret = \"0123456789abcdef\"\n"
      "timeout = \"-1s\"\n",
      "notify.channels.a.timeout: must not be negative");
  Refused("[notify]\nworkers = 0\n", "notify.workers: must be between 1 and 64, got 0");
  Refused("[notify]\nhead_check_timeout = \"10ms\"\n",
          "notify.head_check_timeout: '10ms' is out of range (100 ms to 60000 ms)");
  Refused("[notify]\nhttp = \"7482\"\n", "notify.http: must be host:port");
}

TEST_CASE("notify config: reserved or malformed extra headers are refused", "[notify][config]") {
  auto with = [](const std::string& headers) {
    return "[notify.channels.a]\nurl = \"http://h\"\nsecret = \"0123456789abcdef\"\nheaders = " +
           headers + "\n";
  };
  Refused(with("{ \"X-Picket-Signature\" = \"forged\" }"), "is set by picket-notify");
  Refused(with("{ \"Idempotency-Key\" = \"k\" }"), "is set by picket-notify");
  Refused(with("{ \"Bad Name\" = \"v\" }"), "is not a header name");
  Refused(with("{ X-Extra = \"a\\r\\nInjected: 1\" }"), "must not contain CR, LF or NUL");
  Refused("[notify.channels.\"a/b\"]\nurl = \"http://h\"\nsecret = \"0123456789abcdef\"\n",
          "channel names are 1..64");
  Refused(
      "[notify.channels.a]\nkind = \"sms\"\nurl = \"http://h\"\nsecret = \"0123456789abcdef\"\n",
      "notify.channels.a.kind: must be \"webhook\"");
}

TEST_CASE("notify config: every error is reported at once and nothing throws", "[notify][config]") {
  std::string error;
  auto c = Parse(
      "[notify]\nworkers = \"many\"\nfoo = 1\n[notify.retry]\nmax_attempts = -1\n"
      "[notify.people]\nann = [\"x\"]\n",
      &error);
  CHECK_FALSE(c.has_value());
  CHECK_THAT(error, Catch::Contains("notify.workers: must be an integer"));
  CHECK_THAT(error, Catch::Contains("notify.foo: unknown key"));
  CHECK_THAT(error, Catch::Contains("notify.retry.max_attempts"));
  CHECK_THAT(error, Catch::Contains("notify.people.ann: channel 'x' is not defined"));
  std::string syntax_error;
  CHECK_FALSE(ParseNotifyConfig("[notify\n", "bad.toml", &syntax_error).has_value());
  CHECK_THAT(syntax_error, Catch::StartsWith("bad.toml:1:"));
  CHECK_FALSE(ParseNotifyConfig("notify = 3\n" + std::string(kSite), "site.toml", &error));
  CHECK_THAT(error, Catch::Contains("notify: must be a table"));
}

}  // namespace picket::notify
