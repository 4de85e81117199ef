#include "domain/site_time.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace picket {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

// A cursor over the TZ string; every Read* returns false (and leaves *error) on a problem.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  bool ReadName(std::string* out, std::string* error) {
    if (Eat('<')) {
      size_t start = pos_;
      while (!AtEnd() && Peek() != '>') {
        char c = Peek();
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-')
          return Fail(error, "a quoted zone name may hold only letters, digits, + and -");
        ++pos_;
      }
      if (!Eat('>')) return Fail(error, "a quoted zone name lacks its closing '>'");
      *out = std::string(s_.substr(start, pos_ - 1 - start));
    } else {
      size_t start = pos_;
      while (std::isalpha(static_cast<unsigned char>(Peek()))) ++pos_;
      *out = std::string(s_.substr(start, pos_ - start));
    }
    if (out->size() < 3) return Fail(error, "a zone name needs at least 3 characters");
    return true;
  }

  // [+|-] hh [:mm [:ss]] with hh <= max_hours; returns seconds with the sign applied.
  bool ReadClock(int max_hours, int32_t* seconds, std::string* error) {
    int sign = 1;
    if (Eat('-'))
      sign = -1;
    else
      Eat('+');
    int hh = 0, mm = 0, ss = 0;
    if (!ReadInt(0, max_hours, &hh))
      return Fail(error, "expected hours (0.." + std::to_string(max_hours) + ")");
    if (Eat(':')) {
      if (!ReadInt(0, 59, &mm)) return Fail(error, "expected minutes (00..59)");
      if (Eat(':') && !ReadInt(0, 59, &ss)) return Fail(error, "expected seconds (00..59)");
    }
    *seconds = sign * (hh * 3600 + mm * 60 + ss);
    return true;
  }

  bool ReadRule(TransitionRule* r, std::string* error) {
    if (!Eat('M')) return Fail(error, "only rules of the form Mm.w.d[/time] are supported");
    if (!ReadInt(1, 12, &r->month)) return Fail(error, "rule month must be 1..12");
    if (!Eat('.') || !ReadInt(1, 5, &r->week)) return Fail(error, "rule week must be .1 to .5");
    if (!Eat('.') || !ReadInt(0, 6, &r->weekday))
      return Fail(error, "rule weekday must be .0 (Sunday) to .6");
    r->time_seconds = 2 * 3600;
    if (Eat('/')) return ReadClock(167, &r->time_seconds, error);
    return true;
  }

 private:
  bool ReadInt(int lo, int hi, int* out) {
    size_t start = pos_;
    int v = 0;
    while (std::isdigit(static_cast<unsigned char>(Peek())) && pos_ - start < 3)
      v = v * 10 + (s_[pos_++] - '0');
    if (pos_ == start || v < lo || v > hi) return false;
    *out = v;
    return true;
  }
  static bool Fail(std::string* error, std::string why) {
    if (error && error->empty()) *error = std::move(why);
    return false;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Seconds since the epoch of local midnight starting the day the rule names in `year`.
int64_t RuleDayStart(int year, const TransitionRule& r) {
  using namespace std::chrono;
  const auto ym = std::chrono::year{year} / month{static_cast<unsigned>(r.month)};
  const weekday wd{static_cast<unsigned>(r.weekday)};
  sys_days d =
      r.week == 5 ? sys_days{ym / wd[last]} : sys_days{ym / wd[static_cast<unsigned>(r.week)]};
  return int64_t{d.time_since_epoch().count()} * kSecondsPerDay;
}

int YearOf(int64_t local_seconds) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{FloorDiv(local_seconds, kSecondsPerDay)}}};
  return static_cast<int>(ymd.year());
}

}  // namespace

std::optional<TimeZoneRule> TimeZoneRule::Parse(std::string_view text, std::string* error) {
  std::string why;
  TimeZoneRule z;
  z.source = std::string(text);
  Cursor c(text);
  int32_t west = 0;
  bool ok = c.ReadName(&z.std_name, &why) && c.ReadClock(24, &west, &why);
  z.std_offset_seconds = -west;
  if (ok && !c.AtEnd()) {
    z.has_dst = true;
    ok = c.ReadName(&z.dst_name, &why);
    z.dst_offset_seconds = z.std_offset_seconds + 3600;
    if (ok && c.Peek() != ',' && !c.AtEnd()) {
      ok = c.ReadClock(24, &west, &why);
      z.dst_offset_seconds = -west;
    }
    if (ok && !c.Eat(','))
      ok = false, why = "a daylight-time zone needs its start and end rules (,Mm.w.d,Mm.w.d)";
    ok = ok && c.ReadRule(&z.dst_start, &why);
    if (ok && !c.Eat(',')) ok = false, why = "expected ',' before the end rule";
    ok = ok && c.ReadRule(&z.dst_end, &why);
  }
  if (ok && !c.AtEnd()) ok = false, why = "unexpected text after the zone rule";
  if (!ok) {
    if (error) *error = "time zone '" + std::string(text) + "': " + why;
    return std::nullopt;
  }
  return z;
}

TimeZoneRule TimeZoneRule::Utc() {
  TimeZoneRule z;
  z.source = "UTC0";
  z.std_name = "UTC";
  return z;
}

bool TimeZoneRule::IsDst(Micros utc) const {
  if (!has_dst) return false;
  const int64_t t = FloorDiv(utc, kMicrosPerSecond);
  const int year = YearOf(t + std_offset_seconds);
  const int64_t start = RuleDayStart(year, dst_start) + dst_start.time_seconds - std_offset_seconds;
  const int64_t end = RuleDayStart(year, dst_end) + dst_end.time_seconds - dst_offset_seconds;
  if (start < end) return start <= t && t < end;
  return !(end <= t && t < start);  // southern hemisphere: daylight time spans new year
}

int32_t TimeZoneRule::OffsetAt(Micros utc) const {
  return IsDst(utc) ? dst_offset_seconds : std_offset_seconds;
}

LocalTime ToLocal(const TimeZoneRule& zone, Micros utc) {
  using namespace std::chrono;
  const int64_t local = FloorDiv(utc, kMicrosPerSecond) + zone.OffsetAt(utc);
  const int64_t day = FloorDiv(local, kSecondsPerDay);
  const sys_days d{days{day}};
  const year_month_day ymd{d};
  LocalTime out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.weekday = static_cast<int>(weekday{d}.c_encoding());
  out.second_of_day = static_cast<int>(local - day * kSecondsPerDay);
  return out;
}

Micros FromLocal(const TimeZoneRule& zone, const LocalTime& local) {
  using namespace std::chrono;
  const sys_days d = std::chrono::year{local.year} / static_cast<unsigned>(local.month) /
                     static_cast<unsigned>(local.day);
  const int64_t wall = int64_t{d.time_since_epoch().count()} * kSecondsPerDay + local.second_of_day;
  // Try the larger offset first: of two valid readings it is the earlier instant.
  const int32_t hi = std::max(zone.std_offset_seconds,
                              zone.has_dst ? zone.dst_offset_seconds : zone.std_offset_seconds);
  const int32_t lo = std::min(zone.std_offset_seconds,
                              zone.has_dst ? zone.dst_offset_seconds : zone.std_offset_seconds);
  for (int32_t offset : {hi, lo}) {
    const Micros t = (wall - offset) * kMicrosPerSecond;
    if (zone.OffsetAt(t) == offset) return t;
  }
  // A skipped reading: clocks jumped from lo to hi, so read it with the offset before.
  return (wall - lo) * kMicrosPerSecond;
}

LocalTime AddDays(const LocalTime& local, int days_after) {
  using namespace std::chrono;
  const sys_days d = sys_days{std::chrono::year{local.year} / static_cast<unsigned>(local.month) /
                              static_cast<unsigned>(local.day)} +
                     days{days_after};
  const year_month_day ymd{d};
  LocalTime out = local;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.weekday = static_cast<int>(weekday{d}.c_encoding());
  return out;
}

std::optional<DailyHours> DailyHours::Parse(std::string_view text, std::string* error) {
  auto clock = [](std::string_view s, int* minute) {
    if (s.size() != 5 || s[2] != ':') return false;
    for (size_t i : {0, 1, 3, 4})
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
    *minute = h * 60 + m;
    return true;
  };
  DailyHours h;
  size_t dash = text.find('-');
  bool ok = dash != std::string_view::npos && clock(text.substr(0, dash), &h.open_minute) &&
            clock(text.substr(dash + 1), &h.close_minute) && h.open_minute < 1440;
  if (!ok) {
    if (error) *error = "hours '" + std::string(text) + "': expected HH:MM-HH:MM";
    return std::nullopt;
  }
  if (h.open_minute == h.close_minute % 1440) {
    if (error) *error = "hours '" + std::string(text) + "': an empty or full-day window";
    return std::nullopt;
  }
  return h;
}

std::string DailyHours::Format() const {
  auto two = [](int v) {
    return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
  };
  return two(open_minute / 60) + ":" + two(open_minute % 60) + "-" + two(close_minute / 60) + ":" +
         two(close_minute % 60);
}

bool DailyHours::Contains(int m) const {
  if (open_minute < close_minute) return open_minute <= m && m < close_minute;
  return m >= open_minute || m < close_minute;  // wraps past midnight
}

}  // namespace picket
