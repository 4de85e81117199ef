// The guard's session at a post terminal: a state machine of (state, input, now) ->
// Effects (effects.h). It decides what to publish and what the guard sees; the adapter
// owns the input stream, the outbox, the bus and the screen.
//
// Stages (ScreenModel::stage):
//   logged_out --/login ok--> awaiting_ack --/ack--> on_duty --/logout--> logged_out
// Before login only /login and /help are taken. While awaiting_ack only /ack, /help,
// /logout and the panic (/panic, /cancel) are: the post orders must be acknowledged before
// any scan or report, but a guard in danger is never told to read the orders first.
//
// Login: `/login <guard> <code>` with the code of a configured guard emits shift.started
// {person, post, role} and shows the post orders. A wrong code (or unknown guard: the same
// message, so names cannot be probed) emits nothing; after max_login_failures wrong codes
// in a row, logins are refused for login_lockout. Logout emits shift.ended {person};
// refused during a round (end it first) and while a panic is pending.
//
// Duress: wherever a guard's code is typed, their duress code (if configured) instead
// makes the screen and every notice exactly what the login code would have produced, and
// adds one silent terminal.panic_pressed {post, duress:"true"} with the guard as actor,
// sent at once (no cancel window) and never shown. The places a code is typed:
//   - /login <guard> <duress>: logs in as normal; also during a lockout (the screen shows
//     the lockout as it would) and when someone is already logged in;
//   - a scan equal to the on-duty guard's duress code (a guard forced to open the gate
//     "scans" it): shown as GRANTED with the granted phrase, as a pass would be; nothing
//     else goes out, so the code never reaches the bus.
// Incidents the silent panic opens must not appear either: the adapter passes the id of
// the event that triggered an incident (IncidentInfo::trigger_event_id), and incidents
// triggered by a silent panic are kept off the screen. Known gap: the outbox depth the
// adapter reports counts the silent event too.
//
// Scans: a scan whose code starts with a checkpoint prefix is a checkpoint tag; without
// prefixes configured, every scan during a round is a tag. A tag emits
// terminal.checkpoint_scanned {post, tag} (refused outside a round, with a message). Any
// other scan is a pass: terminal.pass_scanned {post, passCode, direction, gate,
// supervisor:""}; the screen shows CHECKING, or at once NO DECISION (network_down) if the
// connection is down. The decision comes back through OnDecision, matched by the event id
// the adapter bound to the scan; if none comes within decision_timeout the screen shows NO
// DECISION (no_answer). Either way the scan is kept (it is in the outbox) and a decision
// that arrives later still updates the screen: in the big letters if it is for the latest
// scan, else as a notice about the earlier scan. The last max_pending_scans scans are
// remembered for that; a decision for another scan is ignored.
//
// Panic: /panic starts the cancel window (the screen counts down whole seconds). /cancel
// within it emits nothing. When it has passed, OnTimer emits terminal.panic_pressed {post}
// observed at the press. A /cancel at or after the due time sends it instead ("too late").
// A window of 0 sends at once.
//
// Refusals are ERR notices "<code> <message>"; the codes (stable, for scripts): the line
// protocol's (line_protocol.h), and not_logged_in, orders_not_acknowledged,
// already_logged_in, login_refused, login_locked, in_round, not_in_round,
// tag_outside_round, unknown_gate, unknown_kind, unknown_incident, unknown_step,
// step_already_done, no_panic, panic_pending.
//
// Time: every entry point takes `now` (Micros, the adapter's clock); NextDeadline says
// when OnTimer must next run (a countdown second, a panic due, a decision timeout).
//
// Ownership and threads: holds a reference to the config (valid: ValidateTerminalConfig
// returned no error) which must outlive it. Not thread-safe: one event-loop thread calls
// it. Errors are values (error notices); nothing is thrown for any input.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "terminal/core/effects.h"
#include "terminal/core/line_protocol.h"
#include "terminal/core/phrases.h"
#include "terminal/core/screen.h"
#include "terminal/core/terminal_config.h"

namespace picket::terminal {

// access.granted / access.denied for a scan of this terminal, as the adapter read it.
struct Decision {
  std::string scan_event_id;  // the id of the terminal.pass_scanned judged
  bool granted = false;
  std::string reason;  // denied: the access.denied reason name
  std::string person;  // the pass's holder, or ""
};

// escalation.incident_opened, as the adapter read it.
struct IncidentInfo {
  uint64_t id = 0;
  std::string kind;  // incidentType
  std::string post;  // incidents of other posts are ignored
  std::string severity;
  // The id of the triggering event if this terminal published it (the adapter maps
  // triggerSeq to its own event ids), else "".
  std::string trigger_event_id;
};

class Session {
 public:
  explicit Session(const TerminalConfig& config);

  // One line as read (ParseLine, then Handle); a malformed line gives an ERR notice and
  // changes nothing else.
  Effects HandleLine(std::string_view line, Micros now);
  Effects Handle(const Input& input, Micros now);

  // The adapter assigned `event_id` to the event the Session numbered `ref`. Unknown refs
  // are ignored.
  void BindEventId(uint64_t ref, std::string_view event_id);

  Effects OnDecision(const Decision& decision, Micros now);
  Effects OnIncidentOpened(const IncidentInfo& incident, Micros now);
  // escalation.step_done; ignored unless the incident is on screen.
  Effects OnStepDone(uint64_t incident, std::string_view step, Micros now);
  // escalation.incident_resolved or incident_cancelled; `how` is "resolved"/"cancelled".
  Effects OnIncidentClosed(uint64_t incident, std::string_view how, Micros now);
  // patrol.round_completed of a round at this post (its last checkpoint judged, or ended):
  // the round is over on screen too, with what patrol counted. Ignored outside a round.
  Effects OnRoundClosed(uint32_t on_time, uint32_t late, uint32_t missed, Micros now);
  // The bus link's state and the outbox depth, whenever either changes.
  Effects OnConnection(bool up, size_t outbox_depth, Micros now);
  Effects OnTimer(Micros now);

  // When OnTimer must next run, or nullopt if nothing is waiting.
  std::optional<Micros> NextDeadline() const;

  const ScreenModel& screen() const { return screen_; }
  // The panic's due time while its cancel window runs.
  std::optional<Micros> PanicDue() const;

 private:
  struct PendingScan {
    uint64_t ref = 0;
    std::string event_id;
    std::string code;
    Direction direction = Direction::kIn;
    std::string gate;
    Micros at = 0;
    Micros deadline = 0;  // decision_timeout after `at`
    bool decided = false;
    bool shown_no_decision = false;
  };

  // session.cc: login, logout, scans, panic, timers.
  void Login(const input::Login& in, Micros now, Effects& fx);
  void Logout(Micros now, Effects& fx);
  void Scan(const std::string& code, Micros now, Effects& fx);
  void PassScan(const std::string& code, Micros now, Effects& fx);
  void CheckpointScan(const std::string& tag, Micros now, Effects& fx);
  void StartPanic(Micros now, Effects& fx);
  void CancelPanic(Micros now, Effects& fx);
  void SendPanic(Effects& fx);
  void SilentPanic(const std::string& guard, Micros now, Effects& fx);
  void ShowNoDecision(PendingScan& scan, std::string_view why, Effects& fx);
  // session_reports.cc: the other commands, incidents, decisions.
  void Visitor(const input::Visitor& in, Micros now, Effects& fx);
  void Manual(const input::Manual& in, Micros now, Effects& fx);
  void RoundStart(const input::RoundStart& in, Micros now, Effects& fx);
  void RoundEnd(Micros now, Effects& fx);
  void Report(const input::Incident& in, Micros now, Effects& fx);
  void MarkStepDone(const input::StepDone& in, Effects& fx);
  void Help(Effects& fx);
  void SetGate(const input::SetGate& in, Effects& fx);

  // Whether `input` may be taken in the current stage; if not, adds the refusal.
  bool Allowed(const Input& input, Effects& fx);
  OutgoingEvent& Emit(Effects& fx, std::string_view type, Micros at, std::vector<Field> fields);
  void Info(Effects& fx, std::string text);
  void Refuse(Effects& fx, std::string_view code, std::string message);
  void ShowVerdict(LastVerdict v, Effects& fx);
  std::string Say(Situation s) const;
  PendingScan* FindScan(std::string_view event_id);
  bool IsDuressCode(const GuardLogin& guard, std::string_view code) const;

  const TerminalConfig& config_;
  PhraseBook phrases_;
  ScreenModel screen_;
  uint64_t next_ref_ = 1;

  std::string role_;  // the logged-in guard's role
  int login_failures_ = 0;
  Micros locked_until_ = 0;

  std::optional<Micros> panic_pressed_at_;  // the cancel window runs
  std::optional<Micros> panic_due_;

  std::deque<PendingScan> scans_;   // the latest last
  std::set<uint64_t> silent_refs_;  // silent panics not yet bound to an event id
  std::set<std::string> silent_event_ids_;
};

}  // namespace picket::terminal
