// Session: the dispatch, login and logout, scans, the panic, decisions and timers.
// The other commands and the incidents are in session_reports.cc.
#include "terminal/core/session.h"

#include <algorithm>

#include "base/overloaded.h"
#include "terminal/core/code_hash.h"
#include "wire/event_names.h"

namespace picket::terminal {
namespace {

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    lines.emplace_back(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

int SecondsLeft(Micros due, Micros now) {
  if (now >= due) return 0;
  return static_cast<int>((due - now + kMicrosPerSecond - 1) / kMicrosPerSecond);
}

}  // namespace

Session::Session(const TerminalConfig& config)
    : config_(config), phrases_(config.phrases, config.language, config.default_language) {
  screen_.post = config.post;
  screen_.terminal = config.terminal;
  screen_.gate = config.gates.empty() ? "" : config.gates.front();
  screen_.direction = config.default_direction;
}

Effects Session::HandleLine(std::string_view line, Micros now) {
  auto parsed = ParseLine(line);
  if (const auto* error = std::get_if<LineError>(&parsed)) {
    Effects fx;
    Refuse(fx, LineErrorCodeName(error->code), error->message);
    return fx;
  }
  return Handle(std::get<Input>(parsed), now);
}

Effects Session::Handle(const Input& input, Micros now) {
  Effects fx;
  if (std::holds_alternative<input::Blank>(input)) return fx;
  if (!Allowed(input, fx)) return fx;
  screen_.error.clear();
  fx.screen_changed = true;
  std::visit(Overloaded{
                 [&](const input::Blank&) {},
                 [&](const input::Scan& in) { Scan(in.code, now, fx); },
                 [&](const input::Login& in) { Login(in, now, fx); },
                 [&](const input::Ack&) {
                   if (screen_.stage != Stage::kAwaitingAck) {
                     Info(fx, "Nothing to acknowledge.");
                     return;
                   }
                   screen_.stage = Stage::kOnDuty;
                   screen_.post_orders.clear();
                   Info(fx, "Post orders acknowledged. On duty at " + config_.post + ".");
                 },
                 [&](const input::Logout&) { Logout(now, fx); },
                 [&](const input::SetDirection& in) {
                   screen_.direction = in.direction;
                   Info(fx, "Direction: " + std::string(DirectionName(in.direction)) + ".");
                 },
                 [&](const input::SetGate& in) { SetGate(in, fx); },
                 [&](const input::Visitor& in) { Visitor(in, now, fx); },
                 [&](const input::Manual& in) { Manual(in, now, fx); },
                 [&](const input::RoundStart& in) { RoundStart(in, now, fx); },
                 [&](const input::RoundEnd&) { RoundEnd(now, fx); },
                 [&](const input::Incident& in) { Report(in, now, fx); },
                 [&](const input::Panic&) { StartPanic(now, fx); },
                 [&](const input::Cancel&) { CancelPanic(now, fx); },
                 [&](const input::StepDone& in) { MarkStepDone(in, fx); },
                 [&](const input::Help&) { Help(fx); },
             },
             input);
  return fx;
}

bool Session::Allowed(const Input& input, Effects& fx) {
  if (std::holds_alternative<input::Login>(input) || std::holds_alternative<input::Help>(input)) {
    return true;
  }
  if (screen_.stage == Stage::kLoggedOut) {
    Refuse(fx, "not_logged_in", "Log in first: /login <guard> <code>");
    return false;
  }
  if (screen_.stage == Stage::kAwaitingAck &&
      !(std::holds_alternative<input::Ack>(input) || std::holds_alternative<input::Logout>(input) ||
        std::holds_alternative<input::Panic>(input) ||
        std::holds_alternative<input::Cancel>(input))) {
    Refuse(fx, "orders_not_acknowledged", "Read the post orders, then type /ack");
    return false;
  }
  return true;
}

void Session::Login(const input::Login& in, Micros now, Effects& fx) {
  const GuardLogin* guard = config_.FindGuard(in.guard);
  const bool login_code = guard && CodeMatches(guard->login_code, in.code);
  const bool duress = guard && !login_code && IsDuressCode(*guard, in.code);
  if (duress) SilentPanic(guard->person, now, fx);
  // From here on, a duress code is treated exactly as the login code.
  if (screen_.stage != Stage::kLoggedOut) {
    Refuse(fx, "already_logged_in", "Already logged in as " + screen_.guard + ": /logout first");
    return;
  }
  if (now < locked_until_) {
    Refuse(fx, "login_locked",
           "Too many wrong codes: try again in " + std::to_string(SecondsLeft(locked_until_, now)) +
               " s");
    return;
  }
  if (!login_code && !duress) {
    std::string message = "Wrong guard or code.";
    if (++login_failures_ >= config_.max_login_failures) {
      login_failures_ = 0;
      locked_until_ = now + config_.login_lockout;
      message += " Logins are locked for " +
                 std::to_string(config_.login_lockout / kMicrosPerSecond) + " s.";
    }
    Refuse(fx, "login_refused", message);
    return;
  }
  login_failures_ = 0;
  screen_.stage = Stage::kAwaitingAck;
  screen_.guard = guard->person;
  role_ = guard->role;
  screen_.gate = config_.gates.empty() ? "" : config_.gates.front();
  screen_.direction = config_.default_direction;
  screen_.last = LastVerdict{};
  screen_.post_orders = SplitLines(config_.post_orders);
  Emit(fx, event_names::kShiftStarted, now,
       {{"person", guard->person}, {"post", config_.post}, {"role", guard->role}});
  Info(fx, "Logged in: " + guard->person + " at post " + config_.post + ".");
  std::string orders;
  for (const std::string& line : screen_.post_orders) orders += (orders.empty() ? "" : "\n") + line;
  fx.notices.push_back({NoticeKind::kOrders, orders});
  Info(fx, "Read the post orders, then type /ack");
}

void Session::Logout(Micros now, Effects& fx) {
  if (screen_.in_round) {
    Refuse(fx, "in_round", "End the round first: /round end");
    return;
  }
  if (panic_due_) {
    Refuse(fx, "panic_pending", "A panic is counting down: /cancel it or wait until it is sent");
    return;
  }
  const std::string guard = screen_.guard;
  Emit(fx, event_names::kShiftEnded, now, {{"person", guard}});
  screen_.stage = Stage::kLoggedOut;
  screen_.guard.clear();
  role_.clear();
  screen_.post_orders.clear();
  screen_.last = LastVerdict{};
  Info(fx, "Logged out: " + guard + ". Shift ended.");
}

bool Session::IsDuressCode(const GuardLogin& guard, std::string_view code) const {
  return !guard.duress_code.empty() && CodeMatches(guard.duress_code, code);
}

void Session::SilentPanic(const std::string& guard, Micros now, Effects& fx) {
  OutgoingEvent& e =
      Emit(fx, event_names::kPanicPressed, now, {{"post", config_.post}, {"duress", "true"}});
  e.actor = guard;
  silent_refs_.insert(e.ref);
}

void Session::Scan(const std::string& code, Micros now, Effects& fx) {
  const GuardLogin* guard = config_.FindGuard(screen_.guard);
  if (guard && IsDuressCode(*guard, code)) {
    // Looks like a pass that opens the gate; only the silent panic goes out.
    SilentPanic(guard->person, now, fx);
    const std::string phrase = Say(SituationOfDecision(true, screen_.direction, ""));
    ShowVerdict({Verdict::kGranted, code, "", screen_.direction, screen_.gate, phrase, now, false},
                fx);
    fx.notices.push_back(
        {NoticeKind::kGranted, code + " " + std::string(DirectionName(screen_.direction))});
    fx.notices.push_back({NoticeKind::kSay, phrase});
    return;
  }
  const bool tag =
      config_.checkpoint_prefixes.empty() ? screen_.in_round : config_.LooksLikeTag(code);
  if (tag) {
    CheckpointScan(code, now, fx);
  } else {
    PassScan(code, now, fx);
  }
}

void Session::CheckpointScan(const std::string& tag, Micros now, Effects& fx) {
  if (!screen_.in_round) {
    Refuse(fx, "tag_outside_round",
           "This is a checkpoint tag and no round is started: /round start first");
    return;
  }
  Emit(fx, event_names::kCheckpointScanned, now, {{"post", config_.post}, {"tag", tag}});
  ++screen_.round_checkpoints;
  const std::string count = std::to_string(screen_.round_checkpoints) + " this round";
  const std::string phrase = Say(Situation::kCheckpointRecorded);
  ShowVerdict({Verdict::kCheckpoint, tag, count, screen_.direction, "", phrase, now, false}, fx);
  fx.notices.push_back({NoticeKind::kCheckpoint, tag + " " + count});
  fx.notices.push_back({NoticeKind::kSay, phrase});
}

void Session::PassScan(const std::string& code, Micros now, Effects& fx) {
  const std::string direction(DirectionName(screen_.direction));
  OutgoingEvent& e = Emit(fx, event_names::kPassScanned, now,
                          {{"post", config_.post},
                           {"passCode", code},
                           {"direction", direction},
                           {"gate", screen_.gate},
                           {"supervisor", ""}});
  PendingScan scan;
  scan.ref = e.ref;
  scan.code = code;
  scan.direction = screen_.direction;
  scan.gate = screen_.gate;
  scan.at = now;
  scan.deadline = now + config_.decision_timeout;
  scans_.push_back(std::move(scan));
  while (scans_.size() > config_.max_pending_scans) scans_.pop_front();

  if (screen_.connection == Connection::kDown) {
    ShowNoDecision(scans_.back(), "network_down", fx);
    return;
  }
  const std::string phrase = Say(Situation::kChecking);
  ShowVerdict({Verdict::kChecking, code, "", screen_.direction, screen_.gate, phrase, now, false},
              fx);
  fx.notices.push_back({NoticeKind::kChecking, code + " " + direction});
  fx.notices.push_back({NoticeKind::kSay, phrase});
}

void Session::ShowNoDecision(PendingScan& scan, std::string_view why, Effects& fx) {
  scan.shown_no_decision = true;
  const Situation s = why == "network_down" ? Situation::kNetworkDown : Situation::kNoAnswer;
  const bool latest = scans_.back().ref == scan.ref;
  fx.notices.push_back({NoticeKind::kNoDecision, scan.code + " " + std::string(why) + " scan kept" +
                                                     (latest ? "" : " (earlier scan)")});
  if (!latest) return;
  const std::string phrase = Say(s);
  ShowVerdict({Verdict::kNoDecision, scan.code, std::string(why), scan.direction, scan.gate, phrase,
               scan.at, false},
              fx);
  fx.notices.push_back({NoticeKind::kSay, phrase});
}

Effects Session::OnDecision(const Decision& decision, Micros /*now*/) {
  Effects fx;
  PendingScan* scan = FindScan(decision.scan_event_id);
  if (!scan || scan->decided) return fx;
  scan->decided = true;
  const bool latest = scans_.back().ref == scan->ref;
  const std::string direction(DirectionName(scan->direction));
  const std::string detail = decision.granted ? decision.person : decision.reason;
  const std::string suffix =
      std::string(scan->shown_no_decision ? " (late)" : "") + (latest ? "" : " (earlier scan)");
  fx.notices.push_back(
      {decision.granted ? NoticeKind::kGranted : NoticeKind::kDenied,
       scan->code + " " + direction + (detail.empty() ? "" : " " + detail) + suffix});
  if (!latest) return fx;
  const std::string phrase =
      Say(SituationOfDecision(decision.granted, scan->direction, decision.reason));
  ShowVerdict({decision.granted ? Verdict::kGranted : Verdict::kDenied, scan->code, detail,
               scan->direction, scan->gate, phrase, scan->at, scan->shown_no_decision},
              fx);
  fx.notices.push_back({NoticeKind::kSay, phrase});
  return fx;
}

void Session::BindEventId(uint64_t ref, std::string_view event_id) {
  if (silent_refs_.erase(ref) > 0) {
    silent_event_ids_.insert(std::string(event_id));
    return;
  }
  for (PendingScan& s : scans_) {
    if (s.ref == ref) s.event_id = std::string(event_id);
  }
}

Session::PendingScan* Session::FindScan(std::string_view event_id) {
  if (event_id.empty()) return nullptr;
  for (PendingScan& s : scans_) {
    if (s.event_id == event_id) return &s;
  }
  return nullptr;
}

void Session::StartPanic(Micros now, Effects& fx) {
  if (panic_due_) {
    Info(fx, "A panic is already counting down.");
    return;
  }
  panic_pressed_at_ = now;
  if (config_.panic_cancel_window == 0) {
    SendPanic(fx);
    return;
  }
  panic_due_ = now + config_.panic_cancel_window;
  screen_.panic_pending = true;
  screen_.panic_seconds_left = SecondsLeft(*panic_due_, now);
  fx.notices.push_back({NoticeKind::kPanic, "in " + std::to_string(screen_.panic_seconds_left) +
                                                " s: /cancel to stop it"});
}

void Session::CancelPanic(Micros now, Effects& fx) {
  if (!panic_due_) {
    Refuse(fx, "no_panic", "There is no panic to cancel");
    return;
  }
  if (now >= *panic_due_) {
    fx.notices.push_back({NoticeKind::kPanic, "too late to cancel"});
    SendPanic(fx);
    return;
  }
  panic_due_.reset();
  panic_pressed_at_.reset();
  screen_.panic_pending = false;
  screen_.panic_seconds_left = 0;
  fx.notices.push_back({NoticeKind::kPanic, "cancelled: nothing was sent"});
  screen_.notice = "Panic cancelled: nothing was sent.";
}

void Session::SendPanic(Effects& fx) {
  Emit(fx, event_names::kPanicPressed, *panic_pressed_at_, {{"post", config_.post}});
  panic_due_.reset();
  panic_pressed_at_.reset();
  screen_.panic_pending = false;
  screen_.panic_seconds_left = 0;
  screen_.notice = "Panic sent: help is being called.";
  fx.notices.push_back({NoticeKind::kPanic, "sent: help is being called"});
  fx.screen_changed = true;
}

Effects Session::OnTimer(Micros now) {
  Effects fx;
  if (panic_due_) {
    if (now >= *panic_due_) {
      SendPanic(fx);
    } else if (const int left = SecondsLeft(*panic_due_, now); left != screen_.panic_seconds_left) {
      screen_.panic_seconds_left = left;
      fx.notices.push_back(
          {NoticeKind::kPanic, "in " + std::to_string(left) + " s: /cancel to stop it"});
      fx.screen_changed = true;
    }
  }
  for (PendingScan& s : scans_) {
    if (!s.decided && !s.shown_no_decision && now >= s.deadline) ShowNoDecision(s, "no_answer", fx);
  }
  return fx;
}

std::optional<Micros> Session::NextDeadline() const {
  std::optional<Micros> next;
  auto consider = [&](Micros t) { next = next ? std::min(*next, t) : t; };
  if (panic_due_) {
    consider(*panic_due_ - (screen_.panic_seconds_left - 1) * kMicrosPerSecond);
  }
  for (const PendingScan& s : scans_) {
    if (!s.decided && !s.shown_no_decision) consider(s.deadline);
  }
  return next;
}

std::optional<Micros> Session::PanicDue() const { return panic_due_; }

Effects Session::OnConnection(bool up, size_t outbox_depth, Micros /*now*/) {
  Effects fx;
  const Connection state = up ? Connection::kUp : Connection::kDown;
  const bool changed = state != screen_.connection;
  fx.screen_changed = changed || outbox_depth != screen_.outbox_depth;
  screen_.connection = state;
  screen_.outbox_depth = outbox_depth;
  if (!changed) return fx;
  fx.notices.push_back({NoticeKind::kConnection, std::string(up ? "up" : "down") +
                                                     " outbox=" + std::to_string(outbox_depth)});
  if (!up && !scans_.empty()) {
    PendingScan& latest = scans_.back();
    if (!latest.decided && !latest.shown_no_decision) ShowNoDecision(latest, "network_down", fx);
  }
  return fx;
}

OutgoingEvent& Session::Emit(Effects& fx, std::string_view type, Micros at,
                             std::vector<Field> fields) {
  OutgoingEvent e;
  e.ref = next_ref_++;
  e.type = std::string(type);
  e.fields = std::move(fields);
  e.actor = screen_.guard;
  e.observed_at = at;
  fx.events.push_back(std::move(e));
  return fx.events.back();
}

void Session::Info(Effects& fx, std::string text) {
  screen_.notice = text;
  fx.notices.push_back({NoticeKind::kInfo, std::move(text)});
  fx.screen_changed = true;
}

void Session::Refuse(Effects& fx, std::string_view code, std::string message) {
  screen_.error = message;
  fx.notices.push_back({NoticeKind::kError, std::string(code) + " " + message});
  fx.screen_changed = true;
}

void Session::ShowVerdict(LastVerdict v, Effects& fx) {
  screen_.last = std::move(v);
  fx.screen_changed = true;
}

std::string Session::Say(Situation s) const { return phrases_.Lookup(s).text; }

}  // namespace picket::terminal
