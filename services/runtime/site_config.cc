#include "runtime/site_config.h"

#include <set>

#include "wire/chain_checkpoint.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

// Top-level sections owned by services that read them themselves. A section not listed
// here (nor site/bus/run) is a typo and an error.
const std::set<std::string> kServiceSections = {
    "access", "patrol", "escalation", "scoring", "console", "notify", "terminal", "sim", "tally"};

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool IsValidId(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!IsIdChar(c)) return false;
  return true;
}

void ReadBus(ConfigReader bus, BusConfig& c) {
  constexpr Micros kSecond = kMicrosPerSecond;
  constexpr Micros kDay = 86400 * kSecond;
  c.ingest = bus.String("ingest", c.ingest);
  c.events = bus.String("events", c.events);
  c.replay = bus.String("replay", c.replay);
  c.http = bus.String("http", c.http);
  c.sync = bus.Bool("sync", c.sync);
  c.max_message_bytes = bus.Int("max_message_bytes", c.max_message_bytes, 256,
                                static_cast<int64_t>(kMaxBusFrameBytes));
  c.max_batch = bus.Int("max_batch", c.max_batch, 1, 65536);
  c.dedup_window = bus.Duration("dedup_window", c.dedup_window, kSecond, 3650 * kDay);
  c.retention = bus.Duration("retention", c.retention, 60 * kSecond, 36500 * kDay);
  c.heartbeat_interval =
      bus.Duration("heartbeat_interval", c.heartbeat_interval, 10 * kMicrosPerMilli, 60 * kSecond);
  c.pub_hwm = bus.Int("pub_hwm", c.pub_hwm, 1, 10'000'000);
  c.max_replay_sessions = bus.Int("max_replay_sessions", c.max_replay_sessions, 1, 10000);
  c.replay_max_batch = bus.Int("replay_max_batch", c.replay_max_batch, 1, 65536);
  c.min_free_bytes = bus.Size("min_free_bytes", c.min_free_bytes, 0, int64_t{1} << 50);
  c.min_free_inodes = bus.Int("min_free_inodes", c.min_free_inodes, 0, int64_t{1} << 40);
  c.disk_check_interval = bus.Duration("disk_check_interval", c.disk_check_interval,
                                       10 * kMicrosPerMilli, 60 * kSecond);
  c.checkpoint_key = bus.String("checkpoint_key", c.checkpoint_key);
  c.checkpoint_every = bus.Int("checkpoint_every", c.checkpoint_every, 1, 1'000'000);
  c.checkpoint_interval = bus.Duration("checkpoint_interval", c.checkpoint_interval, kSecond, kDay);
  c.checkpoint_public = bus.String("checkpoint_public", c.checkpoint_public);
  if (!c.checkpoint_public.empty() && !FromHex<32>(c.checkpoint_public))
    bus.Fail("checkpoint_public", "must be 64 hex digits (the .verify file's public key)");
  if (c.dedup_window > c.retention)
    bus.Fail("dedup_window",
             "must not be longer than retention (ids are checked against "
             "the retained log)");
  for (const auto* key : {"ingest", "events", "replay"}) {
    std::string v = key == std::string("ingest")   ? c.ingest
                    : key == std::string("events") ? c.events
                                                   : c.replay;
    if (v.rfind("tcp://", 0) != 0 && v.rfind("ipc://", 0) != 0 && v.rfind("inproc://", 0) != 0)
      bus.Fail(key, "must be a tcp://, ipc:// or inproc:// endpoint, got '" + v + "'");
  }
  if (c.http.find(':') == std::string::npos) bus.Fail("http", "must be host:port");
  bus.RejectUnknownKeys();
}

}  // namespace

std::optional<SiteConfig> ParseSiteConfig(std::string_view text, const std::string& source_name,
                                          std::string* error) {
  auto table = ParseToml(text, source_name, error);
  if (!table) return std::nullopt;
  return ReadSiteConfig(*table, source_name, error);
}

std::optional<SiteConfig> ReadSiteConfig(const toml::table& parsed, const std::string& source_name,
                                         std::string* error) {
  const toml::table* table = &parsed;
  SiteConfig config;
  config.source_path = source_name;
  ConfigReader root(*table, source_name, "");

  ConfigReader site = root.Table("site");
  config.id = site.RequiredString("id");
  if (!config.id.empty() && !IsValidId(config.id, 64))
    site.Fail("id", "must be 1..64 characters of a-z, 0-9, '-' and '_'");
  config.name = site.String("name", config.id);
  config.data_root = site.RequiredString("data_root");
  config.services = site.StringList("services");
  for (const auto& s : config.services)
    if (!IsValidId(s, 32)) site.Fail("services", "'" + s + "' is not a service name");
  config.restart_backoff_max = site.Duration("restart_backoff_max", config.restart_backoff_max,
                                             100 * kMicrosPerMilli, 3600 * kMicrosPerSecond);
  site.RejectUnknownKeys();

  ReadBus(root.Table("bus"), config.bus);

  ConfigReader run = root.Table("run");
  if (const toml::table* runs = (*table)["run"].as_table()) {
    for (const auto& [k, v] : *runs) {
      std::string name(k.str());
      ConfigReader one = run.Table(name);
      if (!IsValidId(name, 32)) run.Fail(name, "is not a valid process name");
      if (v.is_table()) {
        RunConfig rc;
        rc.command = one.StringList("command");
        if (rc.command.empty()) one.Fail("command", "must be a non-empty array of strings");
        one.RejectUnknownKeys();
        config.run[name] = rc;
      }
    }
  }

  ReadSecurity(root, &config.security);

  for (const auto& [k, v] : *table) {
    std::string key(k.str());
    if (key == "site" || key == "bus" || key == "run" || key == "security") continue;
    if (!kServiceSections.count(key)) root.Fail(key, "unknown section");
    root.Table(key);  // must at least be a table
  }

  if (!root.Ok()) {
    *error = root.ErrorText();
    return std::nullopt;
  }
  return config;
}

std::optional<SiteConfig> LoadSiteConfig(const std::string& path, std::string* error) {
  auto text = ReadSmallFile(path, 4 << 20, error);
  if (!text) return std::nullopt;
  return ParseSiteConfig(*text, path, error);
}

}  // namespace picket
