#include "sim/terminal_sim.h"
#include "wire/event_names.h"

#include <cassert>
#include <sstream>

namespace picket {
namespace {

constexpr int kTagsPerRound = 6;
constexpr size_t kMaxOnSitePerPost = 40;  // beyond this, people only leave

const char* const kIncidentKinds[] = {"tailgating", "fence_damage", "unattended_bag",
                                      "unregistered_visitor", "light_out"};
const char* const kIncidentNotes[] = {"seen on camera 3", "reported by a contractor",
                                      "found on patrol", "visitor refused to sign in",
                                      "north perimeter"};

}  // namespace

nlohmann::ordered_json SimEvent::ToJson() const {
  nlohmann::ordered_json j;
  j["type"] = type;
  j["producer"] = producer;
  j["actor"] = actor;
  j["body"] = body;
  return j;
}

std::vector<std::string> SplitPosts(const std::string& list) {
  std::vector<std::string> posts;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) posts.push_back(item);
  return posts;
}

TerminalSim::TerminalSim(std::vector<std::string> posts, uint64_t seed) : rng_(seed) {
  assert(!posts.empty());
  int guard = 1;
  for (auto& name : posts) posts_.push_back(Post{name, "guard-" + std::to_string(guard++), {}, 0});
}

size_t TerminalSim::OnSite() const {
  size_t n = 0;
  for (const auto& p : posts_) n += p.on_site.size();
  return n;
}

SimEvent TerminalSim::Next() {
  Post& post = posts_[std::uniform_int_distribution<size_t>(0, posts_.size() - 1)(rng_)];
  int roll = std::uniform_int_distribution<int>(0, 99)(rng_);
  if (roll < 70) return PassScan(post);
  if (roll < 95) return CheckpointScan(post);
  if (roll < 99) return Incident(post);
  return Panic(post);
}

SimEvent TerminalSim::Base(const Post& post, std::string_view type) const {
  SimEvent e;
  e.type = std::string(type);
  e.producer = post.name + "-terminal";
  e.actor = post.guard;
  e.body = nlohmann::ordered_json::object();
  e.body["post"] = post.name;
  return e;
}

SimEvent TerminalSim::PassScan(Post& post) {
  SimEvent e = Base(post, event_names::kPassScanned);
  // Leave with a chance that grows with the crowd; never leave an empty post.
  double leave = static_cast<double>(post.on_site.size()) / kMaxOnSitePerPost;
  bool out = !post.on_site.empty() && std::uniform_real_distribution<double>(0, 1)(rng_) < leave;
  if (out) {
    size_t i = std::uniform_int_distribution<size_t>(0, post.on_site.size() - 1)(rng_);
    e.body["passCode"] = post.on_site[i];
    e.body["direction"] = "out";
    post.on_site[i] = post.on_site.back();
    post.on_site.pop_back();
  } else {
    // Visitors (V-) come and go; a few staff (S-) badges too.
    bool staff = std::uniform_int_distribution<int>(0, 3)(rng_) == 0;
    std::string code = (staff ? "S-" : "V-") + std::to_string(next_pass_++);
    e.body["passCode"] = code;
    e.body["direction"] = "in";
    post.on_site.push_back(code);
  }
  return e;
}

SimEvent TerminalSim::CheckpointScan(Post& post) {
  if (!post.in_round) {
    post.in_round = true;
    return Base(post, event_names::kPatrolStart);
  }
  SimEvent e = Base(post, event_names::kCheckpointScanned);
  e.body["tag"] = post.name + "/cp-" + std::to_string(post.next_tag + 1);
  post.next_tag = (post.next_tag + 1) % kTagsPerRound;
  if (post.next_tag == 0) post.in_round = false;
  return e;
}

SimEvent TerminalSim::Incident(Post& post) {
  SimEvent e = Base(post, event_names::kIncidentReported);
  constexpr size_t kKinds = sizeof kIncidentKinds / sizeof kIncidentKinds[0];
  constexpr size_t kNotes = sizeof kIncidentNotes / sizeof kIncidentNotes[0];
  e.body["kind"] = kIncidentKinds[std::uniform_int_distribution<size_t>(0, kKinds - 1)(rng_)];
  e.body["note"] = kIncidentNotes[std::uniform_int_distribution<size_t>(0, kNotes - 1)(rng_)];
  return e;
}

SimEvent TerminalSim::Panic(Post& post) { return Base(post, event_names::kPanicPressed); }

}  // namespace picket
