#include "picketctl/access_time.h"

#include <catch2/catch.hpp>

namespace picket {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
// 2026-11-28T14:00:00Z
constexpr Micros kAt = 1795874400LL * kSecond;

}  // namespace

TEST_CASE("RFC 3339 times are parsed to unix microseconds", "[access_time]") {
  CHECK(ParseRfc3339Micros("1970-01-01T00:00:00Z") == 0);
  CHECK(ParseRfc3339Micros("2026-11-28T14:00:00Z") == kAt);
  CHECK(ParseRfc3339Micros("2026-11-28t14:00:00z") == kAt);
  CHECK(ParseRfc3339Micros("2026-11-28T14:00:00.25Z") == kAt + 250000);
  CHECK(ParseRfc3339Micros("2026-11-28T14:00:00.123456789Z") == kAt + 123456);
  CHECK(ParseRfc3339Micros("2026-11-28T15:30:00+01:30") == kAt);
  CHECK(ParseRfc3339Micros("2026-11-28T09:00:00-05:00") == kAt);
  CHECK(ParseRfc3339Micros("2024-02-29T00:00:00Z") == 1709164800LL * kSecond);
  CHECK(ParseRfc3339Micros("1969-12-31T23:59:59Z") == -kSecond);
}

TEST_CASE("Malformed and impossible RFC 3339 times are refused", "[access_time]") {
  for (const char* bad :
       {"", "2026-11-28", "2026-11-28T14:00Z", "2026-11-28T14:00:00", "2026-11-28 14:00:00Z",
        "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z",
        "2026-11-28T24:00:00Z", "2026-11-28T14:60:00Z", "2026-11-28T14:00:60Z",
        "2026-11-28T14:00:00.Z", "2026-11-28T14:00:00.1234567890Z", "2026-11-28T14:00:00+0100",
        "2026-11-28T14:00:00Zjunk", "26-11-28T14:00:00Z", "+2026-11-28T14:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339Micros(bad).has_value());
  }
}

TEST_CASE("Access times also take now and offsets from now", "[access_time]") {
  std::string error;
  CHECK(ParseAccessTime("now", kAt, &error) == kAt);
  CHECK(ParseAccessTime("+8h", kAt, &error) == kAt + 8 * 3600 * kSecond);
  CHECK(ParseAccessTime("+30m", kAt, &error) == kAt + 30 * 60 * kSecond);
  CHECK(ParseAccessTime("+2d", kAt, &error) == kAt + 2 * 86400 * kSecond);
  CHECK(ParseAccessTime("-7d", kAt, &error) == kAt - 7 * 86400 * kSecond);
  CHECK(ParseAccessTime("+90s", kAt, &error) == kAt + 90 * kSecond);
  CHECK(ParseAccessTime("2026-11-28T14:00:00Z", 0, &error) == kAt);
  for (const char* bad : {"tomorrow", "+8", "8h", "+h", "+", "+8x", "+1234567d", "NOW", "+0"}) {
    INFO(bad);
    error.clear();
    CHECK_FALSE(ParseAccessTime(bad, kAt, &error).has_value());
    CHECK(error == "'" + std::string(bad) +
                       "' is not a time: give one like 2026-11-28T14:00:00Z, or now, +8h, +30m, "
                       "+2d, -7d");
  }
}

TEST_CASE("Access times are shown as RFC 3339, milliseconds only when there are some",
          "[access_time]") {
  CHECK(FormatAccessTime(kAt) == "2026-11-28T14:00:00Z");
  CHECK(FormatAccessTime(kAt + 250000) == "2026-11-28T14:00:00.250Z");
  CHECK(FormatAccessTime(0) == "-");
  CHECK(ParseRfc3339Micros(FormatAccessTime(kAt + 7 * kSecond)) == kAt + 7 * kSecond);
}

}  // namespace picket
