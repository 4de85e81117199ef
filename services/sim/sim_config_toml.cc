#include "sim/sim_config_toml.h"

#include "runtime/config.h"

namespace picket::sim {
namespace {

constexpr int64_t kSecond = kMicrosPerSecond;
constexpr int64_t kDay = 24 * 3600 * kSecond;

double Percent(ConfigReader& r, const std::string& key, int64_t fallback) {
  return static_cast<double>(r.Int(key, fallback, 0, 100)) / 100.0;
}

void ReadPosts(const toml::table& root, const toml::table* codes, SimSiteConfig& c) {
  SimModel& m = c.model;
  const toml::table* posts = root["terminal"]["posts"].as_table();
  if (posts == nullptr) return;
  for (const auto& [name, node] : *posts) {
    const toml::table* p = node.as_table();
    if (p == nullptr) continue;
    SimPost post;
    post.post = std::string(name.str());
    if (const toml::array* gates = (*p)["gates"].as_array())
      for (const auto& g : *gates)
        if (auto s = g.value<std::string>()) post.gates.push_back(*s);
    if (const toml::array* guards = (*p)["guards"].as_array())
      for (const auto& g : *guards) {  // those with a code take turns
        auto id = g.value<std::string>();
        if (!id || codes == nullptr) continue;
        if (auto code = (*codes)[*id].value<std::string>()) post.guards.push_back({*id, *code});
      }
    SimLink link{(*p)["bus_ingest"].value_or(std::string()),
                 (*p)["bus_events"].value_or(std::string()),
                 (*p)["bus_replay"].value_or(std::string())};
    if (post.guards.empty()) continue;
    if (!link.ingest.empty() && !link.events.empty() && !link.replay.empty()) {
      post.linked = true;
      c.links[post.post] = std::move(link);
    }
    m.posts.push_back(std::move(post));
  }
}

void ReadRoutes(const toml::table& root, SimModel& m) {
  const toml::array* routes = root["patrol"]["routes"].as_array();
  if (routes == nullptr) return;
  for (const auto& node : *routes) {
    const toml::table* r = node.as_table();
    if (r == nullptr) continue;
    auto id = (*r)["id"].value<std::string>();
    auto post = (*r)["post"].value<std::string>();
    if (!id || !post) continue;
    bool simulated = false;
    for (const SimPost& p : m.posts) simulated = simulated || p.post == *post;
    if (!simulated) continue;
    SimRoute route;
    route.post = *post;
    if (const toml::array* cps = (*r)["checkpoints"].as_array())
      for (const auto& c : *cps)
        if (auto s = c.value<std::string>()) route.checkpoints.push_back(*s);
    route.leg_max = 10 * 60 * kSecond;  // picket-patrol's default
    if (auto leg = (*r)["leg_max"].value<std::string>())
      if (auto micros = ParseDurationMicros(*leg)) route.leg_max = *micros;
    m.routes[*id] = std::move(route);
  }
}

}  // namespace

std::string PostInput(const std::string& inputs, const std::string& post) {
  return inputs + "/" + post + ".keys";
}

std::optional<SimSiteConfig> ReadSimConfig(const toml::table& root, const std::string& source,
                                           std::string* error) {
  const toml::table empty;
  const toml::table* section = root["sim"].as_table();
  ConfigReader r(section ? *section : empty, source, "sim");
  if (section == nullptr) r.Fail("inputs", "no [sim] section: nothing to simulate");
  SimSiteConfig c;
  SimModel& m = c.model;
  c.inputs = r.RequiredString("inputs");
  c.seed = static_cast<uint64_t>(r.Int("seed", 1, 0, INT64_MAX));
  m.officers = r.StringList("officers");
  m.host = r.String("host", m.host);
  m.officer_post = r.String("officer_post", m.officer_post);
  m.officer_role = r.String("officer_role", m.officer_role);
  m.visitors_per_hour = static_cast<double>(r.Int("visitors_per_hour", 30, 0, 3600));
  m.incidents_per_hour = static_cast<double>(r.Int("incidents_per_hour", 4, 0, 3600));
  m.unregistered_share = Percent(r, "unregistered_percent", 20);
  m.panic_share = Percent(r, "panic_percent", 10);
  m.round_skip_share = Percent(r, "round_skip_percent", 10);
  m.checkpoint_skip_share = Percent(r, "checkpoint_skip_percent", 10);
  m.ack_share = Percent(r, "ack_percent", 80);
  m.resolve_share = Percent(r, "resolve_percent", 60);
  m.relogin = r.Duration("relogin", m.relogin, 60 * kSecond, kDay);
  m.shift_length = r.Duration("shift_length", 0, 0, kDay);
  if (m.shift_length > 0 && m.shift_length < 60 * kSecond)
    r.Fail("shift_length", "must be 0 (one shift) or at least 1m");
  m.offline_every = r.Duration("offline_every", 0, 0, kDay);
  if (m.offline_every > 0 && m.offline_every < 60 * kSecond)
    r.Fail("offline_every", "must be 0 (never) or at least 1m");
  if (r.Has("offline_for")) {
    const std::vector<std::string> span = r.StringList("offline_for");
    auto lo = span.size() == 2 ? ParseDurationMicros(span[0]) : std::nullopt;
    auto hi = span.size() == 2 ? ParseDurationMicros(span[1]) : std::nullopt;
    if (!lo || !hi || *lo <= 0 || *hi < *lo)
      r.Fail("offline_for",
             "must be two positive durations, the shorter first, e.g. [\"30s\", \"2m\"]");
    else {
      m.offline_min = *lo;
      m.offline_max = *hi;
    }
  }
  if (r.Has("ack_delay")) {
    const std::vector<std::string> delay = r.StringList("ack_delay");
    auto lo = delay.size() == 2 ? ParseDurationMicros(delay[0]) : std::nullopt;
    auto hi = delay.size() == 2 ? ParseDurationMicros(delay[1]) : std::nullopt;
    if (!lo || !hi || *hi < *lo)
      r.Fail("ack_delay", "must be two durations, the shorter first, e.g. [\"5s\", \"40s\"]");
    else {
      m.ack_delay_min = *lo;
      m.ack_delay_max = *hi;
    }
  }
  const toml::table* codes = section ? (*section)["codes"].as_table() : nullptr;
  if (section != nullptr && (*section)["codes"] && codes == nullptr)
    r.Fail("codes", "must be a table of guard = \"code\"");
  r.Table("codes");  // read above; marks it known
  r.RejectUnknownKeys();
  if (!r.Ok()) {
    *error = r.ErrorText();
    return std::nullopt;
  }
  ReadPosts(root, codes, c);
  if (const toml::table* kinds = root["terminal"]["incident_kinds"].as_table())
    for (const auto& [kind, label] : *kinds) m.incident_kinds.push_back(std::string(kind.str()));
  ReadRoutes(root, m);
  std::vector<std::string> problems = ValidateSimModel(m);
  if (!problems.empty()) {
    *error = source + ": [sim]: ";
    for (size_t i = 0; i < problems.size(); ++i) *error += (i ? "; " : "") + problems[i];
    return std::nullopt;
  }
  return c;
}

}  // namespace picket::sim
