#include "terminal/core/screen.h"

#include <algorithm>

namespace picket::terminal {
namespace {

// One row of the view: visible text and the SGR parameters it is drawn with ("" = plain).
struct Row {
  std::string text;
  std::string style;
};

size_t Columns(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<uint8_t>(c) & 0xc0) != 0x80;
  return n;
}

// The first `width` columns of `s`, never splitting a UTF-8 sequence.
std::string Cut(std::string_view s, size_t width) {
  size_t columns = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<uint8_t>(s[i]) & 0xc0) != 0x80 && columns++ == width) {
      return std::string(s.substr(0, i));
    }
  }
  return std::string(s);
}

// `text` in lines of at most `width` columns, broken at spaces where it can be.
std::vector<std::string> Wrap(std::string_view text, size_t width) {
  std::vector<std::string> lines;
  std::string line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && Columns(line) + 1 + Columns(word) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    while (Columns(word) > width) {  // a word longer than a line: cut it
      const std::string head = Cut(word, width);
      lines.push_back(head);
      word.remove_prefix(head.size());
    }
    line += (line.empty() ? "" : " ") + std::string(word);
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

struct BigWord {
  std::string word;
  std::string style;
};

BigWord BigWordOf(const ScreenModel& m) {
  if (m.panic_pending) return {"PANIC " + std::to_string(m.panic_seconds_left), "1;31"};
  if (m.stage == Stage::kLoggedOut) return {"LOGIN", "1"};
  if (m.stage == Stage::kAwaitingAck) return {"ORDERS", "1"};
  switch (m.last.verdict) {
    case Verdict::kNone:
      return {"READY", "1"};
    case Verdict::kChecking:
      return {"CHECKING", "1;33"};
    case Verdict::kGranted:
      return {"GRANTED", "1;32"};
    case Verdict::kDenied:
      return {"DENIED", "1;31"};
    case Verdict::kNoDecision:
      return {m.last.detail == "network_down" ? "OFFLINE" : "NO ANSWER", "1;33"};
    case Verdict::kCheckpoint:
      return {"CHECKPOINT", "1;36"};
    case Verdict::kVisitor:
      return {"VISITOR", "1"};
    case Verdict::kManualEntry:
      return {"MANUAL", "1"};
    case Verdict::kIncidentReported:
      return {"REPORTED", "1"};
  }
  return {"READY", "1"};
}

std::string Header(const ScreenModel& m) {
  const char* net = m.connection == Connection::kUp     ? "NET UP"
                    : m.connection == Connection::kDown ? "NET DOWN"
                                                        : "NET ?";
  return " PICKET  post " + m.post + " | guard " + (m.guard.empty() ? "-" : m.guard) + " | gate " +
         (m.gate.empty() ? m.post : m.gate) + " " +
         (m.direction == Direction::kOut ? "OUT" : "IN") + " | " + net + " | outbox " +
         std::to_string(m.outbox_depth) + " ";
}

// What the guard should say or do now, under the big word.
std::string PhraseOf(const ScreenModel& m) {
  if (m.panic_pending) {
    return "Panic in " + std::to_string(m.panic_seconds_left) + " s. Type /cancel to stop it.";
  }
  if (m.stage == Stage::kLoggedOut) return "Log in: /login <guard> <code>";
  if (m.stage == Stage::kAwaitingAck) return "Read the post orders below, then type /ack";
  return m.last.verdict == Verdict::kNone ? "" : m.last.phrase;
}

std::string DetailOf(const ScreenModel& m) {
  if (m.stage != Stage::kOnDuty || m.panic_pending) return "";
  const LastVerdict& v = m.last;
  const std::string pass =
      "Pass " + v.subject + " (" + std::string(DirectionName(v.direction)) + ")";
  switch (v.verdict) {
    case Verdict::kNone:
      return "";
    case Verdict::kChecking:
      return pass + ": checking...";
    case Verdict::kGranted:
      return pass + (v.detail.empty() ? "" : " - " + v.detail) +
             (v.late ? " - the decision came late" : "");
    case Verdict::kDenied:
      return pass + " - refused: " + v.detail + (v.late ? " - the decision came late" : "");
    case Verdict::kNoDecision:
      return v.detail == "network_down"
                 ? pass + ": no decision, the network is down. The scan is kept and will be sent."
                 : pass + ": no answer yet. The scan is kept.";
    case Verdict::kCheckpoint:
      return "Tag " + v.subject + ": " + v.detail;
    case Verdict::kVisitor:
      return "Visitor " + v.subject + " announced" + (v.gate.empty() ? "" : " at gate " + v.gate);
    case Verdict::kManualEntry:
      return "Manual entry of " + v.subject + ": " + v.detail;
    case Verdict::kIncidentReported:
      return "Incident " + v.subject + " reported: " + v.detail;
  }
  return "";
}

std::vector<Row> Body(const ScreenModel& m, size_t width) {
  std::vector<Row> rows;
  if (m.stage == Stage::kAwaitingAck) {
    rows.push_back({"POST ORDERS", "1"});
    for (const std::string& line : m.post_orders) {
      for (std::string& w : Wrap(line, width)) rows.push_back({std::move(w), ""});
    }
    return rows;
  }
  if (m.in_round) {
    rows.push_back({"ROUND" + (m.route.empty() ? std::string() : " " + m.route) + ": " +
                        std::to_string(m.round_checkpoints) + " checkpoints recorded",
                    "1;36"});
  }
  if (m.incidents.empty()) {
    rows.push_back({"No open incidents at " + m.post + ".", ""});
    return rows;
  }
  rows.push_back({"OPEN INCIDENTS AT " + m.post, "1"});
  for (const IncidentOnScreen& i : m.incidents) {
    rows.push_back({"#" + std::to_string(i.id) + " " + i.label +
                        (i.severity.empty() ? "" : " (" + i.severity + ")"),
                    "1;31"});
    for (const StepOnScreen& s : i.steps) {
      const char* box = s.done ? "[x]" : s.requested ? "[~]" : "[ ]";
      rows.push_back(
          {"  " + std::string(box) + " " + s.id + "  " + s.text + (s.mandatory ? " *" : ""), ""});
    }
  }
  return rows;
}

}  // namespace

std::vector<std::string> RenderFullScreen(const ScreenModel& m, size_t width, size_t height) {
  width = std::max<size_t>(width, 1);
  height = std::max<size_t>(height, 1);
  std::vector<Row> top;
  std::string header = Header(m);
  if (Columns(header) < width) header += std::string(width - Columns(header), ' ');
  top.push_back({header, "7"});
  top.push_back({"", ""});
  const BigWord big = BigWordOf(m);
  const std::vector<std::string> letters = BlockLetters(big.word);
  if (Columns(letters[0]) <= width) {
    for (const std::string& r : letters) top.push_back({r, big.style});
  } else {
    top.push_back({big.word, big.style});
  }
  top.push_back({"", ""});
  for (std::string& l : Wrap(PhraseOf(m), width)) top.push_back({std::move(l), "1"});
  for (std::string& l : Wrap(DetailOf(m), width)) top.push_back({std::move(l), ""});
  top.push_back({std::string(width, '-'), ""});

  std::vector<Row> footer;
  if (!m.error.empty()) footer.push_back({"! " + m.error, "1;31"});
  if (!m.notice.empty()) footer.push_back({m.notice, ""});
  footer.push_back({"Type /help for the commands.", "2"});

  std::vector<Row> body = Body(m, width);
  const size_t fixed = top.size() + footer.size();
  const size_t room = height > fixed ? height - fixed : 0;
  if (body.size() > room) {
    const size_t keep = room > 0 ? room - 1 : 0;
    const size_t more = body.size() - keep;
    body.resize(keep);
    if (room > 0) body.push_back({"(+" + std::to_string(more) + " more)", "2"});
  }
  std::vector<Row> rows = std::move(top);
  rows.insert(rows.end(), body.begin(), body.end());
  while (rows.size() + footer.size() < height) rows.push_back({"", ""});
  rows.insert(rows.end(), footer.begin(), footer.end());
  if (rows.size() > height) {
    // Too short for everything: the footer's last lines are dropped, the header kept.
    rows.resize(height);
  }

  std::vector<std::string> lines;
  for (const Row& r : rows) {
    const std::string text = Cut(r.text, width);
    lines.push_back(r.style.empty() || text.empty() ? text
                                                    : "\x1b[" + r.style + "m" + text + "\x1b[0m");
  }
  return lines;
}

std::vector<std::string> RenderLine(const Notice& notice) {
  std::vector<std::string> lines;
  const std::string prefix(NoticePrefix(notice.kind));
  size_t start = 0;
  while (true) {
    const size_t nl = notice.text.find('\n', start);
    const std::string part =
        notice.text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    lines.push_back(part.empty() ? prefix : prefix + " " + part);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string> RenderLines(const Effects& fx) {
  std::vector<std::string> out;
  for (const Notice& n : fx.notices) {
    for (std::string& l : RenderLine(n)) out.push_back(std::move(l));
  }
  return out;
}

std::string StripAnsi(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      i += 2;
      while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7e)) ++i;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace picket::terminal
