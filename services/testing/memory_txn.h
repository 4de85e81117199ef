// MemoryTxn: a Txn over in-memory maps, for the unit tests of pure domain cores.
//
// It behaves like the RocksDB-backed Txn of ServiceStore (same ordering, same errors for
// undeclared tables) but it has no commit: writes land in the maps at once. A core test
// builds one with the core's tables, runs handlers against it and inspects Rows().
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "base/txn.h"

namespace picket {

class MemoryTxn final : public Txn {
 public:
  using Table = std::map<std::string, std::string, std::less<>>;

  // Declares the tables this Txn accepts; any other name throws std::logic_error.
  explicit MemoryTxn(std::initializer_list<std::string> tables);
  explicit MemoryTxn(const std::vector<std::string>& tables);

  std::optional<std::string> Get(std::string_view table, std::string_view key) override;
  void Put(std::string_view table, std::string_view key, std::string_view value) override;
  void Delete(std::string_view table, std::string_view key) override;
  void Scan(std::string_view table, std::string_view prefix, const ScanFn& fn) override;

  // Every row of `table` (for assertions). Throws std::logic_error for an unknown table.
  const Table& Rows(std::string_view table) const;

  // How many Put and Delete calls were made (a test can check a handler wrote nothing).
  int writes() const { return writes_; }

 private:
  Table& Find(std::string_view table);

  std::map<std::string, Table, std::less<>> tables_;
  int writes_ = 0;
};

}  // namespace picket
