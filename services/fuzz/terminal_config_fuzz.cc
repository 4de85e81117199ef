// terminal_config: a site.toml and a codes file as picket-terminal reads them for post
// gate-1 (terminal/terminal_config_toml.h, ParseTerminalConfig: toml++, the runtime's
// ConfigReader, the codes as stored hashes, every post checked against [escalation],
// [access] and [patrol], then the core's ValidateTerminalConfig). The input is the site
// text, a line "#--codes--", then the codes text.
// Invariants: an accepted config passes ValidateTerminalConfig again and is gate-1's; every
// guard it lets log in has a stored login hash; a refusal says why.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "terminal/terminal_config_toml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket::terminal;
  const std::string text(picket::fuzz::Bytes(data, size));
  static const std::string kSplit = "\n#--codes--\n";
  const size_t at = text.find(kSplit);
  const std::string site = at == std::string::npos ? text : text.substr(0, at);
  const std::string codes = at == std::string::npos ? "" : text.substr(at + kSplit.size());
  std::string error;
  auto config = ParseTerminalConfig(site, "site.toml", "gate-1", codes, "codes.toml", &error);
  if (!config) {
    picket::fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  const TerminalConfig& t = config->terminal;
  picket::fuzz::Require(ValidateTerminalConfig(t).empty(), "an accepted config validates");
  picket::fuzz::Require(t.post == "gate-1", "the config is the asked post's");
  for (const auto& g : t.guards)
    picket::fuzz::Require(!g.login_code.empty(), "a guard who may log in has a login hash");
  return 0;
}
