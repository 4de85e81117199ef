// Fuzzes picket-terminal's core with what reaches it from outside: the bytes a scanner or
// a guard types (split into lines by LineAssembler, each handled by the Session), mixed
// with decisions, incidents, connection changes and timers as the adapter would pass
// them, with text from the input. After every step the full screen is drawn at a size
// from the input and checked: exactly `height` lines, none wider than `width` characters.
//
// Input: a sequence of steps; each starts with an opcode byte, then its operands.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "terminal/core/code_hash.h"
#include "terminal/core/line_protocol.h"
#include "terminal/core/screen.h"
#include "terminal/core/session.h"
#include "terminal/core/terminal_config.h"

namespace {

using namespace picket;
using namespace picket::terminal;

TerminalConfig Config() {
  TerminalConfig c;
  c.terminal = "gate-1-terminal";
  c.post = "gate-1";
  c.gates = {"g1", "g2"};
  c.language = "fr";
  c.default_language = "en";
  c.phrases["fr"]["granted_in"] = "Bonjour, vous pouvez entrer.";
  c.post_orders = "Check every badge.\nNo phones on duty.";
  c.guards = {{"g-7", "guard", HashCode("2468", "a1b2c3d4"), HashCode("1357", "0badc0de")},
              {"g-8", "squad_leader", HashCode("9999", "00112233"), ""}};
  c.checkpoint_prefixes = {"CP-"};
  c.incident_kinds = {{"fire",
                       "Fire",
                       {{"call", "Call the fire brigade (112)", true},
                        {"evacuate", "Evacuate the building", false}}},
                      {"intrusion", "", {}}};
  c.panic_cancel_window = 10 * kMicrosPerSecond;
  c.decision_timeout = 5 * kMicrosPerSecond;
  c.max_login_failures = 3;
  c.login_lockout = 60 * kMicrosPerSecond;
  c.max_pending_scans = 4;
  if (!ValidateTerminalConfig(c).empty()) __builtin_trap();
  return c;
}

// Reads operands off the input; past its end, zeros and empty strings.
struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t Byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  // Up to `max` bytes, ending before a 0 byte (consumed).
  std::string Text(size_t max) {
    std::string s;
    while (n > 0 && s.size() < max) {
      const uint8_t b = Byte();
      if (b == 0) break;
      s.push_back(static_cast<char>(b));
    }
    return s;
  }
  // Text the adapter passes on comes from events the bus accepted (clean UTF-8, no
  // control characters): printable ASCII here.
  std::string Clean(size_t max) {
    std::string s = Text(max);
    for (char& c : s) c = static_cast<char>(' ' + static_cast<uint8_t>(c) % 95);
    return s;
  }
};

size_t CodePoints(std::string_view s) {
  size_t count = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const TerminalConfig config = Config();
  static const char* const kReasons[] = {"expired", "revoked", "unknown_pass", "watchlist", ""};
  Session session(config);
  LineAssembler lines;
  Reader in{data, size};
  Micros now = 1'700'000'000 * kMicrosPerSecond;
  uint64_t refs = 0;  // events published so far (their ids are "ev-<ref>")
  auto take = [&](const Effects& fx) {
    for (const auto& e : fx.events) {
      session.BindEventId(e.ref, "ev-" + std::to_string(e.ref));
      refs = e.ref;
    }
  };
  for (int step = 0; in.n > 0 && step < 200; ++step) {
    const uint8_t op = in.Byte();
    now += static_cast<Micros>(in.Byte()) * 100'000;
    switch (op % 8) {
      case 0:
      case 1:
      case 2:  // typed bytes, with or without a line end
        for (const auto& line : lines.Feed(in.Text(300))) take(session.HandleLine(line, now));
        break;
      case 3: {  // a decision for one of the last events (or an unknown id)
        Decision d;
        const uint8_t which = in.Byte();
        d.scan_event_id = "ev-" + std::to_string(refs >= which ? refs - which : which);
        d.granted = which & 1;
        d.reason = (which & 2) ? in.Clean(40) : kReasons[which % 5];
        d.person = in.Clean(40);
        take(session.OnDecision(d, now));
        break;
      }
      case 4: {
        IncidentInfo i;
        i.id = in.Byte();
        i.kind = (i.id & 1) ? "fire" : in.Clean(20);
        i.post = (i.id & 2) ? "gate-1" : in.Clean(20);
        i.severity = in.Clean(10);
        i.trigger_event_id = "ev-" + std::to_string(in.Byte());
        take(session.OnIncidentOpened(i, now));
        break;
      }
      case 5: {
        const uint64_t id = in.Byte();
        if (id & 1)
          take(session.OnStepDone(id >> 1, in.Clean(20), now));
        else
          take(session.OnIncidentClosed(id >> 1, in.Clean(20), now));
        break;
      }
      case 6:
        take(session.OnConnection(in.Byte() & 1, in.Byte(), now));
        break;
      case 7:
        if (auto due = session.NextDeadline(); due && *due > now) now = *due;
        take(session.OnTimer(now));
        break;
    }
    const size_t width = 20 + in.Byte() % 101, height = 10 + in.Byte() % 31;
    const auto screen = RenderFullScreen(session.screen(), width, height);
    if (screen.size() != height) __builtin_trap();
    for (const auto& row : screen)
      if (CodePoints(StripAnsi(row)) > width) __builtin_trap();
  }
  for (const auto& line : lines.Finish()) take(session.HandleLine(line, now));
  return 0;
}
