// The site event log on disk (RocksDB), behind a small interface so the ingest and replay
// adapters can be tested against a fault-injecting wrapper as well as the real thing.
//
// Layout: bus/log_keys.h. Every mutation is one atomic WriteBatch across column families:
// an appended batch (events + dedup rows + head) and a prune (deleted events + dedup rows +
// first seq) are each all-or-nothing, so a crash at any point leaves a consistent log.
//
// A full or failing disk (runtime/storage_health.h): a failed write leaves the log as it
// was and stops writes, not reads. Append, Prune and Flush then make no RocksDB write or WAL
// sync until Maintain() has made the log writable again (DB::Resume(), or closing and
// reopening the DB if RocksDB cannot resume); below the configured free space Append
// refuses too. Read, Lookup, Head and FirstSeq keep answering throughout.
//
// Not thread-safe: one owner (the bus loop) calls everything, except health(), which any
// thread may read.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/sequencer.h"
#include "runtime/clock.h"
#include "runtime/storage_health.h"
#include "wire/event_id.h"

namespace rocksdb {
class Env;
}

namespace picket {

// An event to append: its assigned position and its encoded Event (seq/recordedAt set).
struct NewEvent {
  uint64_t seq = 0;
  Micros recorded_at = 0;
  EventId id;
  std::string bytes;
};

// An event read back: its seq and the flat Cap'n Proto Event as stored.
struct StoredEvent {
  uint64_t seq = 0;
  std::string bytes;
};

struct PruneResult {
  size_t dedup_rows_deleted = 0;
  uint64_t events_deleted = 0;
  bool more = false;  // the row limit was hit: call again
};

class LogStore {
 public:
  virtual ~LogStore() = default;

  // The last recorded seq and its recordedAt ({0, 0} for a log that never had an event).
  virtual LogHead Head() const = 0;
  // The lowest seq still stored; Head().seq + 1 when no event is stored. Always >= 1.
  virtual uint64_t FirstSeq() const = 0;

  // Looks up each id in the dedup table: (*found)[i] is the row for ids[i], or nullopt.
  // Returns false and sets *error on a storage failure.
  virtual bool Lookup(const std::vector<EventId>& ids,
                      std::vector<std::optional<RecordedAt>>* found, std::string* error) = 0;

  // Appends `events` (consecutive seqs from Head().seq + 1, recordedAt non-decreasing) with
  // their dedup rows and the new head, in one WriteBatch written with sync = `sync`. On
  // failure nothing is written, Head() is unchanged, and *error says why.
  virtual bool Append(const std::vector<NewEvent>& events, bool sync, std::string* error) = 0;

  // Reads consecutive events from `from_seq` (>= FirstSeq()) into *out (cleared first): at
  // most `max_events`, and stops before the total bytes would exceed `max_bytes` (but always
  // returns at least one event if `from_seq` is stored). Returns false on a storage failure.
  virtual bool Read(uint64_t from_seq, uint32_t max_events, size_t max_bytes,
                    std::vector<StoredEvent>* out, std::string* error) = 0;

  // Retention, in one WriteBatch: deletes at most `max_rows` dedup rows recorded before
  // `dedup_cutoff`, then every event recorded before `retention_cutoff` whose dedup row is
  // gone (so an id is never forgotten while its event is kept, nor remembered without it
  // when dedup_cutoff >= retention_cutoff). Moves FirstSeq() up. Returns false on failure.
  virtual bool Prune(Micros dedup_cutoff, Micros retention_cutoff, size_t max_rows,
                     PruneResult* result, std::string* error) = 0;

  // Makes everything appended so far durable (matters when appends were not synced).
  virtual bool Flush(std::string* error) = 0;

  // Called every few hundred ms by the server: re-reads the free space and, after a failed
  // write, tries to make the log writable again. Returns whether appends are accepted now.
  virtual bool Maintain() { return true; }
  // Whether writes work and why not; thread-safe to read. Null for a store without one.
  virtual std::shared_ptr<const StorageHealth> health() const { return nullptr; }
  // The last reading of the disk's free space, if any.
  virtual std::optional<DiskSpace> disk() const { return std::nullopt; }
};

struct LogStoreOptions {
  LowSpaceLimits low_space;          // Append refuses below these (0 = no minimum)
  DiskSpaceFn disk_space = nullptr;  // tests: a fake statvfs; nullptr = the real one
  rocksdb::Env* env = nullptr;       // tests: a fault-injecting Env; nullptr = the default
  // Tests: a monotonic clock for the recovery backoff; nullptr = the steady clock.
  std::function<Micros()> now = nullptr;
};

// Opens (creating if needed) the log in `dir`. Returns nullptr and sets *error if the
// directory cannot be opened, is not a bus log, or has an unknown format version.
std::unique_ptr<LogStore> OpenRocksLogStore(const std::string& dir, std::string* error);
std::unique_ptr<LogStore> OpenRocksLogStore(const std::string& dir, const LogStoreOptions& options,
                                            std::string* error);

}  // namespace picket
