// picket-sim: a simulated site, for the demo and for load.
//
//   picket-sim --config site.toml --drive [--seed S] [--data-dir DIR] [--key FILE]
//   picket-sim --config site.toml [--rate 2] [--posts gate-1,gate-2] [--count N] [--seed S]
//              [--data-dir DIR]
//
// --drive: the site's people (SiteSim, site_sim.h; configured by [sim] in site.toml,
// sim_config_toml.h) drive the real system: lines typed into each post's real
// picket-terminal, officers' and registrations' commands run with picketctl (found next to
// picket-sim), reactions to the rounds and alerts on the bus (site_driver.h). Runs until
// SIGTERM/SIGINT. --seed overrides [sim] seed. On a site with [security] picket-sim's own
// bus connection uses the key of identity "sim" (--key, default <keys>/sim.key beside
// site.toml), and so does the picketctl it runs (a service's key may act for the people
// it simulates; a person's may act only as itself).
//
// Without --drive, raw events for load:
// Publishes --rate events per second (TerminalSim's mix) through the runtime Publisher,
// each with a fresh id, the site's id and the time now as observedAt. With --count it stops
// once N events have their outcome (exit 0 if all were recorded, 1 if any was refused);
// without, it runs until SIGTERM/SIGINT. If the bus stops answering it keeps at most
// --max-pending events waiting and skips the rest (counted in the log), so memory stays
// bounded. --data-dir is accepted (picket-site passes one) and not used: nothing is stored.
// This mode publishes every post's terminal events from one connection, which a site with
// [security] refuses (each terminal has its own key): there it exits 2 (use --drive with
// the posts' picket-terminal processes).
#include <capnp/message.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/event_loop.h"
#include "runtime/logging.h"
#include "runtime/publisher.h"
#include "runtime/signals.h"
#include "runtime/site_config.h"
#include "runtime/site_keys.h"
#include "runtime/site_layout.h"
#include "sim/site_driver.h"
#include "sim/terminal_sim.h"
#include "wire/codec.h"
#include "wire/event_id.h"
#include "wire/event_json.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

struct SimFlags {
  std::string config, data_dir, posts = "gate-1,gate-2", log_level = "info";
  std::string key;  // --key: the sim's own key file (--drive on a site with [security])
  double rate = 2;
  uint64_t count = 0;  // 0 = until stopped
  uint64_t seed = 0;   // 0 = random
  size_t max_pending = 1000;
  bool drive = false;
};

// The encoded wire::Event for `e`; nullopt (logged) if the generator made a bad event,
// which would be a bug in TerminalSim.
std::optional<std::string> Encode(const SimEvent& e, const std::string& site, Micros now) {
  capnp::MallocMessageBuilder builder;
  auto event = builder.initRoot<wire::Event>();
  EventId id = EventId::Random();
  event.setId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  event.setSite(site);
  event.setObservedAt(now);
  std::string error;
  if (!EventFromJson(e.ToJson(), event, &error)) {
    spdlog::error("generated an invalid {} event: {}", e.type, error);
    return std::nullopt;
  }
  return picket::Encode(builder);
}

// picketctl, installed next to this binary.
std::string Picketctl() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "picketctl" : (self.parent_path() / "picketctl").string();
}

int Drive(const SimFlags& flags, StopSignals& stop_signals) {
  std::string error;
  auto root = LoadTomlFile(flags.config, &error);
  auto site = root ? ReadSiteConfig(*root, flags.config, &error) : std::nullopt;
  auto config = site ? sim::ReadSimConfig(*root, flags.config, &error) : std::nullopt;
  if (!config) {
    std::cerr << "picket-sim: " << error << "\n";
    return 2;
  }
  if (flags.seed != 0) config->seed = flags.seed;
  if (std::filesystem::path(config->inputs).is_relative())  // from the config file's directory
    config->inputs =
        (std::filesystem::absolute(flags.config).parent_path() / config->inputs).string();
  auto keys = SiteKeys::Load(*site, "sim", flags.key, &error);  // `site` outlives it
  auto bus_curve = keys ? keys->ClientOf("bus", &error) : std::nullopt;
  if (!bus_curve) {
    std::cerr << "picket-sim: " << error << "\n";
    return 2;
  }
  auto bus = LocateBus(*site, &error);
  if (!bus) {
    spdlog::error("{}", error);
    return 1;  // picket-site restarts us once the bus is up
  }
  zmq::context_t context;
  SystemClock clock;
  EventLoop loop(clock);
  const size_t posts = config->model.posts.size();
  const uint64_t seed = config->seed;
  sim::SiteDriver driver(context, loop, clock, std::move(*config), *bus, std::move(*bus_curve),
                         flags.config, Picketctl());
  if (keys->secure())  // picketctl acts as the simulated people with the sim's key
    driver.UsePicketctlKey(keys->key_file());
  if (!driver.Start(&error)) {
    spdlog::error("{}", error);
    return 1;
  }
  loop.AddFd(stop_signals.fd(), [&] {
    stop_signals.Consume();
    loop.Stop();
  });
  auto report = [&] {
    auto c = driver.counts();
    spdlog::info("{} lines typed ({} dropped), {} commands run ({} failed), {} reactions", c.typed,
                 c.dropped, c.commands, c.failed, c.reactions);
  };
  loop.Every(30 * kMicrosPerSecond, report);
  spdlog::info("site {}: driving {} posts' terminals (seed {})", site->id, posts, seed);
  loop.Run();
  report();
  return 0;
}

int Run(const SimFlags& flags, StopSignals& stop_signals) {
  std::string error;
  auto site = LoadSiteConfig(flags.config, &error);
  if (!site) {
    std::cerr << error << "\n";
    return 2;
  }
  if (site->security.enabled) {
    std::cerr << "picket-sim: " << flags.config
              << " has [security]: publishing every post's events from one connection is "
                 "refused there (each terminal publishes with its own key); use --drive with "
                 "the posts' picket-terminal processes\n";
    return 2;
  }
  auto bus = LocateBus(*site, &error);
  if (!bus) {
    spdlog::error("{}", error);
    return 1;  // picket-site restarts us once the bus is up
  }
  std::vector<std::string> posts = SplitPosts(flags.posts);
  if (posts.empty()) {
    std::cerr << "picket-sim: --posts: give at least one post name\n";
    return 2;
  }

  zmq::context_t context;
  SystemClock clock;
  EventLoop loop(clock);
  Publisher publisher(context, loop, PublisherOptions{.endpoint = bus->ingest, .name = "sim"});
  uint64_t generated = 0, recorded = 0, refused = 0, skipped = 0, settled = 0;
  publisher.SetOutcomeHandler([&](const PublishOutcome& o) {
    ++settled;
    if (o.kind == PublishOutcome::Kind::kNacked) {
      ++refused;
      spdlog::error("event {} refused: {}: {}", o.id.ToHex(), ErrorCodeName(o.code), o.message);
    } else {
      ++recorded;
    }
    if (flags.count > 0 && settled == flags.count) loop.Stop();
  });
  if (!publisher.Start(&error)) {
    spdlog::error("{}", error);
    return 2;
  }
  loop.AddFd(stop_signals.fd(), [&] {
    stop_signals.Consume();
    loop.Stop();
  });

  uint64_t seed = flags.seed != 0 ? flags.seed : std::random_device{}();
  TerminalSim sim(posts, seed);
  Micros period = static_cast<Micros>(kMicrosPerSecond / flags.rate);
  EventLoop::TimerId tick = loop.Every(std::max<Micros>(period, 1), [&] {
    if (flags.count > 0 && generated >= flags.count) return;
    if (publisher.Pending() >= flags.max_pending) {
      if (skipped++ % 100 == 0)
        spdlog::warn("the bus is not keeping up ({} events waiting): skipping ({} so far)",
                     publisher.Pending(), skipped);
      return;
    }
    SimEvent e = sim.Next();
    auto encoded = Encode(e, site->id, clock.Now());
    if (!encoded || !publisher.Publish(*encoded, &error)) return;
    ++generated;
  });
  loop.Every(10 * kMicrosPerSecond, [&] {
    spdlog::info("{} events published, {} recorded, {} refused, {} skipped; {} people on site",
                 generated, recorded, refused, skipped, sim.OnSite());
  });

  spdlog::info("site {}: {} events/s from posts {} to {} (seed {})", site->id, flags.rate,
               flags.posts, bus->ingest, seed);
  loop.Run();
  loop.CancelTimer(tick);
  spdlog::info("stopped: {} events published, {} recorded, {} refused, {} skipped", generated,
               recorded, refused, skipped);
  return refused > 0 ? 1 : 0;
}

}  // namespace
}  // namespace picket

int main(int argc, char** argv) {
  picket::StopSignals stop_signals;  // before any thread (the ZeroMQ context's)
  picket::SimFlags flags;
  CLI::App app{"picket-sim: simulated post terminals publishing to a site's bus"};
  app.add_option("--config", flags.config, "the site configuration (site.toml)")->required();
  app.add_option("--data-dir", flags.data_dir, "accepted for picket-site; unused");
  app.add_option("--rate", flags.rate, "events per second")->check(CLI::Range(0.01, 100000.0));
  app.add_option("--posts", flags.posts, "comma-separated post names");
  app.add_option("--count", flags.count,
                 "stop after this many events (default: run until stopped)");
  app.add_option("--seed", flags.seed, "random seed (default: random)");
  app.add_option("--max-pending", flags.max_pending, "most events waiting for the bus")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn or error");
  app.add_option("--key", flags.key,
                 "--drive on a site with [security]: the sim's key file (identity \"sim\"; "
                 "default <keys>/sim.key beside site.toml)");
  app.add_flag("--drive", flags.drive,
               "drive the site's real terminals and commands ([sim] in site.toml)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!picket::SetupLogging("picket-sim", flags.log_level)) {
    std::cerr << "picket-sim: --log-level: unknown level '" << flags.log_level << "'\n";
    return 2;
  }
  return flags.drive ? picket::Drive(flags, stop_signals) : picket::Run(flags, stop_signals);
}
