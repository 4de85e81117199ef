#include "runtime/config.h"

#include <catch2/catch.hpp>

namespace picket {

TEST_CASE("Durations parse with units and reject junk", "[config]") {
  CHECK(ParseDurationMicros("0") == 0);
  CHECK(ParseDurationMicros("250ms") == 250'000);
  CHECK(ParseDurationMicros("90s") == 90'000'000);
  CHECK(ParseDurationMicros("15m") == 900'000'000);
  CHECK(ParseDurationMicros("2h") == 7'200'000'000);
  CHECK(ParseDurationMicros("7d") == 604'800'000'000);
  CHECK_FALSE(ParseDurationMicros("").has_value());
  CHECK_FALSE(ParseDurationMicros("s").has_value());
  CHECK_FALSE(ParseDurationMicros("10").has_value());
  CHECK_FALSE(ParseDurationMicros("10 s").has_value());
  CHECK_FALSE(ParseDurationMicros("-5s").has_value());
  CHECK_FALSE(ParseDurationMicros("1y").has_value());
  CHECK_FALSE(ParseDurationMicros("9999999999999s").has_value());
  // Twelve digits of days are more microseconds than an int64 holds (found by the
  // site_config fuzzer: a signed overflow).
  CHECK_FALSE(ParseDurationMicros("55555555555d").has_value());
  CHECK(ParseDurationMicros("106751991d") == 106'751'991LL * 86'400'000'000LL);
  CHECK_FALSE(ParseDurationMicros("106751992d").has_value());
}

TEST_CASE("A TOML syntax error names file, line and column", "[config]") {
  std::string error;
  auto t = ParseToml("a = 1\nb = = 2\n", "x.toml", &error);
  CHECK_FALSE(t.has_value());
  CHECK(error.rfind("x.toml:2:", 0) == 0);
}

TEST_CASE("ConfigReader checks types and ranges and rejects unknown keys", "[config]") {
  std::string error;
  auto t = ParseToml("n = 5\ns = 'x'\nbig = 100\nd = '3 s'\nb = 1\ntypo = 2\n", "c.toml", &error);
  REQUIRE(t.has_value());
  ConfigReader r(*t, "c.toml", "sec");
  CHECK(r.Int("n", 0, 0, 10) == 5);
  CHECK(r.String("s", "") == "x");
  CHECK(r.Int("big", 7, 0, 10) == 7);  // out of range keeps the default and fails
  CHECK(r.Duration("d", 1, 0, 1'000'000'000) == 1);
  CHECK(r.Bool("b", false) == false);
  CHECK(r.Int("absent", 3, 0, 10) == 3);
  r.RejectUnknownKeys();
  REQUIRE_FALSE(r.Ok());
  std::string all = r.ErrorText();
  CHECK(all.find("c.toml:3:7: sec.big: must be between 0 and 10, got 100") != std::string::npos);
  CHECK(all.find("sec.d: '3 s' is not a duration") != std::string::npos);
  CHECK(all.find("sec.b: must be true or false") != std::string::npos);
  CHECK(all.find("sec.typo: unknown key") != std::string::npos);
  CHECK(r.Errors().size() == 4);
}

TEST_CASE("A missing file is a clear error", "[config]") {
  std::string error;
  CHECK_FALSE(LoadTomlFile("/nonexistent/site.toml", &error).has_value());
  CHECK(error == "/nonexistent/site.toml: cannot open the file");
}

TEST_CASE("Sizes parse with binary and decimal units and reject junk", "[config]") {
  CHECK(ParseSizeBytes("0") == 0);
  CHECK(ParseSizeBytes("4096B") == 4096);
  CHECK(ParseSizeBytes("512KiB") == 512 * 1024);
  CHECK(ParseSizeBytes("64MiB") == 64LL << 20);
  CHECK(ParseSizeBytes("2GiB") == 2LL << 30);
  CHECK(ParseSizeBytes("1TiB") == 1LL << 40);
  CHECK(ParseSizeBytes("100MB") == 100'000'000);
  CHECK_FALSE(ParseSizeBytes(""));
  CHECK_FALSE(ParseSizeBytes("64"));  // a string needs its unit (an integer is bytes)
  CHECK_FALSE(ParseSizeBytes("64 MiB"));
  CHECK_FALSE(ParseSizeBytes("MiB"));
  CHECK_FALSE(ParseSizeBytes("-1MiB"));
  CHECK_FALSE(ParseSizeBytes("1.5GiB"));
  CHECK_FALSE(ParseSizeBytes("64mib"));
  CHECK_FALSE(ParseSizeBytes("999999999999999TiB"));  // overflow
}

}  // namespace picket
