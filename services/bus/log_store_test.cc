#include "bus/log_store.h"

#include <rocksdb/db.h>

#include <catch2/catch.hpp>

#include "bus/bus_test_support.h"
#include "bus/log_keys.h"

using namespace picket;
using namespace picket::bus_testing;

namespace {

std::unique_ptr<LogStore> Open(const std::string& dir) {
  std::string error;
  auto store = OpenRocksLogStore(dir, &error);
  INFO(error);
  REQUIRE(store);
  return store;
}

void AppendRange(LogStore& store, uint64_t from, uint64_t to, Micros at, size_t body = 0) {
  std::vector<NewEvent> events;
  for (uint64_t s = from; s <= to; ++s)
    events.push_back(StoredTestEvent(s, at, TestId(static_cast<uint32_t>(s)), body));
  std::string error;
  INFO(error);
  REQUIRE(store.Append(events, /*sync=*/false, &error));
}

std::vector<uint64_t> ReadSeqs(LogStore& store, uint64_t from, uint32_t max_events,
                               size_t max_bytes = 1 << 20) {
  std::vector<StoredEvent> out;
  std::string error;
  REQUIRE(store.Read(from, max_events, max_bytes, &out, &error));
  std::vector<uint64_t> seqs;
  for (auto& e : out) seqs.push_back(e.seq);
  return seqs;
}

}  // namespace

TEST_CASE("log store: a new log is empty", "[bus][store]") {
  TempDir dir;
  auto store = Open(dir.path());
  CHECK(store->Head() == LogHead{0, 0});
  CHECK(store->FirstSeq() == 1);
  CHECK(ReadSeqs(*store, 1, 10).empty());
}

TEST_CASE("log store: appended events read back in order and the head survives a reopen",
          "[bus][store]") {
  TempDir dir;
  {
    auto store = Open(dir.path());
    AppendRange(*store, 1, 5, kT0);
    AppendRange(*store, 6, 9, kT0 + 10);
    CHECK(store->Head() == LogHead{9, kT0 + 10});
    CHECK(ReadSeqs(*store, 3, 4) == std::vector<uint64_t>{3, 4, 5, 6});
    CHECK(ReadSeqs(*store, 8, 100) == std::vector<uint64_t>{8, 9});
  }
  auto store = Open(dir.path());
  CHECK(store->Head() == LogHead{9, kT0 + 10});
  CHECK(store->FirstSeq() == 1);
  std::vector<StoredEvent> out;
  std::string error;
  REQUIRE(store->Read(7, 1, 1 << 20, &out, &error));
  REQUIRE(out.size() == 1);
  CHECK(out[0].bytes == StoredTestEvent(7, kT0 + 10, TestId(7)).bytes);
}

TEST_CASE("log store: reads are bounded in bytes but return at least one event", "[bus][store]") {
  TempDir dir;
  auto store = Open(dir.path());
  AppendRange(*store, 1, 10, kT0, 1000);  // ~1.1 KB each
  CHECK(ReadSeqs(*store, 1, 100, 100).size() == 1);
  auto seqs = ReadSeqs(*store, 1, 100, 3500);
  CHECK(seqs.size() == 3);
}

TEST_CASE("log store: lookup finds recorded ids with their seq and time", "[bus][store]") {
  TempDir dir;
  auto store = Open(dir.path());
  AppendRange(*store, 1, 3, kT0 + 5);
  std::vector<std::optional<RecordedAt>> found;
  std::string error;
  REQUIRE(store->Lookup({TestId(2), TestId(99), TestId(3)}, &found, &error));
  REQUIRE(found.size() == 3);
  CHECK(found[0] == RecordedAt{2, kT0 + 5});
  CHECK_FALSE(found[1]);
  CHECK(found[2] == RecordedAt{3, kT0 + 5});
}

TEST_CASE("log store: prune forgets old ids, then deletes old events, first seq persists",
          "[bus][store]") {
  TempDir dir;
  const Micros hour = 3600 * kMicrosPerSecond;
  {
    auto store = Open(dir.path());
    AppendRange(*store, 1, 4, kT0);
    AppendRange(*store, 5, 6, kT0 + 2 * hour);
    AppendRange(*store, 7, 8, kT0 + 4 * hour);
    PruneResult r;
    std::string error;
    // Ids older than 3 h are forgotten; events older than 1 h would go, but only once their
    // ids are forgotten.
    REQUIRE(store->Prune(kT0 + 3 * hour, kT0 + 1 * hour, 1000, &r, &error));
    CHECK(r.dedup_rows_deleted == 6);
    CHECK(r.events_deleted == 4);
    CHECK_FALSE(r.more);
    CHECK(store->FirstSeq() == 5);
    std::vector<std::optional<RecordedAt>> found;
    REQUIRE(store->Lookup({TestId(1), TestId(6), TestId(7)}, &found, &error));
    CHECK_FALSE(found[0]);
    CHECK_FALSE(found[1]);  // forgotten although its event is kept (dedup window < retention)
    CHECK(found[2] == RecordedAt{7, kT0 + 4 * hour});
    CHECK(ReadSeqs(*store, 5, 100) == std::vector<uint64_t>{5, 6, 7, 8});
    CHECK(ReadSeqs(*store, 1, 100).empty());
  }
  auto store = Open(dir.path());
  CHECK(store->FirstSeq() == 5);
  CHECK(store->Head().seq == 8);
}

TEST_CASE("log store: prune keeps events whose ids are still remembered, and works in slices",
          "[bus][store]") {
  TempDir dir;
  auto store = Open(dir.path());
  AppendRange(*store, 1, 10, kT0);
  PruneResult r;
  std::string error;
  REQUIRE(store->Prune(kT0 + 1, kT0 + 1, 4, &r, &error));
  CHECK(r.dedup_rows_deleted == 4);
  CHECK(r.more);
  CHECK(store->FirstSeq() == 5);  // events 5.. keep their dedup rows, so they stay
  REQUIRE(store->Prune(kT0 + 1, kT0 + 1, 4, &r, &error));
  REQUIRE(store->Prune(kT0 + 1, kT0 + 1, 4, &r, &error));
  CHECK_FALSE(r.more);
  CHECK(store->FirstSeq() == 11);  // everything gone: empty log, head kept
  CHECK(store->Head().seq == 10);
  AppendRange(*store, 11, 11, kT0 + 2);
  CHECK(ReadSeqs(*store, 1, 100) == std::vector<uint64_t>{});
  CHECK(ReadSeqs(*store, 11, 100) == std::vector<uint64_t>{11});
}

TEST_CASE("log store: a log of an unknown format version is refused", "[bus][store]") {
  TempDir dir;
  Open(dir.path()).reset();
  {
    rocksdb::DBOptions options;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}},
        {bus_keys::kEventsFamily, {}},
        {bus_keys::kDedupFamily, {}},
        {bus_keys::kDedupOrderFamily, {}},
        {bus_keys::kMetaFamily, {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(options, dir.path(), families, &handles, &db).ok());
    REQUIRE(db->Put({}, handles[4], bus_keys::kMetaFormat, bus_keys::EncodeU64(2)).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  std::string error;
  CHECK_FALSE(OpenRocksLogStore(dir.path(), &error));
  CHECK_THAT(error, Catch::Contains("format version 2"));
}
