#include "picketctl/access_time.h"

#include <chrono>

#include "runtime/config.h"
#include "wire/event_json.h"

namespace picket {
namespace {

// Reads exactly `n` digits at *pos.
std::optional<int> Digits(std::string_view text, size_t* pos, size_t n) {
  if (*pos + n > text.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  return v;
}

bool Expect(std::string_view text, size_t* pos, std::string_view one_of) {
  if (*pos >= text.size() || one_of.find(text[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

}  // namespace

std::optional<Micros> ParseRfc3339Micros(std::string_view text) {
  size_t pos = 0;
  auto year = Digits(text, &pos, 4);
  if (!year || !Expect(text, &pos, "-")) return std::nullopt;
  auto month = Digits(text, &pos, 2);
  if (!month || !Expect(text, &pos, "-")) return std::nullopt;
  auto day = Digits(text, &pos, 2);
  if (!day || !Expect(text, &pos, "Tt")) return std::nullopt;
  auto hour = Digits(text, &pos, 2);
  if (!hour || !Expect(text, &pos, ":")) return std::nullopt;
  auto minute = Digits(text, &pos, 2);
  if (!minute || !Expect(text, &pos, ":")) return std::nullopt;
  auto second = Digits(text, &pos, 2);
  if (!second) return std::nullopt;
  Micros fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    Micros scale = 100000;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      if (digits >= 9) return std::nullopt;  // nanoseconds at most
      fraction += (text[pos] - '0') * scale;
      scale /= 10;
    }
    if (digits == 0) return std::nullopt;
  }
  int offset_minutes = 0;
  if (Expect(text, &pos, "Zz")) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = Digits(text, &pos, 2);
    if (!oh || !Expect(text, &pos, ":")) return std::nullopt;
    auto om = Digits(text, &pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  using namespace std::chrono;
  year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                      std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  int64_t days = sys_days(date).time_since_epoch().count();
  int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_minutes * 60;
  return seconds * kMicrosPerSecond + fraction;
}

std::optional<Micros> ParseAccessTime(std::string_view text, Micros now, std::string* error) {
  if (text == "now") return now;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    std::string_view rest = text.substr(1);
    size_t digits = rest.find_first_not_of("0123456789");
    auto duration = digits != std::string_view::npos && digits <= 6 ? ParseDurationMicros(rest)
                                                                    : std::optional<int64_t>();
    if (duration) return text[0] == '+' ? now + *duration : now - *duration;
  } else if (auto at = ParseRfc3339Micros(text)) {
    return at;
  }
  *error = "'" + std::string(text) +
           "' is not a time: give one like 2026-11-28T14:00:00Z, or now, +8h, +30m, +2d, -7d";
  return std::nullopt;
}

std::string FormatAccessTime(Micros at) {
  if (at == 0) return "-";
  std::string text = FormatMicrosUtc(at);  // "...T14:00:00.000Z"
  if (text.size() > 5 && text.compare(text.size() - 5, 5, ".000Z") == 0)
    text.replace(text.size() - 5, 5, "Z");
  return text;
}

}  // namespace picket
