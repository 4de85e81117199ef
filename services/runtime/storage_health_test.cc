// A full or failing disk, without mounting one: the low-space guard with a fake statvfs,
// the WriteGate's backoff with a fake clock, and a ServiceStore over a RocksDB file system
// whose writes fail on demand (testing/faulty_fs.h).
#include "runtime/storage_health.h"

#include <rocksdb/status.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "runtime/service_store.h"
#include "testing/faulty_fs.h"
#include "testing/scripted_bus.h"
#include "wire/event_id.h"

namespace picket {
namespace {

constexpr Micros kT0 = 1'764'000'000'000'000;
constexpr Micros kMs = kMicrosPerMilli;

// A statvfs that answers what the test sets, and counts its calls.
struct FakeDisk {
  DiskSpace space{1 << 30, 100000, true};
  bool fail = false;
  int calls = 0;
  DiskSpaceFn Fn() {
    return [this](const std::string&, DiskSpace* out, std::string* error) {
      ++calls;
      if (fail) {
        *error = "statvfs: no such file";
        return false;
      }
      *out = space;
      return true;
    };
  }
};

LowSpaceLimits Limits(uint64_t bytes, uint64_t inodes) {
  LowSpaceLimits l;
  l.min_free_bytes = bytes;
  l.min_free_inodes = inodes;
  l.check_interval = 500 * kMs;
  l.bytes_setting = "bus.min_free_bytes";
  l.inodes_setting = "bus.min_free_inodes";
  return l;
}

}  // namespace

TEST_CASE("low-space guard: refuses below the free bytes or inodes and names both", "[storage]") {
  FakeDisk disk;
  LowSpaceGuard guard("/data/bus/log", Limits(64 << 20, 1000), disk.Fn());
  CHECK_FALSE(guard.Check(0));
  disk.space.free_bytes = 3 << 20;
  auto r = guard.Check(1000 * kMs);
  REQUIRE(r);
  CHECK_THAT(*r, Catch::Contains("only 3.0 MiB free on the disk of /data/bus/log"));
  CHECK_THAT(*r, Catch::Contains("bus.min_free_bytes = 64 MiB"));
  disk.space.free_bytes = 1 << 30;
  disk.space.free_inodes = 10;
  r = guard.Check(2000 * kMs);
  REQUIRE(r);
  CHECK_THAT(*r, Catch::Contains("only 10 inodes free"));
  CHECK_THAT(*r, Catch::Contains("bus.min_free_inodes = 1000"));
  // A file system that keeps no inode count (btrfs reports 0) is not refused for it.
  disk.space.inodes_known = false;
  CHECK_FALSE(guard.Check(3000 * kMs));
  REQUIRE(guard.last());
  CHECK(guard.last()->free_bytes == 1 << 30);
}

TEST_CASE("low-space guard: reads the disk at most once per interval", "[storage]") {
  FakeDisk disk;
  LowSpaceGuard guard("/d", Limits(64 << 20, 0), disk.Fn());
  for (Micros t = 0; t < 500 * kMs; t += 10 * kMs) CHECK_FALSE(guard.Check(t));
  CHECK(disk.calls == 1);
  disk.space.free_bytes = 1;
  CHECK_FALSE(guard.Check(499 * kMs));  // the cached reading
  auto r = guard.Check(500 * kMs);
  REQUIRE(r);
  CHECK_THAT(*r, Catch::Contains("only 1 byte free"));
  CHECK(disk.calls == 2);
  CHECK(guard.Check(501 * kMs, /*force=*/true));
  CHECK(disk.calls == 3);
}

TEST_CASE("low-space guard: off at zero, and a disk that cannot be read refuses nothing",
          "[storage]") {
  FakeDisk disk;
  disk.space.free_bytes = 0;
  disk.space.free_inodes = 0;
  LowSpaceGuard off("/d", Limits(0, 0), disk.Fn());
  CHECK_FALSE(off.enabled());
  CHECK_FALSE(off.Check(0));
  REQUIRE(off.last());  // still read, for the metrics
  disk.fail = true;
  LowSpaceGuard on("/d", Limits(1, 1), disk.Fn());
  CHECK_FALSE(on.Check(0));
  CHECK_FALSE(on.last());
}

TEST_CASE("the real statvfs reads a directory's disk", "[storage]") {
  DiskSpace d;
  std::string error;
  REQUIRE(StatDiskSpace(".", &d, &error));
  CHECK(d.free_bytes > 0);
  CHECK_FALSE(StatDiskSpace("/no/such/dir/anywhere", &d, &error));
  CHECK_THAT(error, Catch::Contains("/no/such/dir/anywhere"));
  CHECK(FormatBytes(17) == "17 bytes");
  CHECK(FormatBytes(64 << 20) == "64 MiB");
  CHECK(FormatBytes(1536) == "1.5 KiB");
}

TEST_CASE("a failed RocksDB write is named by its cause", "[storage]") {
  using rocksdb::Status;
  CHECK(ClassifyStorageError(Status::OK()) == StorageFault::kNone);
  CHECK(ClassifyStorageError(Status::NoSpace("While appending to file: x/000004.log")) ==
        StorageFault::kNoSpace);
  CHECK(ClassifyStorageError(Status::SpaceLimit()) == StorageFault::kNoSpace);
  CHECK(ClassifyStorageError(Status::IOError("While fsync: x", "Input/output error")) ==
        StorageFault::kIoError);
  // A stalled write refused because of an earlier error carries it as text.
  CHECK(ClassifyStorageError(Status::Incomplete("IO error: No space left on device")) ==
        StorageFault::kNoSpace);
  CHECK(ClassifyStorageError(Status::Corruption("bad block")) == StorageFault::kOther);
  CHECK(std::string(StorageFaultName(StorageFault::kNoSpace)) == "no space left on device");
  CHECK(std::string(StorageFaultName(StorageFault::kIoError)) == "I/O error");
}

TEST_CASE("storage health changes state once per fault, not per refused write", "[storage]") {
  StorageHealth health("the test store");
  CHECK(health.ok());
  CHECK(health.reason().empty());
  health.Set(StorageFault::kNoSpace, "the test store cannot be written: no space left on device");
  health.Set(StorageFault::kNoSpace, "the test store cannot be written: no space left on device");
  health.Set(StorageFault::kNoSpace, "the test store cannot be written: still no space");
  CHECK(health.changes() == 1);
  CHECK_FALSE(health.ok());
  CHECK(health.reason() == "the test store cannot be written: still no space");
  health.Set(StorageFault::kIoError, "the test store cannot be written: I/O error");
  CHECK(health.changes() == 2);
  health.Clear();
  health.Clear();
  CHECK(health.changes() == 3);
  CHECK(health.ok());
}

TEST_CASE("write gate: a failure is retried with a backoff, and only once the disk has room",
          "[storage]") {
  FakeDisk disk;
  Micros now = 0;
  WriteGate::Options o;
  o.what = "the test store";
  o.path = "/d";
  o.limits = Limits(64 << 20, 0);
  o.stat = disk.Fn();
  o.now = [&] { return now; };
  WriteGate gate(o);
  CHECK_FALSE(gate.Refusal());
  CHECK(gate.Maintain([] { return rocksdb::Status::OK(); }));

  std::string reason = gate.Failed(rocksdb::Status::NoSpace("While appending to file: 4.log"));
  CHECK_THAT(reason, Catch::Contains("the test store cannot be written: no space left on device"));
  CHECK(gate.failed());
  CHECK(gate.Refusal() == reason);
  CHECK(gate.health()->reason() == reason);

  int attempts = 0;
  rocksdb::Status answer = rocksdb::Status::NoSpace("flush");
  auto recover = [&] {
    ++attempts;
    return answer;
  };
  CHECK_FALSE(gate.Maintain(recover));  // the first retry is 200 ms after the failure
  CHECK(attempts == 0);
  now = 200 * kMs;
  CHECK_FALSE(gate.Maintain(recover));
  CHECK(attempts == 1);
  now = 399 * kMs;  // then 400 ms, 800 ms, ... up to 2 s
  CHECK_FALSE(gate.Maintain(recover));
  CHECK(attempts == 1);
  now = 600 * kMs;
  CHECK_FALSE(gate.Maintain(recover));
  CHECK(attempts == 2);
  for (int i = 0; i < 10; ++i) {
    now += 2 * kMicrosPerSecond;
    gate.Maintain(recover);
  }
  CHECK(attempts == 12);  // capped at 2 s
  // The disk is below the minimum: no attempt (resuming needs room), however long.
  disk.space.free_bytes = 1 << 20;
  now += 10 * kMicrosPerSecond;
  CHECK_FALSE(gate.Maintain(recover));
  CHECK(attempts == 12);
  CHECK_THAT(gate.health()->reason(), Catch::Contains("no space left on device"));
  // Room again, and RocksDB resumes.
  disk.space.free_bytes = 1 << 30;
  answer = rocksdb::Status::OK();
  now += 10 * kMicrosPerSecond;
  CHECK(gate.Maintain(recover));
  CHECK(attempts == 13);
  CHECK_FALSE(gate.failed());
  CHECK(gate.health()->ok());
  CHECK(gate.recoveries() == 1);
  CHECK_FALSE(gate.Refusal());
}

TEST_CASE("write gate: low space refuses writes and shows in health until space returns",
          "[storage]") {
  FakeDisk disk;
  Micros now = 0;
  WriteGate::Options o;
  o.what = "the bus log";
  o.path = "/d";
  o.limits = Limits(64 << 20, 0);
  o.stat = disk.Fn();
  o.now = [&] { return now; };
  WriteGate gate(o);
  disk.space.free_bytes = 10 << 20;
  auto r = gate.Refusal();
  REQUIRE(r);
  CHECK_THAT(*r, Catch::Contains("the bus log refuses writes: only 10 MiB free"));
  CHECK(gate.health()->fault() == StorageFault::kLowSpace);
  CHECK_FALSE(gate.failed());  // nothing failed: RocksDB is fine
  disk.space.free_bytes = 1 << 30;
  now += 500 * kMs;
  CHECK(gate.Maintain([] { return rocksdb::Status::OK(); }));
  CHECK(gate.health()->ok());
  CHECK_FALSE(gate.Refusal());
}

namespace {

ServiceStoreOptions StoreOptions(const std::string& path, rocksdb::Env* env,
                                 std::function<Micros()> now) {
  ServiceStoreOptions o;
  o.path = path;
  o.service = "picket-test";
  o.site = "test-site";
  o.tables = {"counts"};
  o.env = env;
  o.now = std::move(now);
  return o;
}

ServiceStore::ApplyFn Increment() {
  return [](ApplyContext& ctx) {
    auto v = ctx.state().Get("counts", "n");
    ctx.state().Put("counts", "n", std::to_string((v ? std::stoull(*v) : 0) + 1));
    auto e = ctx.Emit();
    e.setType("test.counted");
    e.setObservedAt(kT0);
  };
}

}  // namespace

TEST_CASE(
    "service store on a full disk: the apply fails and changes nothing, no write is tried "
    "until space returns, then it resumes from applied_seq",
    "[storage][service_store]") {
  testing::ScratchDir dir;
  auto fs = std::make_shared<testing::FaultyFileSystem>();
  auto env = fs->NewEnv();
  Micros now = 0;
  std::string error;
  auto store = ServiceStore::Open(StoreOptions(dir.path(), env.get(), [&] { return now; }), &error);
  INFO(error);
  REQUIRE(store);
  // RocksDB's info log goes to the process's log, not to a LOG file on the full disk.
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/LOG"));
  std::vector<OutboxRow> rows;
  REQUIRE(store->Apply(1, Increment(), &rows, &error) == ApplyResult::kApplied);
  REQUIRE(rows.size() == 1);

  fs->Fail(testing::FaultyFileSystem::kNoSpace);
  CHECK(store->Apply(2, Increment(), &rows, &error) == ApplyResult::kFailed);
  CHECK_THAT(error, Catch::Contains("no space left on device"));
  CHECK(store->applied_seq() == 1);
  CHECK(store->Get("counts", "n") == "1");  // reads work
  REQUIRE(store->health());
  CHECK_FALSE(store->health()->ok());
  CHECK_THAT(store->health()->reason(),
             Catch::Contains("the picket-test store cannot be written: no space left on device"));
  CHECK_FALSE(store->storage_ok());

  // Retries are refused by the gate, without a RocksDB write (nothing reaches the disk).
  const uint64_t refused = fs->refused();
  for (int i = 0; i < 5; ++i) {
    CHECK(store->Apply(2, Increment(), &rows, &error) == ApplyResult::kFailed);
    std::string reply;
    CHECK(store->ApplyCommand(
              std::string(16, 'c'), kT0, [](ApplyContext&) { return std::string("done"); }, &reply,
              &rows, &error) == ApplyResult::kFailed);
    CHECK(store->outbox()->Remove(rows.empty() ? 1 : rows[0].row_id, &error) == false);
  }
  CHECK(fs->refused() == refused);
  CHECK_THAT(error, Catch::Contains("no space left on device"));

  // Space is back: the next maintenance (after the backoff) resumes the DB.
  fs->Fail(testing::FaultyFileSystem::kNone);
  now += 5 * kMicrosPerSecond;
  CHECK(store->Maintain());
  CHECK(store->health()->ok());
  CHECK(store->Apply(2, Increment(), &rows, &error) == ApplyResult::kApplied);
  CHECK(store->applied_seq() == 2);
  CHECK(store->Get("counts", "n") == "2");  // applied once, nothing skipped
  std::string reply;
  CHECK(store->ApplyCommand(
            std::string(16, 'c'), kT0, [](ApplyContext&) { return std::string("done"); }, &reply,
            &rows, &error) == ApplyResult::kApplied);
  CHECK(reply == "done");
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  CHECK(pending.size() == 2);  // the derived events of seq 1 and 2, each once
  REQUIRE(store->outbox()->Remove(pending[0].row_id, &error));

  // The same store reopened (a restart) sees exactly that.
  store.reset();
  store = ServiceStore::Open(StoreOptions(dir.path(), env.get(), nullptr), &error);
  REQUIRE(store);
  CHECK(store->applied_seq() == 2);
  CHECK(store->Get("counts", "n") == "2");
}

TEST_CASE(
    "service store: a failed first write (empty memtables) and a catch-up batch: all of it "
    "is redone after the store is reopened, without aborting",
    "[storage][service_store]") {
  // RocksDB 7.8's Resume() keeps the WAL writer that saw the error when no memtable has
  // anything to flush: the next write then aborts the process. The store reopens instead.
  testing::ScratchDir dir;
  auto fs = std::make_shared<testing::FaultyFileSystem>();
  auto env = fs->NewEnv();
  Micros now = 0;
  std::string error;
  auto store = ServiceStore::Open(StoreOptions(dir.path(), env.get(), [&] { return now; }), &error);
  REQUIRE(store);
  fs->Fail(testing::FaultyFileSystem::kNoSpace);
  {
    auto batch = store->Begin();
    for (uint64_t seq = 1; seq <= 10; ++seq)
      REQUIRE(batch->AddEvent(seq, Increment(), &error) == ApplyResult::kApplied);
    CHECK_FALSE(batch->Commit(nullptr, &error));
  }
  CHECK(store->applied_seq() == 0);
  CHECK_FALSE(store->Get("counts", "n"));
  fs->Fail(testing::FaultyFileSystem::kNone);
  now += 5 * kMicrosPerSecond;
  auto batch = store->Begin();
  for (uint64_t seq = 1; seq <= 10; ++seq)
    REQUIRE(batch->AddEvent(seq, Increment(), &error) == ApplyResult::kApplied);
  std::vector<OutboxRow> rows;
  REQUIRE(batch->Commit(&rows, &error));  // the commit itself resumed the DB
  CHECK(store->applied_seq() == 10);
  CHECK(store->Get("counts", "n") == "10");
  CHECK(rows.size() == 10);
  CHECK(store->health()->ok());
}

}  // namespace picket
