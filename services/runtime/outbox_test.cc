#include "runtime/outbox.h"

#include <catch2/catch.hpp>

#include "runtime/service_store.h"
#include "testing/scripted_bus.h"

namespace picket {
namespace {

ServiceStoreOptions Options(const std::string& path) {
  ServiceStoreOptions o;
  o.path = path;
  o.service = "picket-test";
  o.site = "test-site";
  return o;
}

uint64_t AddRow(Outbox& outbox, rocksdb::DB* db, const std::string& event) {
  rocksdb::WriteBatch batch;
  uint64_t id = outbox.Add(batch, event);
  REQUIRE(db->Write(rocksdb::WriteOptions(), &batch).ok());
  return id;
}

}  // namespace

TEST_CASE("Outbox rows survive a reopen until removed", "[outbox]") {
  testing::ScratchDir dir;
  std::string error;
  uint64_t a, b, c;
  {
    auto store = ServiceStore::Open(Options(dir.path()), &error);
    REQUIRE(store);
    // The rows go through a raw DB handle here; ServiceStore::Apply is the usual way.
    rocksdb::DB* db = store->db();
    a = AddRow(*store->outbox(), db, "event-a");
    b = AddRow(*store->outbox(), db, "event-b");
    c = AddRow(*store->outbox(), db, "event-c");
    CHECK(a < b);
    CHECK(b < c);
    REQUIRE(store->outbox()->Remove(b, &error));
  }
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  std::vector<OutboxRow> rows;
  REQUIRE(store->outbox()->LoadPending(&rows, &error));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].row_id == a);
  CHECK(rows[0].event == "event-a");
  CHECK(rows[1].row_id == c);
  CHECK(rows[1].event == "event-c");
  // New ids never reuse one still in use.
  uint64_t d = AddRow(*store->outbox(), store->db(), "event-d");
  CHECK(d > c);
  // Several acked rows leave in one write.
  REQUIRE(store->outbox()->Remove(std::vector<uint64_t>{a, d, 999}, &error));
  REQUIRE(store->outbox()->LoadPending(&rows, &error));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].row_id == c);
}

TEST_CASE("A dead-lettered row leaves the outbox and keeps its reason", "[outbox]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  rocksdb::DB* db = store->db();
  uint64_t a = AddRow(*store->outbox(), db, "bad-event");
  REQUIRE(store->outbox()->MoveToDeadLetter(a, "bad-event", 11, "unknown type", &error));
  std::vector<OutboxRow> rows;
  REQUIRE(store->outbox()->LoadPending(&rows, &error));
  CHECK(rows.empty());
  std::vector<std::pair<uint64_t, store_keys::DeadLetter>> dead;
  REQUIRE(store->outbox()->LoadDeadLetters(&dead, &error));
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].first == a);
  CHECK(dead[0].second.code == 11);
  CHECK(dead[0].second.message == "unknown type");
  CHECK(dead[0].second.event == "bad-event");
  // The next id is above the dead-lettered one even though the outbox is empty.
  store.reset();
  store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  CHECK(AddRow(*store->outbox(), store->db(), "next") > a);
}

}  // namespace picket
