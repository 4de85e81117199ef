#include "runtime/service_store.h"

#include <rocksdb/options.h>

#include <algorithm>
#include <set>
#include <stdexcept>

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

// The Txn of one Apply: writes go to the batch, reads see the batch over the DB.
class BatchTxn final : public Txn {
 public:
  BatchTxn(rocksdb::DB* db, rocksdb::WriteBatchWithIndex& batch, const Families& tables)
      : db_(db), batch_(batch), tables_(tables) {}

  std::optional<std::string> Get(std::string_view table, std::string_view key) override {
    std::string value;
    rocksdb::Status s = batch_.GetFromBatchAndDB(db_, rocksdb::ReadOptions(),
                                                 FindFamily(tables_, table), ToSlice(key), &value);
    if (s.IsNotFound()) return std::nullopt;
    if (!s.ok()) ThrowStatus("get", s);
    return value;
  }
  void Put(std::string_view table, std::string_view key, std::string_view value) override {
    rocksdb::Status s = batch_.Put(FindFamily(tables_, table), ToSlice(key), ToSlice(value));
    if (!s.ok()) ThrowStatus("put", s);
  }
  void Delete(std::string_view table, std::string_view key) override {
    rocksdb::Status s = batch_.Delete(FindFamily(tables_, table), ToSlice(key));
    if (!s.ok()) ThrowStatus("delete", s);
  }
  void Scan(std::string_view table, std::string_view prefix, const ScanFn& fn) override {
    rocksdb::ColumnFamilyHandle* cf = FindFamily(tables_, table);
    std::unique_ptr<rocksdb::Iterator> it(
        batch_.NewIteratorWithBase(cf, db_->NewIterator(rocksdb::ReadOptions(), cf)));
    ScanIterator(it.get(), prefix, fn);
  }

 private:
  rocksdb::DB* db_;
  rocksdb::WriteBatchWithIndex& batch_;
  const Families& tables_;
};

bool IsReserved(std::string_view name) {
  return name == rocksdb::kDefaultColumnFamilyName || name == store_keys::kMetaFamily ||
         name == store_keys::kOutboxFamily || name == store_keys::kDeadLetterFamily ||
         name == store_keys::kTimersFamily || name == store_keys::kCommandsFamily;
}

}  // namespace

wire::Event::Builder ApplyContext::Emit() {
  uint32_t index = static_cast<uint32_t>(emitted_.size());
  emitted_.push_back(std::make_unique<capnp::MallocMessageBuilder>());
  auto event = emitted_.back()->initRoot<wire::Event>();
  EventId id = cause_.empty() ? EventId::Derived(service_, seq_, index)
                              : EventId::DerivedLocal(service_, cause_, index);
  event.setId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  event.setSite(std::string(site_));
  event.setProducer(std::string(service_));
  return event;
}

void ApplyContext::SetTimer(Micros due, std::string_view timer_id, std::string_view payload) {
  min_timer_set_ = std::min(min_timer_set_, due);
  rocksdb::Status s =
      batch_.Put(timers_, store_keys::EncodeTimerKey(due, timer_id), ToSlice(payload));
  if (!s.ok()) ThrowStatus("set timer", s);
}

void ApplyContext::CancelTimer(Micros due, std::string_view timer_id) {
  rocksdb::Status s = batch_.Delete(timers_, store_keys::EncodeTimerKey(due, timer_id));
  if (!s.ok()) ThrowStatus("cancel timer", s);
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
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !options.read_only;
  db_options.create_missing_column_families = !options.read_only;

  // Every family on disk must be opened; add the ones we need that do not exist yet.
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, options.path, &names);
  if (!s.ok()) names = {std::string(rocksdb::kDefaultColumnFamilyName)};  // a new DB
  std::set<std::string, std::less<>> on_disk(names.begin(), names.end());
  if (!options.read_only) {
    for (std::string_view n :
         {store_keys::kMetaFamily, store_keys::kOutboxFamily, store_keys::kDeadLetterFamily,
          store_keys::kTimersFamily, store_keys::kCommandsFamily})
      if (on_disk.insert(std::string(n)).second) names.emplace_back(n);
    for (const auto& t : options.tables)
      if (on_disk.insert(t).second) names.push_back(t);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());

  auto store = std::unique_ptr<ServiceStore>(new ServiceStore(options));
  rocksdb::DB* raw = nullptr;
  s = options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors, &store->handles_,
                                         &raw)
          : rocksdb::DB::Open(db_options, options.path, descriptors, &store->handles_, &raw);
  if (!s.ok()) {
    *error = "store: opening " + options.path + ": " + s.ToString();
    return nullptr;
  }
  store->db_.reset(raw);
  Families all;
  for (auto* h : store->handles_) all[h->GetName()] = h;
  for (const auto& t : options.tables) {
    auto it = all.find(t);
    store->tables_[t] = it == all.end() ? nullptr : it->second;  // nullptr: read-only, absent
  }
  auto family = [&](std::string_view n) {
    auto it = all.find(n);
    return it == all.end() ? nullptr : it->second;
  };
  store->meta_ = family(store_keys::kMetaFamily);
  store->timers_ = family(store_keys::kTimersFamily);
  store->commands_ = family(store_keys::kCommandsFamily);
  if (store->meta_ != nullptr) {
    std::string value;
    s = store->db_->Get(rocksdb::ReadOptions(), store->meta_, store_keys::kAppliedSeqKey.data(),
                        &value);
    if (s.ok()) {
      auto seq = store_keys::DecodeU64(value);
      if (!seq) {
        *error = "store: malformed applied_seq in " + options.path;
        return nullptr;
      }
      store->applied_seq_ = *seq;
    } else if (!s.IsNotFound()) {
      *error = "store: reading applied_seq: " + s.ToString();
      return nullptr;
    }
  }
  if (family(store_keys::kOutboxFamily) != nullptr &&
      family(store_keys::kDeadLetterFamily) != nullptr) {
    store->outbox_ = std::make_unique<Outbox>(store->db_.get(), family(store_keys::kOutboxFamily),
                                              family(store_keys::kDeadLetterFamily), options.sync);
    if (!store->outbox_->Init(error)) return nullptr;
  }
  return store;
}

ServiceStore::~ServiceStore() {
  outbox_.reset();
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  handles_.clear();
  if (db_) db_->Close();
}

rocksdb::ColumnFamilyHandle* ServiceStore::Family(std::string_view table) const {
  return FindFamily(tables_, table);
}

ApplyResult ServiceStore::Apply(uint64_t seq, const ApplyFn& fn, std::vector<OutboxRow>* emitted,
                                std::string* error) {
  if (options_.read_only) throw std::logic_error("Apply on a read-only ServiceStore");
  if (seq <= applied_seq_) return ApplyResult::kAlreadyApplied;
  // overwrite_key = true: required by NewIteratorWithBase, and one entry per key is all
  // a Txn needs.
  rocksdb::WriteBatchWithIndex batch(rocksdb::BytewiseComparator(), 0, true);
  BatchTxn txn(db_.get(), batch, tables_);
  ApplyContext ctx(seq, "", txn, batch, timers_, options_.service, options_.site);
  try {
    fn(ctx);
  } catch (const StoreError& e) {
    *error = std::string("store: applying seq ") + std::to_string(seq) + ": " + e.what();
    return ApplyResult::kFailed;
  }
  if (!Commit(seq, ctx, batch, options_.sync, emitted, error)) return ApplyResult::kFailed;
  return ApplyResult::kApplied;
}

ApplyResult ServiceStore::RunLocal(std::string_view cause, const ApplyFn& fn,
                                   const std::function<void(rocksdb::WriteBatchWithIndex&)>& extra,
                                   bool sync, std::vector<OutboxRow>* emitted, std::string* error) {
  if (options_.read_only) throw std::logic_error("ApplyLocal on a read-only ServiceStore");
  if (cause.empty()) throw std::logic_error("ApplyLocal needs a cause");
  rocksdb::WriteBatchWithIndex batch(rocksdb::BytewiseComparator(), 0, true);
  BatchTxn txn(db_.get(), batch, tables_);
  ApplyContext ctx(0, cause, txn, batch, timers_, options_.service, options_.site);
  try {
    fn(ctx);
    extra(batch);
  } catch (const StoreError& e) {
    *error = std::string("store: applying a local input: ") + e.what();
    return ApplyResult::kFailed;
  }
  if (!Commit(0, ctx, batch, sync, emitted, error)) return ApplyResult::kFailed;
  return ApplyResult::kApplied;
}

ApplyResult ServiceStore::ApplyLocal(std::string_view cause, const ApplyFn& fn,
                                     std::vector<OutboxRow>* emitted, std::string* error) {
  return RunLocal(
      cause, fn, [](rocksdb::WriteBatchWithIndex&) {}, options_.sync, emitted, error);
}

ApplyResult ServiceStore::ApplyCommand(std::string_view command_id, Micros applied_at,
                                       const CommandFn& fn, std::string* reply,
                                       std::vector<OutboxRow>* emitted, std::string* error) {
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
  auto result = RunLocal(
      cause, [&](ApplyContext& ctx) { produced = fn(ctx); },
      [&](rocksdb::WriteBatchWithIndex& batch) {
        if (command_id.empty()) return;
        rocksdb::Status s = batch.Put(commands_, ToSlice(command_id),
                                      store_keys::EncodeCommandRecord({applied_at, produced}));
        if (!s.ok()) ThrowStatus("record command", s);
      },
      /*sync=*/true, emitted, error);
  if (result == ApplyResult::kApplied) *reply = std::move(produced);
  return result;
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

bool ServiceStore::Commit(uint64_t seq, ApplyContext& ctx, rocksdb::WriteBatchWithIndex& batch,
                          bool sync, std::vector<OutboxRow>* emitted, std::string* error) {
  std::vector<std::string> encoded;
  for (size_t i = 0; i < ctx.emitted_.size(); ++i) {
    auto reader = ctx.emitted_[i]->getRoot<wire::Event>().asReader();
    std::optional<Rejection> rejection;
    try {
      rejection = CheckPublishable(reader, options_.site);
    } catch (const kj::Exception& e) {  // a body that is not a struct of its type's schema
      rejection = Rejection{wire::ErrorCode::UNKNOWN_TYPE, e.getDescription().cStr()};
    }
    if (rejection) {
      *error = "store: derived event " + std::to_string(i) + " of seq " + std::to_string(seq) +
               " would be refused (" + std::string(ErrorCodeName(rejection->code)) +
               "): " + rejection->message;
      return false;
    }
    encoded.push_back(Encode(*ctx.emitted_[i]));
  }
  std::vector<OutboxRow> rows;
  for (auto& e : encoded) rows.push_back(OutboxRow{outbox_->Add(batch, e), std::move(e)});
  rocksdb::Status s;
  if (seq > 0)
    s = batch.Put(meta_, ToSlice(store_keys::kAppliedSeqKey), store_keys::EncodeU64(seq));
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  if (s.ok()) s = db_->Write(write_options, batch.GetWriteBatch());
  if (!s.ok()) {
    *error = "store: committing " + (seq > 0 ? "seq " + std::to_string(seq) : "a local input") +
             ": " + s.ToString();
    return false;
  }
  if (seq > 0) applied_seq_ = seq;
  timers_floor_ = std::min(timers_floor_, ctx.min_timer_set_);
  if (emitted != nullptr) *emitted = std::move(rows);
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
