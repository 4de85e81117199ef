#include "runtime/outbox.h"

#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "runtime/storage_health.h"

namespace picket {
namespace {

// The id of the last row of `cf`, or 0 if it is empty.
bool LastRowId(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, uint64_t* id, std::string* error) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf));
  it->SeekToLast();
  *id = 0;
  if (it->Valid()) {
    auto v = store_keys::DecodeU64(it->key().ToStringView());
    if (!v) {
      *error = "outbox: malformed row key in " + cf->GetName();
      return false;
    }
    *id = *v;
  }
  if (!it->status().ok()) {
    *error = "outbox: " + it->status().ToString();
    return false;
  }
  return true;
}

}  // namespace

Outbox::Outbox(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* rows,
               rocksdb::ColumnFamilyHandle* dead_letters, bool sync, WriteGate* gate)
    : db_(db), rows_(rows), dead_letters_(dead_letters), gate_(gate) {
  write_options_.sync = sync;
}

bool Outbox::Write(rocksdb::WriteBatch& batch, const std::string& what, std::string* error) {
  if (gate_ != nullptr) {
    if (auto refusal = gate_->Refusal()) {
      *error = "outbox: " + what + ": " + *refusal;
      return false;
    }
  }
  rocksdb::Status s = db_->Write(write_options_, &batch);
  if (s.ok()) return true;
  *error = "outbox: " + what + ": " + (gate_ != nullptr ? gate_->Failed(s) : s.ToString());
  return false;
}

bool Outbox::Init(std::string* error) {
  uint64_t last_row = 0, last_dead = 0;
  if (!LastRowId(db_, rows_, &last_row, error)) return false;
  if (!LastRowId(db_, dead_letters_, &last_dead, error)) return false;
  next_row_id_ = std::max(last_row, last_dead) + 1;
  return true;
}

uint64_t Outbox::Add(rocksdb::WriteBatchBase& batch, std::string_view encoded_event) {
  uint64_t id = next_row_id_++;
  std::string key = store_keys::EncodeU64(id);
  // Put into a WriteBatch(WithIndex) only fails for a batch over its max size; we never
  // set one, so a failure here is a bug.
  rocksdb::Status s =
      batch.Put(rows_, key, rocksdb::Slice(encoded_event.data(), encoded_event.size()));
  if (!s.ok()) std::abort();
  return id;
}

bool Outbox::LoadPending(std::vector<OutboxRow>* rows, std::string* error) const {
  rows->clear();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), rows_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto id = store_keys::DecodeU64(it->key().ToStringView());
    if (!id) {
      *error = "outbox: malformed row key";
      return false;
    }
    rows->push_back(OutboxRow{*id, it->value().ToString()});
  }
  if (!it->status().ok()) {
    *error = "outbox: " + it->status().ToString();
    return false;
  }
  return true;
}

bool Outbox::Remove(uint64_t row_id, std::string* error) {
  rocksdb::WriteBatch batch;
  batch.Delete(rows_, store_keys::EncodeU64(row_id));
  return Write(batch, "removing row " + std::to_string(row_id), error);
}

bool Outbox::Remove(const std::vector<uint64_t>& row_ids, std::string* error) {
  rocksdb::WriteBatch batch;
  for (uint64_t id : row_ids) batch.Delete(rows_, store_keys::EncodeU64(id));
  return Write(batch, "removing " + std::to_string(row_ids.size()) + " rows", error);
}

bool Outbox::MoveToDeadLetter(uint64_t row_id, std::string_view event, uint16_t code,
                              std::string_view message, std::string* error) {
  rocksdb::WriteBatch batch;
  std::string key = store_keys::EncodeU64(row_id);
  std::string value = store_keys::EncodeDeadLetter(
      store_keys::DeadLetter{code, std::string(message), std::string(event)});
  rocksdb::Status s = batch.Delete(rows_, key);
  if (s.ok()) s = batch.Put(dead_letters_, key, value);
  if (!s.ok()) {
    *error = "outbox: dead-lettering row " + std::to_string(row_id) + ": " + s.ToString();
    return false;
  }
  return Write(batch, "dead-lettering row " + std::to_string(row_id), error);
}

bool Outbox::LoadDeadLetters(std::vector<std::pair<uint64_t, store_keys::DeadLetter>>* rows,
                             std::string* error) const {
  rows->clear();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), dead_letters_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto id = store_keys::DecodeU64(it->key().ToStringView());
    auto d = store_keys::DecodeDeadLetter(it->value().ToStringView());
    if (!id || !d) {
      *error = "outbox: malformed dead letter row";
      return false;
    }
    rows->emplace_back(*id, std::move(*d));
  }
  if (!it->status().ok()) {
    *error = "outbox: " + it->status().ToString();
    return false;
  }
  return true;
}

}  // namespace picket
