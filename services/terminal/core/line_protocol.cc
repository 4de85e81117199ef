#include "terminal/core/line_protocol.h"

#include <charconv>
#include <optional>

namespace picket::terminal {
namespace {

// Whether `s` is valid UTF-8 with no control character; sets *code on failure.
bool IsPrintableUtf8(std::string_view s, LineErrorCode* code) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<uint8_t>(s[i]);
    uint32_t cp = 0;
    size_t len = 0;
    if (b0 < 0x80) {
      cp = b0;
      len = 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = b0 & 0x1f;
      len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      cp = b0 & 0x0f;
      len = 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      cp = b0 & 0x07;
      len = 4;
    } else {
      *code = LineErrorCode::kNotUtf8;  // a continuation byte first, 0xc0/0xc1, 0xf5..0xff
      return false;
    }
    if (i + len > s.size()) {
      *code = LineErrorCode::kNotUtf8;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<uint8_t>(s[i + k]);
      if ((b & 0xc0) != 0x80) {
        *code = LineErrorCode::kNotUtf8;
        return false;
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      *code = LineErrorCode::kNotUtf8;
      return false;
    }
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      *code = LineErrorCode::kNotPrintable;
      return false;
    }
    i += len;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The words of a command line, and where each starts (for "the rest of the line").
struct Words {
  std::vector<std::string_view> words;
  std::vector<size_t> starts;
  std::string_view line;

  size_t size() const { return words.size(); }
  // Everything from word i to the end, as typed.
  std::string_view RestFrom(size_t i) const { return Trim(line.substr(starts[i])); }
};

Words Split(std::string_view line) {
  Words w;
  w.line = line;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i == line.size()) break;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    w.words.push_back(line.substr(start, i - start));
    w.starts.push_back(start);
  }
  return w;
}

LineError Error(LineErrorCode code, std::string message) { return {code, std::move(message)}; }

LineError Usage(LineErrorCode code, std::string_view what, std::string_view usage) {
  return Error(code, std::string(what) + ". Type: " + std::string(usage));
}

// Checks the arity of a command: between min and max words after the name.
std::optional<LineError> Arity(const Words& w, size_t min, size_t max, std::string_view usage) {
  const size_t args = w.size() - 1;
  if (args < min) return Usage(LineErrorCode::kMissingArgument, "Something is missing", usage);
  if (args > max) return Usage(LineErrorCode::kExtraArgument, "Too many words", usage);
  return std::nullopt;
}

std::optional<LineError> CheckName(std::string_view value, std::string_view what,
                                   std::string_view usage, size_t max = kMaxNameBytes) {
  if (value.size() > max) {
    return Usage(LineErrorCode::kBadArgument,
                 std::string(what) + " is too long (at most " + std::to_string(max) + " bytes)",
                 usage);
  }
  return std::nullopt;
}

std::optional<LineError> CheckText(std::string_view value, std::string_view what,
                                   std::string_view usage) {
  return CheckName(value, what, usage, kMaxTextBytes);
}

std::variant<Input, LineError> ParseScan(std::string_view code) {
  if (code.find(' ') != std::string_view::npos) {
    return Error(LineErrorCode::kBadScan,
                 "A scan is one code without spaces; commands start with '/'. Type /help.");
  }
  if (code.size() > kMaxCodeBytes) {
    return Error(LineErrorCode::kBadScan, "The code is too long (at most " +
                                              std::to_string(kMaxCodeBytes) +
                                              " bytes): not taken. Scan it again.");
  }
  return Input{input::Scan{std::string(code)}};
}

std::variant<Input, LineError> ParseRound(const Words& w) {
  constexpr std::string_view kUsage = "/round start [route] or /round end";
  if (w.size() < 2) return Usage(LineErrorCode::kMissingArgument, "Start or end?", kUsage);
  if (w.words[1] == "start") {
    if (auto e = Arity(w, 1, 2, "/round start [route]")) return *e;
    std::string route = w.size() > 2 ? std::string(w.words[2]) : "";
    if (auto e = CheckName(route, "The route", kUsage)) return *e;
    return Input{input::RoundStart{std::move(route)}};
  }
  if (w.words[1] == "end") {
    if (auto e = Arity(w, 1, 1, "/round end")) return *e;
    return Input{input::RoundEnd{}};
  }
  return Usage(LineErrorCode::kBadArgument, "Start or end?", kUsage);
}

std::variant<Input, LineError> ParseDone(const Words& w) {
  constexpr std::string_view kUsage = "/done <incident number> <step>";
  if (auto e = Arity(w, 2, 2, kUsage)) return *e;
  const std::string_view number = w.words[1];
  uint64_t id = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), id);
  if (ec != std::errc() || end != number.data() + number.size() || id == 0 ||
      id > (uint64_t{1} << 63)) {
    return Usage(LineErrorCode::kBadArgument, "The incident must be a number like 12", kUsage);
  }
  if (auto e = CheckName(w.words[2], "The step", kUsage)) return *e;
  return Input{input::StepDone{id, std::string(w.words[2])}};
}

std::variant<Input, LineError> ParseCommand(std::string_view line) {
  const Words w = Split(line);
  const std::string_view name = w.words[0].substr(1);
  // Commands without arguments.
  struct Bare {
    std::string_view name;
    Input input;
  };
  static const Bare kBare[] = {
      {"ack", input::Ack{}},
      {"logout", input::Logout{}},
      {"panic", input::Panic{}},
      {"cancel", input::Cancel{}},
      {"help", input::Help{}},
      {"in", input::SetDirection{Direction::kIn}},
      {"out", input::SetDirection{Direction::kOut}},
  };
  for (const Bare& b : kBare) {
    if (name != b.name) continue;
    if (auto e = Arity(w, 0, 0, "/" + std::string(b.name))) return *e;
    return b.input;
  }
  if (name == "login") {
    constexpr std::string_view kUsage = "/login <guard> <code>";
    if (auto e = Arity(w, 2, 2, kUsage)) return *e;
    if (auto e = CheckName(w.words[1], "The guard", kUsage)) return *e;
    if (auto e = CheckName(w.words[2], "The code", kUsage, kMaxCodeBytes)) return *e;
    return Input{input::Login{std::string(w.words[1]), std::string(w.words[2])}};
  }
  if (name == "gate") {
    constexpr std::string_view kUsage = "/gate <gate>";
    if (auto e = Arity(w, 1, 1, kUsage)) return *e;
    if (auto e = CheckName(w.words[1], "The gate", kUsage)) return *e;
    return Input{input::SetGate{std::string(w.words[1])}};
  }
  if (name == "scan") {
    constexpr std::string_view kUsage = "/scan <code>";
    if (auto e = Arity(w, 1, 1, kUsage)) return *e;
    return ParseScan(w.words[1]);
  }
  if (name == "visitor") {
    constexpr std::string_view kUsage = "/visitor <person> [gate]";
    if (auto e = Arity(w, 1, 2, kUsage)) return *e;
    if (auto e = CheckName(w.words[1], "The person", kUsage)) return *e;
    std::string gate = w.size() > 2 ? std::string(w.words[2]) : "";
    if (auto e = CheckName(gate, "The gate", kUsage)) return *e;
    return Input{input::Visitor{std::string(w.words[1]), std::move(gate)}};
  }
  if (name == "manual") {
    constexpr std::string_view kUsage = "/manual <person> <reason>";
    if (w.size() == 2) {
      return Usage(LineErrorCode::kMissingArgument, "Say why the person was let in", kUsage);
    }
    if (auto e = Arity(w, 2, SIZE_MAX, kUsage)) return *e;
    if (auto e = CheckName(w.words[1], "The person", kUsage)) return *e;
    const std::string_view reason = w.RestFrom(2);
    if (auto e = CheckText(reason, "The reason", kUsage)) return *e;
    return Input{input::Manual{std::string(w.words[1]), std::string(reason)}};
  }
  if (name == "incident") {
    constexpr std::string_view kUsage = "/incident <kind> <what happened>";
    if (w.size() == 2) {
      return Usage(LineErrorCode::kMissingArgument, "Say what happened", kUsage);
    }
    if (auto e = Arity(w, 2, SIZE_MAX, kUsage)) return *e;
    if (auto e = CheckName(w.words[1], "The kind", kUsage)) return *e;
    const std::string_view text = w.RestFrom(2);
    if (auto e = CheckText(text, "The text", kUsage)) return *e;
    return Input{input::Incident{std::string(w.words[1]), std::string(text)}};
  }
  if (name == "round") return ParseRound(w);
  if (name == "done") return ParseDone(w);
  return Error(LineErrorCode::kUnknownCommand,
               "Unknown command '" + std::string(w.words[0]) + "'. Type /help for the list.");
}

}  // namespace

bool IsPrintableText(std::string_view s) {
  LineErrorCode ignored = LineErrorCode::kNotUtf8;
  return IsPrintableUtf8(s, &ignored);
}

std::string_view DirectionName(Direction d) { return d == Direction::kOut ? "out" : "in"; }

std::string_view LineErrorCodeName(LineErrorCode c) {
  switch (c) {
    case LineErrorCode::kTooLong:
      return "too_long";
    case LineErrorCode::kNotUtf8:
      return "not_utf8";
    case LineErrorCode::kNotPrintable:
      return "not_printable";
    case LineErrorCode::kBadScan:
      return "bad_scan";
    case LineErrorCode::kUnknownCommand:
      return "unknown_command";
    case LineErrorCode::kMissingArgument:
      return "missing_argument";
    case LineErrorCode::kExtraArgument:
      return "extra_argument";
    case LineErrorCode::kBadArgument:
      return "bad_argument";
  }
  return "bad_argument";
}

std::variant<Input, LineError> ParseLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.size() > kMaxLineBytes) {
    return Error(LineErrorCode::kTooLong, "The line is too long (at most " +
                                              std::to_string(kMaxLineBytes) +
                                              " bytes): nothing was taken. Type it again.");
  }
  LineErrorCode code = LineErrorCode::kNotUtf8;
  if (!IsPrintableUtf8(line, &code)) {
    if (code == LineErrorCode::kNotUtf8) {
      return Error(code,
                   "The line is not readable text (not UTF-8): nothing was taken. "
                   "Check the reader's keyboard layout and scan again.");
    }
    return Error(code,
                 "The line holds a control character (a tab, an arrow key, ...): nothing was "
                 "taken. Type it again.");
  }
  line = Trim(line);
  if (line.empty()) return Input{input::Blank{}};
  if (line.front() == '/') return ParseCommand(line);
  return ParseScan(line);
}

std::string_view HelpText() {
  return "/login <guard> <code>      log in (start of shift)\n"
         "/ack                       confirm you have read the post orders\n"
         "/logout                    log out (end of shift)\n"
         "<code>                     scan a pass or a checkpoint tag\n"
         "/scan <code>               type a code by hand\n"
         "/in  /out                  direction of the next pass scans\n"
         "/gate <gate>               gate of the next pass scans\n"
         "/visitor <person> [gate]   a visitor has arrived\n"
         "/manual <person> <reason>  someone let in without a pass\n"
         "/round start [route]       start a patrol round\n"
         "/round end                 end the round early\n"
         "/incident <kind> <text>    report an incident\n"
         "/panic                     panic (/cancel within the countdown to stop it)\n"
         "/done <incident> <step>    mark a procedure step done\n"
         "/help                      this list";
}

std::vector<std::string> LineAssembler::Feed(std::string_view bytes) {
  std::vector<std::string> lines;
  for (char c : bytes) {
    const bool after_cr = after_cr_;
    after_cr_ = c == '\r';
    if (c == '\n' && after_cr) continue;  // the LF of a CRLF
    if (c == '\r' || c == '\n') {
      lines.push_back(std::move(partial_));
      partial_.clear();
      overlong_ = false;
      continue;
    }
    if (overlong_) continue;
    partial_.push_back(c);
    if (partial_.size() > kMaxLineBytes) overlong_ = true;  // kept at kMaxLineBytes + 1
  }
  return lines;
}

std::vector<std::string> LineAssembler::Finish() {
  std::vector<std::string> lines;
  if (!partial_.empty()) lines.push_back(std::move(partial_));
  partial_.clear();
  overlong_ = false;
  after_cr_ = false;
  return lines;
}

}  // namespace picket::terminal
