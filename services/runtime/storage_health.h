// A store's writes on a full or failing disk: what picket-bus's log and every service's
// store (ServiceStore) share.
//
// RocksDB after a failed write (no space, an I/O error): it records a "background error"
// and stops the DB. Every later write fails at once with that error until DB::Resume()
// (or a close and reopen) succeeds; reads keep working. A file writer that saw the error
// must never be used again: RocksDB 7.8 (Debian's build keeps its assertions) aborts with
// `Assertion sync_without_flush_called_` in WritableFileWriter on any append, flush or
// sync of it. Three ways to get there on a full disk:
//   - the info log: a LOG file in the DB directory, written through such a writer, and
//     RocksDB logs every failed write there, so the first line after the LOG file's own
//     failed write aborts (this was picket-bus's crash; fixed upstream in RocksDB 8.1);
//   - FlushWAL(true)/SyncWAL() after the failure (the bus did that at shutdown);
//   - a write after a Resume() that returned OK without switching to a new WAL, which it
//     does when every memtable is empty (it switches WALs only to flush something).
// And RocksDB's own automatic recovery from a full disk (SstFileManager) waits for a
// reserve as large as a memtable, polled every 5 s, while refusing a manual Resume()
// (Busy). So a store behind a WriteGate:
//
//   - runs RocksDB with its info log sent to the process's log and that automatic
//     recovery off (WriteGate::Configure);
//   - asks Refusal() before every write and makes no RocksDB write or WAL sync while a
//     failure is not recovered, or while the disk is below the low-space minimum;
//   - reports a failed write to Failed(status), which names the cause ("no space left on
//     device", "I/O error") for replies and /healthz;
//   - calls Maintain(recover) every few hundred ms and when a write is due: it re-reads
//     the free space and, after a failure, calls `recover` (closing and reopening the DB
//     after a failed write of its own, see write_failed(); DB::Resume() after a
//     background error only) with a backoff of 200 ms doubling to 2 s, once the disk has
//     room again: above the low-space minimum, and at least what recovering writes (the
//     WALs' size), since an attempt without room fails again and can leave RocksDB unable
//     to resume at all.
//
// StorageHealth logs each change of state once (not each refused write) and is what
// /healthz reads. Thread-safety: StorageHealth may be read from any thread (the HTTP
// thread) and is also set by RocksDB's background threads through the listener; the rest
// of WriteGate is used by the store's own thread only.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/clock.h"

namespace rocksdb {
class Status;
struct DBOptions;
}  // namespace rocksdb

namespace picket {

// The free space of the file system that holds a path.
struct DiskSpace {
  uint64_t free_bytes = 0;    // available to this process (statvfs f_bavail * f_frsize)
  uint64_t free_inodes = 0;   // available inodes (f_favail)
  bool inodes_known = false;  // false if the file system keeps no inode count (f_files 0)
};
// Reads it (statvfs). False and *error if it cannot.
using DiskSpaceFn =
    std::function<bool(const std::string& path, DiskSpace* out, std::string* error)>;
bool StatDiskSpace(const std::string& path, DiskSpace* out, std::string* error);

// "12.5 MiB", "640 KiB", "17 bytes".
std::string FormatBytes(uint64_t bytes);

// The bytes of RocksDB's write-ahead logs in `db_dir` (its *.log files): what a recovery
// writes out again (the memtables they hold) before it can delete them.
uint64_t WalBytes(const std::string& db_dir);

struct LowSpaceLimits {
  uint64_t min_free_bytes = 0;   // refuse writes below this many free bytes (0: no minimum)
  uint64_t min_free_inodes = 0;  // ... or this many free inodes (0: no minimum)
  Micros check_interval = 500 * kMicrosPerMilli;  // the disk is read at most this often
  // Names of the settings, for messages ("bus.min_free_bytes").
  std::string bytes_setting = "min_free_bytes";
  std::string inodes_setting = "min_free_inodes";
};

// The low-space guard: refuses writes before the disk is full, so that RocksDB's own
// flushes and compactions still find room. Not thread-safe.
class LowSpaceGuard {
 public:
  LowSpaceGuard(std::string path, LowSpaceLimits limits, DiskSpaceFn stat = nullptr);

  bool enabled() const { return limits_.min_free_bytes > 0 || limits_.min_free_inodes > 0; }
  // Why writes must be refused now (one line), or nullopt. `now` is monotonic; the disk is
  // read again only when check_interval has passed since the last reading (or `force`).
  // A disk that cannot be read refuses nothing (the write itself will say what is wrong).
  std::optional<std::string> Check(Micros now, bool force = false);
  // The last reading, if the last read worked.
  const std::optional<DiskSpace>& last() const { return last_; }
  uint64_t reads() const { return reads_; }  // statvfs calls so far (tests)

 private:
  std::string path_;
  LowSpaceLimits limits_;
  DiskSpaceFn stat_;
  std::optional<DiskSpace> last_;
  std::optional<std::string> refusal_;
  Micros read_at_ = 0;
  bool read_once_ = false;
  uint64_t reads_ = 0;
};

// Why a store cannot write, as an operator reads it.
enum class StorageFault {
  kNone,
  kLowSpace,  // the low-space guard refuses writes; nothing failed
  kNoSpace,   // a write failed: no space left on the device
  kIoError,   // a write failed: an I/O error
  kOther,     // a write failed for another reason (the status says which)
};
const char* StorageFaultName(StorageFault fault);  // "low space", "no space left on device", ...
// The fault a failed RocksDB status stands for.
StorageFault ClassifyStorageError(const rocksdb::Status& status);

// Whether a store's writes work, and if not why. Thread-safe. Logs every change of fault
// once: an error line when writes start failing (a warning for low space), an info line
// with the outage's duration when they work again.
class StorageHealth {
 public:
  explicit StorageHealth(std::string what) : what_(std::move(what)) {}

  void Set(StorageFault fault, const std::string& reason);
  void Clear();

  bool ok() const;
  StorageFault fault() const;
  // "" when ok; else one line: what cannot be written and why.
  std::string reason() const;
  uint64_t changes() const;  // state changes so far (each logged once)

 private:
  const std::string what_;
  mutable std::mutex mu_;
  StorageFault fault_ = StorageFault::kNone;
  std::string reason_;
  std::chrono::steady_clock::time_point since_{};
  uint64_t changes_ = 0;
};

// The gate in front of one RocksDB's writes (see the file comment).
class WriteGate {
 public:
  struct Options {
    std::string what;  // "the bus log", "the escalation store": the subject of messages
    std::string path;  // a directory on the watched disk (the DB's)
    LowSpaceLimits limits;
    DiskSpaceFn stat = nullptr;                // nullptr: statvfs
    std::function<Micros()> now = nullptr;     // monotonic; nullptr: steady clock
    Micros min_retry = 200 * kMicrosPerMilli;  // first recovery retry after this
    Micros max_retry = 2 * kMicrosPerSecond;   // retries back off up to this
    // The free bytes a recovery needs (resuming or reopening writes the memtables out to
    // a table file while the old WAL still holds them: WalBytes() and some room for the
    // new WAL and manifest); no attempt is made with less. nullptr: any.
    std::function<uint64_t()> bytes_needed = nullptr;
  };
  explicit WriteGate(Options options);
  ~WriteGate();
  WriteGate(const WriteGate&) = delete;
  WriteGate& operator=(const WriteGate&) = delete;

  // Sets the DB options every gated DB needs: a listener that reports background errors
  // here and turns RocksDB's automatic error recovery off (max_bgerror_resume_count = 0),
  // and RocksDB's info log into the process's log instead of a LOG file on the same disk
  // (RocksDB 7.8 aborts when that file's writes fail: the first thing a full disk hits).
  void Configure(rocksdb::DBOptions* options);

  // Before a write: why it must not be made now (a failure not yet recovered, or low
  // space), or nullopt. Makes no RocksDB call.
  std::optional<std::string> Refusal();
  // A write failed with `status`: writes are refused until recovered. Returns the line to
  // give the caller ("no space left on device: IO error: ...").
  std::string Failed(const rocksdb::Status& status);
  // Whether a write failed (or RocksDB reported a background error) and the DB has not
  // been recovered since: no RocksDB write or WAL sync may be made.
  bool failed() const { return failed_ || background_failed_->load(); }
  // Whether one of the store's own writes failed (not only a background flush or
  // compaction) since the last recovery. Its WAL writer may then have seen the error, and
  // RocksDB 7.8's Resume() keeps that writer when the memtables are empty (it only switches
  // to a new WAL when it has something to flush), so the next write aborts the process in
  // WritableFileWriter: such a store must close and reopen its DB instead of resuming.
  bool write_failed() const { return write_failed_; }

  // Re-reads the free space (at most every check interval) and, while writes are failing
  // and a retry is due and the disk has room (by the guard), calls `recover`: DB::Resume()
  // or a reopen. Returns true if writes are accepted now.
  bool Maintain(const std::function<rocksdb::Status()>& recover);

  // Shared with the HTTP thread (and the listener): outlives the DB.
  const std::shared_ptr<StorageHealth>& health() const { return health_; }
  const std::optional<DiskSpace>& disk() const { return guard_.last(); }
  uint64_t recoveries() const { return recoveries_; }  // successful recover() calls

 private:
  Micros Now() const;
  void ShowLowSpace(const std::optional<std::string>& refusal);

  Options options_;
  LowSpaceGuard guard_;
  std::shared_ptr<StorageHealth> health_;
  std::shared_ptr<std::atomic<bool>> background_failed_;  // set by the listener
  bool failed_ = false;
  bool write_failed_ = false;
  std::string failure_reason_;  // health's reason when the failure began
  Micros next_retry_ = 0;
  Micros retry_delay_ = 0;
  uint64_t recoveries_ = 0;
};

}  // namespace picket
