// site_config: the text of a site.toml as every process reads it (runtime/site_config.h,
// ParseSiteConfig: toml++ then the [site], [bus] and [run.*] checks). Invariant: a config
// that loads keeps the promises of its checks (a valid id, the bus's ranges, tcp/ipc/inproc
// endpoints, dedup_window within retention, a command for each [run.*], and in [security]
// a listed `bus` service, every identity with a role, a Z85 key of its own and a post
// exactly when it is a terminal); a refusal says why.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <set>
#include "fuzz/fuzz_support.h"

#include "runtime/curve_keys.h"
#include "runtime/site_config.h"
#include "wire/chain_checkpoint.h"
#include "wire/event_rules.h"

namespace {

bool IsEndpoint(std::string_view v) {
  return v.starts_with("tcp://") || v.starts_with("ipc://") || v.starts_with("inproc://");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  std::string error;
  auto config = ParseSiteConfig(fuzz::Bytes(data, size), "/nonexistent/fuzz/site.toml", &error);
  if (!config) {
    fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  fuzz::Require(!config->id.empty() && config->id.size() <= 64, "site id of 1..64 bytes");
  for (char c : config->id)
    fuzz::Require((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_',
                  "site id of a-z, 0-9, - and _");
  const BusConfig& bus = config->bus;
  fuzz::Require(IsEndpoint(bus.ingest) && IsEndpoint(bus.events) && IsEndpoint(bus.replay),
                "bus endpoints are tcp, ipc or inproc");
  fuzz::Require(bus.http.find(':') != std::string::npos, "bus.http is host:port");
  fuzz::Require(bus.max_message_bytes >= 256 &&
                    bus.max_message_bytes <= static_cast<int64_t>(kMaxBusFrameBytes),
                "max_message_bytes in range");
  fuzz::Require(bus.max_batch >= 1 && bus.max_batch <= 65536, "max_batch in range");
  fuzz::Require(bus.dedup_window > 0 && bus.dedup_window <= bus.retention,
                "dedup_window within retention");
  fuzz::Require(bus.heartbeat_interval >= 10'000, "heartbeat_interval at least 10 ms");
  fuzz::Require(bus.checkpoint_every >= 1 && bus.checkpoint_interval >= 1'000'000,
                "checkpoints at least every event and every second");
  fuzz::Require(bus.checkpoint_public.empty() || FromHex<32>(bus.checkpoint_public),
                "checkpoint_public is a 32-byte hex key");
  for (const auto& [name, run] : config->run)
    fuzz::Require(!name.empty() && !run.command.empty(), "each [run.*] has a command");
  const SecurityConfig& security = config->security;
  if (!security.enabled) {
    fuzz::Require(security.identities.empty(), "no identities without [security]");
    return 0;
  }
  const Identity* bus_id = security.Find("bus");
  fuzz::Require(bus_id && bus_id->role == Role::kService, "[security] lists the bus, a service");
  std::set<std::string> keys;
  for (const auto& [name, id] : security.identities) {
    fuzz::Require(id.name == name && IsKeyName(name), "an identity is named by a key name");
    fuzz::Require(IsZ85Key(id.public_key), "an identity has a Z85 public key");
    fuzz::Require(keys.insert(id.public_key).second, "one key, one identity");
    fuzz::Require((id.role == Role::kTerminal) == !id.post.empty(), "a post exactly for terminals");
    fuzz::Require(id.role == Role::kTerminal || id.gates.empty(), "gates only for terminals");
  }
  return 0;
}
