// Reading a simulated site (SimModel, site_sim.h) from site.toml: the `[sim]` section for
// how the simulated people behave, the posts from `[terminal.posts]`, the incident kinds
// from `[terminal.incident_kinds]`, the routes from `[[patrol.routes]]`.
//
//   [sim]
//   inputs = "/run/picket-demo"     # required: each post's terminal reads <inputs>/<post>.keys
//                                   # (picket-sim takes a relative path from site.toml's dir)
//   seed = 7                        # default 1
//   officers = ["otto"]             # required: who acknowledges, resolves, issues passes
//   officer_post = "hq"             # where the officers go on shift at the start ...
//   officer_role = "duty_officer"   # ... and as what (escalation alerts this role)
//   host = "sim-host"               # the staff member visitors come to see
//   visitors_per_hour = 40          # at the gate posts, in all; 0..3600
//   incidents_per_hour = 6          # at any post, in all; 0..3600
//   unregistered_percent = 20       # visitors with no pass (walk-ups)
//   panic_percent = 10              # incidents that are a panic instead
//   round_skip_percent = 10         # scheduled rounds nobody starts
//   checkpoint_skip_percent = 10    # checkpoints walked past
//   ack_percent = 80                # first alerts an officer acknowledges ...
//   ack_delay = ["5s", "40s"]       # ... after this long
//   resolve_percent = 60            # acknowledged incidents resolved 30..90 s later
//   relogin = "5m"                  # how often the guards log in again (a restarted
//                                   # terminal forgets its guard)
//   shift_length = "20m"            # the post's guards (those with a code) take turns
//   offline_every = "10m"           # a post's link to the bus is cut about this often
//   offline_for = ["30s", "2m"]     # for this long ("0" or no key: never)
//   [sim.codes]                     # the guards' login codes in plain text: a simulated
//   hana = "4711"                   # guard types them (never a real site's codes)
//
// A post is simulated when one of its guards has a code in [sim.codes]; routes of posts not
// simulated are left out. A post whose terminal reaches the bus through addresses of its
// own ([terminal.posts.<post>] bus_ingest, bus_events, bus_replay) is linked: picket-sim
// listens there and forwards to the bus (link_relay.h), and cuts that link now and then. Every
// problem is reported as "file:line:col: key: message" (ConfigReader), and then ValidateSimModel's.
// Pure function of the parsed table.
#pragma once

#include <toml++/toml.h>

#include <map>
#include <optional>
#include <string>

#include "sim/site_sim.h"

namespace picket::sim {

struct SimLink {
  std::string ingest, events, replay;  // where the post's terminal connects (tcp://)
};

struct SimSiteConfig {
  SimModel model;
  uint64_t seed = 1;
  std::string inputs;                    // the directory of the posts' FIFOs
  std::map<std::string, SimLink> links;  // linked post -> its link's addresses
};

std::optional<SimSiteConfig> ReadSimConfig(const toml::table& root, const std::string& source,
                                           std::string* error);

// The FIFO a post's terminal reads (picket-terminal --input): <inputs>/<post>.keys.
std::string PostInput(const std::string& inputs, const std::string& post);

}  // namespace picket::sim
