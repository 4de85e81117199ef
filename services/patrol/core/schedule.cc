#include "patrol/core/schedule.h"

#include <chrono>
#include <tuple>

#include "domain/record_codec.h"

namespace picket::patrol {
namespace {

using record::RecordReader;
using record::RecordWriter;

constexpr uint8_t kFormat = 1;  // DO NOT CHANGE: stored
constexpr int kMinutesPerDay = 1440;
constexpr int kMaxStartMinute = 2 * kMinutesPerDay - 1;
// A window started the day before (or two, with a DST offset's slack) may still have
// starts after `after`; eight days ahead covers every weekday and a window past midnight.
constexpr int kDaysBack = 2;
constexpr int kDaysAhead = 8;

LocalTime AsLocal(const LocalDate& d) {
  LocalTime t;
  t.year = d.year;
  t.month = d.month;
  t.day = d.day;
  return AddDays(t, 0);  // sets the weekday
}

LocalDate DateOf(const LocalTime& t) { return {t.year, t.month, t.day}; }

bool ValidDate(const LocalDate& d) {
  using namespace std::chrono;
  return year_month_day{year{d.year}, month{static_cast<unsigned>(d.month)},
                        day{static_cast<unsigned>(d.day)}}
      .ok();
}

bool Before(const Occurrence& a, const Occurrence& b) {
  return std::tie(a.due, a.date, a.start_minute) < std::tie(b.due, b.date, b.start_minute);
}

void WriteOccurrence(RecordWriter& w, const Occurrence& o) {
  w.U32(static_cast<uint32_t>(o.date.year)).U8(static_cast<uint8_t>(o.date.month));
  w.U8(static_cast<uint8_t>(o.date.day)).U32(static_cast<uint32_t>(o.start_minute)).I64(o.due);
}

Occurrence ReadOccurrence(RecordReader& r, bool* ok) {
  Occurrence o;
  const uint32_t year = r.U32();
  o.date.month = r.U8();
  o.date.day = r.U8();
  const uint32_t minute = r.U32();
  o.due = r.I64();
  if (year < 1970 || year > 9999 || minute > kMaxStartMinute) {
    *ok = false;
    return o;
  }
  o.date.year = static_cast<int>(year);
  o.start_minute = static_cast<int>(minute);
  if (!ValidDate(o.date)) *ok = false;
  return o;
}

}  // namespace

Micros DueOf(const TimeZoneRule& zone, const LocalDate& date, int start_minute) {
  LocalTime t = AddDays(AsLocal(date), start_minute / kMinutesPerDay);
  t.second_of_day = (start_minute % kMinutesPerDay) * 60;
  return FromLocal(zone, t);
}

std::optional<Occurrence> NextOccurrence(const Schedule& s, const TimeZoneRule& zone,
                                         Micros after) {
  const LocalTime today = ToLocal(zone, after);
  std::optional<Occurrence> best;
  for (int offset = -kDaysBack; offset <= kDaysAhead; ++offset) {
    const LocalTime day = AddDays(today, offset);
    if (!s.days[static_cast<size_t>(day.weekday)]) continue;
    for (int minute : s.start_minutes) {
      Occurrence o{DateOf(day), minute, DueOf(zone, DateOf(day), minute)};
      if (o.due > after && (!best || Before(o, *best))) best = o;
    }
  }
  return best;
}

std::string EncodeOccurrence(const Occurrence& o) {
  RecordWriter w;
  w.U8(kFormat);
  WriteOccurrence(w, o);
  return w.Take();
}

std::optional<Occurrence> DecodeOccurrence(std::string_view bytes) {
  RecordReader r(bytes);
  bool ok = r.U8() == kFormat;
  Occurrence o = ReadOccurrence(r, &ok);
  if (!ok || !r.ok()) return std::nullopt;
  return o;
}

std::string EncodeScheduleState(const ScheduleState& s) {
  RecordWriter w;
  w.U8(kFormat).String(s.schedule);
  WriteOccurrence(w, s.next);
  w.I64(s.timer_due).I64(s.made_until);
  return w.Take();
}

std::optional<ScheduleState> DecodeScheduleState(std::string_view bytes) {
  RecordReader r(bytes);
  ScheduleState s;
  bool ok = r.U8() == kFormat;
  s.schedule = r.String();
  s.next = ReadOccurrence(r, &ok);
  s.timer_due = r.I64();
  s.made_until = r.I64();
  if (!ok || !r.ok()) return std::nullopt;
  return s;
}

}  // namespace picket::patrol
