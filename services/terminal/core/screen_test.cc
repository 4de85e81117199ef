// The screen: what a guard reads in the full-screen view, and line mode's lines.
#include "terminal/core/screen.h"

#include <catch2/catch.hpp>

#include "terminal/core/terminal_test_support.h"

namespace picket::terminal {
namespace {

using namespace testing;

std::vector<std::string> Visible(const ScreenModel& m, size_t width = 80, size_t height = 30) {
  std::vector<std::string> out;
  for (const std::string& l : RenderFullScreen(m, width, height)) out.push_back(StripAnsi(l));
  return out;
}

// Whether the five rows of `word` in block letters appear one under the other.
bool ShowsBig(const std::vector<std::string>& lines, std::string_view word) {
  const std::vector<std::string> big = BlockLetters(word);
  for (size_t i = 0; i + 5 <= lines.size(); ++i) {
    bool all = true;
    for (size_t r = 0; r < 5; ++r) all = all && lines[i + r] == big[r];
    if (all) return true;
  }
  return false;
}

bool Contains(const std::vector<std::string>& lines, std::string_view text) {
  for (const std::string& l : lines) {
    if (l.find(text) != std::string::npos) return true;
  }
  return false;
}

ScreenModel OnDutyModel() {
  ScreenModel m;
  m.post = "gate-1";
  m.terminal = "gate-1-terminal";
  m.stage = Stage::kOnDuty;
  m.guard = "g-7";
  m.gate = "g1";
  m.connection = Connection::kUp;
  return m;
}

size_t Columns(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<uint8_t>(c) & 0xc0) != 0x80;
  return n;
}

}  // namespace

TEST_CASE("screen: block letters are five rows, 6n-1 columns", "[terminal][screen]") {
  const std::vector<std::string> hi = BlockLetters("Hi");
  REQUIRE(hi.size() == 5);
  CHECK(hi[0] == "#   # #####");
  CHECK(hi[2] ==
        "##### "
        "  #  ");
  CHECK(hi[4] == "#   # #####");
  for (const std::string& r : BlockLetters("GRANTED")) CHECK(r.size() == 6 * 7 - 1);
  CHECK(BlockLetters("GRANTED") != BlockLetters("DENIED "));
  CHECK(BlockLetters("?")[2] == "     ");  // unknown: blank
}

TEST_CASE("screen: the header shows post, guard, gate, connection and outbox depth",
          "[terminal][screen]") {
  ScreenModel m = OnDutyModel();
  m.connection = Connection::kDown;
  m.outbox_depth = 17;
  m.direction = Direction::kOut;
  const auto lines = Visible(m);
  CHECK(lines[0].find("post gate-1") != std::string::npos);
  CHECK(lines[0].find("guard g-7") != std::string::npos);
  CHECK(lines[0].find("gate g1 OUT") != std::string::npos);
  CHECK(lines[0].find("NET DOWN") != std::string::npos);
  CHECK(lines[0].find("outbox 17") != std::string::npos);
  CHECK(Columns(lines[0]) == 80);  // the reverse-video bar spans the width
  CHECK(RenderFullScreen(m, 80, 30)[0].rfind("\x1b[7m", 0) == 0);
  m.connection = Connection::kUnknown;
  m.gate = "";
  CHECK(Visible(m)[0].find("gate gate-1 OUT | NET ?") != std::string::npos);
}

TEST_CASE("screen: the last decision in large letters with its phrase", "[terminal][screen]") {
  ScreenModel m = OnDutyModel();
  m.last = {Verdict::kGranted, "4711", "p-1", Direction::kIn, "g1", "Bonjour, entrez.", kT0, false};
  auto lines = Visible(m);
  CHECK(ShowsBig(lines, "GRANTED"));
  CHECK_FALSE(ShowsBig(lines, "DENIED"));
  CHECK(Contains(lines, "Bonjour, entrez."));
  CHECK(Contains(lines, "Pass 4711 (in) - p-1"));
  CHECK(RenderFullScreen(m, 80, 30)[2].rfind("\x1b[1;32m", 0) == 0);  // green

  m.last.verdict = Verdict::kDenied;
  m.last.detail = "expired";
  m.last.phrase = "Your pass has expired.";
  lines = Visible(m);
  CHECK(ShowsBig(lines, "DENIED"));
  CHECK(Contains(lines, "refused: expired"));
  CHECK(Contains(lines, "Your pass has expired."));
  CHECK(RenderFullScreen(m, 80, 30)[2].rfind("\x1b[1;31m", 0) == 0);  // red

  m.last.verdict = Verdict::kNoDecision;
  m.last.detail = "network_down";
  CHECK(ShowsBig(Visible(m), "OFFLINE"));
  m.last.detail = "no_answer";
  CHECK(ShowsBig(Visible(m), "NO ANSWER"));
  m.last.verdict = Verdict::kChecking;
  CHECK(ShowsBig(Visible(m), "CHECKING"));
  m.last.verdict = Verdict::kCheckpoint;
  CHECK(ShowsBig(Visible(m), "CHECKPOINT"));
  m.last.verdict = Verdict::kNone;
  CHECK(ShowsBig(Visible(m), "READY"));
}

TEST_CASE("screen: login, the post orders, and the panic countdown", "[terminal][screen]") {
  ScreenModel m = OnDutyModel();
  m.stage = Stage::kLoggedOut;
  m.guard = "";
  auto lines = Visible(m);
  CHECK(ShowsBig(lines, "LOGIN"));
  CHECK(Contains(lines, "/login <guard> <code>"));
  CHECK(lines[0].find("guard -") != std::string::npos);

  m.stage = Stage::kAwaitingAck;
  m.post_orders = {"Check every badge.", "No phones on duty."};
  lines = Visible(m);
  CHECK(ShowsBig(lines, "ORDERS"));
  CHECK(Contains(lines, "POST ORDERS"));
  CHECK(Contains(lines, "Check every badge."));
  CHECK(Contains(lines, "No phones on duty."));
  CHECK(Contains(lines, "then type /ack"));

  m.stage = Stage::kOnDuty;
  m.panic_pending = true;
  m.panic_seconds_left = 7;
  lines = Visible(m);
  CHECK(ShowsBig(lines, "PANIC 7"));
  CHECK(Contains(lines, "Panic in 7 s. Type /cancel to stop it."));
}

TEST_CASE("screen: the round, the incidents and their steps, the error line",
          "[terminal][screen]") {
  ScreenModel m = OnDutyModel();
  m.in_round = true;
  m.route = "north";
  m.round_checkpoints = 2;
  m.incidents.push_back({12,
                         "fire",
                         "Fire",
                         "high",
                         {{"call", "Call the fire brigade", true, true, false},
                          {"evacuate", "Evacuate", true, false, true},
                          {"meet", "Meet them", false, false, false}}});
  m.error = "Unknown gate 'g9'.";
  m.notice = "Gate: g1.";
  const auto lines = Visible(m);
  CHECK(Contains(lines, "ROUND north: 2 checkpoints recorded"));
  CHECK(Contains(lines, "OPEN INCIDENTS AT gate-1"));
  CHECK(Contains(lines, "#12 Fire (high)"));
  CHECK(Contains(lines, "[x] call  Call the fire brigade *"));
  CHECK(Contains(lines, "[~] evacuate  Evacuate *"));
  CHECK(Contains(lines, "[ ] meet  Meet them"));
  CHECK_FALSE(Contains(lines, "Meet them *"));
  CHECK(lines[lines.size() - 3] == "! Unknown gate 'g9'.");
  CHECK(lines[lines.size() - 2] == "Gate: g1.");
  CHECK(lines.back() == "Type /help for the commands.");
}

TEST_CASE("screen: every size gives exactly height lines within width", "[terminal][screen]") {
  ScreenModel m = OnDutyModel();
  m.last = {Verdict::kDenied,
            "4711",
            "anti_passback",
            Direction::kIn,
            "g1",
            "Désolé, ce laissez-passer est déjà enregistré à l'intérieur. Un instant, s'il vous "
            "plaît.",
            kT0,
            true};
  for (uint64_t id = 1; id <= 6; ++id) {
    m.incidents.push_back(
        {id, "fire", "Fire", "high", {{"call", "Call them", true, false, false}}});
  }
  m.error = "An error line that is rather long for a small terminal screen.";
  for (size_t width : {1, 10, 40, 59, 80, 132}) {
    for (size_t height : {1, 5, 12, 24, 50}) {
      INFO(width << "x" << height);
      const auto lines = Visible(m, width, height);
      REQUIRE(lines.size() == height);
      for (const std::string& l : lines) CHECK(Columns(l) <= width);
    }
  }
  // What does not fit is counted.
  CHECK(Contains(Visible(m, 80, 24), "more)"));
  CHECK_FALSE(Contains(Visible(m, 80, 60), "more)"));
  // Too narrow for block letters: one bold word.
  const auto narrow = Visible(m, 30, 24);
  CHECK_FALSE(ShowsBig(narrow, "DENIED"));
  CHECK(narrow[2] == "DENIED");
}

TEST_CASE("screen: line mode prefixes each line of a notice", "[terminal][screen]") {
  CHECK(RenderLine({NoticeKind::kGranted, "4711 in p-1"}) ==
        std::vector<std::string>{"GRANTED 4711 in p-1"});
  CHECK(RenderLine({NoticeKind::kOrders, "Check every badge.\nNo phones."}) ==
        std::vector<std::string>{"ORDERS Check every badge.", "ORDERS No phones."});
  CHECK(RenderLine({NoticeKind::kOrders, "a\n\nb"}) ==
        std::vector<std::string>{"ORDERS a", "ORDERS", "ORDERS b"});
  const std::vector<std::pair<NoticeKind, std::string>> prefixes = {
      {NoticeKind::kInfo, "OK"},           {NoticeKind::kError, "ERR"},
      {NoticeKind::kChecking, "CHECKING"}, {NoticeKind::kGranted, "GRANTED"},
      {NoticeKind::kDenied, "DENIED"},     {NoticeKind::kNoDecision, "NODECISION"},
      {NoticeKind::kSay, "SAY"},           {NoticeKind::kCheckpoint, "CHECKPOINT"},
      {NoticeKind::kPanic, "PANIC"},       {NoticeKind::kIncident, "INCIDENT"},
      {NoticeKind::kStep, "STEP"},         {NoticeKind::kConnection, "NET"},
      {NoticeKind::kOrders, "ORDERS"},     {NoticeKind::kHelp, "HELP"},
  };
  for (const auto& [kind, prefix] : prefixes) CHECK(NoticePrefix(kind) == prefix);
}

TEST_CASE("screen: a session's scan in line mode reads as a script expects", "[terminal][screen]") {
  Terminal t;
  t.OnDuty();
  const Effects scan = t.Type("4711");
  CHECK(RenderLines(scan) ==
        std::vector<std::string>{"CHECKING 4711 in",
                                 "SAY " + std::string(BuiltInPhrase(Situation::kChecking))});
  const Effects decided = t.session.OnDecision({IdOf(scan.events[0]), true, "", "p-1"}, kT0);
  CHECK(RenderLines(decided) ==
        std::vector<std::string>{"GRANTED 4711 in p-1", "SAY " + std::string(kFrGrantedIn)});
  CHECK(RenderLines(t.Type("/fly")) ==
        std::vector<std::string>{
            "ERR unknown_command Unknown command '/fly'. Type /help for the list."});
}

TEST_CASE("screen: StripAnsi leaves the visible text", "[terminal][screen]") {
  CHECK(StripAnsi("\x1b[1;32mGRANTED\x1b[0m") == "GRANTED");
  CHECK(StripAnsi("a\x1b[7mb\x1b[0mc") == "abc");
  CHECK(StripAnsi("plain") == "plain");
}

}  // namespace picket::terminal
