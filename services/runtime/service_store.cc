#include "runtime/service_store.h"

#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "runtime/batch_txn.h"
#include "runtime/store_keys.h"
#include "wire/codec.h"
#include "wire/event_id.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

using Families = std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>>;

[[noreturn]] void ThrowStatus(std::string_view what, const rocksdb::Status& s) {
  throw StoreError(std::string(what) + ": " + s.ToString());
}

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

rocksdb::ColumnFamilyHandle* FindFamily(const Families& tables, std::string_view table) {
  auto it = tables.find(table);
  if (it == tables.end())
    throw std::logic_error("table '" + std::string(table) + "' was not declared");
  return it->second;
}

// Visits rows of `it` (already created) from `prefix` while they match.
void ScanIterator(rocksdb::Iterator* it, std::string_view prefix, const Txn::ScanFn& fn) {
  for (it->Seek(ToSlice(prefix)); it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!fn(key, it->value().ToStringView())) break;
  }
  if (!it->status().ok()) ThrowStatus("scan", it->status());
}

bool IsReserved(std::string_view name) {
  return name == rocksdb::kDefaultColumnFamilyName || name == store_keys::kMetaFamily ||
         name == store_keys::kOutboxFamily || name == store_keys::kDeadLetterFamily ||
         name == store_keys::kTimersFamily || name == store_keys::kTimerIdsFamily ||
         name == store_keys::kCommandsFamily || name == store_keys::kJobsFamily;
}

// The last entry of every key in `batch` (built with overwrite_key, so its index holds one
// entry per key), in key order per family, into *out.
rocksdb::Status Compact(rocksdb::WriteBatchWithIndex& batch,
                        const std::vector<rocksdb::ColumnFamilyHandle*>& families,
                        rocksdb::WriteBatch* out) {
  for (rocksdb::ColumnFamilyHandle* cf : families) {
    std::unique_ptr<rocksdb::WBWIIterator> it(batch.NewIterator(cf));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      rocksdb::WriteEntry e = it->Entry();
      rocksdb::Status s;
      switch (e.type) {
        case rocksdb::kPutRecord:
          s = out->Put(cf, e.key, e.value);
          break;
        case rocksdb::kDeleteRecord:
        case rocksdb::kSingleDeleteRecord:
          s = out->Delete(cf, e.key);
          break;
        default:  // merges and range deletes are never written by a StoreBatch
          return rocksdb::Status::NotSupported("store: unexpected batch entry");
      }
      if (!s.ok()) return s;
    }
    if (!it->status().ok()) return it->status();
  }
  return rocksdb::Status::OK();
}

}  // namespace

wire::Event::Builder ApplyContext::Emit() {
  uint32_t index = static_cast<uint32_t>(emitted_.size());
  // A derived event is small: a 1 KiB first segment, not the default 8 KiB zeroed per event.
  emitted_.push_back(std::make_unique<capnp::MallocMessageBuilder>(128));
  auto event = emitted_.back()->initRoot<wire::Event>();
  EventId id = cause_.empty() ? EventId::Derived(service_, seq_, index)
                              : EventId::DerivedLocal(service_, cause_, index);
  event.setId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  event.setSite(std::string(site_));
  event.setProducer(std::string(service_));
  return event;
}

std::optional<Micros> ApplyContext::TimerDue(std::string_view id) {
  std::string value;
  rocksdb::Status s =
      batch_.GetFromBatchAndDB(db_, rocksdb::ReadOptions(), timer_ids_, ToSlice(id), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) ThrowStatus("read timer index", s);
  auto due = store_keys::DecodeTimerDue(value);
  if (!due) throw StoreError("malformed timer index row");
  return due;
}

void ApplyContext::SetTimer(std::string_view id, Micros due, std::string_view payload) {
  if (id.size() > kMaxTimerIdBytes) throw std::logic_error("timer id over 1 KiB");
  auto old = TimerDue(id);
  rocksdb::Status s;
  if (old && *old != due) s = batch_.Delete(timers_, store_keys::EncodeTimerKey(*old, id));
  if (s.ok()) s = batch_.Put(timers_, store_keys::EncodeTimerKey(due, id), ToSlice(payload));
  if (s.ok()) s = batch_.Put(timer_ids_, ToSlice(id), store_keys::EncodeTimerDue(due));
  if (!s.ok()) ThrowStatus("set timer", s);
  min_timer_set_ = std::min(min_timer_set_, due);
}

void ApplyContext::CancelTimer(std::string_view id) {
  auto old = TimerDue(id);
  if (!old) return;
  rocksdb::Status s = batch_.Delete(timers_, store_keys::EncodeTimerKey(*old, id));
  if (s.ok()) s = batch_.Delete(timer_ids_, ToSlice(id));
  if (!s.ok()) ThrowStatus("cancel timer", s);
}

void ApplyContext::ConsumeFiredTimer(const TimerRow& row) {
  rocksdb::Status s = batch_.Delete(timers_, store_keys::EncodeTimerKey(row.due, row.timer_id));
  // A row left by an older version may share its id with a newer row: keep that one's
  // index entry.
  if (s.ok() && TimerDue(row.timer_id) == row.due)
    s = batch_.Delete(timer_ids_, ToSlice(row.timer_id));
  if (!s.ok()) ThrowStatus("consume timer", s);
}

std::optional<store_keys::JobRecord> ApplyContext::Job(std::string_view queue,
                                                       std::string_view id) {
  std::string value;
  rocksdb::Status s = batch_.GetFromBatchAndDB(db_, rocksdb::ReadOptions(), jobs_,
                                               store_keys::EncodeJobKey(queue, id), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) ThrowStatus("read job", s);
  auto record = store_keys::DecodeJobRecord(value);
  if (!record) throw StoreError("malformed job row");
  return record;
}

void ApplyContext::PutJob(std::string_view queue, std::string_view id,
                          const store_keys::JobRecord& record) {
  if (queue.empty() || queue.size() > store_keys::kMaxJobQueueBytes)
    throw std::logic_error("job queue name empty or over 255 bytes");
  std::string key = store_keys::EncodeJobKey(queue, id);
  rocksdb::Status s = batch_.Put(jobs_, key, store_keys::EncodeJobRecord(record));
  if (!s.ok()) ThrowStatus("write job", s);
  jobs_touched_->push_back(std::move(key));
}

void ApplyContext::DeleteJob(std::string_view queue, std::string_view id) {
  std::string key = store_keys::EncodeJobKey(queue, id);
  rocksdb::Status s = batch_.Delete(jobs_, key);
  if (!s.ok()) ThrowStatus("delete job", s);
  jobs_touched_->push_back(std::move(key));
}

void ApplyContext::StartJob(std::string_view queue, std::string_view id, std::string_view payload) {
  thread_local std::mt19937_64 tokens{std::random_device{}()};
  store_keys::JobRecord record;
  record.token = tokens();
  record.payload = std::string(payload);
  PutJob(queue, id, record);
}

void ApplyContext::CancelJob(std::string_view queue, std::string_view id) {
  auto record = Job(queue, id);
  if (!record || record->cancelled) return;
  record->cancelled = true;
  PutJob(queue, id, *record);
}

StoreBatch::StoreBatch(ServiceStore& store) : store_(store) {
  if (store.options_.read_only) throw std::logic_error("writing to a read-only ServiceStore");
  // overwrite_key = true: required by NewIteratorWithBase, and one entry per key is all
  // a Txn needs.
  batch_ = std::make_unique<rocksdb::WriteBatchWithIndex>(rocksdb::BytewiseComparator(), 0, true);
  txn_ = std::make_unique<BatchTxn>(store.db_, store.tables_, *store.row_cache_);
}

StoreBatch::~StoreBatch() = default;

ApplyResult StoreBatch::AddEvent(uint64_t seq, const ApplyFn& fn, std::string* error) {
  if (seq == 0) throw std::logic_error("AddEvent needs a seq");
  if (seq <= store_.applied_seq_ || seq <= last_seq_) return ApplyResult::kAlreadyApplied;
  return Add(seq, "", fn, error);
}

ApplyResult StoreBatch::AddLocal(std::string_view cause, const ApplyFn& fn, std::string* error) {
  if (cause.empty()) throw std::logic_error("AddLocal needs a cause");
  return Add(0, cause, fn, error);
}

ApplyResult StoreBatch::Add(uint64_t seq, std::string_view cause, const ApplyFn& fn,
                            std::string* error) {
  const std::string what = seq > 0 ? "seq " + std::to_string(seq) : "a local input";
  ApplyContext ctx(seq, cause, *txn_, store_.db_.get(), *batch_, store_.timers_, store_.timer_ids_,
                   store_.options_.service, store_.options_.site);
  ctx.jobs_ = store_.jobs_;
  ctx.jobs_touched_ = &jobs_touched_;
  batch_->SetSavePoint();
  txn_->Mark();
  const size_t rows_before = rows_.size();
  const size_t jobs_before = jobs_touched_.size();
  auto roll_back = [&] {
    rocksdb::Status s = batch_->RollbackToSavePoint();
    if (!s.ok()) throw std::logic_error("rollback: " + s.ToString());  // a savepoint was set
    txn_->Undo();
    rows_.resize(rows_before);
    jobs_touched_.resize(jobs_before);
  };
  try {
    fn(ctx);
    for (size_t i = 0; i < ctx.emitted_.size(); ++i) {
      auto reader = ctx.emitted_[i]->getRoot<wire::Event>().asReader();
      std::optional<Rejection> rejection;
      try {
        rejection = CheckPublishable(reader, store_.options_.site);
      } catch (const kj::Exception& e) {  // a body that is not a struct of its type's schema
        rejection = Rejection{wire::ErrorCode::UNKNOWN_TYPE, e.getDescription().cStr()};
      }
      if (rejection) {
        roll_back();
        *error = "store: derived event " + std::to_string(i) + " of " + what +
                 " would be refused (" + std::string(ErrorCodeName(rejection->code)) +
                 "): " + rejection->message;
        return ApplyResult::kFailed;
      }
      std::string encoded = Encode(*ctx.emitted_[i]);
      uint64_t row_id = store_.outbox_->Add(*batch_, encoded);
      rows_.push_back(OutboxRow{row_id, std::move(encoded)});
    }
  } catch (const StoreError& e) {
    roll_back();
    *error = "store: applying " + what + ": " + e.what();
    return ApplyResult::kFailed;
  } catch (...) {
    roll_back();
    throw;
  }
  batch_->PopSavePoint();
  txn_->Release();
  ++inputs_;
  if (seq > 0) last_seq_ = seq;
  min_timer_set_ = std::min(min_timer_set_, ctx.min_timer_set_);
  return ApplyResult::kApplied;
}

bool StoreBatch::Commit(std::vector<OutboxRow>* emitted, std::string* error, bool sync) {
  rocksdb::Status s;
  if (last_seq_ > 0)
    s = batch_->Put(store_.meta_, ToSlice(store_keys::kAppliedSeqKey),
                    store_keys::EncodeU64(last_seq_));
  rocksdb::WriteOptions write_options;
  write_options.sync = sync || store_.options_.sync;
  bool wrote = false;  // a failure is the disk's (not the batch's) once Write was called
  if (s.ok() && (batch_->GetWriteBatch()->Count() > 0 || txn_->written() > 0)) {
    // While a failed write is not recovered, no write may be made (storage_health.h).
    if (auto refusal = store_.WriteRefusal()) {
      *error = "store: committing " + std::to_string(inputs_) + " input(s): " + *refusal;
      return false;
    }
    if (inputs_ > 1) {
      // Several inputs rewrite the same rows (an incident grouped 256 times in one replay
      // batch): write each key's last entry only, not every version of it. The Txn's
      // rows are once each already.
      rocksdb::WriteBatch compact;
      s = Compact(*batch_, store_.handles_, &compact);
      if (s.ok()) s = txn_->WriteTo(&compact);
      wrote = s.ok();
      if (s.ok()) s = store_.db_->Write(write_options, &compact);
    } else {
      s = txn_->WriteTo(batch_.get());
      wrote = s.ok();
      if (s.ok()) s = store_.db_->Write(write_options, batch_->GetWriteBatch());
    }
  }
  if (!s.ok()) {
    txn_->Drop();  // the DB may hold part of it, or not
    *error = "store: committing " + std::to_string(inputs_) +
             " input(s): " + (wrote && store_.gate_ ? store_.gate_->Failed(s) : s.ToString());
    return false;
  }
  if (last_seq_ > 0) store_.applied_seq_ = last_seq_;
  store_.timers_floor_ = std::min(store_.timers_floor_, min_timer_set_);
  if (emitted != nullptr) *emitted = std::move(rows_);
  rows_.clear();
  if (!jobs_touched_.empty()) {
    std::vector<std::string> touched;
    touched.swap(jobs_touched_);
    if (store_.on_jobs_committed_) store_.on_jobs_committed_(touched);
  }
  rows_.clear();
  batch_->Clear();
  txn_->Committed();
  inputs_ = 0;
  last_seq_ = 0;
  min_timer_set_ = std::numeric_limits<Micros>::max();
  return true;
}

std::unique_ptr<ServiceStore> ServiceStore::Open(const ServiceStoreOptions& options,
                                                 std::string* error) {
  std::set<std::string, std::less<>> wanted;
  for (const auto& t : options.tables) {
    if (t.empty() || IsReserved(t) || !wanted.insert(t).second) {
      *error = "store: table name '" + t + "' is empty, reserved or repeated";
      return nullptr;
    }
  }
  if (!options.read_only && (options.service.empty() || options.site.empty())) {
    *error = "store: service and site must be set";
    return nullptr;
  }
  auto store = std::unique_ptr<ServiceStore>(new ServiceStore(options));
  if (!options.read_only) {
    WriteGate::Options gate;
    gate.what = "the " + options.service + " store";
    gate.path = options.path;
    gate.now = options.now;
    // Recovering writes the memtables out while the WAL still holds them: it needs that room.
    gate.bytes_needed = [path = options.path] { return WalBytes(path) + (uint64_t{4} << 20); };
    store->gate_ = std::make_unique<WriteGate>(std::move(gate));
  }
  if (!store->OpenDb(options.read_only, error).ok()) return nullptr;
  return store;
}

rocksdb::Status ServiceStore::OpenDb(bool read_only, std::string* error) {
  const ServiceStoreOptions& options = options_;
  std::error_code ec;  // RocksDB would create it too, logging an error on the way
  if (!read_only) std::filesystem::create_directories(options.path, ec);
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !read_only;
  db_options.create_missing_column_families = !read_only;
  if (options.env != nullptr) db_options.env = options.env;
  if (gate_) gate_->Configure(&db_options);  // RocksDB's own recovery off: Maintain recovers

  // Every family on disk must be opened; add the ones we need that do not exist yet.
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, options.path, &names);
  if (!s.ok()) names = {std::string(rocksdb::kDefaultColumnFamilyName)};  // a new DB
  std::set<std::string, std::less<>> on_disk(names.begin(), names.end());
  // Timers written before the index existed: index them once the DB is open.
  const bool index_timers = !read_only && on_disk.count(store_keys::kTimersFamily) > 0 &&
                            on_disk.count(store_keys::kTimerIdsFamily) == 0;
  if (!read_only) {
    for (std::string_view n :
         {store_keys::kMetaFamily, store_keys::kOutboxFamily, store_keys::kDeadLetterFamily,
          store_keys::kTimersFamily, store_keys::kTimerIdsFamily, store_keys::kCommandsFamily,
          store_keys::kJobsFamily})
      if (on_disk.insert(std::string(n)).second) names.emplace_back(n);
    for (const auto& t : options.tables)
      if (on_disk.insert(t).second) names.push_back(t);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  // Smaller memtables than RocksDB's 64 MiB: every apply inserts into them on the loop
  // thread, and an insert's cost grows with the table (a flush runs in the background).
  rocksdb::ColumnFamilyOptions family_options;
  family_options.write_buffer_size = 8 << 20;
  // A Bloom filter per table file: most of a core's reads look for a row that is not
  // there yet (a once-key, a new period's total), and a miss then costs no block read.
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  for (const auto& n : names) descriptors.emplace_back(n, family_options);

  rocksdb::DB* raw = nullptr;
  s = read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors, &handles_, &raw)
          : rocksdb::DB::Open(db_options, options.path, descriptors, &handles_, &raw);
  if (!s.ok()) {
    *error = "store: opening " + options.path + ": " + s.ToString();
    return s;
  }
  db_.reset(raw);
  read_only_db_ = read_only;
  auto fail = [&](std::string why) {
    *error = std::move(why);
    CloseDb();
    return rocksdb::Status::Corruption(*error);
  };
  Families all;
  for (auto* h : handles_) all[h->GetName()] = h;
  for (const auto& t : options.tables) {
    auto it = all.find(t);
    tables_[t] = it == all.end() ? nullptr : it->second;  // nullptr: read-only, absent
  }
  auto family = [&](std::string_view n) {
    auto it = all.find(n);
    return it == all.end() ? nullptr : it->second;
  };
  meta_ = family(store_keys::kMetaFamily);
  timers_ = family(store_keys::kTimersFamily);
  timer_ids_ = family(store_keys::kTimerIdsFamily);
  if (index_timers && !IndexTimers(error)) return fail(*error);
  commands_ = family(store_keys::kCommandsFamily);
  jobs_ = family(store_keys::kJobsFamily);
  if (meta_ != nullptr) {
    std::string value;
    s = db_->Get(rocksdb::ReadOptions(), meta_, store_keys::kAppliedSeqKey.data(), &value);
    if (s.ok()) {
      auto seq = store_keys::DecodeU64(value);
      if (!seq) return fail("store: malformed applied_seq in " + options.path);
      applied_seq_ = *seq;
    } else if (!s.IsNotFound()) {
      return fail("store: reading applied_seq: " + s.ToString());
    }
  }
  auto* rows = family(store_keys::kOutboxFamily);
  auto* dead = family(store_keys::kDeadLetterFamily);
  if (outbox_) {
    // A reopened DB: the Publisher keeps the same Outbox.
    outbox_->Rebind(db_.get(), rows, dead);
  } else if (rows != nullptr && dead != nullptr) {
    outbox_ = std::make_unique<Outbox>(db_.get(), rows, dead, options.sync, gate_.get());
    if (!outbox_->Init(error)) return fail(*error);
  }
  return rocksdb::Status::OK();
}

void ServiceStore::CloseDb() {
  if (!db_) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  handles_.clear();
  for (auto& [name, handle] : tables_) handle = nullptr;
  meta_ = timers_ = timer_ids_ = commands_ = jobs_ = nullptr;
  db_->Close().PermitUncheckedError();
  db_.reset();
}

rocksdb::Status ServiceStore::Reopen() {
  const uint64_t applied = applied_seq_;
  CloseDb();
  std::string error;
  rocksdb::Status s = OpenDb(/*read_only=*/false, &error);
  if (s.ok()) {
    // A commit whose write failed can still be in the WAL (its sync failed after the
    // write reached the file): its inputs count as applied, and are skipped if offered
    // again; its outbox rows are sent at the next start.
    if (applied_seq_ != applied)
      spdlog::warn("{}: reopened at applied_seq {} (was {})", options_.service, applied_seq_,
                   applied);
    return s;
  }
  spdlog::debug("{}: {}", options_.service, error);
  std::string read_only_error;
  if (!OpenDb(/*read_only=*/true, &read_only_error).ok()) {
    // Nothing to serve reads from: let the supervisor start the service again.
    spdlog::critical("{}: the store can be neither written nor read ({}; {}); exiting",
                     options_.service, error, read_only_error);
    std::_Exit(1);
  }
  return s;
}

ServiceStore::ServiceStore(ServiceStoreOptions options)
    : options_(std::move(options)), row_cache_(std::make_unique<RowCache>()) {}

ServiceStore::~ServiceStore() {
  outbox_.reset();
  CloseDb();
}

std::shared_ptr<const StorageHealth> ServiceStore::health() const {
  if (!gate_) return nullptr;
  return gate_->health();
}

bool ServiceStore::Maintain() {
  if (!gate_) return true;
  return gate_->Maintain([this] {
    // After a failed write of ours, Resume() may keep the WAL writer that saw the error
    // (storage_health.h): reopen. After a background error only, resume.
    if (gate_->write_failed() || read_only_db_) return Reopen();
    rocksdb::Status s = db_->Resume();
    if (s.ok() || s.severity() < rocksdb::Status::Severity::kFatalError) return s;
    return Reopen();
  });
}

std::optional<std::string> ServiceStore::WriteRefusal() {
  if (!gate_) return std::nullopt;
  if (gate_->failed()) Maintain();  // a retry of the input is a good time to resume
  return gate_->Refusal();
}

rocksdb::ColumnFamilyHandle* ServiceStore::Family(std::string_view table) const {
  return FindFamily(tables_, table);
}

std::unique_ptr<StoreBatch> ServiceStore::Begin() {
  return std::unique_ptr<StoreBatch>(new StoreBatch(*this));
}

std::optional<store_keys::JobRecord> ServiceStore::GetJob(std::string_view key) const {
  if (jobs_ == nullptr) return std::nullopt;
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), jobs_, ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) ThrowStatus("read job", s);
  auto record = store_keys::DecodeJobRecord(value);
  if (!record) throw StoreError("malformed job row");
  return record;
}

void ServiceStore::ScanJobs(
    const std::function<void(const store_keys::JobKey&, const store_keys::JobRecord&)>& fn) const {
  if (jobs_ == nullptr) return;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), jobs_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto key = store_keys::DecodeJobKey(it->key().ToStringView());
    auto record = store_keys::DecodeJobRecord(it->value().ToStringView());
    if (!key || !record) throw StoreError("malformed job row");
    fn(*key, *record);
  }
  if (!it->status().ok()) ThrowStatus("scan jobs", it->status());
}

bool ServiceStore::IndexTimers(std::string* error) {
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), timers_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto key = store_keys::DecodeTimerKey(it->key().ToStringView());
    // In due order: of rows sharing an id (older versions set one row per due time),
    // the index keeps the latest.
    if (key) batch.Put(timer_ids_, key->timer_id, store_keys::EncodeTimerDue(key->due));
  }
  rocksdb::Status s = it->status();
  if (s.ok()) s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    *error = "store: indexing timers: " + s.ToString();
    return false;
  }
  return true;
}

ApplyResult ServiceStore::Apply(uint64_t seq, const ApplyFn& fn, std::vector<OutboxRow>* emitted,
                                std::string* error) {
  StoreBatch batch(*this);
  auto result = batch.AddEvent(seq, fn, error);
  if (result != ApplyResult::kApplied) return result;
  return batch.Commit(emitted, error) ? ApplyResult::kApplied : ApplyResult::kFailed;
}

ApplyResult ServiceStore::ApplyLocal(std::string_view cause, const ApplyFn& fn,
                                     std::vector<OutboxRow>* emitted, std::string* error) {
  StoreBatch batch(*this);
  auto result = batch.AddLocal(cause, fn, error);
  if (result != ApplyResult::kApplied) return result;
  return batch.Commit(emitted, error) ? ApplyResult::kApplied : ApplyResult::kFailed;
}

ApplyResult ServiceStore::ApplyCommand(std::string_view command_id, Micros applied_at,
                                       const CommandFn& fn, std::string* reply,
                                       std::vector<OutboxRow>* emitted, std::string* error) {
  StoreBatch batch(*this);  // first: refuses a read-only store
  if (!command_id.empty()) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), commands_, ToSlice(command_id), &value);
    if (s.ok()) {
      auto record = store_keys::DecodeCommandRecord(value);
      if (!record) {
        *error = "store: malformed command record";
        return ApplyResult::kFailed;
      }
      *reply = std::move(record->reply);
      return ApplyResult::kAlreadyApplied;
    }
    if (!s.IsNotFound()) {
      *error = "store: reading a command id: " + s.ToString();
      return ApplyResult::kFailed;
    }
  }
  std::string cause =
      "command/" + (command_id.empty() ? EventId::Random().ToHex() : std::string(command_id));
  std::string produced;
  auto result = batch.AddLocal(
      cause,
      [&](ApplyContext& ctx) {
        produced = fn(ctx);
        if (command_id.empty()) return;
        rocksdb::Status s =
            batch.batch_->Put(commands_, ToSlice(command_id),
                              store_keys::EncodeCommandRecord({applied_at, produced}));
        if (!s.ok()) ThrowStatus("record command", s);
      },
      error);
  if (result != ApplyResult::kApplied) return result;
  // Always synced: a command's reply promises its effects survive a power loss.
  if (!batch.Commit(emitted, error, /*sync=*/true)) return ApplyResult::kFailed;
  *reply = std::move(produced);
  return ApplyResult::kApplied;
}

bool ServiceStore::PruneCommands(Micros cutoff, std::string* error) {
  if (commands_ == nullptr) return true;
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), commands_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto record = store_keys::DecodeCommandRecord(it->value().ToStringView());
    if (!record || record->applied_at < cutoff) batch.Delete(commands_, it->key());
  }
  rocksdb::Status s = it->status();
  if (s.ok() && batch.Count() > 0) s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    *error = "store: pruning command ids: " + s.ToString();
    return false;
  }
  return true;
}

std::optional<std::string> ServiceStore::Get(std::string_view table, std::string_view key) const {
  rocksdb::ColumnFamilyHandle* cf = Family(table);
  if (cf == nullptr) return std::nullopt;
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf, ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) ThrowStatus("get", s);
  return value;
}

void ServiceStore::Scan(std::string_view table, std::string_view prefix,
                        const Txn::ScanFn& fn) const {
  rocksdb::ColumnFamilyHandle* cf = Family(table);
  if (cf == nullptr) return;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf));
  ScanIterator(it.get(), prefix, fn);
}

bool ServiceStore::DueTimers(Micros now, size_t limit, std::vector<TimerRow>* out,
                             std::string* error) const {
  out->clear();
  if (timers_ == nullptr) return true;
  const std::string start = store_keys::EncodeTimerKey(timers_floor_, "");
  const std::string upper = store_keys::TimerUpperBound(now);
  if (start >= upper) return true;
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, timers_));
  for (it->Seek(ToSlice(start)); it->Valid() && out->size() < limit; it->Next()) {
    auto key = store_keys::DecodeTimerKey(it->key().ToStringView());
    if (!key) {
      *error = "store: malformed timer key";
      return false;
    }
    if (out->empty()) timers_floor_ = key->due;
    out->push_back(TimerRow{key->due, std::move(key->timer_id), it->value().ToString()});
  }
  if (!it->status().ok()) {
    *error = "store: scanning timers: " + it->status().ToString();
    return false;
  }
  return true;
}

std::optional<Micros> ServiceStore::NextTimerDue(std::string* error) const {
  if (timers_ == nullptr) return std::nullopt;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), timers_));
  it->Seek(ToSlice(store_keys::EncodeTimerKey(timers_floor_, "")));
  if (!it->status().ok()) {
    *error = "store: scanning timers: " + it->status().ToString();
    return std::nullopt;
  }
  if (!it->Valid()) return std::nullopt;
  auto key = store_keys::DecodeTimerKey(it->key().ToStringView());
  if (!key) {
    *error = "store: malformed timer key";
    return std::nullopt;
  }
  timers_floor_ = key->due;
  return key->due;
}

}  // namespace picket
