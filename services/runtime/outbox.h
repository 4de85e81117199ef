// Outbox: a service's durable queue of events waiting for the bus's ack.
//
// Rows live in the service's RocksDB: column family `outbox`, key = u64 BE row id (so they
// load in the order they were added), value = the encoded wire::Event exactly as it will
// be sent. A row is added in the caller's WriteBatch (together with the state change that
// produced it: the transactional outbox), removed when the bus acks it, and moved to the
// `dead_letter` family when the bus refuses it for good, so one bad row never blocks the
// rest. Formats: runtime/store_keys.h.
//
// On a full or failing disk the store's WriteGate (if given) refuses removals until the
// store has recovered; they fail and the caller keeps the rows to remove later.
//
// Not thread-safe: used from the service's loop thread only. The DB, the column family
// handles and the gate must outlive the Outbox.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_batch_base.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/store_keys.h"

namespace picket {

class WriteGate;

struct OutboxRow {
  uint64_t row_id = 0;
  std::string event;  // encoded wire::Event
};

class Outbox {
 public:
  // `sync`: whether Remove and MoveToDeadLetter sync the WAL (a lost removal only means a
  // re-send that the bus deduplicates, so false is the sensible default).
  // `gate`: the store's (runtime/storage_health.h), or null.
  Outbox(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* rows,
         rocksdb::ColumnFamilyHandle* dead_letters, bool sync = false, WriteGate* gate = nullptr);
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // The store reopened its DB (after a failed write): the same rows, new handles.
  void Rebind(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* rows,
              rocksdb::ColumnFamilyHandle* dead_letters) {
    db_ = db;
    rows_ = rows;
    dead_letters_ = dead_letters;
  }

  // Reads the highest row id in use (in both families) so new ids follow it. Call once
  // after opening the DB, before Add. Returns false and sets *error on a storage fault.
  bool Init(std::string* error);

  // Puts a new row into `batch` and returns its id. The row exists once the caller has
  // written the batch; if the caller abandons the batch, the id is simply never used.
  uint64_t Add(rocksdb::WriteBatchBase& batch, std::string_view encoded_event);
  // The highest row id handed out so far (0: none): every row added before now has an id
  // at or below it (an id of an abandoned batch is simply never used).
  uint64_t last_row_id() const { return next_row_id_ - 1; }

  // Every row not yet removed, in row-id order (what must be (re)sent after a start).
  // Returns false and sets *error on a storage fault.
  bool LoadPending(std::vector<OutboxRow>* rows, std::string* error) const;

  // Deletes the row (the bus acked it). Removing a missing row is not an error.
  bool Remove(uint64_t row_id, std::string* error);
  // Deletes all of them in one write.
  bool Remove(const std::vector<uint64_t>& row_ids, std::string* error);

  // Deletes the row and stores it, with the bus's reason, in `dead_letter`, in one write.
  bool MoveToDeadLetter(uint64_t row_id, std::string_view event, uint16_t code,
                        std::string_view message, std::string* error);

  // Every dead-lettered row, in row-id order (for operators and tests).
  bool LoadDeadLetters(std::vector<std::pair<uint64_t, store_keys::DeadLetter>>* rows,
                       std::string* error) const;

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* rows_;
  rocksdb::ColumnFamilyHandle* dead_letters_;
  // Writes `batch` through the gate: false with *error (prefixed by `what`) if refused or failed.
  bool Write(rocksdb::WriteBatch& batch, const std::string& what, std::string* error);

  rocksdb::WriteOptions write_options_;
  WriteGate* gate_ = nullptr;
  uint64_t next_row_id_ = 1;
};

}  // namespace picket
