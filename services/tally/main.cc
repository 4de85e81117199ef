// picket-tally --config site.toml [--data-dir DIR] [--apply-delay-us N]
// picket-tally --dump --data-dir DIR
//
// The example service (docs/writing-a-service.md): the tally core on the service kit.
// --dump prints the stored state of a stopped tally as JSON:
//   {"applied_seq": N, "events": N, "seq_sum": S, "milestones": M,
//    "producers": {"probe": 12, ...}, "outbox_pending": 0}
// On a clean stop it writes DATA_DIR/stats.json (the subscriber's counters, for tests).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "runtime/service_main.h"
#include "tally/core/tally.h"
#include "tally/tally_config.h"

namespace picket::tally {
namespace {

int Dump(const std::string& data_dir) {
  std::string error;
  ServiceStoreOptions options;
  options.path = data_dir + "/db";
  options.tables = Tables();
  options.read_only = true;
  auto store = ServiceStore::Open(options, &error);
  std::vector<OutboxRow> pending;
  if (!store || !store->outbox() || !store->outbox()->LoadPending(&pending, &error)) {
    std::cerr << "picket-tally: " << error << "\n";
    return 1;
  }
  ReadOnlyTxn view(*store);
  TallyTotals t = ReadTotals(view);
  nlohmann::ordered_json j = {{"applied_seq", store->applied_seq()},
                              {"events", t.events},
                              {"seq_sum", t.seq_sum},
                              {"milestones", t.milestones},
                              {"producers", t.producers},
                              {"outbox_pending", pending.size()}};
  std::cout << j.dump() << "\n";
  return 0;
}

// Lives as long as the host runs; on a clean stop, leaves the subscriber's counters.
struct StatsOnStop {
  ServiceHost& host;
  ~StatsOnStop() {
    SubscriberStats st = host.subscriber_stats();
    nlohmann::ordered_json j = {{"live", st.live},     {"replayed", st.replayed},
                                {"gaps", st.gaps},     {"replays", st.replays},
                                {"stalls", st.stalls}, {"duplicates", st.duplicates}};
    std::ofstream(host.data_dir() + "/stats.json") << j.dump() << "\n";
  }
};

}  // namespace
}  // namespace picket::tally

int main(int argc, char** argv) {
  using namespace picket;
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--dump") {
      CLI::App app{"picket-tally --dump"};
      std::string data_dir;
      bool dump = false;
      app.add_flag("--dump", dump);
      app.add_option("--data-dir", data_dir)->required();
      CLI11_PARSE(app, argc, argv);
      return tally::Dump(data_dir);
    }
  int apply_delay_us = 0;
  return ServiceMain<tally::TallyConfig>(
      argc, argv,
      {.name = "tally",
       .summary = "counts the site's events (the example service)",
       .tables = tally::Tables(),
       .read_config = &tally::ReadTallyConfig,
       .flags =
           [&](CLI::App& app) {
             app.add_option("--apply-delay-us", apply_delay_us, "sleep in each apply (tests)")
                 ->check(CLI::Range(0, 1000000));
           },
       .build = [&](ServiceHost& host, const tally::TallyConfig& config) -> std::shared_ptr<void> {
         host.SetEventHandler(
             [&, delay = apply_delay_us](ApplyContext& ctx, wire::Event::Reader e) {
               // A deliberately slow service (tests): lets the PUB queue overflow, gaps happen.
               if (delay > 0) std::this_thread::sleep_for(std::chrono::microseconds(delay));
               auto counted = tally::CountEvent(config, ctx.state(), e.getProducer().cStr(),
                                                ctx.seq(), e.getRecordedAt());
               if (!counted.milestone_at) return;
               auto milestone = ctx.Emit();
               milestone.setType(std::string(tally::kMilestoneType));
               milestone.setObservedAt(*counted.milestone_at);
             });
         return std::make_shared<tally::StatsOnStop>(host);
       }});
}
