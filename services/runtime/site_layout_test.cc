#include "runtime/site_layout.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace picket {

TEST_CASE("A relative data_root is relative to the config file", "[site_layout]") {
  SiteConfig site;
  site.source_path = "/etc/picket/site.toml";
  site.data_root = "data/../state";
  CHECK(ResolveDataRoot(site) == "/etc/picket/state");
  CHECK(ProcessDataDir(site, "bus") == "/etc/picket/state/bus");
  site.data_root = "/var/lib/picket/";
  CHECK(ProcessDataDir(site, "bus") == "/var/lib/picket/bus");
}

TEST_CASE("A ready file gives the endpoints the bus bound", "[site_layout]") {
  std::string error;
  auto bus = ParseBusReady(R"({"pid": 42, "ingest": "tcp://127.0.0.1:4001",
      "events": "tcp://127.0.0.1:4002", "replay": "tcp://127.0.0.1:4003",
      "http": "127.0.0.1:4004"})",
                           &error);
  REQUIRE(bus.has_value());
  CHECK(bus->pid == 42);
  CHECK(bus->events == "tcp://127.0.0.1:4002");
  CHECK(bus->http == "127.0.0.1:4004");
  CHECK_FALSE(ParseBusReady("{", &error).has_value());
  CHECK_FALSE(ParseBusReady(R"({"pid": 0})", &error).has_value());
  CHECK_FALSE(ParseBusReady(R"({"pid": 1, "ingest": "a"})", &error).has_value());
  CHECK_THAT(error, Catch::Contains("\"events\""));
}

TEST_CASE("Wildcard endpoints are looked up in the ready file", "[site_layout]") {
  CHECK(IsWildcardEndpoint("tcp://127.0.0.1:*"));
  CHECK(IsWildcardEndpoint("tcp://127.0.0.1:0"));
  CHECK_FALSE(IsWildcardEndpoint("tcp://127.0.0.1:7401"));
  CHECK_FALSE(IsWildcardEndpoint("ipc:///run/picket/ingest"));

  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("site_layout_test." + std::to_string(getpid()));
  fs::create_directories(root / "bus");
  SiteConfig site;
  site.source_path = (root / "site.toml").string();
  site.data_root = root.string();
  site.bus.ingest = "tcp://127.0.0.1:*";

  std::string error;
  CHECK_FALSE(LocateBus(site, &error).has_value());
  CHECK_THAT(error, Catch::Contains("is the bus running?"));

  std::ofstream(root / "bus" / "ready") << R"({"pid": 7, "ingest": "tcp://127.0.0.1:5001",
      "events": "e", "replay": "r", "http": "h"})";
  auto bus = LocateBus(site, &error);
  REQUIRE(bus.has_value());
  CHECK(bus->ingest == "tcp://127.0.0.1:5001");

  site.bus.ingest = "tcp://127.0.0.1:7401";  // nothing wild: the configuration wins
  CHECK(LocateBus(site, &error)->ingest == "tcp://127.0.0.1:7401");
  fs::remove_all(root);
}

}  // namespace picket
