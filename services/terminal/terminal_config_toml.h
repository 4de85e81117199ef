// Reading one post terminal's configuration: the `[terminal]` section of site.toml, for
// the post named on the command line, and the guards' hashed codes from the codes file
// (docs/terminal.md, "Configuration", lists every key).
//
//   site.toml            [terminal]                   site-wide: languages, post orders,
//                        [terminal.phrases.<lang>]    checkpoint prefixes, limits, the
//                        [terminal.roles]             codes file's path; the phrases; guards'
//                        [terminal.incident_kinds]    roles; what /incident accepts (each
//                                                     kind's procedure is escalation's)
//                        [terminal.posts.<post>]      one terminal: its producer id, gates,
//                                                     direction, post orders, who logs in
//   terminal-codes.toml  [guards]                     person.login / person.duress: stored
//                                                     hashes only (code_hash.h), chmod 600
//
// Every problem is reported, one line each, as "file:line:col: key.path: message" (the
// runtime's ConfigReader format): site.toml's first, in file order, then the codes
// file's. The configuration is refused as a whole: nothing is returned if any line is.
// Every post of `[terminal.posts]` is checked, not only the one asked for, so a mistake
// at another post is found before that terminal is deployed. Besides types, ranges and
// unknown keys: the post asked for exists; codes are stored hashes (a plain code is
// refused, and no message ever repeats a code's value); each guard a post lists has
// codes; incident kinds are incident types of [escalation] (when it declares any), whose
// procedure steps they take; gates are [[access.gates]] ids (when it declares any), and a
// post with several access gates must say which it serves; every [[patrol.checkpoints]]
// tag starts with a checkpoint prefix (when prefixes are given: else it would be taken
// for a pass); then the core's ValidateTerminalConfig, each sentence placed at the key
// it is about.
//
// Pure functions of their inputs except LoadTerminalConfig (reads two files). Thread-safe.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "terminal/core/terminal_config.h"

namespace picket::terminal {

struct TerminalServiceConfig {
  TerminalConfig terminal;  // validated (ValidateTerminalConfig returned nothing)
  std::string http;         // /metrics and /healthz of this terminal; "" = none
  // fsync every outbox write: a scan the screen showed as sent survives a power cut.
  bool sync = true;
  // How this post reaches the bus when not at the site's [bus] addresses (a remote post
  // through a tunnel, or the demo's simulated network link): all three, or none ("").
  std::string bus_ingest, bus_events, bus_replay;
};

inline constexpr std::string_view kDefaultCodesFile = "terminal-codes.toml";
// Larger codes files are refused unread.
inline constexpr size_t kMaxCodesFileBytes = 1 << 20;

// Reads root["terminal"] for `post`, with the guards' codes from `codes` (the parsed codes
// file, named `codes_source` in errors). Nullopt and *error (lines joined by '\n') on any
// problem; the bus endpoints are the site's ([bus], runtime/site_config.h).
std::optional<TerminalServiceConfig> ReadTerminalConfig(
    const toml::table& root, const std::string& source_name, std::string_view post,
    const toml::table& codes, const std::string& codes_source, std::string* error);

// Parses both texts and reads them as above (tests and tools). TOML syntax errors are
// reported the same way, named after their file.
std::optional<TerminalServiceConfig> ParseTerminalConfig(
    std::string_view site_text, const std::string& source_name, std::string_view post,
    std::string_view codes_text, const std::string& codes_source, std::string* error);

// The codes file `[terminal] codes_file` names (default kDefaultCodesFile), a relative path
// taken from the directory of `site_path`. A codes_file that is not a string gives the
// default (ReadTerminalConfig reports it).
std::string TerminalCodesPath(const toml::table& root, const std::string& site_path);

// Reads the codes file at `path` (`named_by` says where the path came from, for the error:
// "site.toml, terminal.codes_file" or "--codes"). It must be a regular file of at most
// kMaxCodesFileBytes that others cannot read or write (mode 0600 or 0640), else it is
// refused unread.
std::optional<toml::table> LoadCodesFile(const std::string& path, const std::string& named_by,
                                         std::string* error);

// Loads `site_path` and the codes file (`codes_path`, or TerminalCodesPath if empty) and
// reads them for `post` (the codes file as LoadCodesFile reads it).
std::optional<TerminalServiceConfig> LoadTerminalConfig(const std::string& site_path,
                                                        std::string_view post,
                                                        const std::string& codes_path,
                                                        std::string* error);

enum class CodeKind : uint8_t { kLogin, kDuress };

// The line an operator pastes under the codes file's [guards] for `guard`'s `code`:
//   hana.login = "sha256$<salt_hex>$<digest>"
// (the guard quoted if it needs it: "j.smith".duress = ...). Nullopt and *error for a
// guard that is not 1..64 bytes of [A-Za-z0-9._:-], a code the line protocol cannot carry
// (empty, over 128 bytes, a space or control character: line_protocol.h), a duress code
// starting with '/' (it is also typed as a scan, and a scan cannot start with '/'), or a
// salt that is not 8..64 lowercase hex digits, an even number. The error never repeats
// the code.
std::optional<std::string> HashCodeLine(std::string_view guard, CodeKind kind,
                                        std::string_view code, std::string_view salt_hex,
                                        std::string* error);

}  // namespace picket::terminal
