#include "runtime/batch_txn.h"

#include <stdexcept>

namespace picket {
namespace {

constexpr size_t kIdBytes = 4;

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

[[noreturn]] void ThrowStatus(std::string_view what, const rocksdb::Status& s) {
  throw StoreError(std::string(what) + ": " + s.ToString());
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

const std::string& BatchTxn::CacheKey(rocksdb::ColumnFamilyHandle* cf, std::string_view key) {
  const uint32_t id = cf->GetID();
  key_.clear();
  for (int shift = 24; shift >= 0; shift -= 8) key_.push_back(static_cast<char>(id >> shift));
  key_.append(key);
  return key_;
}

rocksdb::ColumnFamilyHandle* BatchTxn::Family(std::string_view table) const {
  auto it = tables_.find(table);
  if (it == tables_.end())
    throw std::logic_error("table '" + std::string(table) + "' was not declared");
  return it->second;
}

std::optional<std::string> BatchTxn::Get(std::string_view table, std::string_view key) {
  rocksdb::ColumnFamilyHandle* cf = Family(table);
  const std::string& cache_key = CacheKey(cf, key);
  if (auto it = seen_.find(cache_key); it != seen_.end()) return it->second.value;
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf, ToSlice(key), &value);
  if (!s.ok() && !s.IsNotFound()) ThrowStatus("get", s);
  Row row;
  if (s.ok()) row.value = std::move(value);
  return seen_.emplace(cache_key, std::move(row)).first->second.value;
}

void BatchTxn::Put(std::string_view table, std::string_view key, std::string_view value) {
  Write(table, key, std::string(value));
}

void BatchTxn::Delete(std::string_view table, std::string_view key) {
  Write(table, key, std::nullopt);
}

void BatchTxn::Write(std::string_view table, std::string_view key,
                     std::optional<std::string> value) {
  auto [it, inserted] = seen_.try_emplace(CacheKey(Family(table), key));
  Row& row = it->second;
  if (marked_ && (inserted || row.input != cache_.inputs)) {
    undo_.push_back(UndoStep{&*it, !inserted, row});
    row.input = cache_.inputs;
  }
  row.value = std::move(value);
  if (!row.written) {
    row.written = true;
    written_.emplace(it->first, &row);
  }
}

void BatchTxn::Mark() {
  undo_.clear();
  ++cache_.inputs;
  marked_ = true;
}

void BatchTxn::Undo() {
  // Each row has one step, so a node erased here is not named by another step.
  for (auto step = undo_.rbegin(); step != undo_.rend(); ++step) {
    const std::string& key = step->node->first;
    Row& row = step->node->second;
    if (row.written && !(step->existed && step->before.written)) written_.erase(key);
    if (!step->existed) {
      seen_.erase(seen_.find(key));
      continue;
    }
    row = std::move(step->before);
    if (row.written) written_.emplace(key, &row);  // a no-op if it stayed listed
  }
  undo_.clear();
  marked_ = false;
}

void BatchTxn::Release() {
  undo_.clear();
  marked_ = false;
}

void BatchTxn::Scan(std::string_view table, std::string_view prefix, const ScanFn& fn) {
  rocksdb::ColumnFamilyHandle* cf = Family(table);
  const std::string lower = CacheKey(cf, prefix);  // a copy: fn may read through Get
  auto pending = written_.lower_bound(lower);
  auto pending_valid = [&] {
    return pending != written_.end() && StartsWith(pending->first, lower);
  };
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf));
  it->Seek(ToSlice(prefix));
  auto stored_valid = [&] { return it->Valid() && StartsWith(it->key().ToStringView(), prefix); };
  // Two sorted streams: the committed rows and the batch's written ones, which win.
  while (true) {
    const bool has_stored = stored_valid(), has_pending = pending_valid();
    if (!has_stored && !has_pending) break;
    const std::string_view pending_key =
        has_pending ? pending->first.substr(kIdBytes) : std::string_view();
    if (has_pending && (!has_stored || pending_key <= it->key().ToStringView())) {
      if (has_stored && pending_key == it->key().ToStringView()) it->Next();
      const Row& row = *pending->second;
      ++pending;
      if (row.value && !fn(pending_key, *row.value)) return;
      continue;
    }
    if (!fn(it->key().ToStringView(), it->value().ToStringView())) return;
    it->Next();
  }
  if (!it->status().ok()) ThrowStatus("scan", it->status());
}

rocksdb::Status BatchTxn::WriteTo(rocksdb::WriteBatchBase* out) const {
  std::map<uint32_t, rocksdb::ColumnFamilyHandle*> by_id;
  for (const auto& [name, cf] : tables_) by_id[cf->GetID()] = cf;
  for (const auto& [cache_key, row] : written_) {
    uint32_t id = 0;
    for (size_t i = 0; i < kIdBytes; ++i) id = id << 8 | static_cast<uint8_t>(cache_key[i]);
    auto family = by_id.find(id);
    if (family == by_id.end()) return rocksdb::Status::InvalidArgument("no family with that id");
    const rocksdb::Slice key = ToSlice(cache_key.substr(kIdBytes));
    rocksdb::Status s = row->value ? out->Put(family->second, key, ToSlice(*row->value))
                                   : out->Delete(family->second, key);
    if (!s.ok()) return s;
  }
  return rocksdb::Status::OK();
}

BatchTxn::~BatchTxn() {
  if (!written_.empty()) Drop();
}

void BatchTxn::Committed() {
  for (auto& [key, row] : written_) row->written = false;
  written_.clear();
  undo_.clear();
  marked_ = false;
  if (seen_.size() > cache_.limit) seen_.clear();
}

void BatchTxn::Drop() {
  written_.clear();
  seen_.clear();
  undo_.clear();
  marked_ = false;
}

}  // namespace picket
