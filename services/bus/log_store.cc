#include "bus/log_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

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

class RocksLogStore final : public LogStore {
 public:
  RocksLogStore(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> cfs)
      : db_(std::move(db)), handles_(std::move(cfs)) {
    // handles_ follow the order of the descriptors in OpenRocksLogStore.
    events_ = handles_[1];
    dedup_ = handles_[2];
    dedup_order_ = handles_[3];
    meta_ = handles_[4];
  }

  ~RocksLogStore() override {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }

  // Reads the meta rows (writing the format on a fresh log). False if not a bus log.
  bool Load(std::string* error) {
    auto format = GetU64(keys::kMetaFormat, error);
    if (!error->empty()) return false;
    if (!format) {
      auto s = db_->Put(rocksdb::WriteOptions(), meta_, keys::kMetaFormat,
                        keys::EncodeU64(keys::kFormatVersion));
      if (!s.ok()) return Fail(s, "writing the format version", error);
    } else if (*format != keys::kFormatVersion) {
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
    if (!s.ok()) return Fail(s, "writing the batch", error);
    head_ = LogHead{last.seq, last.recorded_at};
    return true;
  }

  bool Read(uint64_t from_seq, uint32_t max_events, size_t max_bytes, std::vector<StoredEvent>* out,
            std::string* error) override {
    out->clear();
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
      return Fail(s, "writing the prune batch", error);
    }
    first_seq_ = std::max(first_seq_, new_first);
    return true;
  }

  bool Flush(std::string* error) override {
    auto s = db_->FlushWAL(/*sync=*/true);
    if (!s.ok()) return Fail(s, "flushing the WAL", error);
    return true;
  }

 private:
  // RocksDB counts every key comparison in a thread-local perf context by default; on the
  // ingest path that is a measurable share of the CPU. The level is per thread, so it is
  // set by the calls the loop thread makes (a thread-local store: cheap).
  static void DisablePerfCounters() { rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable); }

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
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.allow_concurrent_memtable_write = false;  // required by the dedup hash memtable
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
  auto s = rocksdb::DB::Open(options, dir, families, &handles, &raw);
  if (!s.ok()) {
    *error = "cannot open the bus log in " + dir + ": " + s.ToString();
    return nullptr;
  }
  auto store = std::make_unique<RocksLogStore>(std::unique_ptr<rocksdb::DB>(raw), handles);
  error->clear();
  if (!store->Load(error)) {
    *error = dir + ": " + *error;
    return nullptr;
  }
  return store;
}

}  // namespace picket
