// BatchTxn: the Txn of a StoreBatch (service_store.h), a write-behind view of a service's
// tables over its RocksDB. Internal to the runtime.
//
// Every row a batch reads or writes is kept in memory, as it is now in the batch over the
// DB, so a row that a batch's inputs read and rewrite many times (an incident grouped 256
// times in one replay batch, a squad's weekly total) is looked up once and written once:
// writes stay here until the commit, when WriteTo adds each written row's last version to
// the write. Nothing else writes these tables while a batch is open (one loop thread).
//
// One input at a time is marked (Mark); Undo takes back what the input wrote since its
// mark, Release keeps it. Reads and scans see the batch's writes over the committed state.
// Errors: a storage fault on a read throws StoreError; an undeclared table throws
// std::logic_error. Holds references: the DB pointer and the families must outlive it.
// Not thread-safe.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch_base.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/txn.h"

namespace picket {

class BatchTxn final : public Txn {
 public:
  using Families = std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>>;

  // `db` is the store's: a reopen after a failed write replaces the DB (and the family
  // handles, which keep their ids) it holds.
  BatchTxn(const std::unique_ptr<rocksdb::DB>& db, const Families& tables)
      : db_(db), tables_(tables) {}

  std::optional<std::string> Get(std::string_view table, std::string_view key) override;
  void Put(std::string_view table, std::string_view key, std::string_view value) override;
  void Delete(std::string_view table, std::string_view key) override;
  void Scan(std::string_view table, std::string_view prefix, const ScanFn& fn) override;

  // Starts an input: its writes can be taken back until Release.
  void Mark();
  // Takes back every write since Mark (the input failed), then ends the mark.
  void Undo();
  // Keeps the input's writes and ends the mark.
  void Release();

  // Adds every row written since Clear to `out`, once each: a Put of its last value, or a
  // Delete. In key order within each table.
  rocksdb::Status WriteTo(rocksdb::WriteBatchBase* out) const;
  size_t written() const { return written_.size(); }
  // Forgets every row (the batch was committed, or its commit failed and it is dropped).
  void Clear();

 private:
  struct Row {
    std::optional<std::string> value;  // nullopt: no row (absent, or deleted in the batch)
    bool written = false;              // to be written at the commit
  };
  struct UndoStep {
    std::string key;  // seen_ key
    bool existed = false;
    Row before;
  };

  // The seen_ key of (family, key): the family's id (4 bytes, big-endian) and the key, so
  // the written rows of one family are contiguous and in key order in written_. Built in
  // key_, valid until the next call.
  const std::string& CacheKey(rocksdb::ColumnFamilyHandle* cf, std::string_view key);
  rocksdb::ColumnFamilyHandle* Family(std::string_view table) const;
  void Write(std::string_view table, std::string_view key, std::optional<std::string> value);

  const std::unique_ptr<rocksdb::DB>& db_;
  const Families& tables_;
  std::unordered_map<std::string, Row> seen_;  // every row read or written
  std::map<std::string_view, Row*> written_;   // the written ones (keys: in seen_)
  std::vector<UndoStep> undo_;                 // the marked input's writes, in order
  bool marked_ = false;
  std::string key_;
};

}  // namespace picket
