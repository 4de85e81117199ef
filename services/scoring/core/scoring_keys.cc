#include "scoring/core/scoring_keys.h"

#include "base/big_endian.h"
#include "domain/record_codec.h"

namespace picket::scoring::keys {
namespace {

using record::RecordReader;
using record::RecordWriter;

// DO NOT CHANGE: stored (timer ids, scoring_counters rows).
constexpr std::string_view kAwardTimerPrefix = "award/";
// The first byte of each stored record: its format.
constexpr uint8_t kFormat = 1;

constexpr uint64_t kTimeBias = uint64_t{1} << 63;
constexpr size_t kIdBytes = 8;
constexpr size_t kTimeBytes = 8;

void AppendTime(std::string& out, Micros t) {
  big_endian::Append(out, static_cast<uint64_t>(t) + kTimeBias, kTimeBytes);
}

std::string Text(std::string_view text) {
  std::string out(text);
  out.push_back('\0');
  return out;
}

void WriteTotals(RecordWriter& w, const Totals& t) {
  w.I64(t.points).I64(t.rewards).I64(t.penalties).U32(t.entries);
}

Totals ReadTotals(RecordReader& r) {
  Totals t;
  t.points = r.I64();
  t.rewards = r.I64();
  t.penalties = r.I64();
  t.entries = r.U32();
  return t;
}

// Totals that could have been summed from entries: rewards >= 0 >= penalties, and
// points their sum.
bool Consistent(const Totals& t) {
  return t.rewards >= 0 && t.penalties <= 0 && t.points == t.rewards + t.penalties;
}

bool KnownKind(uint8_t kind, uint8_t last) { return kind <= last; }

}  // namespace

std::string EntryKey(uint64_t id) { return big_endian::U64(id); }

std::string SubjectEntriesPrefix(SubjectKind kind, std::string_view subject) {
  std::string out(1, static_cast<char>(kind));
  return out + Text(subject);
}

std::string SubjectEntryKey(SubjectKind kind, std::string_view subject, Micros at, uint64_t id) {
  std::string key = SubjectEntriesPrefix(kind, subject);
  AppendTime(key, at);
  big_endian::Append(key, id, kIdBytes);
  return key;
}

std::optional<uint64_t> EntryIdOfSubjectKey(std::string_view key) {
  // u8 kind, at least the subject's 0x00, the time and the id.
  if (key.size() < 2 + kTimeBytes + kIdBytes) return std::nullopt;
  return big_endian::Read(key, key.size() - kIdBytes, kIdBytes);
}

std::string TotalsPrefix(PeriodKind kind, Micros period_start, SubjectKind subject_kind) {
  std::string key(1, static_cast<char>(kind));
  AppendTime(key, period_start);
  key.push_back(static_cast<char>(subject_kind));
  return key;
}

std::string TotalsKey(PeriodKind kind, Micros period_start, SubjectKind subject_kind,
                      std::string_view subject) {
  return TotalsPrefix(kind, period_start, subject_kind) + std::string(subject);
}

std::string EncodeValues(const std::vector<FieldValue>& values) {
  std::string out;
  for (const FieldValue& v : values) {
    out.push_back(static_cast<char>(KindOf(v)));
    if (auto* b = std::get_if<bool>(&v)) {
      out.push_back(*b ? 1 : 0);
    } else if (auto* i = std::get_if<int64_t>(&v)) {
      big_endian::Append(out, static_cast<uint64_t>(*i), 8);
    } else {
      const auto& text = std::get<std::string>(v);
      big_endian::Append(out, text.size(), 4);
      out += text;
    }
  }
  return out;
}

std::string OnceKey(std::string_view rule, const std::vector<FieldValue>& values) {
  return Text(rule) + EncodeValues(values);
}

std::string MatchPrefix(std::string_view rule, const std::vector<FieldValue>& values) {
  return Text(rule) + EncodeValues(values);
}

std::string MatchKey(std::string_view rule, const std::vector<FieldValue>& values, uint64_t id) {
  return MatchPrefix(rule, values) + big_endian::U64(id);
}

std::string AwardPrefix(PeriodKind kind) { return std::string(1, static_cast<char>(kind)); }

std::string AwardKey(PeriodKind kind, Micros period_start) {
  std::string key = AwardPrefix(kind);
  AppendTime(key, period_start);
  return key;
}

std::string AwardTimer(PeriodKind kind) {
  return std::string(kAwardTimerPrefix) + std::string(PeriodKindName(kind));
}

std::string ArmedAwardKey(PeriodKind kind) { return AwardTimer(kind); }

std::string EncodeTime(Micros t) {
  std::string out;
  AppendTime(out, t);
  return out;
}

std::optional<Micros> DecodeTime(std::string_view bytes) {
  auto v = big_endian::ParseU64(bytes);
  if (!v) return std::nullopt;
  return static_cast<Micros>(*v - kTimeBias);
}

std::string EncodeEntry(const Entry& e) {
  RecordWriter w;
  w.U8(kFormat).U64(e.id).U64(e.seq).String(e.event).String(e.rule).String(e.label);
  w.I64(e.points).String(e.guard).String(e.post).String(e.squad).I64(e.at);
  w.Bool(e.voided).String(e.void_reason).String(e.voided_by).U64(e.void_seq).I64(e.voided_at);
  return w.Take();
}

std::optional<Entry> DecodeEntry(std::string_view bytes) {
  RecordReader r(bytes);
  const bool format = r.U8() == kFormat;
  Entry e;
  e.id = r.U64();
  e.seq = r.U64();
  e.event = r.String();
  e.rule = r.String();
  e.label = r.String();
  e.points = r.I64();
  e.guard = r.String();
  e.post = r.String();
  e.squad = r.String();
  e.at = r.I64();
  e.voided = r.Bool();
  e.void_reason = r.String();
  e.voided_by = r.String();
  e.void_seq = r.U64();
  e.voided_at = r.I64();
  if (!format || !r.ok()) return std::nullopt;
  return e;
}

std::string EncodeTotals(const Totals& t) {
  RecordWriter w;
  w.U8(kFormat);
  WriteTotals(w, t);
  return w.Take();
}

std::optional<Totals> DecodeTotals(std::string_view bytes) {
  RecordReader r(bytes);
  const bool format = r.U8() == kFormat;
  Totals t = ReadTotals(r);
  if (!format || !r.ok() || !Consistent(t)) return std::nullopt;
  return t;
}

std::string EncodeAward(const AwardGranted& a) {
  RecordWriter w;
  w.U8(kFormat).U8(static_cast<uint8_t>(a.period.kind)).I64(a.period.start).I64(a.period.end);
  w.String(a.period.label).String(a.post);
  WriteTotals(w, a.totals);
  w.String(a.previous);
  return w.Take();
}

std::optional<AwardGranted> DecodeAward(std::string_view bytes) {
  RecordReader r(bytes);
  const bool format = r.U8() == kFormat;
  const uint8_t kind = r.U8();
  AwardGranted a;
  a.period.kind = static_cast<PeriodKind>(kind);
  a.period.start = r.I64();
  a.period.end = r.I64();
  a.period.label = r.String();
  a.post = r.String();
  a.totals = ReadTotals(r);
  a.previous = r.String();
  if (!format || !r.ok() || !KnownKind(kind, static_cast<uint8_t>(PeriodKind::kMonth)) ||
      !Consistent(a.totals))
    return std::nullopt;
  return a;
}

std::string EncodeCounter(uint64_t v) { return big_endian::U64(v); }

std::optional<uint64_t> DecodeCounter(std::string_view bytes) {
  return big_endian::ParseU64(bytes);
}

}  // namespace picket::scoring::keys
