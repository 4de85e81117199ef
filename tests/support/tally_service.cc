// picket-tally: a fixture service for the multi-process tests (not shipped).
//
//   picket-tally --config site.toml --data-dir DIR --name NAME
//   picket-tally --dump --data-dir DIR
//
// It is the smallest complete service on the runtime: it subscribes from its
// applied_seq + 1, applies every event of the site with ServiceStore::Apply (state: the
// number of events per producer, the number of events and the sum of their seqs), and for
// every 10th event it applies derives one `tally.milestone` event through the outbox and the
// durable publisher (id = EventId::Derived(NAME, seq, 0), observedAt = the cause's
// recordedAt, so a re-derived milestone is byte-for-byte the same and the bus dedups it).
// Once caught up it writes DIR/ready ({"name", "pid", "applied_seq"}). SIGTERM stops it.
//
// So after any number of kill -9s, once it has caught up with a log of N events its state
// must equal the reference computed from the log: events == N, seq_sum == 1 + ... + N,
// producers[p] == count of p's events, and the log holds exactly one milestone from NAME
// for each 10th event (no duplicate ids, none missing once the outbox has drained).
//
// --dump opens DIR/db read-only (stop or kill the service first) and prints the state:
//   {"applied_seq": N, "events": N, "seq_sum": S, "milestones": M,
//    "producers": {"probe": 12, ...}, "outbox_pending": 0}
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "runtime/event_loop.h"
#include "runtime/logging.h"
#include "runtime/publisher.h"
#include "runtime/service_store.h"
#include "runtime/signals.h"
#include "runtime/site_config.h"
#include "runtime/store_keys.h"
#include "runtime/subscriber.h"

namespace picket {
namespace {

// State tables and keys of the tally (its own stored format; only tests read it).
constexpr const char* kProducers = "producers";  // producer -> u64 BE count
constexpr const char* kTotals = "totals";        // name -> u64 BE
constexpr const char* kEventsKey = "events";
constexpr const char* kSeqSumKey = "seq_sum";
constexpr const char* kMilestonesKey = "milestones";
constexpr uint64_t kMilestoneEvery = 10;

uint64_t ReadU64(const std::optional<std::string>& v) {
  if (!v) return 0;
  return store_keys::DecodeU64(*v).value_or(0);
}

void AddTo(Txn& txn, const char* table, std::string_view key, uint64_t n) {
  txn.Put(table, key, store_keys::EncodeU64(ReadU64(txn.Get(table, key)) + n));
}

// The tally's pure step: what one event does to the state.
void ApplyEvent(ApplyContext& ctx, wire::Event::Reader event) {
  Txn& txn = ctx.state();
  AddTo(txn, kProducers, event.getProducer().cStr(), 1);
  AddTo(txn, kTotals, kSeqSumKey, ctx.seq());
  AddTo(txn, kTotals, kEventsKey, 1);
  uint64_t events = ReadU64(txn.Get(kTotals, kEventsKey));
  if (events % kMilestoneEvery == 0) {
    AddTo(txn, kTotals, kMilestonesKey, 1);
    auto milestone = ctx.Emit();
    milestone.setType("tally.milestone");
    milestone.setObservedAt(event.getRecordedAt());
  }
}

bool WriteReady(const std::string& dir, const std::string& name, uint64_t applied_seq) {
  nlohmann::ordered_json j = {{"name", name}, {"pid", getpid()}, {"applied_seq", applied_seq}};
  std::string tmp = dir + "/ready.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << "\n";
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), (dir + "/ready").c_str()) == 0;
}

ServiceStoreOptions StoreOptions(const std::string& data_dir) {
  ServiceStoreOptions o;
  o.path = data_dir + "/db";
  o.tables = {kProducers, kTotals};
  return o;
}

int Dump(const std::string& data_dir) {
  auto options = StoreOptions(data_dir);
  options.read_only = true;
  std::string error;
  auto store = ServiceStore::Open(options, &error);
  if (!store) {
    std::cerr << "picket-tally: " << error << "\n";
    return 1;
  }
  nlohmann::ordered_json j;
  j["applied_seq"] = store->applied_seq();
  j["events"] = ReadU64(store->Get(kTotals, kEventsKey));
  j["seq_sum"] = ReadU64(store->Get(kTotals, kSeqSumKey));
  j["milestones"] = ReadU64(store->Get(kTotals, kMilestonesKey));
  nlohmann::ordered_json producers = nlohmann::ordered_json::object();
  store->Scan(kProducers, "", [&](std::string_view k, std::string_view v) {
    producers[std::string(k)] = store_keys::DecodeU64(v).value_or(0);
    return true;
  });
  j["producers"] = producers;
  std::vector<OutboxRow> pending;
  if (store->outbox() == nullptr || !store->outbox()->LoadPending(&pending, &error)) {
    std::cerr << "picket-tally: cannot read the outbox: " << error << "\n";
    return 1;
  }
  j["outbox_pending"] = pending.size();
  std::cout << j.dump() << "\n";
  return 0;
}

// Writes the subscriber's counters of this run to DIR/stats.json (for tests).
void WriteStats(const std::string& data_dir, const SubscriberStats& st) {
  nlohmann::ordered_json j;
  j["live"] = st.live;
  j["replayed"] = st.replayed;
  j["gaps"] = st.gaps;
  j["replays"] = st.replays;
  j["stalls"] = st.stalls;
  j["duplicates"] = st.duplicates;
  std::ofstream(data_dir + "/stats.json") << j.dump() << "\n";
}

int Run(const std::string& config_path, const std::string& data_dir, const std::string& name,
        int apply_delay_us) {
  // First: RocksDB and ZeroMQ start threads, and they must inherit the blocked mask.
  StopSignals signals;
  std::string error;
  auto config = LoadSiteConfig(config_path, &error);
  if (!config) {
    spdlog::error("{}", error);
    return 2;
  }
  std::filesystem::create_directories(data_dir);
  auto options = StoreOptions(data_dir);
  options.service = name;
  options.site = config->id;
  auto store = ServiceStore::Open(options, &error);
  if (!store) {
    spdlog::error("{}", error);
    return 1;
  }
  SystemClock clock;
  EventLoop loop(clock);
  zmq::context_t context;

  PublisherOptions pub_options;
  pub_options.endpoint = config->bus.ingest;
  pub_options.name = name;
  Publisher publisher(context, loop, pub_options, store->outbox());

  SubscriberOptions sub_options;
  sub_options.name = name;
  sub_options.events_endpoint = config->bus.events;
  sub_options.replay_endpoint = config->bus.replay;
  Subscriber subscriber(context, loop, sub_options);
  bool ready_written = false;
  subscriber.SetCaughtUpHandler([&](uint64_t next) {
    if (ready_written) return;
    ready_written = WriteReady(data_dir, name, next - 1);
    if (!ready_written) spdlog::error("cannot write {}/ready", data_dir);
  });

  auto handler = [&](wire::Event::Reader event) {
    // A deliberately slow service (tests): lets the PUB queue overflow so gaps happen.
    if (apply_delay_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(apply_delay_us));
    std::vector<OutboxRow> rows;
    std::string apply_error;
    auto result = store->Apply(
        event.getSeq(), [&](ApplyContext& ctx) { ApplyEvent(ctx, event); }, &rows, &apply_error);
    if (result == ApplyResult::kFailed) {
      spdlog::error("{}", apply_error);
      return false;  // offered again after a pause
    }
    if (!rows.empty()) publisher.PublishStored(rows);
    return true;
  };

  loop.AddFd(signals.fd(), [&] {
    int sig = signals.Consume();
    spdlog::info("signal {}: stopping", sig);
    loop.Stop();
  });
  if (!publisher.Start(&error) || !subscriber.Start(store->applied_seq() + 1, handler, &error)) {
    spdlog::error("{}", error);
    return 1;
  }
  spdlog::info("started at applied_seq {} ({} outbox rows pending)", store->applied_seq(),
               publisher.Pending());
  loop.Run();
  WriteStats(data_dir, subscriber.stats());
  subscriber.Stop();
  publisher.Stop();
  spdlog::info("stopped at applied_seq {}", store->applied_seq());
  return 0;
}

}  // namespace
}  // namespace picket

int main(int argc, char** argv) {
  CLI::App app{"picket-tally: a fixture service for Picket's multi-process tests"};
  std::string config, data_dir, name = "picket-tally", log_level = "info";
  bool dump = false;
  int apply_delay_us = 0;
  app.add_option("--config", config, "site.toml");
  app.add_option("--data-dir", data_dir, "the service's data directory")->required();
  app.add_option("--name", name, "service name: producer of milestones, progress name");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");
  app.add_option("--apply-delay-us", apply_delay_us, "sleep this long in each apply (tests)")
      ->check(CLI::Range(0, 1000000));
  app.add_flag("--dump", dump, "print the stored state as JSON and exit");
  CLI11_PARSE(app, argc, argv);
  if (dump) return picket::Dump(data_dir);
  if (config.empty()) {
    std::cerr << "picket-tally: --config is required\n";
    return 2;
  }
  if (!picket::SetupLogging(name, log_level)) {
    std::cerr << "picket-tally: bad --log-level\n";
    return 2;
  }
  return picket::Run(config, data_dir, name, apply_delay_us);
}
