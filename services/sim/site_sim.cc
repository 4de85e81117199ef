#include "sim/site_sim.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace picket::sim {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;

double Uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);  // 53 bits: [0, 1)
}

Micros Between(std::mt19937_64& rng, Micros lo, Micros hi) {
  return lo + static_cast<Micros>(Uniform(rng) * static_cast<double>(hi - lo));
}

size_t Pick(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

// Exponential gap for `per_hour` arrivals an hour; "never" for a rate of 0.
Micros Gap(std::mt19937_64& rng, double per_hour) {
  if (per_hour <= 0) return std::numeric_limits<Micros>::max() / 4;
  const double u = 1.0 - Uniform(rng);  // (0, 1]
  return std::max<Micros>(kSecond, static_cast<Micros>(-std::log(u) / per_hour * kHour));
}

void CheckShare(double share, const char* name, std::vector<std::string>* errors) {
  if (share < 0 || share > 1) errors->push_back(std::string(name) + " must be between 0 and 1");
}

const char* const kNotes[] = {"seen near the north fence", "reported by a contractor",
                              "found on the evening check", "heard from the control room"};
const char* const kReasons[] = {"host confirmed by phone", "delivery expected by the stores",
                                "known driver, pass forgotten"};

}  // namespace

std::vector<std::string> ValidateSimModel(const SimModel& m) {
  std::vector<std::string> errors;
  if (m.posts.empty()) errors.push_back("no posts to simulate");
  for (const SimPost& p : m.posts)
    if (p.guards.empty()) errors.push_back("post " + p.post + " has no guard with a code");
  if (m.officers.empty()) errors.push_back("no officers");
  for (const auto& entry : m.routes) {
    const std::string& id = entry.first;
    const SimRoute& route = entry.second;  // (a name, not a binding: clang 14's lambdas)
    if (route.checkpoints.empty()) errors.push_back("route " + id + " has no checkpoints");
    if (route.leg_max <= 0) errors.push_back("route " + id + " has no leg_max");
    if (std::none_of(m.posts.begin(), m.posts.end(),
                     [&](const SimPost& p) { return p.post == route.post; }))
      errors.push_back("route " + id + " belongs to post " + route.post + ", not simulated");
  }
  CheckShare(m.unregistered_share, "unregistered_share", &errors);
  CheckShare(m.panic_share, "panic_share", &errors);
  CheckShare(m.round_skip_share, "round_skip_share", &errors);
  CheckShare(m.checkpoint_skip_share, "checkpoint_skip_share", &errors);
  CheckShare(m.ack_share, "ack_share", &errors);
  CheckShare(m.resolve_share, "resolve_share", &errors);
  if (m.visitors_per_hour < 0 || m.incidents_per_hour < 0)
    errors.push_back("rates must not be negative");
  if (m.ack_delay_min < 0 || m.ack_delay_max < m.ack_delay_min)
    errors.push_back("ack_delay must be a range from 0 up");
  if (m.relogin < kMinute) errors.push_back("relogin must be at least 1m");
  if (m.shift_length < 0 || (m.shift_length > 0 && m.shift_length < kMinute))
    errors.push_back("shift_length must be 0 (one shift) or at least 1m");
  if (m.offline_every < 0 || (m.offline_every > 0 && m.offline_every < kMinute))
    errors.push_back("offline_every must be 0 (never) or at least 1m");
  if (m.offline_min <= 0 || m.offline_max < m.offline_min)
    errors.push_back("offline_for must be a range of positive durations");
  return errors;
}

SiteSim::SiteSim(SimModel model, uint64_t seed, Micros start)
    : model_(std::move(model)),
      seed_(seed),
      tag_(std::to_string((start / kSecond) % 100000)),
      visitor_rng_(RngFor("visitors")),
      incident_rng_(RngFor("incidents")),
      offline_rng_(RngFor("offline")),
      start_(start),
      next_login_(start) {
  next_shift_ = model_.shift_length > 0 ? start + model_.shift_length
                                        : std::numeric_limits<Micros>::max() / 4;
  for (size_t i = 0; i < model_.posts.size(); ++i) {
    if (!model_.posts[i].gates.empty()) gate_posts_.push_back(i);
    if (model_.posts[i].linked) linked_posts_.push_back(i);
  }
  offline_per_hour_ = model_.offline_every > 0 && !linked_posts_.empty()
                          ? static_cast<double>(kHour) / static_cast<double>(model_.offline_every)
                          : 0;
  next_offline_ = start + Gap(offline_rng_, offline_per_hour_);
  next_visitor_ = start + Gap(visitor_rng_, gate_posts_.empty() ? 0 : model_.visitors_per_hour);
  next_incident_ = start + Gap(incident_rng_, model_.incidents_per_hour);
  for (const std::string& officer : model_.officers)
    Command(start, {"shift", "start", officer, "--post", model_.officer_post, "--role",
                    model_.officer_role, "--as", officer});
  // The host visitors come to see, once.
  Command(start, {"access", "register-person", model_.host, "--name", "Simulated Host", "--kind",
                  "staff", "--as", model_.officers[0]});
}

std::mt19937_64 SiteSim::RngFor(const std::string& key) const {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
  std::seed_seq seq{static_cast<uint32_t>(seed_), static_cast<uint32_t>(seed_ >> 32),
                    static_cast<uint32_t>(h), static_cast<uint32_t>(h >> 32)};
  return std::mt19937_64(seq);
}

void SiteSim::Plan(SimAction action) {
  const Micros at = action.at;
  planned_.emplace_hint(planned_.upper_bound(at), at, std::move(action));
}

void SiteSim::Type(Micros at, const std::string& post, std::string line) {
  SimAction a;
  a.at = at;
  a.kind = SimAction::Kind::kType;
  a.post = post;
  a.line = std::move(line);
  Plan(std::move(a));
}

void SiteSim::Command(Micros at, std::vector<std::string> command) {
  SimAction a;
  a.at = at;
  a.kind = SimAction::Kind::kCommand;
  a.command = std::move(command);
  Plan(std::move(a));
}

void SiteSim::Generate(Micros now) {
  while (next_login_ <= now) {
    PlanLogins(next_login_);
    next_login_ += model_.relogin;
  }
  while (next_shift_ <= now) {
    PlanHandovers(next_shift_);
    next_shift_ += model_.shift_length;
  }
  while (next_visitor_ <= now) {
    PlanVisitor(next_visitor_);
    next_visitor_ += Gap(visitor_rng_, model_.visitors_per_hour);
  }
  while (next_incident_ <= now) {
    PlanIncident(next_incident_);
    next_incident_ += Gap(incident_rng_, model_.incidents_per_hour);
  }
  while (next_offline_ <= now) {
    PlanOffline(next_offline_);
    next_offline_ += Gap(offline_rng_, offline_per_hour_);
  }
}

std::vector<SimAction> SiteSim::Due(Micros now) {
  Generate(now);
  std::vector<SimAction> due;
  while (!planned_.empty() && planned_.begin()->first <= now) {
    due.push_back(std::move(planned_.begin()->second));
    planned_.erase(planned_.begin());
  }
  return due;
}

Micros SiteSim::NextDue() {
  Micros next = std::min({next_login_, next_visitor_, next_incident_, next_offline_, next_shift_});
  if (!planned_.empty()) next = std::min(next, planned_.begin()->first);
  return next;
}

const SimGuard& SiteSim::OnDuty(const SimPost& post, Micros at) const {
  if (model_.shift_length <= 0) return post.guards.front();
  const auto shift = static_cast<size_t>((at - start_) / model_.shift_length);
  return post.guards[shift % post.guards.size()];
}

void SiteSim::PlanLogins(Micros at) {
  for (const SimPost& p : model_.posts) {
    const SimGuard& g = OnDuty(p, at);
    Type(at, p.post, "/login " + g.id + " " + g.code);
    Type(at + kSecond, p.post, "/ack");
  }
}

void SiteSim::PlanHandovers(Micros at) {
  for (const SimPost& p : model_.posts) {
    if (p.guards.size() < 2) continue;
    const SimGuard& g = OnDuty(p, at);
    Type(at, p.post, "/logout");
    Type(at + kSecond, p.post, "/login " + g.id + " " + g.code);
    Type(at + 2 * kSecond, p.post, "/ack");
  }
}

void SiteSim::PlanVisitor(Micros at) {
  if (gate_posts_.empty()) return;
  const uint64_t n = ++visitors_;
  std::mt19937_64& rng = visitor_rng_;
  const SimPost& post = model_.posts[gate_posts_[Pick(rng, gate_posts_.size())]];
  const bool registered = Uniform(rng) >= model_.unregistered_share;
  const std::string suffix = tag_ + "-" + std::to_string(n);
  if (registered) {
    const std::string person = "v" + suffix, code = "V" + suffix;
    const Micros stay = Between(rng, 2 * kMinute, 10 * kMinute);
    const std::string& officer = model_.officers[Pick(rng, model_.officers.size())];
    Command(at, {"access", "preregister", person, "--name", "Visitor " + suffix, "--host",
                 model_.host, "--expected", "+5m", "--as", model_.host});
    Command(at, {"access", "issue-pass", code, "--person", person, "--from", "-1m", "--until",
                 "+30m", "--as", officer});
    const Micros arrive = at + 20 * kSecond;
    Type(arrive, post.post, "/in");
    Type(arrive, post.post, code);
    Type(arrive + stay, post.post, "/out");
    Type(arrive + stay, post.post, code);
    Type(arrive + stay, post.post, "/in");
  } else {
    const std::string person = "walkup" + suffix;
    Type(at, post.post, "/in");
    Type(at, post.post, "W" + suffix);  // no such pass: denied
    const double how = Uniform(rng);
    if (how < 1.0 / 3) {
      Type(at + 15 * kSecond, post.post,
           "/manual " + person + " " + kReasons[Pick(rng, std::size(kReasons))]);
    } else {
      Type(at + 15 * kSecond, post.post, "/visitor " + person);
      if (how >= 2.0 / 3) PlanQueuedWalkUp(at + 20 * kSecond, post, person, suffix);
    }
  }
}

void SiteSim::PlanQueuedWalkUp(Micros at, const SimPost& post, const std::string& person,
                               const std::string& suffix) {
  std::mt19937_64& rng = visitor_rng_;
  const std::string& officer = model_.officers[Pick(rng, model_.officers.size())];
  const Micros approved = at + Between(rng, 30 * kSecond, 2 * kMinute);
  const Micros stay = Between(rng, 2 * kMinute, 10 * kMinute);
  const std::string code = "V" + suffix;
  // The guard registers the walk-up without an approval: it waits in picket-access's queue
  // (the console's Gates page shows it) until the officer approves it.
  Command(at, {"access", "walk-up", person, "--name", "Walk-up " + suffix, "--host", model_.host,
               "--gate", post.gates.front(), "--as", OnDuty(post, at).id});
  Command(approved, {"access", "approve", person, "--by", officer, "--as", officer});
  Command(approved + 5 * kSecond, {"access", "issue-pass", code, "--person", person, "--from",
                                   "-1m", "--until", "+30m", "--as", officer});
  const Micros arrive = approved + 25 * kSecond;
  Type(arrive, post.post, "/in");
  Type(arrive, post.post, code);
  Type(arrive + stay, post.post, "/out");
  Type(arrive + stay, post.post, code);
  Type(arrive + stay, post.post, "/in");
}

void SiteSim::PlanIncident(Micros at) {
  std::mt19937_64& rng = incident_rng_;
  const SimPost& post = model_.posts[Pick(rng, model_.posts.size())];
  const bool panic = Uniform(rng) < model_.panic_share;
  const size_t kind = model_.incident_kinds.empty() ? 0 : Pick(rng, model_.incident_kinds.size());
  const char* note = kNotes[Pick(rng, std::size(kNotes))];
  if (panic) {
    ++incidents_;
    Type(at, post.post, "/panic");
  } else if (!model_.incident_kinds.empty()) {
    ++incidents_;
    Type(at, post.post, "/incident " + model_.incident_kinds[kind] + " " + note);
  }
}

void SiteSim::PlanOffline(Micros at) {
  if (linked_posts_.empty()) return;
  const SimPost& post = model_.posts[linked_posts_[Pick(offline_rng_, linked_posts_.size())]];
  const Micros length = Between(offline_rng_, model_.offline_min, model_.offline_max);
  Micros& until = down_until_[post.post];
  if (at < until) return;  // already down
  until = at + length;
  SimAction down;
  down.at = at;
  down.kind = SimAction::Kind::kLinkDown;
  down.post = post.post;
  Plan(down);
  SimAction up = down;
  up.at = at + length;
  up.kind = SimAction::Kind::kLinkUp;
  Plan(up);
}

void SiteSim::OnRoundScheduled(uint64_t round, const std::string& route, Micros due) {
  auto it = model_.routes.find(route);
  if (it == model_.routes.end() || !rounds_seen_.insert(round).second) return;
  const SimRoute& r = it->second;
  std::mt19937_64 rng = RngFor("round/" + std::to_string(round));
  if (Uniform(rng) < model_.round_skip_share) return;  // nobody starts it
  Micros t = due + Between(rng, 0, 5 * kSecond);
  Type(t, r.post, "/round start " + route);
  for (const std::string& tag : r.checkpoints) {
    t += Between(rng, r.leg_max * 3 / 10, r.leg_max * 7 / 10);
    if (Uniform(rng) < model_.checkpoint_skip_share) continue;  // walked past it
    Type(t, r.post, tag);
  }
}

void SiteSim::OnAlertRaised(uint64_t incident, uint32_t level, uint32_t pass, Micros at) {
  if (level != 1 || pass != 0 || !alerts_seen_.insert(incident).second) return;
  std::mt19937_64 rng = RngFor("alert/" + std::to_string(incident));
  if (Uniform(rng) >= model_.ack_share) return;  // nobody answers: it escalates
  const Micros delay = Between(rng, model_.ack_delay_min, model_.ack_delay_max);
  const std::string& officer = model_.officers[Pick(rng, model_.officers.size())];
  Command(at + delay, {"incident", "ack", std::to_string(incident), "--as", officer});
}

void SiteSim::OnAcknowledged(uint64_t incident, Micros at) {
  if (!acks_seen_.insert(incident).second) return;
  std::mt19937_64 rng = RngFor("ack/" + std::to_string(incident));
  if (Uniform(rng) >= model_.resolve_share) return;
  const Micros delay = Between(rng, 30 * kSecond, 90 * kSecond);
  const std::string& officer = model_.officers[Pick(rng, model_.officers.size())];
  Command(at + delay, {"incident", "resolve", std::to_string(incident), "--as", officer,
                       "--override", "simulated: handled on site"});
}

}  // namespace picket::sim
