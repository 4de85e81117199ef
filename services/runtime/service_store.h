// ServiceStore: one service's RocksDB and the exactly-once apply of bus events.
//
// One directory, column families:
//   <table>...     the service's own state, read and written by its core through a Txn
//   meta           applied_seq: the last bus sequence number whose effects are stored
//   outbox         derived events not yet acked by the bus (runtime/outbox.h)
//   dead_letter    derived events the bus refused (a bug, kept for inspection)
//   timers         rows keyed by (due time, timer id) for deadline-driven services
//   timer_ids      timer id -> due time: a timer is replaced or cancelled by id alone
//   commands       ids of applied commands and their replies (ApplyCommand)
//   jobs           durable jobs: work to run after the commit (runtime/job_runner.h)
// Formats: runtime/store_keys.h (DO NOT CHANGE).
//
// Apply(seq, fn) is the transactional-outbox step: `fn` reads and writes state through a
// Txn (a rocksdb::WriteBatchWithIndex that reads through to the DB), emits derived events
// and sets timers; then the state writes, the timer rows, applied_seq = seq and one outbox
// row per derived event are written in ONE WriteBatch. So a crash at any point leaves
// either all of the event's effects or none, and re-applying an event (seq <= applied_seq,
// e.g. replayed after a restart) is a no-op: every event's effects happen exactly once.
// Derived events get ids EventId::Derived(service, seq, index), so publishing one again
// after a crash is dropped by the bus's dedup.
//
// ApplyLocal(cause, fn) is the same step for an input that is not a bus event (a timer
// firing, a command, a worker's result): one WriteBatch of state, timer rows and outbox
// rows, applied_seq unchanged; derived ids EventId::DerivedLocal(service, cause, index).
// ApplyCommand adds the command's id and reply to that batch, so a retried command is
// answered from the record and never applied twice. Begin() gathers several inputs (a
// backlog of events, a tick's due timers) into one write with the same guarantees.
//
// A full or failing disk (runtime/storage_health.h): a write that fails changes nothing
// (kFailed; the caller offers the input again) and stops the store's writes, not its
// reads: every later commit, and the outbox's removals, fail at once without a RocksDB
// call until Maintain() has recovered the DB (closing and reopening it after a failed
// write, DB::Resume() after a background error; retried with a backoff once the disk has
// room). health() says why, for /healthz.
//
// Not thread-safe: one thread (the service loop) uses a store, except health(), which any
// thread may read.
#pragma once

#include <capnp/message.h>
#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/txn.h"
#include "picket/schemas/envelope.capnp.h"
#include "runtime/clock.h"
#include "runtime/outbox.h"
#include "runtime/storage_health.h"
#include "runtime/store_keys.h"

namespace picket {

struct ServiceStoreOptions {
  std::string path;                 // the DB directory; created if missing (unless read_only)
  std::string service;              // producer of derived events; input to their ids
  std::string site;                 // the site id stamped on derived events
  std::vector<std::string> tables;  // the service's state tables (not a reserved name)
  // Sync the WAL on every Apply. false survives kill -9 (the bus log is the source of
  // truth: a lost tail after power loss is re-applied from replay), true also power loss.
  bool sync = false;
  // Open an existing store for reading only (e.g. to dump it while the service is stopped).
  bool read_only = false;
  rocksdb::Env* env = nullptr;            // tests: a fault-injecting Env; nullptr = the default
  std::function<Micros()> now = nullptr;  // tests: the recovery backoff's monotonic clock
};

inline constexpr size_t kMaxTimerIdBytes = 1024;

// A timer row: due time, the service's id for it, and its payload.
struct TimerRow {
  Micros due = 0;
  std::string timer_id;
  std::string payload;
};

// What `fn` of an apply gets, for one input. Valid only during the call.
class ApplyContext {
 public:
  // The bus sequence number being applied (0 for a local input: timer, command, result).
  uint64_t seq() const { return seq_; }
  // The service's state, with read-your-writes (also of earlier inputs of the same batch).
  Txn& state() { return state_; }

  // Starts the next derived event of this input: id = EventId::Derived(service, seq, n)
  // for the n-th call (from 0; DerivedLocal(service, cause, n) for a local input), site
  // and producer set, seq and recordedAt 0. The caller must set type and observedAt, may
  // set actor and body. A derived event that the bus would refuse (CheckPublishable)
  // makes the input fail and write nothing: that is a bug.
  // For ids to stay stable across a crash, emit the same events in the same order for
  // the same input (the core is a pure function of state and input, so it does).
  wire::Event::Builder Emit();

  // Keyed timers, written in the same batch as the state. SetTimer puts the timer `id`
  // at `due` with `payload`, replacing the one of that id if there is one (whatever its
  // due time); CancelTimer removes it (a no-op if there is none). Ids are any bytes, at
  // most 1 KiB; one id has at most one row at a time.
  void SetTimer(std::string_view id, Micros due, std::string_view payload);
  void CancelTimer(std::string_view id);
  // The due time of timer `id`, or nullopt if it is not set.
  std::optional<Micros> TimerDue(std::string_view id);

  // For the host: removes the row `row` that is firing (and its index entry if the index
  // points at it), so the handler may set the same id again.
  void ConsumeFiredTimer(const TimerRow& row);

  // Durable jobs, written in the same batch as the state and run by the host's JobRunner
  // once this batch has committed (runtime/job_runner.h). StartJob writes job `id` of
  // `queue` with `payload`, replacing the one of that id if there is one (a result of the
  // replaced run is then ignored). CancelJob marks the job cancelled: one not yet taken by a
  // worker never runs, one running finishes and its result is applied (a no-op if there is
  // no such job). Queue names are at most 255 bytes.
  void StartJob(std::string_view queue, std::string_view id, std::string_view payload);
  void CancelJob(std::string_view queue, std::string_view id);
  // For the JobRunner: the job's row as this batch sees it, and writing it directly.
  std::optional<store_keys::JobRecord> Job(std::string_view queue, std::string_view id);
  void PutJob(std::string_view queue, std::string_view id, const store_keys::JobRecord& record);
  void DeleteJob(std::string_view queue, std::string_view id);

 private:
  friend class StoreBatch;
  ApplyContext(uint64_t seq, std::string_view cause, Txn& state, rocksdb::DB* db,
               rocksdb::WriteBatchWithIndex& batch, rocksdb::ColumnFamilyHandle* timers,
               rocksdb::ColumnFamilyHandle* timer_ids, std::string_view service,
               std::string_view site)
      : seq_(seq),
        cause_(cause),
        state_(state),
        db_(db),
        batch_(batch),
        timers_(timers),
        timer_ids_(timer_ids),
        service_(service),
        site_(site) {}

  uint64_t seq_;
  std::string_view cause_;  // non-empty: a local input
  Txn& state_;
  rocksdb::DB* db_;
  rocksdb::WriteBatchWithIndex& batch_;
  rocksdb::ColumnFamilyHandle* timers_;
  rocksdb::ColumnFamilyHandle* timer_ids_;
  std::string_view service_, site_;
  std::vector<std::unique_ptr<capnp::MallocMessageBuilder>> emitted_;
  rocksdb::ColumnFamilyHandle* jobs_ = nullptr;
  std::vector<std::string>* jobs_touched_ = nullptr;  // the batch's list of job keys written
  Micros min_timer_set_ = std::numeric_limits<Micros>::max();  // earliest row SetTimer wrote
};

enum class ApplyResult {
  kApplied,         // fn ran and its effects are committed (or staged, in a StoreBatch)
  kAlreadyApplied,  // seq <= applied_seq (or a command id seen before): fn did not run
  kFailed,          // storage fault or an invalid derived event: nothing changed
};

class ServiceStore;
class BatchTxn;   // runtime/batch_txn.h
struct RowCache;  // runtime/batch_txn.h

// Several inputs' effects gathered into ONE WriteBatch (ServiceStore::Begin), so a backlog
// of bus events or a tick's due timers costs one write, not one per input. Each input
// keeps its own identity: its derived event ids come from its own seq or cause, exactly
// as if it had been applied alone, and a later input reads what an earlier one wrote.
// Committing writes every staged input's state, timer rows, outbox rows and applied_seq
// (the last staged event's seq) at once: a crash leaves all of them or none.
//
// Per input: a StoreError (storage fault) or an invalid derived event rolls back that
// input alone and returns kFailed (earlier inputs stay staged); any other exception thrown
// by `fn` (a bug, or a kj::Exception from an unreadable event) also rolls the input back
// and propagates. Valid while its ServiceStore lives; one open batch per store at a time,
// used by the store's thread.
class StoreBatch {
 public:
  using ApplyFn = std::function<void(ApplyContext&)>;
  ~StoreBatch();
  StoreBatch(const StoreBatch&) = delete;
  StoreBatch& operator=(const StoreBatch&) = delete;

  // Stages bus event `seq`: kAlreadyApplied (fn not run) if seq is not above the store's
  // applied_seq and every seq staged before.
  ApplyResult AddEvent(uint64_t seq, const ApplyFn& fn, std::string* error);
  // Stages a local input; `cause` must be non-empty and unique per input.
  ApplyResult AddLocal(std::string_view cause, const ApplyFn& fn, std::string* error);

  size_t inputs() const { return inputs_; }        // staged inputs
  uint64_t last_seq() const { return last_seq_; }  // last staged event's seq (0: none)

  // Writes everything staged in one write (synced if the store syncs, or if `sync`). On
  // success *emitted (if not null) receives the outbox rows, in emit order, for the
  // Publisher; the batch is then empty and may be reused. On failure nothing is written,
  // *error says why, and the batch must be dropped.
  bool Commit(std::vector<OutboxRow>* emitted, std::string* error, bool sync = false);

 private:
  friend class ServiceStore;
  explicit StoreBatch(ServiceStore& store);
  ApplyResult Add(uint64_t seq, std::string_view cause, const ApplyFn& fn, std::string* error);

  ServiceStore& store_;
  std::unique_ptr<rocksdb::WriteBatchWithIndex> batch_;
  std::unique_ptr<BatchTxn> txn_;  // the inputs' state writes, until the commit
  std::vector<OutboxRow> rows_;
  std::vector<std::string> jobs_touched_;  // job keys written (for the committed hook)
  size_t inputs_ = 0;
  uint64_t last_seq_ = 0;
  Micros min_timer_set_ = std::numeric_limits<Micros>::max();
};

class ServiceStore {
 public:
  using ApplyFn = std::function<void(ApplyContext&)>;
  using CommandFn = std::function<std::string(ApplyContext&)>;  // returns the reply

  // Opens (creating if needed) the store. Column families that exist on disk but are not
  // named are opened too and left alone (a table a newer version dropped). Returns nullptr
  // and sets *error if the DB cannot be opened or a table name is reserved or repeated.
  static std::unique_ptr<ServiceStore> Open(const ServiceStoreOptions& options, std::string* error);
  ~ServiceStore();
  ServiceStore(const ServiceStore&) = delete;
  ServiceStore& operator=(const ServiceStore&) = delete;

  // The last applied sequence number (0 for a new store).
  uint64_t applied_seq() const { return applied_seq_; }

  // An empty batch for several inputs in one write (StoreBatch). Not on a read-only store.
  std::unique_ptr<StoreBatch> Begin();

  // Applies the event with sequence number `seq` (see the file comment). On kApplied,
  // *emitted (if not null) receives the outbox rows just committed, to hand to the
  // Publisher. On kFailed, *error says why. Exceptions other than StoreError thrown by
  // `fn` (bugs) propagate, with nothing written. Not allowed on a read-only store.
  ApplyResult Apply(uint64_t seq, const ApplyFn& fn, std::vector<OutboxRow>* emitted,
                    std::string* error);

  // Applies an input that is not a bus event (see the file comment). `cause` must be
  // non-empty and unique per input (e.g. "timer/" + the row's key and payload); the same
  // cause gives the same derived ids. Never kAlreadyApplied. Same errors as Apply.
  ApplyResult ApplyLocal(std::string_view cause, const ApplyFn& fn, std::vector<OutboxRow>* emitted,
                         std::string* error);

  // Applies a command at most once per `command_id` (any bytes; empty = no protection).
  // If the id is recorded, fn does not run, *reply is the recorded reply and the result
  // is kAlreadyApplied. Otherwise fn runs as in ApplyLocal (cause "command/" + id, or a
  // random one if the id is empty) and, with a non-empty id, (id, applied_at, reply) is
  // written in the same batch as fn's effects. That write is always synced (whatever
  // options.sync says): a command's reply promises its effects survive a power loss.
  // On kFailed *reply is untouched.
  ApplyResult ApplyCommand(std::string_view command_id, Micros applied_at, const CommandFn& fn,
                           std::string* reply, std::vector<OutboxRow>* emitted, std::string* error);
  // Forgets command ids applied before `cutoff` (a retry after that applies again).
  bool PruneCommands(Micros cutoff, std::string* error);

  // Committed state, outside any Apply (e.g. for commands, status pages, dumps). Same
  // errors as Txn. A read-only store whose DB lacks a declared table reads it as empty.
  std::optional<std::string> Get(std::string_view table, std::string_view key) const;
  void Scan(std::string_view table, std::string_view prefix, const Txn::ScanFn& fn) const;

  // Timer rows due at or before `now`, in due order (at most `limit`).
  bool DueTimers(Micros now, size_t limit, std::vector<TimerRow>* out, std::string* error) const;
  // The due time of the earliest timer row, or nullopt if there is none (or on a storage
  // fault, with *error set).
  std::optional<Micros> NextTimerDue(std::string* error) const;

  // Job rows (ApplyContext::StartJob): committed state. `on_commit` is called after every
  // commit that wrote job rows, with their keys (store_keys::EncodeJobKey), on the
  // committing thread.
  std::optional<store_keys::JobRecord> GetJob(std::string_view key) const;
  void ScanJobs(
      const std::function<void(const store_keys::JobKey&, const store_keys::JobRecord&)>& fn) const;
  void OnJobsCommitted(std::function<void(const std::vector<std::string>& keys)> on_commit) {
    on_jobs_committed_ = std::move(on_commit);
  }

  // The durable outbox. A read-only store has one for reading (LoadPending, ...) if the DB
  // has the families, else nullptr.
  Outbox* outbox() { return outbox_.get(); }
  // The DB itself, for the runtime's own parts and tests; services use Apply and Get.
  rocksdb::DB* db() { return db_.get(); }
  const ServiceStoreOptions& options() const { return options_; }

  // Whether writes work, and why not (a full or failing disk). Any thread may read it.
  std::shared_ptr<const StorageHealth> health() const;
  // health()->ok(): false while writes are refused (each change is logged once, by it).
  bool storage_ok() const { return !gate_ || gate_->health()->ok(); }
  // After a failed write: recovers the DB once the disk has room (see the file comment;
  // tried with a backoff of 200 ms up to 2 s). Commits call it; the host also calls it
  // every few hundred ms so that health() clears without traffic. Returns whether writes
  // work now. A reopen replaces db() and the family handles (the outbox follows).
  bool Maintain();

 private:
  friend class StoreBatch;
  // Why a write must not be made now (a failure not yet recovered), or nullopt.
  std::optional<std::string> WriteRefusal();
  // Opens the DB at options_.path (for reading only if `read_only`) and binds the families,
  // applied_seq and the outbox to it. On failure the DB is closed and *error says why.
  rocksdb::Status OpenDb(bool read_only, std::string* error);
  void CloseDb();
  // After a failed write: close and reopen the DB (read-only if it cannot be written yet,
  // so reads keep working). Exits the process if it cannot even be read.
  rocksdb::Status Reopen();
  explicit ServiceStore(ServiceStoreOptions options);
  rocksdb::ColumnFamilyHandle* Family(std::string_view table) const;  // throws logic_error
  // Fills timer_ids from the timers rows (a store written before the index existed).
  bool IndexTimers(std::string* error);

  ServiceStoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; destroyed before db_
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> tables_;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* timers_ = nullptr;
  rocksdb::ColumnFamilyHandle* timer_ids_ = nullptr;
  rocksdb::ColumnFamilyHandle* commands_ = nullptr;
  rocksdb::ColumnFamilyHandle* jobs_ = nullptr;
  std::function<void(const std::vector<std::string>&)> on_jobs_committed_;
  // No live timer row is due before this. Scans start here, not at the first key: fired
  // rows leave tombstones at the front of the family, and stepping over all of them on
  // every scan made firing n rows cost O(n^2). Raised by each scan to the first live row,
  // lowered by every commit that sets an earlier row.
  mutable Micros timers_floor_ = std::numeric_limits<Micros>::min();
  std::unique_ptr<Outbox> outbox_;
  uint64_t applied_seq_ = 0;
  std::unique_ptr<WriteGate> gate_;      // writable stores only
  std::unique_ptr<RowCache> row_cache_;  // rows of the tables, as committed (batch_txn.h)
  bool read_only_db_ = false;            // the DB is open read-only (options, or a failed reopen)
};

// A Txn over a store's committed state for queries: reads go to the store, and any
// write throws std::logic_error (a query that writes is a bug).
class ReadOnlyTxn final : public Txn {
 public:
  explicit ReadOnlyTxn(const ServiceStore& store) : store_(store) {}
  std::optional<std::string> Get(std::string_view table, std::string_view key) override {
    return store_.Get(table, key);
  }
  void Put(std::string_view, std::string_view, std::string_view) override {
    throw std::logic_error("write in a read-only Txn");
  }
  void Delete(std::string_view, std::string_view) override {
    throw std::logic_error("write in a read-only Txn");
  }
  void Scan(std::string_view table, std::string_view prefix, const ScanFn& fn) override {
    store_.Scan(table, prefix, fn);
  }

 private:
  const ServiceStore& store_;
};

}  // namespace picket
