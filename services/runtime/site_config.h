// The site configuration file (site.toml) as typed values. One file describes one site;
// every process of the site reads it (docs/configuration.md lists every key).
//
//   [site]     id, name, data_root, services, restart_backoff ...
//   [bus]      endpoints of picket-bus and its storage settings
//   [run.<n>]  extra processes picket-site runs (e.g. the demo generator)
//   [security] the CURVE keys of the site and their roles (runtime/security_config.h)
//
// Each process validates the sections it uses and rejects unknown keys in them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/security_config.h"

namespace picket {

struct BusConfig {
  std::string ingest = "tcp://127.0.0.1:7401";  // ROUTER: publish, status
  std::string events = "tcp://127.0.0.1:7402";  // PUB: recorded events, heartbeats
  std::string replay = "tcp://127.0.0.1:7403";  // ROUTER: replay, credit, progress, status
  std::string http = "127.0.0.1:7480";          // /metrics, /healthz ("host:port", port 0 = any)
  bool sync = true;  // fsync every group-commit batch (false: survives kill -9 only)
  int64_t max_message_bytes = 65536;  // frames larger than this get tooLarge
  int64_t max_batch = 1024;           // most events in one group-commit batch
  Micros dedup_window = 7LL * 24 * 3600 * kMicrosPerSecond;  // how long an id is remembered
  Micros retention = 90LL * 24 * 3600 * kMicrosPerSecond;    // events older are deleted
  Micros heartbeat_interval = 500 * kMicrosPerMilli;
  int64_t pub_hwm = 100000;  // PUB send high-water mark per subscriber (messages)
  int64_t max_replay_sessions = 64;
  int64_t replay_max_batch = 256;  // default events per ReplayBatch
  // The low-space guard: publishes get `unavailable` while the log's disk has fewer free
  // bytes or inodes than these (0 = no minimum), so RocksDB's flushes and compactions
  // still find room. The disk is read at most every disk_check_interval.
  int64_t min_free_bytes = 128LL << 20;
  int64_t min_free_inodes = 1000;
  Micros disk_check_interval = 500 * kMicrosPerMilli;
  // Signed checkpoints of the hash chain (docs/security.md): the bus's Ed25519 key file
  // (a .sign from `picketctl keys new --signing`; relative to the config file's folder;
  // empty = no checkpoints), and how often: after checkpoint_every events, or
  // checkpoint_interval after the first event not yet covered, whichever comes first.
  std::string checkpoint_key;
  int64_t checkpoint_every = 1000;
  Micros checkpoint_interval = 60 * kMicrosPerSecond;
  // The checkpoint key's public half (64 hex digits) for `picketctl audit verify`; empty =
  // checkpoints are not checked unless --checkpoint-key names a .verify file.
  std::string checkpoint_public;
};

struct RunConfig {
  std::vector<std::string> command;  // argv; "{config}" and "{data_dir}" are substituted
};

struct SiteConfig {
  std::string id;                     // the site id on every event, 1..64 bytes [a-z0-9_-]
  std::string name;                   // a display name
  std::string data_root;              // each service gets <data_root>/<service>
  std::vector<std::string> services;  // picket services picket-site runs, e.g. ["bus"]
  Micros restart_backoff_max = 10 * kMicrosPerSecond;
  BusConfig bus;
  std::map<std::string, RunConfig> run;
  SecurityConfig security;
  std::string source_path;  // the file it was read from
};

// Reads and validates the whole file. Returns nullopt and sets *error (one line per
// problem, each with file:line:col and key) if anything is wrong.
std::optional<SiteConfig> LoadSiteConfig(const std::string& path, std::string* error);
std::optional<SiteConfig> ParseSiteConfig(std::string_view text, const std::string& source_name,
                                          std::string* error);
// The same for a file already parsed (a service reads its own section from the same table).
std::optional<SiteConfig> ReadSiteConfig(const toml::table& table, const std::string& source_name,
                                         std::string* error);

}  // namespace picket
