// The terminal's input: one line of text -> one typed Input, or a LineError for the guard.
//
// A barcode or NFC reader that "types like a keyboard" sends `code<Enter>`; it must work
// unmodified, so a bare token is a scan. Everything else the guard types is a command and
// starts with '/'. The grammar (docs/terminal.md copies it):
//
//   line     = [scan / command] [CR / LF / CRLF]       ; at most kMaxLineBytes before the end
//   scan     = code                                    ; a pass code or a checkpoint tag
//   command  = "/" name *(SP arg) [SP text]
//
//   /login <guard> <code>      log in (shift start); <code> is the guard's login code, or
//                              their duress code (docs: session.h, "Duress")
//   /ack                       acknowledge the post orders shown at login
//   /logout                    log out (shift end)
//   /in   /out                 the direction of the next pass scans (stays until changed)
//   /gate <gate>               the gate of the next pass scans (stays until changed)
//   /scan <code>               a scan typed by hand (also: a code that starts with '/')
//   /visitor <person> [gate]   a visitor announced themselves at the gate
//   /manual <person> <reason…> someone let in without a pass, and why (reason required)
//   /round start [route]       start a patrol round
//   /round end                 end the round early (its pending checkpoints are missed)
//   /incident <kind> <text…>   report an incident of a configured kind, with a note
//   /panic                     panic (goes out when the cancel window has passed)
//   /cancel                    cancel a panic within its cancel window
//   /done <incident> <step>    mark a procedure step of an incident at this post done
//   /help                      show this list
//
// Lexical rules, in the order they are checked:
//   - Trailing CR and LF bytes are dropped (one inside the line is a control character).
//     What is left is at most kMaxLineBytes (256) bytes, else too_long.
//   - It is valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF), else
//     not_utf8; it holds no control character (U+0000..U+001F, U+007F..U+009F: a tab or an
//     arrow key's escape sequence), else not_printable.
//   - Leading and trailing spaces (U+0020) are dropped; an empty line is Blank (a guard
//     pressing Enter), not an error.
//   - A scan is one token without spaces, 1..kMaxCodeBytes (128) bytes, else bad_scan.
//   - In a command, args are separated by one or more spaces. <guard> <person> <gate>
//     <route> <kind> <step> are 1..64 bytes; <code> 1..kMaxCodeBytes; <incident> a decimal
//     number 1..2^63; <reason…> and <text…> are the rest of the line as typed (inner
//     spaces kept), 1..200 bytes. Names are lowercase and exact: "/Login" is unknown.
//
// Errors are values: every malformed line gives a LineError whose message says what was
// wrong and what to type instead; the caller shows it and reads the next line. Nothing is
// thrown. Pure functions; thread-safe. LineAssembler is a value type, one per input stream,
// not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace picket::terminal {

inline constexpr size_t kMaxLineBytes = 256;
inline constexpr size_t kMaxCodeBytes = 128;
inline constexpr size_t kMaxNameBytes = 64;
inline constexpr size_t kMaxTextBytes = 200;

// DO NOT CHANGE the numbers: the same as terminal.capnp's Direction.
enum class Direction : uint8_t { kIn = 0, kOut = 1 };
std::string_view DirectionName(Direction d);  // "in", "out" (as on the wire)

// DO NOT CHANGE the names: line mode prints them (ERR <name> ...) and scripts match them.
enum class LineErrorCode : uint8_t {
  kTooLong = 1,          // "too_long"
  kNotUtf8 = 2,          // "not_utf8"
  kNotPrintable = 3,     // "not_printable"
  kBadScan = 4,          // "bad_scan": spaces in a code, or a code too long
  kUnknownCommand = 5,   // "unknown_command"
  kMissingArgument = 6,  // "missing_argument"
  kExtraArgument = 7,    // "extra_argument"
  kBadArgument = 8,      // "bad_argument": too long, not a number, ...
};
std::string_view LineErrorCodeName(LineErrorCode c);

struct LineError {
  LineErrorCode code = LineErrorCode::kBadArgument;
  std::string message;  // one or two sentences for the guard, in English
};

namespace input {
struct Blank {};
struct Scan {
  std::string code;
};
struct Login {
  std::string guard;
  std::string code;
};
struct Ack {};
struct Logout {};
struct SetDirection {
  Direction direction = Direction::kIn;
};
struct SetGate {
  std::string gate;
};
struct Visitor {
  std::string person;
  std::string gate;  // empty: the terminal's current gate
};
struct Manual {
  std::string person;
  std::string reason;
};
struct RoundStart {
  std::string route;  // empty: the post's route (picket-patrol picks the one due)
};
struct RoundEnd {};
struct Incident {
  std::string kind;
  std::string text;
};
struct Panic {};
struct Cancel {};
struct StepDone {
  uint64_t incident = 0;
  std::string step;
};
struct Help {};
}  // namespace input

using Input = std::variant<input::Blank, input::Scan, input::Login, input::Ack, input::Logout,
                           input::SetDirection, input::SetGate, input::Visitor, input::Manual,
                           input::RoundStart, input::RoundEnd, input::Incident, input::Panic,
                           input::Cancel, input::StepDone, input::Help>;

// One line (with or without its CR/LF) -> an Input, or the LineError for the guard.
std::variant<Input, LineError> ParseLine(std::string_view line);

// Whether `s` is valid UTF-8 without control characters (the rule above; also used for
// configured texts shown on screen).
bool IsPrintableText(std::string_view s);

// The command list /help shows, one command per line (no trailing newline).
std::string_view HelpText();

// Splits a byte stream (stdin, a serial scanner, a device file) into lines for ParseLine.
// CR, LF and CRLF each end a line (serial scanners often send CR alone). A line longer
// than kMaxLineBytes is cut to kMaxLineBytes + 1 bytes, so ParseLine rejects it as
// too_long, and the rest of it up to its end is dropped: one error per overlong line, and
// memory stays bounded whatever arrives.
class LineAssembler {
 public:
  // The lines completed by `bytes` (without their terminators), in order.
  std::vector<std::string> Feed(std::string_view bytes);
  // At end of input: the unterminated last line, if there is one (else empty vector).
  std::vector<std::string> Finish();

 private:
  std::string partial_;
  bool overlong_ = false;  // partial_ was cut; drop bytes until the line ends
  bool after_cr_ = false;  // the last byte was CR: an LF right after it ends nothing
};

}  // namespace picket::terminal
