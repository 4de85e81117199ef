#include "runtime/site_config.h"

#include <catch2/catch.hpp>

namespace picket {
namespace {

std::string Parse(const std::string& text) {
  std::string error;
  auto c = ParseSiteConfig(text, "site.toml", &error);
  return c ? "" : error;
}

}  // namespace

TEST_CASE("A minimal site config takes the defaults", "[site_config]") {
  std::string error;
  auto c = ParseSiteConfig("[site]\nid = 'plant-1'\ndata_root = '/tmp/p'\n", "site.toml", &error);
  REQUIRE(c.has_value());
  CHECK(c->id == "plant-1");
  CHECK(c->name == "plant-1");
  CHECK(c->bus.sync);
  CHECK(c->bus.ingest == "tcp://127.0.0.1:7401");
  CHECK(c->services.empty());
}

TEST_CASE("A full site config is read", "[site_config]") {
  std::string error;
  auto c = ParseSiteConfig(R"(
[site]
id = "plant-1"
name = "Northfield"
data_root = "/var/lib/picket"
services = ["bus"]
[bus]
ingest = "ipc:///tmp/x/ingest"
sync = false
max_batch = 64
dedup_window = "1h"
retention = "2d"
heartbeat_interval = "250ms"
[run.generator]
command = ["picketctl", "generate", "--config", "{config}"]
[access]
anything = 1
)",
                           "site.toml", &error);
  REQUIRE(c.has_value());
  CHECK(c->services == std::vector<std::string>{"bus"});
  CHECK_FALSE(c->bus.sync);
  CHECK(c->bus.max_batch == 64);
  CHECK(c->bus.dedup_window == 3600LL * 1000000);
  CHECK(c->bus.heartbeat_interval == 250'000);
  CHECK(c->run.at("generator").command.size() == 4);
}

TEST_CASE("Site config errors are specific", "[site_config]") {
  CHECK(Parse("[site]\ndata_root='/x'\n").find("site.id: is required") != std::string::npos);
  CHECK(Parse("[site]\nid='Plant 1'\ndata_root='/x'\n").find("site.id: must be") !=
        std::string::npos);
  CHECK(Parse("[site]\nid='p'\ndata_root='/x'\n[bus]\nmax_batch=0\n")
            .find("site.toml:5:11: bus.max_batch: must be between 1 and 65536, got 0") !=
        std::string::npos);
  CHECK(Parse("[site]\nid='p'\ndata_root='/x'\n[bus]\ndedup_window='30d'\nretention='1d'\n")
            .find("bus.dedup_window: must not be longer than retention") != std::string::npos);
  CHECK(Parse("[site]\nid='p'\ndata_root='/x'\n[bus]\ningest='http://x'\n")
            .find("bus.ingest: must be a tcp://") != std::string::npos);
  CHECK(Parse("[site]\nid='p'\ndata_root='/x'\n[buss]\n").find("buss: unknown section") !=
        std::string::npos);
  CHECK(Parse("[site]\nid='p'\ndata_root='/x'\nservices='bus'\n")
            .find("site.services: must be an array of strings") != std::string::npos);
  CHECK(Parse("[site]\nid='p'\ndata_root='/x'\n[run.gen]\ncommand=[]\n")
            .find("run.gen.command: must be a non-empty array") != std::string::npos);
  CHECK(Parse("[site]\nid='p'\ndata_root='/x'\n[bus]\nsnyc=true\n").find("bus.snyc: unknown key") !=
        std::string::npos);
  CHECK(Parse("[site\n").find("site.toml:1:") == 0);
}

TEST_CASE("The bus's low-space guard is configured in sizes and refuses bad values",
          "[site_config]") {
  auto parse = [](const std::string& bus) {
    std::string error;
    auto c =
        ParseSiteConfig("[site]\nid = 'p'\ndata_root = '/x'\n[bus]\n" + bus, "site.toml", &error);
    return std::make_pair(c, error);
  };
  auto [defaults, e0] = parse("");
  REQUIRE(defaults.has_value());
  CHECK(defaults->bus.min_free_bytes == 128LL << 20);
  CHECK(defaults->bus.min_free_inodes == 1000);
  CHECK(defaults->bus.disk_check_interval == 500'000);

  auto [set, e1] =
      parse("min_free_bytes = \"2GiB\"\nmin_free_inodes = 50\ndisk_check_interval = \"100ms\"\n");
  INFO(e1);
  REQUIRE(set.has_value());
  CHECK(set->bus.min_free_bytes == 2LL << 30);
  CHECK(set->bus.min_free_inodes == 50);
  CHECK(set->bus.disk_check_interval == 100'000);
  CHECK(parse("min_free_bytes = 4096\n").first->bus.min_free_bytes == 4096);
  CHECK(parse("min_free_bytes = \"0\"\nmin_free_inodes = 0\n").first->bus.min_free_bytes == 0);
  CHECK(parse("min_free_bytes = \"500MB\"\n").first->bus.min_free_bytes == 500'000'000);

  CHECK_THAT(parse("min_free_bytes = \"64 MiB\"\n").second,
             Catch::Contains("bus.min_free_bytes: '64 MiB' is not a size"));
  CHECK_THAT(parse("min_free_bytes = \"lots\"\n").second,
             Catch::Contains("bus.min_free_bytes: 'lots' is not a size"));
  CHECK_THAT(parse("min_free_bytes = -1\n").second,
             Catch::Contains("bus.min_free_bytes: '-1' is out of range"));
  CHECK_THAT(parse("min_free_bytes = true\n").second,
             Catch::Contains("bus.min_free_bytes: must be a size"));
  CHECK_THAT(parse("min_free_inodes = -5\n").second,
             Catch::Contains("bus.min_free_inodes: must be between 0"));
  CHECK_THAT(parse("disk_check_interval = \"1ms\"\n").second,
             Catch::Contains("bus.disk_check_interval: '1ms' is out of range"));
}

TEST_CASE("The bus's signed checkpoints are configured and bad values refused", "[site_config]") {
  auto parse = [](const std::string& bus) {
    std::string error;
    auto c =
        ParseSiteConfig("[site]\nid = 'p'\ndata_root = '/x'\n[bus]\n" + bus, "site.toml", &error);
    return std::make_pair(c, error);
  };
  auto [none, e0] = parse("");
  REQUIRE(none.has_value());
  CHECK(none->bus.checkpoint_key.empty());
  CHECK(none->bus.checkpoint_every == 1000);
  CHECK(none->bus.checkpoint_interval == 60 * kMicrosPerSecond);
  const std::string pub(64, 'a');
  auto [set, e1] = parse(
      "checkpoint_key = \"keys/bus.sign\"\ncheckpoint_every = 10\ncheckpoint_interval = \"5s\"\n"
      "checkpoint_public = \"" +
      pub + "\"\n");
  INFO(e1);
  REQUIRE(set.has_value());
  CHECK(set->bus.checkpoint_key == "keys/bus.sign");
  CHECK(set->bus.checkpoint_every == 10);
  CHECK(set->bus.checkpoint_interval == 5 * kMicrosPerSecond);
  CHECK(set->bus.checkpoint_public == pub);
  CHECK_THAT(parse("checkpoint_public = \"abc\"\n").second,
             Catch::Contains("bus.checkpoint_public: must be 64 hex digits"));
  CHECK_THAT(parse("checkpoint_every = 0\n").second, Catch::Contains("bus.checkpoint_every"));
  CHECK_THAT(parse("checkpoint_interval = \"10ms\"\n").second,
             Catch::Contains("bus.checkpoint_interval"));
}

}  // namespace picket

namespace picket {
namespace {

constexpr const char* kSite = "[site]\nid = 'plant-1'\ndata_root = '/tmp/p'\n";
// Two valid Z85 keys (40 characters of the alphabet).
constexpr const char* kKeyA = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
constexpr const char* kKeyB = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";

std::string Identities(const std::string& lines) {
  return std::string(kSite) +
         "[security]\n[security.identities]\nbus = { role = 'service', public = '" + kKeyA +
         "' }\n" + lines;
}

}  // namespace

TEST_CASE("The security section lists keys with roles", "[site_config][security]") {
  std::string error;
  auto c = ParseSiteConfig(
      Identities(std::string("gate-1-terminal = { role = 'terminal', post = 'gate-1', gates = "
                             "['north'], public = '") +
                 kKeyB + "' }\n"),
      "site.toml", &error);
  INFO(error);
  REQUIRE(c.has_value());
  CHECK(c->security.enabled);
  CHECK(c->security.keys == "keys");
  const Identity* t = c->security.Find("gate-1-terminal");
  REQUIRE(t);
  CHECK(t->role == Role::kTerminal);
  CHECK(t->post == "gate-1");
  CHECK(t->gates == std::vector<std::string>{"north"});
  CHECK(c->security.NamesByPublicKey().at(kKeyB) == "gate-1-terminal");

  auto plain = ParseSiteConfig(kSite, "site.toml", &error);
  REQUIRE(plain.has_value());
  CHECK_FALSE(plain->security.enabled);
}

TEST_CASE("Security section errors are specific", "[site_config][security]") {
  const std::string b(kKeyB);
  CHECK_THAT(Parse(Identities("otto = { role = 'chief', public = '" + b + "' }\n")),
             Catch::Contains("must be terminal, service, officer, supervisor or admin"));
  CHECK_THAT(Parse(Identities("otto = { role = 'officer', public = 'short' }\n")),
             Catch::Contains("40 Z85 characters"));
  CHECK_THAT(Parse(Identities("t = { role = 'terminal', public = '" + b + "' }\n")),
             Catch::Contains("a terminal needs `post`"));
  CHECK_THAT(Parse(Identities("otto = { role = 'officer', post = 'g', public = '" + b + "' }\n")),
             Catch::Contains("only a terminal has a post"));
  CHECK_THAT(
      Parse(Identities("otto = { role = 'officer', public = '" + std::string(kKeyA) + "' }\n")),
      Catch::Contains("same public key"));
  CHECK_THAT(Parse(Identities("otto = { role = 'officer', public = '" + b + "', pin = 1 }\n")),
             Catch::Contains("unknown key"));
  CHECK_THAT(Parse(std::string(kSite) + "[security]\n[security.identities]\n"),
             Catch::Contains("must list `bus`"));
  CHECK_THAT(Parse(std::string(kSite) + "[security]\nkeyz = 'k'\n"), Catch::Contains("keyz"));
}

}  // namespace picket
