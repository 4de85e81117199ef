#include "runtime/service_store.h"

#include <catch2/catch.hpp>

#include "runtime/store_keys.h"
#include "testing/scripted_bus.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket {
namespace {

constexpr Micros kT0 = 1'764'000'000'000'000;

ServiceStoreOptions Options(const std::string& path) {
  ServiceStoreOptions o;
  o.path = path;
  o.service = "picket-test";
  o.site = "test-site";
  o.tables = {"counts"};
  return o;
}

uint64_t Count(Txn& txn) {
  auto v = txn.Get("counts", "n");
  return v ? std::stoull(*v) : 0;
}

// Adds one to counts/n and emits one derived event.
ServiceStore::ApplyFn CountAndEmit() {
  return [](ApplyContext& ctx) {
    ctx.state().Put("counts", "n", std::to_string(Count(ctx.state()) + 1));
    auto e = ctx.Emit();
    e.setType("test.counted");
    e.setObservedAt(kT0);
  };
}

}  // namespace

TEST_CASE("Apply commits state, applied_seq and outbox rows together", "[service_store]") {
  testing::ScratchDir dir;
  auto store = ServiceStore::Open(Options(dir.path()), &dir.error);
  REQUIRE(store);
  CHECK(store->applied_seq() == 0);
  std::vector<OutboxRow> rows;
  std::string error;
  REQUIRE(store->Apply(5, CountAndEmit(), &rows, &error) == ApplyResult::kApplied);
  CHECK(store->applied_seq() == 5);
  CHECK(store->Get("counts", "n") == "1");
  REQUIRE(rows.size() == 1);
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].row_id == rows[0].row_id);
  auto msg = DecodedMessage::Decode(pending[0].event, &error);
  REQUIRE(msg);
  auto ev = msg->Root<wire::Event>();
  CHECK(EventId::FromBytes({reinterpret_cast<const char*>(ev.getId().begin()), 16}) ==
        EventId::Derived("picket-test", 5, 0));
  CHECK(std::string(ev.getProducer()) == "picket-test");
  CHECK(std::string(ev.getSite()) == "test-site");
  CHECK(ev.getSeq() == 0);
}

TEST_CASE("Re-applying a seq is a no-op, also after a reopen (crash)", "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  {
    auto store = ServiceStore::Open(Options(dir.path()), &error);
    REQUIRE(store);
    REQUIRE(store->Apply(1, CountAndEmit(), nullptr, &error) == ApplyResult::kApplied);
    REQUIRE(store->Apply(2, CountAndEmit(), nullptr, &error) == ApplyResult::kApplied);
    CHECK(store->Apply(2, CountAndEmit(), nullptr, &error) == ApplyResult::kAlreadyApplied);
    CHECK(store->Apply(1, CountAndEmit(), nullptr, &error) == ApplyResult::kAlreadyApplied);
  }
  // Reopening is what a restart after kill -9 sees: the WAL is replayed.
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  CHECK(store->applied_seq() == 2);
  CHECK(store->Get("counts", "n") == "2");
  bool ran = false;
  CHECK(store->Apply(
            2, [&](ApplyContext&) { ran = true; }, nullptr, &error) ==
        ApplyResult::kAlreadyApplied);
  CHECK_FALSE(ran);
  REQUIRE(store->Apply(3, CountAndEmit(), nullptr, &error) == ApplyResult::kApplied);
  CHECK(store->Get("counts", "n") == "3");
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  CHECK(pending.size() == 3);
  // Row ids keep increasing across the reopen.
  CHECK(pending[0].row_id < pending[1].row_id);
  CHECK(pending[1].row_id < pending[2].row_id);
}

TEST_CASE("A failed apply writes nothing", "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  SECTION("an invalid derived event") {
    auto fn = [](ApplyContext& ctx) {
      ctx.state().Put("counts", "n", "99");
      ctx.Emit().setType("test.no_time");  // observedAt missing: the bus would refuse it
    };
    CHECK(store->Apply(1, fn, nullptr, &error) == ApplyResult::kFailed);
    CHECK(error.find("derived event 0") != std::string::npos);
  }
  SECTION("a bug that throws") {
    auto fn = [](ApplyContext& ctx) {
      ctx.state().Put("counts", "n", "99");
      ctx.state().Get("undeclared", "x");
    };
    CHECK_THROWS_AS(store->Apply(1, fn, nullptr, &error), std::logic_error);
  }
  CHECK(store->applied_seq() == 0);
  CHECK_FALSE(store->Get("counts", "n").has_value());
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  CHECK(pending.empty());
}

TEST_CASE("The apply Txn reads its own writes over the DB, also in scans", "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  auto put = [](std::vector<std::pair<std::string, std::string>> kv) {
    return [kv](ApplyContext& ctx) {
      for (auto& [k, v] : kv) ctx.state().Put("counts", k, v);
    };
  };
  REQUIRE(store->Apply(1, put({{"p/a", "1"}, {"p/c", "3"}, {"q/x", "9"}}), nullptr, &error) ==
          ApplyResult::kApplied);
  std::vector<std::string> seen;
  auto fn = [&](ApplyContext& ctx) {
    ctx.state().Put("counts", "p/b", "2");
    ctx.state().Delete("counts", "p/c");
    ctx.state().Put("counts", "p/a", "1b");
    CHECK(ctx.state().Get("counts", "p/a") == "1b");
    CHECK_FALSE(ctx.state().Get("counts", "p/c").has_value());
    ctx.state().Scan("counts", "p/", [&](std::string_view k, std::string_view v) {
      seen.push_back(std::string(k) + "=" + std::string(v));
      return true;
    });
  };
  REQUIRE(store->Apply(2, fn, nullptr, &error) == ApplyResult::kApplied);
  CHECK(seen == std::vector<std::string>{"p/a=1b", "p/b=2"});
}

TEST_CASE("Timers are set with the state and scanned in due order", "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  auto fn = [](ApplyContext& ctx) {
    ctx.SetTimer("c", kT0 + 300, "third");
    ctx.SetTimer("a", kT0 + 100, "first");
    ctx.SetTimer("b", kT0 + 200, "second");
    ctx.SetTimer("x", kT0 + 250, "cancelled");
    ctx.CancelTimer("x");
  };
  REQUIRE(store->Apply(1, fn, nullptr, &error) == ApplyResult::kApplied);
  std::vector<TimerRow> due;
  REQUIRE(store->DueTimers(kT0 + 250, 10, &due, &error));
  REQUIRE(due.size() == 2);
  CHECK(due[0].timer_id == "a");
  CHECK(due[0].payload == "first");
  CHECK(due[1].due == kT0 + 200);
  REQUIRE(store->DueTimers(kT0 + 1000, 1, &due, &error));
  CHECK(due.size() == 1);
}

TEST_CASE("Open rejects reserved table names, read-only open sees committed state",
          "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto bad = Options(dir.path());
  bad.tables = {"outbox"};
  CHECK_FALSE(ServiceStore::Open(bad, &error));
  {
    auto store = ServiceStore::Open(Options(dir.path()), &error);
    REQUIRE(store);
    REQUIRE(store->Apply(7, CountAndEmit(), nullptr, &error) == ApplyResult::kApplied);
  }
  auto ro = Options(dir.path());
  ro.read_only = true;
  ro.tables = {"counts", "later_table"};
  auto store = ServiceStore::Open(ro, &error);
  REQUIRE(store);
  CHECK(store->applied_seq() == 7);
  CHECK(store->Get("counts", "n") == "1");
  CHECK_FALSE(store->Get("later_table", "k").has_value());
  REQUIRE(store->outbox() != nullptr);
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  CHECK(pending.size() == 1);
}

namespace {
EventId IdOf(const OutboxRow& row) {
  std::string error;
  auto msg = DecodedMessage::Decode(row.event, &error);
  REQUIRE(msg);
  auto id = msg->Root<wire::Event>().getId();
  return *EventId::FromBytes({reinterpret_cast<const char*>(id.begin()), id.size()});
}
}  // namespace

TEST_CASE("ApplyLocal commits state, timers and outbox rows without touching applied_seq",
          "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  REQUIRE(store->Apply(3, CountAndEmit(), nullptr, &error) == ApplyResult::kApplied);
  CHECK_FALSE(store->NextTimerDue(&error).has_value());

  std::vector<OutboxRow> rows;
  auto fired = [](ApplyContext& ctx) {
    CHECK(ctx.seq() == 0);
    CountAndEmit()(ctx);
    ctx.SetTimer("next", kT0 + 500, "p");
  };
  REQUIRE(store->ApplyLocal("timer/first", fired, &rows, &error) == ApplyResult::kApplied);
  CHECK(store->applied_seq() == 3);
  CHECK(store->Get("counts", "n") == "2");
  CHECK(store->NextTimerDue(&error) == kT0 + 500);
  REQUIRE(rows.size() == 1);
  CHECK(IdOf(rows[0]) == EventId::DerivedLocal("picket-test", "timer/first", 0));

  // The same cause again (e.g. replayed after a crash before the commit) gives the same id.
  REQUIRE(store->ApplyLocal("timer/first", CountAndEmit(), &rows, &error) == ApplyResult::kApplied);
  CHECK(IdOf(rows[0]) == EventId::DerivedLocal("picket-test", "timer/first", 0));
  CHECK_THROWS_AS(store->ApplyLocal("", CountAndEmit(), &rows, &error), std::logic_error);
}

TEST_CASE("ApplyCommand applies a command id once and answers a retry from the record",
          "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  int runs = 0;
  auto command = [&](ApplyContext& ctx) {
    ++runs;
    CountAndEmit()(ctx);
    return "count is " + *ctx.state().Get("counts", "n");
  };
  std::string id(16, '\x07');
  {
    auto store = ServiceStore::Open(Options(dir.path()), &error);
    REQUIRE(store);
    std::string reply;
    std::vector<OutboxRow> rows;
    REQUIRE(store->ApplyCommand(id, kT0, command, &reply, &rows, &error) == ApplyResult::kApplied);
    CHECK(reply == "count is 1");
    REQUIRE(rows.size() == 1);
    CHECK(IdOf(rows[0]) == EventId::DerivedLocal("picket-test", "command/" + id, 0));
  }
  // After a reopen (the reply was lost in a crash) the retry gets the first reply.
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  std::string reply;
  std::vector<OutboxRow> rows;
  REQUIRE(store->ApplyCommand(id, kT0 + 1, command, &reply, &rows, &error) ==
          ApplyResult::kAlreadyApplied);
  CHECK(reply == "count is 1");
  CHECK(runs == 1);
  CHECK(store->Get("counts", "n") == "1");

  // No id: no protection, each call applies.
  REQUIRE(store->ApplyCommand("", kT0, command, &reply, &rows, &error) == ApplyResult::kApplied);
  REQUIRE(store->ApplyCommand("", kT0, command, &reply, &rows, &error) == ApplyResult::kApplied);
  CHECK(reply == "count is 3");
  CHECK(IdOf(rows[0]) != EventId::DerivedLocal("picket-test", "command/", 0));

  // Pruned ids are forgotten: the same id applies again.
  REQUIRE(store->PruneCommands(kT0 + 1, &error));
  REQUIRE(store->ApplyCommand(id, kT0 + 2, command, &reply, &rows, &error) ==
          ApplyResult::kApplied);
  CHECK(reply == "count is 4");
  // A failed command writes neither its effects nor its id.
  std::string other(16, '\x08');
  auto failing = [](ApplyContext& ctx) -> std::string {
    ctx.state().Put("counts", "n", "999");
    throw StoreError("disk on fire");
  };
  CHECK(store->ApplyCommand(other, kT0, failing, &reply, &rows, &error) == ApplyResult::kFailed);
  CHECK(store->Get("counts", "n") == "4");
  REQUIRE(store->ApplyCommand(other, kT0, command, &reply, &rows, &error) == ApplyResult::kApplied);
}

namespace picket {

TEST_CASE("Timer scans start at the earliest live row, also when an earlier one is set later",
          "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  auto set = [&](Micros due, const std::string& id) {
    return store->ApplyLocal(
        "set/" + id, [&](ApplyContext& ctx) { ctx.SetTimer(id, due, "p"); }, nullptr, &error);
  };
  // Many rows fired (deleted) at the front, then a later row: found, and so is an earlier
  // row set afterwards (the scan floor comes down with it).
  for (int i = 0; i < 500; ++i)
    REQUIRE(set(kT0 + i, "r" + std::to_string(i)) == ApplyResult::kApplied);
  REQUIRE(set(kT0 + 1000, "late") == ApplyResult::kApplied);
  std::vector<TimerRow> due;
  REQUIRE(store->DueTimers(kT0 + 499, 1000, &due, &error));
  REQUIRE(due.size() == 500);
  for (const auto& row : due)
    REQUIRE(store->ApplyLocal(
                "fire/" + row.timer_id, [&](ApplyContext& ctx) { ctx.ConsumeFiredTimer(row); },
                nullptr, &error) == ApplyResult::kApplied);
  CHECK(store->NextTimerDue(&error) == kT0 + 1000);
  REQUIRE(store->DueTimers(kT0 + 2000, 10, &due, &error));
  REQUIRE(due.size() == 1);
  CHECK(due[0].timer_id == "late");

  REQUIRE(set(kT0 + 10, "early") == ApplyResult::kApplied);
  CHECK(store->NextTimerDue(&error) == kT0 + 10);
  REQUIRE(store->DueTimers(kT0 + 20, 10, &due, &error));
  REQUIRE(due.size() == 1);
  CHECK(due[0].timer_id == "early");
  CHECK(error.empty());
}

}  // namespace picket

TEST_CASE("A keyed timer is replaced and cancelled by its id alone", "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  REQUIRE(store->Apply(
              1,
              [](ApplyContext& ctx) {
                ctx.SetTimer("round/1", kT0 + 100, "v1");
                ctx.SetTimer("round/2", kT0 + 200, "v1");
                CHECK(ctx.TimerDue("round/1") == kT0 + 100);
              },
              nullptr, &error) == ApplyResult::kApplied);
  REQUIRE(store->Apply(
              2,
              [](ApplyContext& ctx) {
                ctx.SetTimer("round/1", kT0 + 300, "v2");  // moved later: one row, not two
                ctx.CancelTimer("round/2");
                ctx.CancelTimer("never-set");  // a no-op
                CHECK_FALSE(ctx.TimerDue("round/2").has_value());
              },
              nullptr, &error) == ApplyResult::kApplied);
  std::vector<TimerRow> due;
  REQUIRE(store->DueTimers(kT0 + 1000, 10, &due, &error));
  REQUIRE(due.size() == 1);
  CHECK(due[0].timer_id == "round/1");
  CHECK(due[0].due == kT0 + 300);
  CHECK(due[0].payload == "v2");

  // Firing consumes the row; the handler may set the same id again in that apply.
  REQUIRE(store->ApplyLocal(
              "fire",
              [&](ApplyContext& ctx) {
                ctx.ConsumeFiredTimer(due[0]);
                CHECK_FALSE(ctx.TimerDue("round/1").has_value());
                ctx.SetTimer("round/1", kT0 + 900, "v3");
              },
              nullptr, &error) == ApplyResult::kApplied);
  REQUIRE(store->DueTimers(kT0 + 1000, 10, &due, &error));
  REQUIRE(due.size() == 1);
  CHECK(due[0].due == kT0 + 900);
  CHECK(due[0].payload == "v3");
}

TEST_CASE("A store written before the timer index gets its timers indexed at open",
          "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  {
    // The families an older version created: no timer_ids.
    rocksdb::DBOptions o;
    o.create_if_missing = true;
    o.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* n :
         {"default", "meta", "outbox", "dead_letter", "timers", "commands", "counts"})
      families.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(o, dir.path(), families, &handles, &db).ok());
    REQUIRE(db->Put({}, handles[4], store_keys::EncodeTimerKey(kT0 + 5, "incident/1"), "p").ok());
    REQUIRE(db->Put({}, handles[4], store_keys::EncodeTimerKey(kT0 + 7, "incident/2"), "p").ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  REQUIRE(store->Apply(
              1,
              [](ApplyContext& ctx) {
                CHECK(ctx.TimerDue("incident/1") == kT0 + 5);
                ctx.CancelTimer("incident/2");
              },
              nullptr, &error) == ApplyResult::kApplied);
  std::vector<TimerRow> due;
  REQUIRE(store->DueTimers(kT0 + 10, 10, &due, &error));
  REQUIRE(due.size() == 1);
  CHECK(due[0].timer_id == "incident/1");
}

TEST_CASE("A StoreBatch commits several inputs in one write, each with its own ids",
          "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  auto batch = store->Begin();
  REQUIRE(batch->AddEvent(3, CountAndEmit(), &error) == ApplyResult::kApplied);
  REQUIRE(batch->AddLocal("timer/x", CountAndEmit(), &error) == ApplyResult::kApplied);
  REQUIRE(batch->AddEvent(4, CountAndEmit(), &error) == ApplyResult::kApplied);
  CHECK(batch->AddEvent(4, CountAndEmit(), &error) == ApplyResult::kAlreadyApplied);
  CHECK(batch->inputs() == 3);
  // Nothing is visible before the commit.
  CHECK(store->applied_seq() == 0);
  CHECK_FALSE(store->Get("counts", "n").has_value());
  std::vector<OutboxRow> rows;
  REQUIRE(batch->Commit(&rows, &error));
  CHECK(store->applied_seq() == 4);
  CHECK(store->Get("counts", "n") == "3");  // each input read the one before
  REQUIRE(rows.size() == 3);
  CHECK(IdOf(rows[0]) == EventId::Derived("picket-test", 3, 0));
  CHECK(IdOf(rows[1]) == EventId::DerivedLocal("picket-test", "timer/x", 0));
  CHECK(IdOf(rows[2]) == EventId::Derived("picket-test", 4, 0));
  CHECK(store->Apply(4, CountAndEmit(), nullptr, &error) == ApplyResult::kAlreadyApplied);

  // Rows written, overwritten and deleted by several inputs end as the last one left them.
  batch = store->Begin();
  auto put = [](std::string key, std::string value) {
    return [=](ApplyContext& ctx) { ctx.state().Put("counts", key, value); };
  };
  auto del = [](std::string key) {
    return [=](ApplyContext& ctx) { ctx.state().Delete("counts", key); };
  };
  REQUIRE(batch->AddEvent(5, put("x", "1"), &error) == ApplyResult::kApplied);
  REQUIRE(batch->AddEvent(6, put("x", "2"), &error) == ApplyResult::kApplied);
  REQUIRE(batch->AddEvent(7, del("n"), &error) == ApplyResult::kApplied);
  REQUIRE(batch->AddEvent(8, put("y", "1"), &error) == ApplyResult::kApplied);
  REQUIRE(batch->AddEvent(9, del("y"), &error) == ApplyResult::kApplied);
  REQUIRE(batch->AddLocal(
              "t", [](ApplyContext& ctx) { ctx.SetTimer("a", kT0 + 1, "p1"); }, &error) ==
          ApplyResult::kApplied);
  REQUIRE(batch->AddLocal(
              "u", [](ApplyContext& ctx) { ctx.SetTimer("a", kT0 + 2, "p2"); }, &error) ==
          ApplyResult::kApplied);
  REQUIRE(batch->Commit(&rows, &error));
  CHECK(store->applied_seq() == 9);
  CHECK(store->Get("counts", "x") == "2");
  CHECK_FALSE(store->Get("counts", "n").has_value());
  CHECK_FALSE(store->Get("counts", "y").has_value());
  std::vector<TimerRow> due;
  REQUIRE(store->DueTimers(kT0 + 10, 10, &due, &error));
  REQUIRE(due.size() == 1);
  CHECK(due[0].due == kT0 + 2);
  CHECK(due[0].payload == "p2");
}

TEST_CASE("A failing input of a StoreBatch is rolled back alone", "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  auto batch = store->Begin();
  REQUIRE(batch->AddEvent(1, CountAndEmit(), &error) == ApplyResult::kApplied);
  // A bug: writes, emits, sets a timer, then throws. None of it stays.
  auto buggy = [](ApplyContext& ctx) {
    ctx.state().Put("counts", "n", "999");
    ctx.SetTimer("t", kT0, "p");
    CountAndEmit()(ctx);
    throw std::logic_error("bug");
  };
  CHECK_THROWS_AS(batch->AddEvent(2, buggy, &error), std::logic_error);
  // A derived event the bus would refuse (no type): refused, rolled back.
  auto refused = [](ApplyContext& ctx) {
    ctx.state().Put("counts", "n", "777");
    ctx.Emit().setObservedAt(kT0);
  };
  CHECK(batch->AddEvent(3, refused, &error) == ApplyResult::kFailed);
  CHECK(error.find("would be refused") != std::string::npos);
  // A storage fault reported by the core's Txn: rolled back too.
  auto fault = [](ApplyContext& ctx) {
    ctx.state().Put("counts", "n", "555");
    throw StoreError("disk on fire");
  };
  CHECK(batch->AddEvent(4, fault, &error) == ApplyResult::kFailed);
  REQUIRE(batch->AddEvent(5, CountAndEmit(), &error) == ApplyResult::kApplied);
  std::vector<OutboxRow> rows;
  REQUIRE(batch->Commit(&rows, &error));
  CHECK(store->applied_seq() == 5);
  CHECK(store->Get("counts", "n") == "2");
  CHECK(rows.size() == 2);
  CHECK_FALSE(store->NextTimerDue(&error).has_value());
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  CHECK(pending.size() == 2);
}

TEST_CASE("A StoreBatch's inputs see each other's writes until one fails, and only then",
          "[service_store]") {
  testing::ScratchDir dir;
  std::string error;
  auto store = ServiceStore::Open(Options(dir.path()), &error);
  REQUIRE(store);
  auto put = [](std::string key, std::string value) {
    return [=](ApplyContext& ctx) { ctx.state().Put("counts", key, value); };
  };
  REQUIRE(store->Apply(1, put("y", "committed"), nullptr, &error) == ApplyResult::kApplied);
  REQUIRE(store->Apply(2, put("z", "committed"), nullptr, &error) == ApplyResult::kApplied);
  auto scan = [](Txn& txn) {
    std::vector<std::string> rows;
    txn.Scan("counts", "", [&](std::string_view k, std::string_view v) {
      rows.push_back(std::string(k) + "=" + std::string(v));
      return true;
    });
    return rows;
  };

  auto batch = store->Begin();
  REQUIRE(batch->AddEvent(
              3,
              [](ApplyContext& ctx) {
                ctx.state().Put("counts", "a", "1");
                ctx.state().Delete("counts", "z");
              },
              &error) == ApplyResult::kApplied);
  std::vector<std::string> seen_by_failed;
  CHECK(batch->AddEvent(
            4,
            [&](ApplyContext& ctx) {
              ctx.state().Put("counts", "a", "2");
              ctx.state().Put("counts", "b", "2");
              ctx.state().Delete("counts", "y");
              seen_by_failed = scan(ctx.state());
              throw StoreError("disk on fire");
            },
            &error) == ApplyResult::kFailed);
  CHECK(seen_by_failed == std::vector<std::string>{"a=2", "b=2"});
  std::vector<std::string> seen_after;
  std::optional<std::string> a_after;
  REQUIRE(batch->AddEvent(
              5,
              [&](ApplyContext& ctx) {
                a_after = ctx.state().Get("counts", "a");
                seen_after = scan(ctx.state());
                ctx.state().Put("counts", "c", "3");
              },
              &error) == ApplyResult::kApplied);
  CHECK(a_after == "1");
  CHECK(seen_after == std::vector<std::string>{"a=1", "y=committed"});
  REQUIRE(batch->Commit(nullptr, &error));
  CHECK(store->Get("counts", "a") == "1");
  CHECK_FALSE(store->Get("counts", "b").has_value());
  CHECK(store->Get("counts", "c") == "3");
  CHECK(store->Get("counts", "y") == "committed");
  CHECK_FALSE(store->Get("counts", "z").has_value());

  // A batch dropped without a commit leaves nothing, also for the next batch's reads.
  batch = store->Begin();
  REQUIRE(batch->AddEvent(6, put("a", "dropped"), &error) == ApplyResult::kApplied);
  batch.reset();
  std::optional<std::string> a_next;
  REQUIRE(store->Apply(
              6, [&](ApplyContext& ctx) { a_next = ctx.state().Get("counts", "a"); }, nullptr,
              &error) == ApplyResult::kApplied);
  CHECK(a_next == "1");
  CHECK(store->Get("counts", "a") == "1");
}

}  // namespace picket
