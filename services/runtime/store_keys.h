// The stored formats of a service's RocksDB, shared by every service (ServiceStore, Outbox).
//
// DO NOT CHANGE any encoding or name in this file: they are embedded in the on-disk
// format of every service's data directory. Add new formats next to them instead.
// This table is the reference for the layout (docs/ should point here, not copy it).
//
//   column family  key                                   value
//   meta           "applied_seq"                         u64 BE: last applied bus seq
//   outbox         u64 BE row id                         encoded wire::Event (flat)
//   dead_letter    u64 BE row id                         DeadLetter (below)
//   timers         TimerKey(due, timer id)               payload chosen by the service
//   timer_ids      timer id                              TimerDue(due): the row's due time
//   commands       the client's command id               CommandRecord
//   jobs           JobKey(queue, job id)                 JobRecord
//   <table>        chosen by the service's core          chosen by the service's core
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picket::store_keys {

// Column family names reserved by the runtime (a service may not name a table so).
inline constexpr std::string_view kMetaFamily = "meta";
inline constexpr std::string_view kOutboxFamily = "outbox";
inline constexpr std::string_view kDeadLetterFamily = "dead_letter";
inline constexpr std::string_view kTimersFamily = "timers";
// The index of keyed timers: timer id -> the due time of its row in `timers`, so a timer
// is replaced or cancelled by its id alone. Built from `timers` when a store written
// before it existed is opened.
inline constexpr std::string_view kTimerIdsFamily = "timer_ids";
// Applied command ids: key = the client's command id, value = CommandRecord.
inline constexpr std::string_view kCommandsFamily = "commands";

// Durable jobs (runtime/job_runner.h): key = JobKey(queue, id), value = JobRecord.
inline constexpr std::string_view kJobsFamily = "jobs";

// Keys in the meta family.
inline constexpr std::string_view kAppliedSeqKey = "applied_seq";

// 8 bytes, most significant first: sorts like the number.
std::string EncodeU64(uint64_t v);
// Nullopt unless `bytes` is exactly 8 bytes.
std::optional<uint64_t> DecodeU64(std::string_view bytes);

// A timer row key: the due time (unix µs) as 8 bytes big-endian with the sign bit flipped
// (so negative times, never expected, still sort first), then the timer's id bytes.
// Timers therefore scan in due order, and ties in id order.
std::string EncodeTimerKey(int64_t due, std::string_view timer_id);
struct TimerKey {
  int64_t due = 0;
  std::string timer_id;
};
// Nullopt if `key` is shorter than 8 bytes.
std::optional<TimerKey> DecodeTimerKey(std::string_view key);
// A timer_ids value: the due time as the first 8 bytes of EncodeTimerKey.
std::string EncodeTimerDue(int64_t due);
// Nullopt unless `bytes` is exactly 8 bytes.
std::optional<int64_t> DecodeTimerDue(std::string_view bytes);
// The smallest key with due time > `due`: scan [begin, TimerUpperBound(now)) for due rows.
std::string TimerUpperBound(int64_t due);

// A dead-lettered outbox row: why the bus refused it and the event itself.
//   u16 BE error code | u32 BE message length | message | encoded event
struct DeadLetter {
  uint16_t code = 0;  // a wire::ErrorCode number
  std::string message;
  std::string event;  // encoded wire::Event
};
std::string EncodeDeadLetter(const DeadLetter& d);
// Nullopt if `bytes` is truncated or its message length runs past the end.
std::optional<DeadLetter> DecodeDeadLetter(std::string_view bytes);

// An applied command: when, and the reply it got (sent again to a retry).
//   u64 BE applied-at (unix µs) | reply bytes
struct CommandRecord {
  int64_t applied_at = 0;
  std::string reply;
};
std::string EncodeCommandRecord(const CommandRecord& r);
// Nullopt if `bytes` is shorter than 8 bytes.
std::optional<CommandRecord> DecodeCommandRecord(std::string_view bytes);

// A job row's key: u8 queue length | queue | job id. So one queue's jobs scan together.
inline constexpr size_t kMaxJobQueueBytes = 255;
std::string EncodeJobKey(std::string_view queue, std::string_view id);
struct JobKey {
  std::string queue;
  std::string id;
};
// Nullopt if `key` is empty or its queue length runs past the end.
std::optional<JobKey> DecodeJobKey(std::string_view key);

// A job row: u64 BE token | u32 BE tries | u64 BE not-before (unix µs, sign bit flipped
// as in timer keys) | u8 flags (bit 0: cancelled) | payload.
struct JobRecord {
  uint64_t token = 0;      // new for every StartJob: a result of an older run is stale
  uint32_t tries = 0;      // runs whose result said "retry" (or that threw)
  int64_t not_before = 0;  // the next run waits until then (a retry's backoff)
  bool cancelled = false;  // CancelJob: not run again; its queue's `cancelled` applies
  std::string payload;
  friend bool operator==(const JobRecord&, const JobRecord&) = default;
};
std::string EncodeJobRecord(const JobRecord& r);
// Nullopt if `bytes` is shorter than the fixed part.
std::optional<JobRecord> DecodeJobRecord(std::string_view bytes);

}  // namespace picket::store_keys
