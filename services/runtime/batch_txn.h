// BatchTxn: the Txn of a StoreBatch (service_store.h), a write-behind view of a service's
// tables over its RocksDB. Internal to the runtime.
//
// Every row a batch reads or writes is kept in memory, as it is now in the batch over the
// DB, so a row that a batch's inputs read and rewrite many times (an incident grouped 256
// times in one replay batch, a squad's weekly total) is looked up once and written once:
// writes stay in memory until the commit, when WriteTo adds each written row's last
// version to the write. The rows stay known after the commit (RowCache, shared by the
// store's batches), so the next batch does not look them up again either.
//
// One input at a time is marked (Mark); Undo takes back what the input wrote since its
// mark, Release keeps it. Reads and scans see the batch's writes over the committed state.
// Errors: a storage fault on a read throws StoreError; an undeclared table throws
// std::logic_error. Holds references: the DB pointer, the families and the cache must
// outlive it. Not thread-safe.
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

// The rows of a store's tables that its batches read or wrote, keyed by BatchTxn's cache
// key. Between batches every row is as committed in the DB: valid only because all writes
// to these tables go through the store's batches, one open at a time, and a batch that is
// not committed (dropped, or its write failed) empties the cache. Bounded: emptied after a
// commit that leaves more than `limit` rows.
struct RowCache {
  struct Row {
    std::optional<std::string> value;  // nullopt: no row (absent, or deleted in the batch)
    bool written = false;              // written by the open batch, to be committed
    uint64_t input = 0;                // the last input that kept its value to undo
  };
  std::unordered_map<std::string, Row> rows;
  size_t limit = size_t{1} << 16;
  uint64_t inputs = 0;  // inputs marked so far, by any batch: numbers them
};

class BatchTxn final : public Txn {
 public:
  using Families = std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>>;

  // `db` is the store's: a reopen after a failed write replaces the DB (and the family
  // handles, which keep their ids) it holds. `cache` is the store's.
  BatchTxn(const std::unique_ptr<rocksdb::DB>& db, const Families& tables, RowCache& cache)
      : db_(db), tables_(tables), cache_(cache), seen_(cache.rows) {}
  // Uncommitted writes left (the batch was dropped) empty the cache.
  ~BatchTxn() override;
  BatchTxn(const BatchTxn&) = delete;
  BatchTxn& operator=(const BatchTxn&) = delete;

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
  // The write succeeded: the written rows are the DB's now (the batch may be reused).
  void Committed();
  // The write failed (the DB may hold part of it, or not): forgets every row.
  void Drop();

 private:
  using Row = RowCache::Row;
  // A row's state before the marked input first wrote it (once per row and input).
  struct UndoStep {
    std::pair<const std::string, Row>* node;  // in seen_
    bool existed = false;                     // false: the write added the node
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
  RowCache& cache_;
  std::unordered_map<std::string, Row>& seen_;  // every row known: cache_.rows
  std::map<std::string_view, Row*> written_;    // the written ones (keys: in seen_)
  std::vector<UndoStep> undo_;                  // the marked input's writes, in order
  bool marked_ = false;
  std::string key_;
};

}  // namespace picket
