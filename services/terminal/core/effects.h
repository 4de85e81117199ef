// What the terminal's Session asks its adapter to do, as plain values: events to publish,
// commands to send to a service, and notices to show. The adapter carries them out in
// order; the Session never touches a socket, the outbox or the screen itself.
//
//   OutgoingEvent   one fact for the bus, in neutral form. `type` is an event name from
//                   wire/event_names.h (terminal.* or shift.*); `fields` are the body's
//                   fields by their schema name (schemas/terminal.capnp, roster.capnp),
//                   as text ("direction" is "in"/"out"). The envelope's actor is `actor`
//                   (the guard), its observed time `observed_at` (when the guard did it).
//                   The adapter assigns the 16-byte event id, stores the event in its
//                   durable outbox, and hands the id back with Session::BindEventId(ref,
//                   id) before it publishes (a decision names the scan by that id).
//   CommandRequest  a command for a service's command endpoint (today only escalation's
//                   markStepDone), with the same neutral fields.
//   Notice          one thing to tell the guard, for line mode (screen.h, RenderLine) and
//                   the full-screen view's message line. A silent duress panic has no
//                   notice: nothing the guard's screen shows betrays it.
//
// Value types; copyable; no thread-safety of their own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace picket::terminal {

struct Field {
  std::string name;
  std::string value;
  friend bool operator==(const Field&, const Field&) = default;
};

struct OutgoingEvent {
  uint64_t ref = 0;  // the Session's number for it (1, 2, ...), for BindEventId
  std::string type;
  std::vector<Field> fields;
  std::string actor;
  Micros observed_at = 0;

  // The value of field `name`, or "" if there is none.
  std::string_view Get(std::string_view name) const;
};

struct CommandRequest {
  std::string service;  // "escalation"
  std::string name;     // "markStepDone" (schemas/escalation.capnp, EscalationRequest)
  std::vector<Field> fields;
  std::string actor;
  std::string_view Get(std::string_view name) const;
};

// DO NOT CHANGE the prefixes (screen.h, RenderLine): scripts grep them.
enum class NoticeKind : uint8_t {
  kInfo,        // "OK"          an accepted command
  kError,       // "ERR"         a refused line or command: "<code> <message>"
  kChecking,    // "CHECKING"    a pass scan sent, the decision awaited: "<code> <in|out>"
  kGranted,     // "GRANTED"     "<code> <in|out> <person>"
  kDenied,      // "DENIED"      "<code> <in|out> <reason>"
  kNoDecision,  // "NODECISION"  "<code> <network_down|no_answer> scan kept"
  kSay,         // "SAY"         the standard phrase for the situation
  kCheckpoint,  // "CHECKPOINT"  "<tag> <n> this round"
  kPanic,       // "PANIC"       countdown, sent, cancelled
  kIncident,    // "INCIDENT"    "#<id> <kind> opened|closed ..."
  kStep,        // "STEP"        "#<id> <step> [ ]|[x] <text>"
  kConnection,  // "NET"         "up|down outbox=<n>"
  kOrders,      // "ORDERS"      one line of the post orders
  kHelp,        // "HELP"        one line of the command list
};
std::string_view NoticePrefix(NoticeKind k);

struct Notice {
  NoticeKind kind = NoticeKind::kInfo;
  std::string text;  // may hold several lines ('\n'); each becomes its own output line
  friend bool operator==(const Notice&, const Notice&) = default;
};

struct Effects {
  std::vector<OutgoingEvent> events;
  std::vector<CommandRequest> commands;
  std::vector<Notice> notices;
  bool screen_changed = false;  // the ScreenModel changed: redraw the full-screen view

  // The events of one type, in order (for tests and logs).
  std::vector<const OutgoingEvent*> EventsOf(std::string_view type) const;
  // Whether any notice of `kind` contains `text`.
  bool Says(NoticeKind kind, std::string_view text) const;
};

}  // namespace picket::terminal
