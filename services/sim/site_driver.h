// SiteDriver: runs a SiteSim (site_sim.h) against a real site. On its loop it
//   - types each due line into the post's terminal: a write of "<line>\n" to the FIFO the
//     post's picket-terminal reads (<inputs>/<post>.keys, made if missing; written without
//     blocking: a line that does not fit in a full pipe, whose terminal is not reading, is
//     dropped and logged);
//   - hands each due command to a worker thread that runs `picketctl <args> --config
//     <site.toml>` to its end, one at a time in order (so a pass is issued before it is
//     scanned), logging any failure with picketctl's output; a command with no answer
//     (exit 3: its service is starting) is run again once a second for up to a minute;
//   - runs each linked post's link (link_relay.h: the terminal's bus addresses forwarded to
//     the bus's), cut at kLinkDown and restored at kLinkUp;
//   - follows the bus (from seq 1) and reacts to patrol.round_scheduled,
//     escalation.alert_raised and escalation.incident_acknowledged recorded after it started
//     (older ones are history: it does not act on them again after a restart).
// Threads: construct, Start and destroy on the loop's thread; the command worker is its own.
#pragma once

#include <zmq.hpp>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/clock.h"
#include "runtime/curve_keys.h"
#include "runtime/event_loop.h"
#include "runtime/site_layout.h"
#include "runtime/subscriber.h"
#include "sim/link_relay.h"
#include "sim/sim_config_toml.h"

namespace picket::sim {

// Runs `argv` (argv[0] a path) with the default signal mask, waits for it, returns its exit
// status (128 + signal if killed; -1 if it could not start) and what it printed.
struct ProgramResult {
  int status = -1;
  std::string output;
};
ProgramResult RunProgram(const std::vector<std::string>& argv);

class SiteDriver {
 public:
  // `bus_curve`: the keys of picket-sim's own bus connection (plain unless the site has
  // [security]; the picketctl it runs: UsePicketctlKey).
  SiteDriver(zmq::context_t& context, EventLoop& loop, const Clock& clock, SimSiteConfig config,
             BusEndpoints bus, CurveClientKeys bus_curve, std::string site_config_path,
             std::string picketctl);
  ~SiteDriver();  // stops the worker (a command running is waited for)
  SiteDriver(const SiteDriver&) = delete;
  SiteDriver& operator=(const SiteDriver&) = delete;

  // The picketctl it runs acts with `key_file` (--key): on a site with [security], the
  // sim's own key, a service's, so that it may act as each simulated person. Before Start.
  void UsePicketctlKey(std::string key_file) { picketctl_key_ = std::move(key_file); }
  // Opens the FIFOs and subscribes. False + *error if a FIFO cannot be made or opened.
  bool Start(std::string* error);

  struct Counts {
    uint64_t typed = 0, dropped = 0, commands = 0, failed = 0, reactions = 0;
  };
  Counts counts() const;

 private:
  void Tick();
  void Arm();
  void Type(const SimAction& a);
  void SetLink(const std::string& post, bool up);
  void Enqueue(std::vector<std::string> args);
  bool OnEvent(wire::Event::Reader event);
  void Work();

  zmq::context_t& context_;
  EventLoop& loop_;
  const Clock& clock_;
  SimSiteConfig config_;
  BusEndpoints bus_;
  CurveClientKeys bus_curve_;
  std::string site_config_path_, picketctl_;
  std::string picketctl_key_;  // --key for the picketctl it runs ("" = picketctl's default)
  SiteSim sim_;
  Micros started_;
  std::map<std::string, int> fifos_;                                      // post -> fd
  std::map<std::string, std::vector<std::unique_ptr<LinkRelay>>> links_;  // post -> its 3
  std::unique_ptr<Subscriber> subscriber_;
  EventLoop::TimerId timer_ = 0;
  Micros armed_at_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<std::string>> queue_;
  bool stopping_ = false;
  Counts counts_;
  std::thread worker_;
};

}  // namespace picket::sim
