#include "testing/memory_txn.h"

#include <catch2/catch.hpp>

namespace picket {

TEST_CASE("MemoryTxn reads its writes and scans by prefix in order", "[memory_txn]") {
  MemoryTxn txn({"posts", "guards"});
  CHECK_FALSE(txn.Get("posts", "a").has_value());
  txn.Put("posts", "gate/2", "B");
  txn.Put("posts", "gate/1", "A");
  txn.Put("posts", "tower/1", "T");
  txn.Put("posts", "gate/1", "A2");
  CHECK(txn.Get("posts", "gate/1") == "A2");
  std::vector<std::string> seen;
  txn.Scan("posts", "gate/", [&](std::string_view k, std::string_view v) {
    seen.push_back(std::string(k) + "=" + std::string(v));
    return true;
  });
  CHECK(seen == std::vector<std::string>{"gate/1=A2", "gate/2=B"});
  txn.Delete("posts", "gate/1");
  txn.Delete("posts", "absent");
  CHECK_FALSE(txn.Get("posts", "gate/1").has_value());
  CHECK(txn.Rows("posts").size() == 2);
  CHECK(txn.Rows("guards").empty());
  CHECK(txn.writes() == 6);
}

TEST_CASE("MemoryTxn stops a scan when asked and rejects undeclared tables", "[memory_txn]") {
  MemoryTxn txn({"t"});
  for (char c = 'a'; c <= 'e'; ++c) txn.Put("t", std::string(1, c), "");
  int n = 0;
  txn.Scan("t", "", [&](std::string_view, std::string_view) { return ++n < 3; });
  CHECK(n == 3);
  CHECK_THROWS_AS(txn.Get("nope", "k"), std::logic_error);
  CHECK_THROWS_AS(txn.Put("nope", "k", "v"), std::logic_error);
}

}  // namespace picket
