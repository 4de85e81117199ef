#include "runtime/time_zone_names.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "domain/site_time.h"

namespace picket {
namespace {

// A temporary zoneinfo directory holding files the test writes.
struct FakeZoneInfo {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("picket-zoneinfo-" + std::to_string(::getpid()));
  FakeZoneInfo() { std::filesystem::create_directories(dir / "Test"); }
  ~FakeZoneInfo() { std::filesystem::remove_all(dir); }
  void Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  }
  // A TZif v2 file: a 44-byte header (content irrelevant here), then the footer.
  static std::string Tzif(const std::string& footer) {
    std::string header = "TZif2";
    header.resize(44, '\0');
    return header + "\n" + footer + "\n";
  }
};

std::string Resolve(std::string_view text, const FakeZoneInfo& z, bool ok = true) {
  std::string error;
  auto rule = ResolveTimeZone(text, &error, z.dir.string());
  INFO(error);
  CHECK(rule.has_value() == ok);
  return rule ? *rule : error;
}

}  // namespace

TEST_CASE("time zone names: a POSIX rule is taken as it is, a name from its TZif footer",
          "[time_zone_names]") {
  FakeZoneInfo z;
  z.Write("Test/Berlin", FakeZoneInfo::Tzif("CET-1CEST,M3.5.0,M10.5.0/3"));
  CHECK(Resolve("UTC0", z) == "UTC0");
  CHECK(Resolve("CET-1CEST,M3.5.0,M10.5.0/3", z) == "CET-1CEST,M3.5.0,M10.5.0/3");
  CHECK(Resolve("Test/Berlin", z) == "CET-1CEST,M3.5.0,M10.5.0/3");
}

TEST_CASE("time zone names: bad names, missing files and files without a rule are refused",
          "[time_zone_names]") {
  FakeZoneInfo z;
  z.Write("Test/V1", std::string("TZif") + std::string(40, '\0'));  // version 1: no footer
  z.Write("Test/Empty", FakeZoneInfo::Tzif(""));
  z.Write("Test/Odd", FakeZoneInfo::Tzif("XYZ"));
  CHECK_THAT(Resolve("Mars/Olympus", z, false), Catch::Contains("is the tzdata package"));
  CHECK_THAT(Resolve("CET-1CEST", z, false), Catch::Contains("needs its start and end rules"));
  CHECK_THAT(Resolve("../etc/passwd", z, false), Catch::Contains("neither a zone name"));
  CHECK_THAT(Resolve("/etc/passwd", z, false), Catch::Contains("neither a zone name"));
  CHECK_THAT(Resolve("Test/V1", z, false), Catch::Contains("not a TZif file"));
  CHECK_THAT(Resolve("Test/Empty", z, false), Catch::Contains("not a TZif file"));
  CHECK_THAT(Resolve("Test/Odd", z, false), Catch::Contains("is not supported"));
  CHECK_THAT(Resolve("", z, false), Catch::Contains("neither a zone name"));
}

TEST_CASE("time zone names: the system's Europe/Berlin is CET/CEST (tzdata is installed)",
          "[time_zone_names]") {
  std::string error;
  auto rule = ResolveTimeZone("Europe/Berlin", &error);
  INFO(error);
  REQUIRE(rule);
  auto zone = TimeZoneRule::Parse(*rule, &error);
  REQUIRE(zone);
  CHECK(zone->std_offset_seconds == 3600);
  CHECK(zone->dst_offset_seconds == 7200);
}

}  // namespace picket
