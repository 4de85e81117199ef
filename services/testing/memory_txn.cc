#include "testing/memory_txn.h"

#include <stdexcept>

namespace picket {

MemoryTxn::MemoryTxn(std::initializer_list<std::string> tables)
    : MemoryTxn(std::vector<std::string>(tables)) {}

MemoryTxn::MemoryTxn(const std::vector<std::string>& tables) {
  for (const auto& t : tables) tables_[t];
}

MemoryTxn::Table& MemoryTxn::Find(std::string_view table) {
  auto it = tables_.find(table);
  if (it == tables_.end())
    throw std::logic_error("MemoryTxn: table '" + std::string(table) + "' was not declared");
  return it->second;
}

const MemoryTxn::Table& MemoryTxn::Rows(std::string_view table) const {
  auto it = tables_.find(table);
  if (it == tables_.end())
    throw std::logic_error("MemoryTxn: table '" + std::string(table) + "' was not declared");
  return it->second;
}

std::optional<std::string> MemoryTxn::Get(std::string_view table, std::string_view key) {
  Table& t = Find(table);
  auto it = t.find(key);
  if (it == t.end()) return std::nullopt;
  return it->second;
}

void MemoryTxn::Put(std::string_view table, std::string_view key, std::string_view value) {
  Find(table).insert_or_assign(std::string(key), std::string(value));
  ++writes_;
}

void MemoryTxn::Delete(std::string_view table, std::string_view key) {
  Table& t = Find(table);
  auto it = t.find(key);
  if (it != t.end()) t.erase(it);
  ++writes_;
}

void MemoryTxn::Scan(std::string_view table, std::string_view prefix, const ScanFn& fn) {
  Table& t = Find(table);
  for (auto it = t.lower_bound(prefix); it != t.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (!fn(it->first, it->second)) break;
  }
}

}  // namespace picket
