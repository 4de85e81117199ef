// Txn: the key-value transaction a pure domain core reads and writes its state through.
//
// Pure standard C++ on purpose: cores include this and nothing of RocksDB. State is kept
// in named tables (a RocksDB column family each, in the service); keys and values are
// byte strings, ordered bytewise, so big-endian integer keys sort numerically and a
// shared prefix groups related rows (e.g. "post/<id>/...").
//
// Contract for every implementation:
//   - Reads see the transaction's own earlier writes (read-your-writes), then the
//     committed state underneath.
//   - Nothing is visible to others until the owner commits; an abandoned Txn changes
//     nothing.
//   - Naming a table that was not declared when the store was opened is a bug: the call
//     throws std::logic_error.
//   - A storage fault (I/O error, corruption) throws StoreError. Cores must not catch it:
//     the runtime abandons the transaction and reports the fault (docs/architecture.md: business
//     logic never catches).
//   - Not thread-safe: one Txn is used by one thread at a time.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace picket {

// Broken storage under a Txn (disk full, I/O error, corruption). Not an expected outcome.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Txn {
 public:
  // Called for each row of a Scan in ascending key order. Return false to stop early.
  // The views are valid only during the call.
  using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

  virtual ~Txn() = default;

  // The value stored under `key` in `table`, or nullopt if there is none.
  virtual std::optional<std::string> Get(std::string_view table, std::string_view key) = 0;

  // Stores `value` under `key`, replacing any previous value.
  virtual void Put(std::string_view table, std::string_view key, std::string_view value) = 0;

  // Removes `key`; a no-op if it is absent.
  virtual void Delete(std::string_view table, std::string_view key) = 0;

  // Visits every row of `table` whose key starts with `prefix` ("" = the whole table), in
  // ascending bytewise key order, including this transaction's uncommitted writes and
  // excluding its deletes. `fn` must not write to this Txn (collect keys, write after).
  virtual void Scan(std::string_view table, std::string_view prefix, const ScanFn& fn) = 0;
};

}  // namespace picket
