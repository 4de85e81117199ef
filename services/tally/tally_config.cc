#include "tally/tally_config.h"

#include "runtime/config.h"

namespace picket::tally {

std::optional<TallyConfig> ReadTallyConfig(const toml::table& root, const std::string& path,
                                           std::string* error) {
  ConfigReader r = ConfigReader(root, path, "").Table("tally");
  TallyConfig c;
  c.milestone_every = static_cast<uint64_t>(r.Int("milestone_every", 10, 1, 1000000));
  r.RejectUnknownKeys();
  if (!r.Ok()) {
    *error = r.ErrorText();
    return std::nullopt;
  }
  return c;
}

}  // namespace picket::tally
