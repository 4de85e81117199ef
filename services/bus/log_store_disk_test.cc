// The bus log on a full or failing disk, without mounting one: RocksDB over a file system
// whose writes fail on demand (testing/faulty_fs.h), and a fake statvfs for the low-space
// guard. What must hold: a failed write records nothing and names its cause; no RocksDB
// write or WAL sync is made until the log has recovered (RocksDB aborts on a WAL sync after
// a failed write); reads keep working; the log recovers by itself once the disk has room,
// and the sequence goes on from the head.
#include <catch2/catch.hpp>
#include <filesystem>

#include "bus/bus_test_support.h"
#include "bus/log_store.h"
#include "testing/faulty_fs.h"

using namespace picket;
using namespace picket::bus_testing;
using picket::testing::FaultyFileSystem;

namespace {

struct DiskFixture {
  DiskFixture() {
    options.env = env.get();
    options.now = [this] { return now; };
    options.disk_space = [this](const std::string&, DiskSpace* out, std::string*) {
      *out = DiskSpace{free_bytes, 100000, true};
      return true;
    };
    options.low_space.min_free_bytes = 8 << 20;
    options.low_space.bytes_setting = "bus.min_free_bytes";
    std::string error;
    store = OpenRocksLogStore(dir.path(), options, &error);
    INFO(error);
    REQUIRE(store);
  }

  bool Append(uint64_t from, uint64_t to, bool sync, std::string* error) {
    std::vector<NewEvent> events;
    for (uint64_t s = from; s <= to; ++s)
      events.push_back(StoredTestEvent(s, kT0, TestId(static_cast<uint32_t>(s)), 100));
    return store->Append(events, sync, error);
  }

  std::vector<uint64_t> Seqs() {
    std::vector<StoredEvent> out;
    std::string error;
    REQUIRE(store->Read(1, 1000, 1 << 24, &out, &error));
    std::vector<uint64_t> seqs;
    for (auto& e : out) seqs.push_back(e.seq);
    return seqs;
  }

  std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
    std::vector<uint64_t> r;
    for (uint64_t s = from; s <= to; ++s) r.push_back(s);
    return r;
  }

  TempDir dir;
  std::shared_ptr<FaultyFileSystem> fs = std::make_shared<FaultyFileSystem>();
  std::unique_ptr<rocksdb::Env> env = fs->NewEnv();
  Micros now = 0;
  uint64_t free_bytes = 1ULL << 30;
  LogStoreOptions options;
  std::unique_ptr<LogStore> store;
};

}  // namespace

TEST_CASE(
    "log store, full disk: the failed batch records nothing, nothing is written or synced "
    "until space returns, then the log resumes at the head",
    "[bus][store][disk]") {
  DiskFixture f;
  std::string error;
  REQUIRE(f.Append(1, 5, /*sync=*/true, &error));
  // RocksDB's info log goes to the process's log, not to a LOG file on the full disk.
  CHECK_FALSE(std::filesystem::exists(f.dir.path() + "/LOG"));

  f.fs->Fail(FaultyFileSystem::kNoSpace);
  CHECK_FALSE(f.Append(6, 8, /*sync=*/true, &error));
  CHECK_THAT(error, Catch::Contains("the bus log cannot be written: no space left on device"));
  CHECK(f.store->Head().seq == 5);
  REQUIRE(f.store->health());
  CHECK(f.store->health()->fault() == StorageFault::kNoSpace);

  // Refused at once, with no RocksDB write: the fake disk sees no attempt. Flush (the
  // shutdown's FlushWAL(true)) is skipped too: RocksDB 7.8 asserts on a WAL sync after a
  // failed write, so reaching this line at all is part of the test.
  const uint64_t refused = f.fs->refused();
  for (int i = 0; i < 10; ++i) {
    CHECK_FALSE(f.Append(6, 8, /*sync=*/true, &error));
    CHECK_THAT(error, Catch::Contains("no space left on device"));
  }
  CHECK_FALSE(f.store->Flush(&error));
  CHECK_THAT(error, Catch::Contains("not flushed"));
  PruneResult pruned;
  CHECK(f.store->Prune(kT0 + 1, kT0 + 1, 100, &pruned, &error));  // skipped while failing
  CHECK(pruned.events_deleted == 0);
  CHECK(f.fs->refused() == refused);

  // Reads keep working: replay and dedup answer from what is recorded.
  CHECK(f.Seqs() == f.Range(1, 5));
  std::vector<std::optional<RecordedAt>> found;
  REQUIRE(f.store->Lookup({TestId(3), TestId(7)}, &found, &error));
  CHECK(found[0].has_value());
  CHECK_FALSE(found[1].has_value());

  // Still full: maintenance tries (the fake disk claims room), the reopen cannot write, and
  // the log is reopened read-only meanwhile: replay still reads it.
  f.now += 10 * kMicrosPerSecond;
  CHECK_FALSE(f.store->Maintain());
  CHECK_FALSE(f.store->health()->ok());
  CHECK(f.Seqs() == f.Range(1, 5));
  CHECK(f.store->Head().seq == 5);

  // Space is back: the next maintenance after the backoff resumes RocksDB.
  f.fs->Fail(FaultyFileSystem::kNone);
  f.now += 10 * kMicrosPerSecond;
  CHECK(f.store->Maintain());
  CHECK(f.store->health()->ok());
  REQUIRE(f.Append(6, 8, /*sync=*/true, &error));
  CHECK(f.store->Head().seq == 8);
  CHECK(f.Seqs() == f.Range(1, 8));
  REQUIRE(f.store->Flush(&error));

  // And a restart finds exactly that log.
  f.store.reset();
  f.store = OpenRocksLogStore(f.dir.path(), f.options, &error);
  REQUIRE(f.store);
  CHECK(f.store->Head().seq == 8);
  CHECK(f.Seqs() == f.Range(1, 8));
}

TEST_CASE(
    "log store, I/O error: the log is closed and reopened once the disk works, and replay "
    "keeps reading meanwhile",
    "[bus][store][disk]") {
  DiskFixture f;
  std::string error;
  REQUIRE(f.Append(1, 20, /*sync=*/false, &error));

  f.fs->Fail(FaultyFileSystem::kIoError);
  CHECK_FALSE(f.Append(21, 22, /*sync=*/true, &error));
  CHECK_THAT(error, Catch::Contains("the bus log cannot be written: I/O error"));
  CHECK(f.store->health()->fault() == StorageFault::kIoError);

  // While the disk still fails, recovery attempts fail (a resume is refused after an I/O
  // error in the WAL, a reopen cannot write): the log stays readable.
  for (int i = 0; i < 6; ++i) {
    f.now += 10 * kMicrosPerSecond;
    CHECK_FALSE(f.store->Maintain());
    CHECK(f.Seqs() == f.Range(1, 20));
    CHECK(f.store->Head().seq == 20);
  }
  CHECK_FALSE(f.Append(21, 22, /*sync=*/true, &error));

  f.fs->Fail(FaultyFileSystem::kNone);
  f.now += 10 * kMicrosPerSecond;
  CHECK(f.store->Maintain());
  CHECK(f.store->health()->ok());
  CHECK(f.store->Head().seq == 20);
  REQUIRE(f.Append(21, 22, /*sync=*/true, &error));
  CHECK(f.Seqs() == f.Range(1, 22));
}

TEST_CASE("log store, low space: appends are refused before the disk is full, reads are not",
          "[bus][store][disk]") {
  DiskFixture f;
  std::string error;
  REQUIRE(f.Append(1, 3, /*sync=*/false, &error));
  f.free_bytes = 2 << 20;
  f.now += kMicrosPerSecond;  // the guard reads the disk at most every 500 ms
  CHECK_FALSE(f.Append(4, 4, /*sync=*/false, &error));
  CHECK_THAT(error, Catch::Contains("the bus log refuses writes: only 2.0 MiB free"));
  CHECK_THAT(error, Catch::Contains("bus.min_free_bytes = 8.0 MiB"));
  CHECK(f.store->health()->fault() == StorageFault::kLowSpace);
  CHECK(f.store->Head().seq == 3);
  CHECK(f.Seqs() == f.Range(1, 3));
  CHECK_FALSE(f.store->Maintain());
  CHECK(f.fs->refused() == 0);  // nothing failed: the guard refused first

  f.free_bytes = 1ULL << 30;
  f.now += kMicrosPerSecond;
  CHECK(f.store->Maintain());
  CHECK(f.store->health()->ok());
  REQUIRE(f.Append(4, 4, /*sync=*/false, &error));
  CHECK(f.store->Head().seq == 4);
}

TEST_CASE(
    "log store: the very first write after opening fails, and the log still recovers without "
    "touching the WAL writer that saw the error",
    "[bus][store][disk]") {
  // RocksDB 7.8's Resume() switches to a new WAL only when it has memtables to flush; with
  // none, the next write would go to the failed WAL writer and abort the process.
  DiskFixture f;
  std::string error;
  REQUIRE(f.Append(1, 2, /*sync=*/true, &error));
  f.store.reset();
  f.store = OpenRocksLogStore(f.dir.path(), f.options, &error);  // memtables empty
  REQUIRE(f.store);
  f.fs->Fail(FaultyFileSystem::kNoSpace);
  CHECK_FALSE(f.Append(3, 3, /*sync=*/true, &error));
  f.fs->Fail(FaultyFileSystem::kNone);
  f.now += 10 * kMicrosPerSecond;
  REQUIRE(f.store->Maintain());
  REQUIRE(f.Append(3, 4, /*sync=*/true, &error));
  REQUIRE(f.store->Flush(&error));
  CHECK(f.Seqs() == f.Range(1, 4));
}

TEST_CASE("log store: opened on a full disk, it serves reads and starts writing once there is room",
          "[bus][store][disk]") {
  DiskFixture f;
  std::string error;
  REQUIRE(f.Append(1, 3, /*sync=*/true, &error));
  f.store.reset();
  f.fs->Fail(FaultyFileSystem::kNoSpace);
  f.store = OpenRocksLogStore(f.dir.path(), f.options, &error);
  INFO(error);
  REQUIRE(f.store);  // not a start-up failure (a restart loop under picket-site)
  CHECK(f.store->health()->fault() == StorageFault::kNoSpace);
  CHECK(f.Seqs() == f.Range(1, 3));
  CHECK_FALSE(f.Append(4, 4, /*sync=*/true, &error));
  CHECK_THAT(error, Catch::Contains("no space left on device"));
  f.fs->Fail(FaultyFileSystem::kNone);
  f.now += 10 * kMicrosPerSecond;
  REQUIRE(f.store->Maintain());
  REQUIRE(f.Append(4, 4, /*sync=*/true, &error));
  CHECK(f.Seqs() == f.Range(1, 4));
}
