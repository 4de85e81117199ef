// scoring_record: the stored rows, keys and values of picket-scoring's state as its ledger
// and award timer read them back (scoring/core/scoring_keys.h). The first byte picks what
// the rest is (its value mod 6, in this order):
//   0 an entries row (DecodeEntry)          3 a u64 value: scoring_counters, once_keys
//   1 a totals row (DecodeTotals)             (DecodeCounter)
//   2 an awards row (DecodeAward)           4 a time: an award timer's payload, the armed
//                                             award row (DecodeTime)
//                                           5 a subject_entries key (EntryIdOfSubjectKey)
// Invariants: a record that decodes re-encodes to one decoding to the same value, whose
// encoding is stable (a row with bytes after its fields loses them once); a decoded
// totals row (and an award's totals) could have been summed from entries (rewards >= 0 >=
// penalties, points their sum); an award's period kind is a known one; a counter or time
// that decodes is exactly what its encoder makes of it; a subject_entries key yields the
// id of its last 8 bytes, and the key SubjectEntryKey makes of parts read from the input
// yields that id again under its subject's prefix.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/big_endian.h"
#include "fuzz/fuzz_support.h"
#include "scoring/core/scoring_keys.h"

namespace {

using picket::fuzz::Require;

template <class Decode, class Encode>
void RoundTrip(std::string_view row, Decode decode, Encode encode, const char* what,
               const char* stable) {
  auto value = decode(row);
  if (!value) return;
  std::string bytes = encode(*value);
  auto again = decode(bytes);
  Require(again.has_value() && *again == *value, what);
  Require(encode(*again) == bytes, stable);
}

bool Summable(const picket::scoring::Totals& t) {
  return t.rewards >= 0 && t.penalties <= 0 && t.points == t.rewards + t.penalties;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket::scoring;
  namespace keys = picket::scoring::keys;
  namespace big_endian = picket::big_endian;
  if (size == 0) return 0;
  auto row = picket::fuzz::Bytes(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      RoundTrip(row, keys::DecodeEntry, keys::EncodeEntry, "entry: decode(encode(x)) == x",
                "entry: encoding is stable");
      break;
    case 1:
      if (auto t = keys::DecodeTotals(row)) Require(Summable(*t), "totals: could be summed");
      RoundTrip(row, keys::DecodeTotals, keys::EncodeTotals, "totals: decode(encode(x)) == x",
                "totals: encoding is stable");
      break;
    case 2:
      if (auto a = keys::DecodeAward(row))
        Require(Summable(a->totals) && static_cast<uint8_t>(a->period.kind) <=
                                           static_cast<uint8_t>(PeriodKind::kMonth),
                "award: totals could be summed, a known period kind");
      RoundTrip(row, keys::DecodeAward, keys::EncodeAward, "award: decode(encode(x)) == x",
                "award: encoding is stable");
      break;
    case 3:
      if (auto v = keys::DecodeCounter(row))
        Require(keys::EncodeCounter(*v) == row, "counter: encode(decode(v)) == v");
      break;
    case 4:
      if (auto t = keys::DecodeTime(row))
        Require(keys::EncodeTime(*t) == row, "time: encode(decode(t)) == t");
      break;
    default: {
      if (auto id = keys::EntryIdOfSubjectKey(row))
        Require(row.size() >= 8 && keys::EntryKey(*id) == row.substr(row.size() - 8),
                "subject_entries key: the id is its last 8 bytes");
      // A key made of parts: u64 id, i64 time, u8 kind, then the subject (up to a NUL).
      if (row.size() < 17) break;
      const uint64_t id = big_endian::Read(row, 0, 8);
      const auto at = static_cast<picket::Micros>(big_endian::Read(row, 8, 8));
      const auto kind = static_cast<SubjectKind>(static_cast<uint8_t>(row[16]) % 3);
      std::string_view subject = row.substr(17);
      subject = subject.substr(0, subject.find('\0'));
      const std::string key = keys::SubjectEntryKey(kind, subject, at, id);
      Require(keys::EntryIdOfSubjectKey(key) == id &&
                  key.starts_with(keys::SubjectEntriesPrefix(kind, subject)),
              "subject_entries key: EntryIdOfSubjectKey(SubjectEntryKey(.., id)) == id");
      break;
    }
  }
  return 0;
}
