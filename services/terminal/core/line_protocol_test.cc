// The line protocol: every command of the grammar, and every way a line can be malformed.
#include "terminal/core/line_protocol.h"

#include <catch2/catch.hpp>

namespace picket::terminal {
namespace {

template <class T>
T Parsed(std::string_view line) {
  auto r = ParseLine(line);
  INFO(std::string(line));
  REQUIRE(std::holds_alternative<Input>(r));
  const Input& in = std::get<Input>(r);
  REQUIRE(std::holds_alternative<T>(in));
  return std::get<T>(in);
}

LineError Rejected(std::string_view line) {
  auto r = ParseLine(line);
  INFO(std::string(line));
  REQUIRE(std::holds_alternative<LineError>(r));
  return std::get<LineError>(r);
}

}  // namespace

TEST_CASE("line protocol: a bare token is a scan, whatever ends the line", "[terminal][line]") {
  CHECK(Parsed<input::Scan>("4711").code == "4711");
  CHECK(Parsed<input::Scan>("4711\n").code == "4711");
  CHECK(Parsed<input::Scan>("4711\r\n").code == "4711");
  CHECK(Parsed<input::Scan>("4711\r").code == "4711");
  CHECK(Parsed<input::Scan>("  CP-north-3  ").code == "CP-north-3");
  CHECK(Parsed<input::Scan>("Zoë-ÅB").code == "Zoë-ÅB");  // UTF-8 is text
  CHECK(Parsed<input::Scan>(std::string(kMaxCodeBytes, '7')).code.size() == kMaxCodeBytes);
  CHECK(Parsed<input::Scan>("/scan /odd-code").code == "/odd-code");
}

TEST_CASE("line protocol: an empty line is blank, not an error", "[terminal][line]") {
  Parsed<input::Blank>("");
  Parsed<input::Blank>("\n");
  Parsed<input::Blank>("   \r\n");
}

TEST_CASE("line protocol: every command parses to its input", "[terminal][line]") {
  const auto login = Parsed<input::Login>("/login g-7 2468");
  CHECK(login.guard == "g-7");
  CHECK(login.code == "2468");
  CHECK(Parsed<input::Login>("/login   g-7    2468  ").code == "2468");
  Parsed<input::Ack>("/ack");
  Parsed<input::Logout>("/logout");
  CHECK(Parsed<input::SetDirection>("/in").direction == Direction::kIn);
  CHECK(Parsed<input::SetDirection>("/out").direction == Direction::kOut);
  CHECK(Parsed<input::SetGate>("/gate g2").gate == "g2");
  const auto visitor = Parsed<input::Visitor>("/visitor p-12");
  CHECK(visitor.person == "p-12");
  CHECK(visitor.gate.empty());
  CHECK(Parsed<input::Visitor>("/visitor p-12 g2").gate == "g2");
  const auto manual = Parsed<input::Manual>("/manual p-12 fire  brigade, no pass ");
  CHECK(manual.person == "p-12");
  CHECK(manual.reason == "fire  brigade, no pass");  // inner spaces as typed
  CHECK(Parsed<input::RoundStart>("/round start").route.empty());
  CHECK(Parsed<input::RoundStart>("/round start north").route == "north");
  Parsed<input::RoundEnd>("/round end");
  const auto incident = Parsed<input::Incident>("/incident fire smoke in the hall");
  CHECK(incident.kind == "fire");
  CHECK(incident.text == "smoke in the hall");
  Parsed<input::Panic>("/panic");
  Parsed<input::Cancel>("/cancel");
  const auto done = Parsed<input::StepDone>("/done 12 call");
  CHECK(done.incident == 12);
  CHECK(done.step == "call");
  Parsed<input::Help>("/help");
}

TEST_CASE("line protocol: oversized lines are refused with the limit", "[terminal][line]") {
  // A command is measured as a whole line too.
  CHECK(Rejected("/manual p " + std::string(kMaxLineBytes, 'x')).code == LineErrorCode::kTooLong);
  const LineError e = Rejected(std::string(kMaxLineBytes + 1, '7'));
  CHECK(e.code == LineErrorCode::kTooLong);
  CHECK(e.message.find("256") != std::string::npos);
  // Exactly the limit, with its CRLF, is fine as a line (then too long as a code).
  const std::string at_limit = std::string(kMaxLineBytes, '7') + "\r\n";
  CHECK(Rejected(at_limit).code == LineErrorCode::kBadScan);
  CHECK(Rejected(std::string(kMaxCodeBytes + 1, '7')).code == LineErrorCode::kBadScan);
  CHECK(Rejected("/incident fire " + std::string(kMaxTextBytes + 1, 'x')).code ==
        LineErrorCode::kBadArgument);
  CHECK(Rejected("/visitor " + std::string(kMaxNameBytes + 1, 'p')).code ==
        LineErrorCode::kBadArgument);
}

TEST_CASE("line protocol: bytes that are not UTF-8 are refused", "[terminal][line]") {
  for (const std::string& bad : {
           std::string("47\xff"
                       "11"),                // never in UTF-8
           std::string("\xc3"),              // truncated sequence
           std::string("\xc3\x28"),          // bad continuation
           std::string("\xc0\xaf"),          // overlong '/'
           std::string("\xe0\x80\xaf"),      // overlong, 3 bytes
           std::string("\xed\xa0\x80"),      // a UTF-16 surrogate
           std::string("\xf4\x90\x80\x80"),  // past U+10FFFF
           std::string("\x80"
                       "abc"),  // a lone continuation byte
       }) {
    const LineError e = Rejected(bad);
    CHECK(e.code == LineErrorCode::kNotUtf8);
    CHECK(e.message.find("UTF-8") != std::string::npos);
  }
}

TEST_CASE("line protocol: control characters are refused", "[terminal][line]") {
  for (const std::string& bad : {
           std::string("47\t11"),     // a tab
           std::string("\x1b[A"),     // an arrow key
           std::string("47\r11"),     // a CR inside the line
           std::string("a\x7f"),      // DEL
           std::string("a\xc2\x85"),  // U+0085, a C1 control
           std::string("a\0b", 3),    // NUL
       }) {
    CHECK(Rejected(bad).code == LineErrorCode::kNotPrintable);
  }
}

TEST_CASE("line protocol: malformed commands say what to type", "[terminal][line]") {
  const LineError spaces = Rejected("47 11");
  CHECK(spaces.code == LineErrorCode::kBadScan);
  CHECK(spaces.message.find("/help") != std::string::npos);

  const LineError unknown = Rejected("/Login g-7 2468");  // names are lowercase
  CHECK(unknown.code == LineErrorCode::kUnknownCommand);
  CHECK(unknown.message.find("/Login") != std::string::npos);
  CHECK(Rejected("/").code == LineErrorCode::kUnknownCommand);
  CHECK(Rejected("/fly").code == LineErrorCode::kUnknownCommand);

  const LineError missing = Rejected("/login g-7");
  CHECK(missing.code == LineErrorCode::kMissingArgument);
  CHECK(missing.message.find("/login <guard> <code>") != std::string::npos);
  CHECK(Rejected("/login").code == LineErrorCode::kMissingArgument);
  CHECK(Rejected("/login g-7 2468 extra").code == LineErrorCode::kExtraArgument);
  CHECK(Rejected("/ack now").code == LineErrorCode::kExtraArgument);
  CHECK(Rejected("/gate").code == LineErrorCode::kMissingArgument);
  CHECK(Rejected("/visitor").code == LineErrorCode::kMissingArgument);
  CHECK(Rejected("/visitor p-1 g1 g2").code == LineErrorCode::kExtraArgument);

  const LineError no_reason = Rejected("/manual p-12");
  CHECK(no_reason.code == LineErrorCode::kMissingArgument);
  CHECK(no_reason.message.find("why") != std::string::npos);
  CHECK(Rejected("/incident fire").code == LineErrorCode::kMissingArgument);

  CHECK(Rejected("/round").code == LineErrorCode::kMissingArgument);
  CHECK(Rejected("/round begin").code == LineErrorCode::kBadArgument);
  CHECK(Rejected("/round end now").code == LineErrorCode::kExtraArgument);
  CHECK(Rejected("/round start a b").code == LineErrorCode::kExtraArgument);

  CHECK(Rejected("/done twelve call").code == LineErrorCode::kBadArgument);
  CHECK(Rejected("/done 0 call").code == LineErrorCode::kBadArgument);
  CHECK(Rejected("/done -1 call").code == LineErrorCode::kBadArgument);
  CHECK(Rejected("/done 12x call").code == LineErrorCode::kBadArgument);
  CHECK(Rejected("/done 99999999999999999999 call").code == LineErrorCode::kBadArgument);
  CHECK(Rejected("/done 12").code == LineErrorCode::kMissingArgument);
  CHECK(Rejected("/scan a b").code == LineErrorCode::kExtraArgument);
}

TEST_CASE("line protocol: error code names are stable", "[terminal][line]") {
  CHECK(LineErrorCodeName(LineErrorCode::kTooLong) == "too_long");
  CHECK(LineErrorCodeName(LineErrorCode::kNotUtf8) == "not_utf8");
  CHECK(LineErrorCodeName(LineErrorCode::kNotPrintable) == "not_printable");
  CHECK(LineErrorCodeName(LineErrorCode::kBadScan) == "bad_scan");
  CHECK(LineErrorCodeName(LineErrorCode::kUnknownCommand) == "unknown_command");
  CHECK(LineErrorCodeName(LineErrorCode::kMissingArgument) == "missing_argument");
  CHECK(LineErrorCodeName(LineErrorCode::kExtraArgument) == "extra_argument");
  CHECK(LineErrorCodeName(LineErrorCode::kBadArgument) == "bad_argument");
  CHECK(DirectionName(Direction::kIn) == "in");
  CHECK(DirectionName(Direction::kOut) == "out");
}

TEST_CASE("line protocol: /help lists every command", "[terminal][line]") {
  const std::string help(HelpText());
  for (const char* c :
       {"/login", "/ack", "/logout", "/scan", "/in", "/out", "/gate", "/visitor", "/manual",
        "/round start", "/round end", "/incident", "/panic", "/cancel", "/done", "/help"}) {
    INFO(c);
    CHECK(help.find(c) != std::string::npos);
  }
}

TEST_CASE("line assembler: CR, LF and CRLF each end one line", "[terminal][line]") {
  LineAssembler a;
  CHECK(a.Feed("11\n22\r33\r\n44").size() == 3);
  LineAssembler b;
  CHECK(b.Feed("11\n22\r33\r\n") == std::vector<std::string>{"11", "22", "33"});
  // A CRLF split across two reads is still one terminator.
  CHECK(b.Feed("44\r") == std::vector<std::string>{"44"});
  CHECK(b.Feed("\n55\n") == std::vector<std::string>{"55"});
  // An empty line between two terminators is kept (the session ignores it).
  CHECK(b.Feed("\n\n") == std::vector<std::string>{"", ""});
  CHECK(b.Feed("66").empty());
  CHECK(b.Finish() == std::vector<std::string>{"66"});
  CHECK(b.Finish().empty());
}

TEST_CASE("line assembler: an overlong line is one too_long error, then lines resume",
          "[terminal][line]") {
  LineAssembler a;
  const std::string flood(10 * kMaxLineBytes, '9');
  std::vector<std::string> lines = a.Feed(flood.substr(0, 1000));
  CHECK(lines.empty());
  lines = a.Feed(flood.substr(1000) + "\n4711\n");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].size() == kMaxLineBytes + 1);
  auto first = ParseLine(lines[0]);
  REQUIRE(std::holds_alternative<LineError>(first));
  CHECK(std::get<LineError>(first).code == LineErrorCode::kTooLong);
  CHECK(lines[1] == "4711");
}

}  // namespace picket::terminal
