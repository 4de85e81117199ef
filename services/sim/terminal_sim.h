// A simulated set of post terminals: what the gate and patrol terminals of a site would
// publish over a shift. Pure: a seeded random generator, no clock, no sockets.
//
// Per post it keeps who is on site (pass codes scanned in and not yet out), so an "out"
// scan is always for someone who came in; patrol scans walk the post's checkpoint tags in
// order, each round of six tags opened by a round start (picket-patrol binds it to the
// post's one route); incidents are rare and panics rarer.
//
//   terminal.pass_scanned        ~70%  {"post","passCode","direction":"in"|"out"}
//   terminal.round_started       ~4%   {"post"}: before a post's "<post>/cp-1"
//   terminal.checkpoint_scanned  ~21%  {"post","tag"}: "<post>/cp-1" .. "<post>/cp-6"
//   terminal.incident_reported   ~4%   {"post","kind","note"}
//   terminal.panic_pressed       ~1%   {"post"}
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace picket {

// One observation, ready for event_json's EventFromJson: type, producer, actor, body.
struct SimEvent {
  std::string type;
  std::string producer;  // the terminal: "<post>-terminal"
  std::string actor;     // the guard on duty at the post
  nlohmann::ordered_json body;
  // The event as the JSON object EventFromJson takes (no id, site or time: the caller's).
  nlohmann::ordered_json ToJson() const;
};

class TerminalSim {
 public:
  // `posts` must not be empty. The same seed gives the same sequence of events.
  TerminalSim(std::vector<std::string> posts, uint64_t seed);

  SimEvent Next();

  // How many people are on site now, across posts (the roll-call count).
  size_t OnSite() const;

 private:
  struct Post {
    std::string name;
    std::string guard;
    std::vector<std::string> on_site;  // pass codes in and not out
    int next_tag = 0;                  // index of the next checkpoint on the round
    bool in_round = false;             // a round start was published for this round
  };

  SimEvent PassScan(Post& post);
  SimEvent CheckpointScan(Post& post);
  SimEvent Incident(Post& post);
  SimEvent Panic(Post& post);
  SimEvent Base(const Post& post, std::string_view type) const;

  std::vector<Post> posts_;
  std::mt19937_64 rng_;
  uint64_t next_pass_ = 1000;
};

// Splits "gate-1,gate-2" into names; empty items are dropped.
std::vector<std::string> SplitPosts(const std::string& list);

}  // namespace picket
