// notify_config: the text of a site.toml as picket-notify reads its [notify] section
// (notify/notify_config_toml.h, ParseNotifyConfig: toml++, channels, webhook URLs,
// secrets, headers, people and roles, retry settings). The config's directory does not
// exist, so a relative secret_file is never found; an absolute one is read (bounded) like
// any file. Invariant: a config that loads keeps the promises of its checks (http(s)
// targets with a port, secrets of 16 bytes or more, backoffs in order, people and roles
// naming defined channels); a refusal says why.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "notify/notify_config_toml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  std::string error;
  auto config =
      notify::ParseNotifyConfig(fuzz::Bytes(data, size), "/nonexistent/fuzz/site.toml", &error);
  if (!config) {
    fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  for (const auto& [name, channel] : config->channels) {
    fuzz::Require(channel.target.scheme == "http" || channel.target.scheme == "https",
                  "a channel's URL is http(s)");
    fuzz::Require(!channel.target.host.empty(), "a channel's URL has a host");
    fuzz::Require(channel.target.port > 0 && channel.target.port < 65536, "a port in range");
    fuzz::Require(channel.secret.size() >= 16, "a secret of at least 16 bytes");
  }
  fuzz::Require(config->retry.max_attempts >= 1, "at least one attempt");
  fuzz::Require(config->retry.initial_backoff > 0 &&
                    config->retry.max_backoff >= config->retry.initial_backoff,
                "backoffs in order");
  for (const auto* names : {&config->people, &config->roles})
    for (const auto& [who, channels] : *names)
      for (const auto& c : channels)
        fuzz::Require(config->FindChannel(c) != nullptr, "people and roles name defined channels");
  return 0;
}
