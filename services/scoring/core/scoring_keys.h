// Every table, key and timer encoding of picket-scoring's state, in one place.
//
// DO NOT CHANGE any name or encoding here: they are the on-disk format of the service's
// RocksDB (one column family per table). scoring_keys_test.cc pins them byte for byte.
// Integers are big-endian; a "time" is Micros + 2^63 (so any time sorts); a text part of
// a composite key ends with a 0x00 byte (the bus refuses NUL bytes in text).
//
//   table             key                                                 value
//   entries           u64 entry id                                        EncodeEntry
//   subject_entries   u8 subject kind | subject 0x00 | time at | u64 id   "" (every entry of
//                                                                         a subject, by time)
//   totals            u8 period kind | time period start | u8 subject     EncodeTotals (live
//                     kind | subject                                      entries only)
//   once_keys         rule 0x00 | EncodeValues(once values)               u64 entry id
//   match_keys        rule 0x00 | EncodeValues(match values) | u64 id     "" (entries of a
//                                                                         rule some rule
//                                                                         reverses)
//   awards            u8 period kind | time period start                  EncodeAward
//   scoring_counters  "next_entry" | "next_inspection" | "next_commendation"   u64
//                     "award/" + period kind name                         EncodeTime(the
//                                                                         start of the period
//                                                                         its timer is armed
//                                                                         for)
//
// Timers: "award/" + period kind name ("award/week"), payload EncodeTime(period start):
// the period whose award is due (at its end + award_delay).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoring/core/events.h"

namespace picket::scoring::keys {

inline constexpr std::string_view kEntries = "entries";
inline constexpr std::string_view kSubjectEntries = "subject_entries";
inline constexpr std::string_view kTotals = "totals";
inline constexpr std::string_view kOnceKeys = "once_keys";
inline constexpr std::string_view kMatchKeys = "match_keys";
inline constexpr std::string_view kAwards = "awards";
inline constexpr std::string_view kCounters = "scoring_counters";
inline constexpr std::string_view kNextEntry = "next_entry";
inline constexpr std::string_view kNextInspection = "next_inspection";
inline constexpr std::string_view kNextCommendation = "next_commendation";

std::string EntryKey(uint64_t id);
std::string SubjectEntriesPrefix(SubjectKind kind, std::string_view subject);
std::string SubjectEntryKey(SubjectKind kind, std::string_view subject, Micros at, uint64_t id);
// Parses the entry id off a subject_entries key (its last 8 bytes); nullopt if too short.
std::optional<uint64_t> EntryIdOfSubjectKey(std::string_view key);
std::string TotalsPrefix(PeriodKind kind, Micros period_start, SubjectKind subject_kind);
std::string TotalsKey(PeriodKind kind, Micros period_start, SubjectKind subject_kind,
                      std::string_view subject);
// A field value list: per value, u8 FieldKind then the value (bool u8, int i64 big-endian,
// text u32 length + bytes).
std::string EncodeValues(const std::vector<FieldValue>& values);
std::string OnceKey(std::string_view rule, const std::vector<FieldValue>& values);
std::string MatchPrefix(std::string_view rule, const std::vector<FieldValue>& values);
std::string MatchKey(std::string_view rule, const std::vector<FieldValue>& values, uint64_t id);
std::string AwardKey(PeriodKind kind, Micros period_start);
std::string AwardPrefix(PeriodKind kind);
std::string AwardTimer(PeriodKind kind);
// The scoring_counters row recording which period the award timer of `kind` stands for
// (the same text as the timer id): how OnStart knows a kind already has its timer.
std::string ArmedAwardKey(PeriodKind kind);
std::string EncodeTime(Micros t);
std::optional<Micros> DecodeTime(std::string_view bytes);

std::string EncodeEntry(const Entry& e);
std::optional<Entry> DecodeEntry(std::string_view bytes);
std::string EncodeTotals(const Totals& t);
std::optional<Totals> DecodeTotals(std::string_view bytes);
std::string EncodeAward(const AwardGranted& a);
std::optional<AwardGranted> DecodeAward(std::string_view bytes);
std::string EncodeCounter(uint64_t v);
std::optional<uint64_t> DecodeCounter(std::string_view bytes);

}  // namespace picket::scoring::keys
