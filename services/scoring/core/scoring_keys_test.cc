// The stored formats: table names, keys, timer ids and records, pinned byte for byte and
// round-tripped; garbage never decodes.
#include "scoring/core/scoring_keys.h"

#include <catch2/catch.hpp>

#include "base/hex.h"
#include "scoring/core/scoring.h"

namespace picket::scoring {
namespace {

Entry FullEntry() {
  Entry e;
  e.id = 42;
  e.seq = 9001;
  e.event = "patrol.checkpoint_missed";
  e.rule = "checkpoint_missed";
  e.label = "Checkpoint c2 missed";
  e.points = -5;
  e.guard = "g-1";
  e.post = "gate-1";
  e.squad = "north";
  e.at = 1'780'000'000'000'000;
  e.voided = true;
  e.void_reason = "reversed by missed_withdrawn";
  e.voided_by = "rule:missed_withdrawn";
  e.void_seq = 9100;
  e.voided_at = e.at + 60'000'000;
  return e;
}

AwardGranted FullAward() {
  return AwardGranted{Period{PeriodKind::kWeek, 1'780'000'000'000'000,
                             1'780'000'000'000'000 + 7 * 86'400'000'000LL, "2026-W23"},
                      "yard", Totals{7, 10, -3, 4}, "gate-1"};
}

}  // namespace

TEST_CASE("scoring keys: the table and counter names are frozen", "[scoring][keys]") {
  CHECK(Scoring::Tables() == std::vector<std::string>{"entries", "subject_entries", "totals",
                                                      "once_keys", "match_keys", "awards",
                                                      "scoring_counters"});
  CHECK(keys::kNextEntry == "next_entry");
  CHECK(keys::kNextInspection == "next_inspection");
  CHECK(keys::kNextCommendation == "next_commendation");
}

TEST_CASE("scoring keys: composite keys are pinned byte for byte", "[scoring][keys]") {
  CHECK(Hex(keys::EntryKey(5)) == "0000000000000005");
  CHECK(keys::SubjectEntriesPrefix(SubjectKind::kGuard, "g") == std::string("\0g\0", 3));
  CHECK(Hex(keys::SubjectEntryKey(SubjectKind::kPost, "p", 1, 9)) ==
        "01"
        "7000"
        "8000000000000001"
        "0000000000000009");
  CHECK(Hex(keys::TotalsPrefix(PeriodKind::kWeek, 1, SubjectKind::kSquad)) ==
        "02"
        "8000000000000001"
        "02");
  CHECK(Hex(keys::TotalsKey(PeriodKind::kWeek, 1, SubjectKind::kSquad, "n")) ==
        "02"
        "8000000000000001"
        "02"
        "6e");
  CHECK(Hex(keys::EncodeValues({true, int64_t{-1}, std::string("ab")})) ==
        "00"
        "01"
        "01"
        "ffffffffffffffff"
        "02"
        "00000002"
        "6162");
  CHECK(Hex(keys::OnceKey("r", {int64_t{5}})) ==
        "7200"
        "01"
        "0000000000000005");
  CHECK(Hex(keys::MatchKey("r", {std::string("c")}, 7)) ==
        "7200"
        "02"
        "00000001"
        "63"
        "0000000000000007");
  CHECK(keys::MatchKey("r", {std::string("c")}, 7)
            .rfind(keys::MatchPrefix("r", {std::string("c")}), 0) == 0);
  CHECK(Hex(keys::AwardKey(PeriodKind::kShift, 0)) ==
        "00"
        "8000000000000000");
  CHECK(Hex(keys::AwardPrefix(PeriodKind::kMonth)) == "03");
}

TEST_CASE("scoring keys: timer ids and times are pinned", "[scoring][keys]") {
  CHECK(keys::AwardTimer(PeriodKind::kShift) == "award/shift");
  CHECK(keys::AwardTimer(PeriodKind::kDay) == "award/day");
  CHECK(keys::AwardTimer(PeriodKind::kWeek) == "award/week");
  CHECK(keys::AwardTimer(PeriodKind::kMonth) == "award/month");
  CHECK(keys::ArmedAwardKey(PeriodKind::kWeek) == "award/week");
  CHECK(Hex(keys::EncodeTime(0)) == "8000000000000000");
  CHECK(Hex(keys::EncodeTime(-1)) == "7fffffffffffffff");
  for (Micros t : {Micros{0}, Micros{-5}, Micros{1'780'000'000'000'000}, kLatestTime})
    CHECK(keys::DecodeTime(keys::EncodeTime(t)) == t);
  CHECK_FALSE(keys::DecodeTime("short"));
  CHECK_FALSE(keys::DecodeTime(keys::EncodeTime(1) + "x"));
}

TEST_CASE("scoring keys: times and ids sort like the numbers", "[scoring][keys]") {
  const std::vector<Micros> times{-86'400'000'000LL, -1, 0, 1, 86'400'000'000LL, kLatestTime};
  for (size_t i = 0; i + 1 < times.size(); ++i) {
    CHECK(keys::EncodeTime(times[i]) < keys::EncodeTime(times[i + 1]));
    CHECK(keys::SubjectEntryKey(SubjectKind::kGuard, "g", times[i], 100) <
          keys::SubjectEntryKey(SubjectKind::kGuard, "g", times[i + 1], 1));
  }
  CHECK(keys::EntryKey(255) < keys::EntryKey(256));
  // A subject's rows never interleave with those of a subject it is a prefix of.
  CHECK(keys::SubjectEntryKey(SubjectKind::kGuard, "g", kLatestTime, 9) <
        keys::SubjectEntriesPrefix(SubjectKind::kGuard, "g-1"));
}

TEST_CASE("scoring keys: the entry id comes off a subject_entries key", "[scoring][keys]") {
  CHECK(keys::EntryIdOfSubjectKey(keys::SubjectEntryKey(SubjectKind::kSquad, "north", 77, 12)) ==
        12u);
  CHECK(keys::EntryIdOfSubjectKey(keys::SubjectEntryKey(SubjectKind::kGuard, "", 0, 3)) == 3u);
  CHECK_FALSE(keys::EntryIdOfSubjectKey("tiny"));
  CHECK_FALSE(keys::EntryIdOfSubjectKey(std::string(17, '\0')));
}

TEST_CASE("scoring keys: records round-trip", "[scoring][keys]") {
  const Entry e = FullEntry();
  CHECK(keys::DecodeEntry(keys::EncodeEntry(e)) == e);
  CHECK(keys::DecodeEntry(keys::EncodeEntry(Entry{})) == Entry{});
  const Totals t{3, 5, -2, 4};
  CHECK(keys::DecodeTotals(keys::EncodeTotals(t)) == t);
  CHECK(Hex(keys::EncodeTotals(t)) ==
        "01"
        "0000000000000003"
        "0000000000000005"
        "fffffffffffffffe"
        "00000004");
  const AwardGranted a = FullAward();
  CHECK(keys::DecodeAward(keys::EncodeAward(a)) == a);
  CHECK(Hex(keys::EncodeCounter(258)) == "0000000000000102");
  CHECK(keys::DecodeCounter(keys::EncodeCounter(258)) == 258u);
}

TEST_CASE("scoring keys: garbage never decodes", "[scoring][keys]") {
  const std::string entry = keys::EncodeEntry(FullEntry());
  for (size_t n = 0; n < entry.size(); ++n) {
    INFO(n);
    CHECK_FALSE(keys::DecodeEntry(entry.substr(0, n)));
  }
  std::string wrong_format = entry;
  wrong_format[0] = 9;
  CHECK_FALSE(keys::DecodeEntry(wrong_format));
  const std::string award = keys::EncodeAward(FullAward());
  for (size_t n = 0; n < award.size(); ++n) CHECK_FALSE(keys::DecodeAward(award.substr(0, n)));
  std::string bad_kind = award;
  bad_kind[1] = 9;
  CHECK_FALSE(keys::DecodeAward(bad_kind));
  CHECK_FALSE(keys::DecodeTotals(""));
  CHECK_FALSE(keys::DecodeTotals(keys::EncodeTotals({3, 5, -1, 1})));   // 5 - 1 != 3
  CHECK_FALSE(keys::DecodeTotals(keys::EncodeTotals({-1, -1, 0, 1})));  // negative rewards
  CHECK_FALSE(keys::DecodeTotals(keys::EncodeTotals({1, 0, 1, 1})));    // positive penalties
  CHECK_FALSE(keys::DecodeCounter("1234567"));
  CHECK_FALSE(keys::DecodeCounter("123456789"));
}

}  // namespace picket::scoring
