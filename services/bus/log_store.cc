#include "bus/log_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <spdlog/spdlog.h>

#include <filesystem>

#include "bus/log_keys.h"
#include "picket/schemas/envelope.capnp.h"
#include "wire/codec.h"

namespace picket {
namespace {

namespace keys = bus_keys;

bool Fail(const rocksdb::Status& s, const char* what, std::string* error) {
  *error = std::string(what) + ": " + s.ToString();
  return false;
}

rocksdb::ColumnFamilyOptions DedupFamilyOptions();
rocksdb::ColumnFamilyOptions DedupOrderFamilyOptions();

class RocksLogStore final : public LogStore {
 public:
  RocksLogStore(std::string dir, const LogStoreOptions& options)
      : dir_(std::move(dir)), options_(options), gate_(GateOptions()) {}

  ~RocksLogStore() override { CloseDb(); }

  // Opens the DB (for reading only if `read_only`) and reads the meta rows (writing the
  // format on a fresh log). A failed open returns its status; *error says why.
  rocksdb::Status OpenDb(bool read_only, std::string* error) {
    CloseDb();
    std::error_code ec;  // RocksDB would create it too, logging an error on the way
    if (!read_only) std::filesystem::create_directories(dir_, ec);
    rocksdb::DBOptions options;
    options.create_if_missing = !read_only;
    options.create_missing_column_families = !read_only;
    options.allow_concurrent_memtable_write = false;  // required by the dedup hash memtable
    if (options_.env != nullptr) options.env = options_.env;
    gate_.Configure(&options);
    rocksdb::ColumnFamilyOptions cf_options;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, cf_options},
        {keys::kEventsFamily, cf_options},
        {keys::kDedupFamily, DedupFamilyOptions()},
        {keys::kDedupOrderFamily, DedupOrderFamilyOptions()},
        {keys::kMetaFamily, cf_options},
    };
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    auto s = read_only ? rocksdb::DB::OpenForReadOnly(options, dir_, families, &handles, &raw)
                       : rocksdb::DB::Open(options, dir_, families, &handles, &raw);
    if (!s.ok()) {
      *error = "cannot open the bus log in " + dir_ + ": " + s.ToString();
      return s;
    }
    db_.reset(raw);
    handles_ = std::move(handles);
    // handles_ follow the order of the descriptors above.
    events_ = handles_[1];
    dedup_ = handles_[2];
    dedup_order_ = handles_[3];
    meta_ = handles_[4];
    read_only_ = read_only;
    error->clear();
    if (!Load(error)) {
      *error = dir_ + ": " + *error;
      CloseDb();
      return rocksdb::Status::Corruption(*error);
    }
    return rocksdb::Status::OK();
  }

  void CloseDb() {
    if (!db_) return;
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    handles_.clear();
    db_->Close().PermitUncheckedError();
    db_.reset();
  }

  // Reads the meta rows (writing the format on a fresh log). False if not a bus log.
  bool Load(std::string* error) {
    auto format = GetU64(keys::kMetaFormat, error);
    if (!error->empty()) return false;
    if (!format && !read_only_) {
      auto s = db_->Put(rocksdb::WriteOptions(), meta_, keys::kMetaFormat,
                        keys::EncodeU64(keys::kFormatVersion));
      if (!s.ok()) return Fail(s, "writing the format version", error);
    } else if (format && *format != keys::kFormatVersion) {
      *error = "unknown log format version " + std::to_string(*format) + " (this build reads " +
               std::to_string(keys::kFormatVersion) + ")";
      return false;
    }
    head_.seq = GetU64(keys::kMetaHeadSeq, error).value_or(0);
    head_.last_recorded_at =
        static_cast<Micros>(GetU64(keys::kMetaLastRecordedAt, error).value_or(0));
    first_seq_ = GetU64(keys::kMetaFirstSeq, error).value_or(1);
    return error->empty();
  }

  LogHead Head() const override { return head_; }
  uint64_t FirstSeq() const override { return first_seq_; }

  bool Lookup(const std::vector<EventId>& ids, std::vector<std::optional<RecordedAt>>* found,
              std::string* error) override {
    DisablePerfCounters();
    found->assign(ids.size(), std::nullopt);
    if (ids.empty()) return true;
    if (!Opened(error)) return false;
    std::vector<std::string> key_bytes;
    key_bytes.reserve(ids.size());
    for (const auto& id : ids) key_bytes.push_back(keys::DedupKey(id));
    std::vector<rocksdb::Slice> key_slices(key_bytes.begin(), key_bytes.end());
    std::vector<rocksdb::ColumnFamilyHandle*> families(ids.size(), dedup_);
    std::vector<std::string> values;
    auto statuses = db_->MultiGet(rocksdb::ReadOptions(), families, key_slices, &values);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) return Fail(statuses[i], "reading the dedup table", error);
      auto v = keys::DecodeDedupValue(values[i]);
      if (!v) {
        *error = "corrupt dedup row for " + ids[i].ToHex();
        return false;
      }
      (*found)[i] = RecordedAt{v->seq, v->recorded_at};
    }
    return true;
  }

  bool Append(const std::vector<NewEvent>& events, bool sync, std::string* error) override {
    if (events.empty()) return true;
    // After a failed write RocksDB refuses writes until resumed, and syncing its WAL then
    // aborts (a writer that saw an error): make no write at all until Maintain() recovers.
    if (auto refusal = gate_.Refusal()) {
      *error = *refusal;
      return false;
    }
    DisablePerfCounters();
    rocksdb::WriteBatch batch;
    for (const auto& e : events) {
      auto key = keys::EventKey(e.seq);
      batch.Put(events_, key, e.bytes);
      batch.Put(dedup_, keys::DedupKey(e.id), keys::EncodeDedupValue({e.seq, e.recorded_at}));
      batch.Put(dedup_order_, key, keys::EncodeDedupOrderValue({e.id, e.recorded_at}));
    }
    const NewEvent& last = events.back();
    batch.Put(meta_, keys::kMetaHeadSeq, keys::EncodeU64(last.seq));
    batch.Put(meta_, keys::kMetaLastRecordedAt, keys::EncodeI64(last.recorded_at));
    rocksdb::WriteOptions options;
    options.sync = sync;
    auto s = db_->Write(options, &batch);
    if (!s.ok()) {
      *error = gate_.Failed(s);
      return false;
    }
    head_ = LogHead{last.seq, last.recorded_at};
    return true;
  }

  bool Read(uint64_t from_seq, uint32_t max_events, size_t max_bytes, std::vector<StoredEvent>* out,
            std::string* error) override {
    out->clear();
    if (!Opened(error)) return false;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
    size_t bytes = 0;
    uint64_t expect = from_seq;
    for (it->Seek(keys::EventKey(from_seq)); it->Valid() && out->size() < max_events; it->Next()) {
      auto seq = keys::DecodeEventKey(it->key().ToStringView());
      if (!seq || *seq != expect) break;  // a gap (cannot happen below the head) ends the run
      if (!out->empty() && bytes + it->value().size() > max_bytes) break;
      bytes += it->value().size();
      out->push_back(StoredEvent{*seq, it->value().ToString()});
      ++expect;
    }
    if (!it->status().ok()) return Fail(it->status(), "reading events", error);
    return true;
  }

  bool Prune(Micros dedup_cutoff, Micros retention_cutoff, size_t max_rows, PruneResult* result,
             std::string* error) override {
    *result = PruneResult{};
    // Nothing is deleted while writes fail; retention catches up once they work again.
    if (gate_.failed()) return true;
    rocksdb::WriteBatch batch;
    // 1. Dedup rows, oldest first. dedup_floor: the lowest seq whose dedup row remains.
    uint64_t dedup_floor = head_.seq + 1;
    {
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), dedup_order_));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        auto seq = keys::DecodeEventKey(it->key().ToStringView());
        auto row = keys::DecodeDedupOrderValue(it->value().ToStringView());
        if (!seq || !row) {
          *error = "corrupt dedup_order row";
          return false;
        }
        if (row->recorded_at >= dedup_cutoff) {
          dedup_floor = *seq;
          break;
        }
        if (result->dedup_rows_deleted == max_rows) {
          dedup_floor = *seq;
          result->more = true;
          break;
        }
        batch.Delete(dedup_, keys::DedupKey(row->id));
        batch.Delete(dedup_order_, it->key());
        ++result->dedup_rows_deleted;
      }
      if (!it->status().ok()) return Fail(it->status(), "reading dedup_order", error);
    }
    // 2. Events recorded before retention_cutoff, but none whose id is still remembered.
    uint64_t new_first = first_seq_;
    if (!FirstNotBefore(retention_cutoff, &new_first, error)) return false;
    new_first = std::min(new_first, dedup_floor);
    if (new_first > first_seq_) {
      batch.DeleteRange(events_, keys::EventKey(first_seq_), keys::EventKey(new_first));
      batch.Put(meta_, keys::kMetaFirstSeq, keys::EncodeU64(new_first));
      result->events_deleted = new_first - first_seq_;
    }
    if (batch.Count() == 0) return true;
    auto s = db_->Write(rocksdb::WriteOptions(), &batch);
    if (!s.ok()) {
      *result = PruneResult{};
      *error = gate_.Failed(s);
      return false;
    }
    first_seq_ = std::max(first_seq_, new_first);
    return true;
  }

  bool Flush(std::string* error) override {
    // FlushWAL(true) after a failed write would sync the WAL writer that saw the error,
    // which RocksDB forbids (an assertion): what was acked was synced, or written to the
    // OS, before the failure.
    if (gate_.failed() || read_only_ || !db_) {
      *error = "the WAL was not flushed: " + gate_.health()->reason();
      return false;
    }
    auto s = db_->FlushWAL(/*sync=*/true);
    if (!s.ok()) {
      *error = gate_.Failed(s);
      return false;
    }
    return true;
  }

  bool Maintain() override {
    return gate_.Maintain([this] { return Recover(); });
  }
  // Opened read-only because the writable open failed with `s`: writes refused until then.
  void StartFailed(const rocksdb::Status& s) {
    spdlog::error("the bus log cannot be opened for writing ({}): serving it read-only",
                  s.ToString());
    gate_.Failed(s);
  }
  std::shared_ptr<const StorageHealth> health() const override { return gate_.health(); }
  std::optional<DiskSpace> disk() const override { return gate_.disk(); }

 private:
  // RocksDB counts every key comparison in a thread-local perf context by default; on the
  // ingest path that is a measurable share of the CPU. The level is per thread, so it is
  // set by the calls the loop thread makes (a thread-local store: cheap).
  static void DisablePerfCounters() { rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable); }

  // Uses dir_ and options_ (initialized before gate_) and only captures `this`.
  WriteGate::Options GateOptions() {
    WriteGate::Options g;
    g.what = "the bus log";
    g.path = dir_;
    g.limits = options_.low_space;
    g.stat = options_.disk_space;
    g.now = options_.now;
    // Recovering writes the memtables out while the WAL still holds them.
    g.bytes_needed = [this] { return WalBytes(dir_) + (uint64_t{4} << 20); };
    return g;
  }

  bool Opened(std::string* error) const {
    if (db_) return true;
    *error = "the bus log is closed: reopening it failed (" + gate_.health()->reason() + ")";
    return false;
  }

  // Makes the log writable again (WriteGate::Maintain calls it once the disk has room).
  // After a background error only (a flush, a compaction), DB::Resume() flushes the
  // memtables and clears it. After a failed write of ours the WAL writer saw the error,
  // and Resume() may keep it (storage_health.h): close and reopen the DB; the reopen
  // replays the WAL up to the last whole record. The same if RocksDB cannot resume (a
  // fatal error) or failed several times. If the reopen fails, open it read-only so that
  // replay keeps serving the recorded events, and try again later.
  rocksdb::Status Recover() {
    if (db_ && !read_only_ && !gate_.write_failed()) {
      rocksdb::Status s = db_->Resume();
      if (s.ok()) {
        resume_failures_ = 0;
        return s;
      }
      ++resume_failures_;
      if (s.severity() < rocksdb::Status::Severity::kFatalError && resume_failures_ < 3) return s;
      if (reopen_failures_ == 0)
        spdlog::warn("the bus log: RocksDB cannot resume ({}); closing and reopening it",
                     s.ToString());
    }
    resume_failures_ = 0;
    const LogHead head = head_;
    const uint64_t first = first_seq_;
    CloseDb();
    std::string error;
    rocksdb::Status s = OpenDb(/*read_only=*/false, &error);
    if (s.ok()) {
      // A batch whose write failed can still be in the WAL (its sync failed after the
      // write reached the file): the reopened log has it. Its producers were told
      // `unavailable`; their retries are answered as duplicates with these seqs.
      if (head.seq != head_.seq)
        spdlog::warn(
            "the bus log: reopened at head {} (was {}): events {}..{} of a failed write are "
            "in the log after all",
            head_.seq, head.seq, head.seq + 1, head_.seq);
      spdlog::info("the bus log was reopened at head {}", head_.seq);
      reopen_failures_ = 0;
      return s;
    }
    // Logged once per outage: the health line says the rest.
    if (reopen_failures_++ == 0) spdlog::error("the bus log: {}; retrying", error);
    std::string ro_error;
    if (!OpenDb(/*read_only=*/true, &ro_error).ok()) {
      if (reopen_failures_ == 1) spdlog::error("the bus log cannot even be read: {}", ro_error);
      CloseDb();
      head_ = head;  // answer with what is known until it opens again
      first_seq_ = first;
    }
    return s;
  }

  std::optional<uint64_t> GetU64(const char* key, std::string* error) {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), meta_, key, &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) {
      Fail(s, "reading meta", error);
      return std::nullopt;
    }
    auto v = keys::DecodeU64(value);
    if (!v) *error = std::string("corrupt meta row ") + key;
    return v;
  }

  // recordedAt of the stored event `seq`, or nullopt (with *error) if it cannot be read.
  std::optional<Micros> RecordedAtOf(uint64_t seq, std::string* error) {
    std::string value;
    auto s = db_->Get(rocksdb::ReadOptions(), events_, keys::EventKey(seq), &value);
    if (!s.ok()) {
      Fail(s, ("reading event " + std::to_string(seq)).c_str(), error);
      return std::nullopt;
    }
    std::string decode_error;
    auto msg = DecodedMessage::Decode(value, &decode_error);
    Micros at = 0;
    if (!msg || !ReadSafely<wire::Event>(
                    *msg, [&](wire::Event::Reader e) { at = e.getRecordedAt(); }, &decode_error)) {
      *error = "corrupt event " + std::to_string(seq) + ": " + decode_error;
      return std::nullopt;
    }
    return at;
  }

  // *first = the lowest stored seq recorded at or after `cutoff` (head + 1 if none).
  // recordedAt never decreases along the log, so a binary search over seqs finds it.
  bool FirstNotBefore(Micros cutoff, uint64_t* first, std::string* error) {
    uint64_t lo = first_seq_, hi = head_.seq + 1;  // answer in [lo, hi]
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      auto at = RecordedAtOf(mid, error);
      if (!at) return false;
      if (*at < cutoff) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    *first = lo;
    return true;
  }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* dedup_ = nullptr;
  rocksdb::ColumnFamilyHandle* dedup_order_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  LogHead head_;
  uint64_t first_seq_ = 1;
  const std::string dir_;
  const LogStoreOptions options_;
  WriteGate gate_;
  bool read_only_ = false;  // opened read-only because a writable open failed
  int resume_failures_ = 0;
  int reopen_failures_ = 0;
};

// Options of the dedup family (measured in docs/benchmarks.md, "Where the CPU went").
// Its keys are random 16-byte ids, written once per event and read once per offered event:
// - A hash memtable (one bucket per id prefix = the whole id) makes both an O(1) operation
//   on the loop thread. The sorted order a flush needs is built by the flush thread
//   instead: the total CPU is about the same as a skip list's, but it is off the loop
//   thread, which is the bus's serial bottleneck. Hash memtables need
//   allow_concurrent_memtable_write = false (the bus has one writer anyway).
// - Whole-key bloom filters, in the memtable and in every table file, answer "not there"
//   for a fresh id (the common case) without a skip-list or block search.
// - No compression: random ids do not compress.
// Nothing here changes the stored format; the family is only ever read by point lookups.
rocksdb::ColumnFamilyOptions DedupFamilyOptions() {
  rocksdb::ColumnFamilyOptions o;
  constexpr size_t kBucketBytes = 64;  // roughly one dedup entry in the memtable
  o.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(EventId::kSize));
  o.memtable_factory.reset(rocksdb::NewHashSkipListRepFactory(o.write_buffer_size / kBucketBytes));
  o.memtable_prefix_bloom_size_ratio = 0.1;
  o.memtable_whole_key_filtering = true;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.whole_key_filtering = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  o.compression = rocksdb::kNoCompression;
  return o;
}

// dedup_order holds (seq -> random id, time): sequential keys, incompressible values.
rocksdb::ColumnFamilyOptions DedupOrderFamilyOptions() {
  rocksdb::ColumnFamilyOptions o;
  o.compression = rocksdb::kNoCompression;
  return o;
}

}  // namespace

std::unique_ptr<LogStore> OpenRocksLogStore(const std::string& dir, std::string* error) {
  return OpenRocksLogStore(dir, LogStoreOptions{}, error);
}

std::unique_ptr<LogStore> OpenRocksLogStore(const std::string& dir, const LogStoreOptions& options,
                                            std::string* error) {
  auto store = std::make_unique<RocksLogStore>(dir, options);
  rocksdb::Status s = store->OpenDb(/*read_only=*/false, error);
  if (s.ok()) return store;
  // A full or failing disk at start: serve what is recorded (read-only) and refuse
  // publishes until it can be written, instead of exiting (and being restarted in a loop).
  const StorageFault fault = ClassifyStorageError(s);
  std::string read_only_error;
  if ((fault != StorageFault::kNoSpace && fault != StorageFault::kIoError) ||
      !store->OpenDb(/*read_only=*/true, &read_only_error).ok())
    return nullptr;
  store->StartFailed(s);
  error->clear();
  return store;
}

}  // namespace picket
