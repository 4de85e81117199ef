// What the guard's screen shows (ScreenModel, kept by the Session) and the two ways to
// draw it:
//
//   RenderFullScreen  the full-screen view for a text console: exactly `height` lines, each
//                     at most `width` columns of visible text, with plain ANSI SGR codes
//                     (bold, reverse, red/green/yellow). The adapter homes the cursor
//                     ("\x1b[H"), writes each line followed by "\x1b[K\r\n" (clear to end of
//                     line), and redraws when Effects::screen_changed is set. Layout, top to
//                     bottom: a header (post, guard, gate and direction, connection state,
//                     outbox depth); the big word (5-line block letters: GRANTED, DENIED,
//                     CHECKING, OFFLINE, NO ANSWER, PANIC <seconds>, ...); the standard
//                     phrase and the scan's details; then the post orders (until /ack), or
//                     the round and the open incidents at this post with their procedure
//                     steps ([x] done, [~] sent, [ ] to do, * mandatory); at the bottom the
//                     last error, the last notice and a /help hint. What does not fit is cut
//                     with "(+N more)". A width narrower than the big word shows it as one
//                     bold line instead.
//   RenderLine        line mode, for scripts, tests and dumb terminals: one Notice -> its
//                     lines, each "<PREFIX> <text>" with the prefixes of effects.h
//                     (NoticeKind), stable and greppable.
//
// Columns are counted as one per code point (no East Asian wide characters: a site whose
// language needs them should use line mode until this is measured). Pure functions;
// ScreenModel is a value type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "terminal/core/effects.h"
#include "terminal/core/line_protocol.h"

namespace picket::terminal {

enum class Connection : uint8_t { kUnknown, kUp, kDown };
enum class Stage : uint8_t {
  kLoggedOut,    // only /login and /help
  kAwaitingAck,  // logged in; the post orders are on screen until /ack
  kOnDuty,
};

// The big word's meaning.
enum class Verdict : uint8_t {
  kNone,              // nothing yet this shift
  kChecking,          // a pass scan sent, its decision awaited
  kGranted,           // access.granted for the latest scan
  kDenied,            // access.denied for the latest scan
  kNoDecision,        // none can be had now (network down, or no answer in time); kept
  kCheckpoint,        // a checkpoint tag recorded
  kVisitor,           // a visitor announced
  kManualEntry,       // a manual entry recorded
  kIncidentReported,  // an incident reported
};

struct LastVerdict {
  Verdict verdict = Verdict::kNone;
  std::string subject;  // the pass code, tag or person
  std::string detail;   // granted: the person; denied: the reason; no decision:
                        // "network_down" / "no_answer"; checkpoint: "<n> this round"
  Direction direction = Direction::kIn;
  std::string gate;
  std::string phrase;  // the standard phrase for it (phrases.h): what the guard says
  Micros at = 0;       // when the guard scanned or typed it
  bool late = false;   // a decision that came after "no decision" was shown
};

struct StepOnScreen {
  std::string id;
  std::string text;
  bool mandatory = false;
  bool done = false;       // escalation.step_done received
  bool requested = false;  // /done sent, not yet confirmed
};

struct IncidentOnScreen {
  uint64_t id = 0;
  std::string kind;
  std::string label;     // the kind's label from the config, or the kind
  std::string severity;  // "low" ... "critical", or empty
  std::vector<StepOnScreen> steps;
};

struct ScreenModel {
  std::string post;
  std::string terminal;
  Connection connection = Connection::kUnknown;
  size_t outbox_depth = 0;

  Stage stage = Stage::kLoggedOut;
  std::string guard;  // logged in: the person id
  std::string gate;   // the current gate ("" = the post's own)
  Direction direction = Direction::kIn;
  std::vector<std::string> post_orders;  // lines; shown while kAwaitingAck

  LastVerdict last;
  bool in_round = false;
  std::string route;          // the round's route as typed ("" = the post's)
  int round_checkpoints = 0;  // tags recorded this round

  std::vector<IncidentOnScreen> incidents;  // open at this post, by id
  bool panic_pending = false;               // the cancel window runs
  int panic_seconds_left = 0;               // whole seconds, rounded up

  std::string error;   // the last refused line's message ("" after an accepted one)
  std::string notice;  // the last informational line
};

// The full-screen view: exactly `height` lines (height >= 1, width >= 1).
std::vector<std::string> RenderFullScreen(const ScreenModel& model, size_t width, size_t height);

// Line mode: the notice's lines, "<PREFIX> <text>" each.
std::vector<std::string> RenderLine(const Notice& notice);
// Every notice of `fx`, in order.
std::vector<std::string> RenderLines(const Effects& fx);

// The 5 rows of `word` in block letters (A-Z, 0-9, space, '!' and '-'; any other character
// is a blank cell): 5 columns per character and 1 between, so 6n - 1 in all.
std::vector<std::string> BlockLetters(std::string_view word);

// `s` without ANSI escape sequences (ESC '[' ... final byte): the visible text.
std::string StripAnsi(std::string_view s);

}  // namespace picket::terminal
