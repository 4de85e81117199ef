// Access: the pure core of picket-access (issue 10). Gate facts, timers and commands in;
// decisions, state changes and timer effects out.
//
//   pass scanned (in)  ──► DecideScan (gate_decision.h) ──► granted: a visit opens, the
//                          holder is on site; visit-tracking kinds also get
//                          visitor_checked_in and an overstay timer at expiry + grace
//                      └─► denied {reason}; watchlist_hit for every matching entry
//   pass scanned (out) ──► granted: the visit closes (visitor_checked_out, timer
//                          cancelled) / denied anti_passback if not on site
//   manual entry       ──► unregistered_entry; a visit opens (it counts for the roll call)
//   visitor arrived    ──► visitor_arrived; the wait starts (waited = check-in - arrival)
//   overstay timer     ──► overstay {number}; again every overstay_repeat until checkout
//
// Handlers read and write state through the Txn and return Effects (events, timers to
// set and cancel); the adapter commits the Txn's writes, the timer rows and the outbox
// rows in one write, so a visit and its timer never disagree. The core never reads a
// clock: gate facts are judged at their own time (`at`, the terminal's observed time, so
// a scan forwarded late by an offline terminal is judged as of when it happened); timers
// and commands get `now`.
//
// Not thread-safe; one handler at a time (the service loop). docs/access.md has the rules.
#pragma once

#include <string>
#include <vector>

#include "access/core/access_config.h"
#include "access/core/commands.h"
#include "access/core/events.h"
#include "base/txn.h"

namespace picket::access {

// terminal: a pass was presented to a gate's reader.
struct PassScanned {
  std::string code, gate;
  Direction direction = Direction::kIn;
  std::string guard;       // the guard on duty at the gate (the event's actor)
  std::string supervisor;  // an officer standing by (for watchlist "supervisor" entries)
  Micros at = 0;
};
// terminal: a guard let someone in without a pass, with a reason.
struct ManualEntry {
  std::string gate;
  std::string person;  // a person id, or the name as the guard typed it
  std::string note;    // why
  std::string guard;
  Micros at = 0;
};
// terminal: a visitor announced themselves at the gate.
struct VisitorArrival {
  std::string gate, person, guard;
  Micros at = 0;
};
// A keyed timer that fell due (the runtime's TimerRow).
struct TimerFired {
  std::string id;
  Micros due = 0;
  std::string payload;
};

class Access {
 public:
  // `config` must outlive this and must have passed ValidateAccessConfig.
  explicit Access(const AccessConfig& config) : config_(config) {}

  // The tables the Txn must have (access_keys.h).
  static std::vector<std::string> Tables();

  Effects OnPassScanned(const PassScanned& scan, Txn& state);
  Effects OnManualEntry(const ManualEntry& entry, Txn& state);
  Effects OnVisitorArrived(const VisitorArrival& arrival, Txn& state);
  // A due timer (t.due <= now). One that no longer matches an open visit changes nothing.
  Effects OnTimer(const TimerFired& t, Txn& state, Micros now);

  // A command or a query (access_commands.cc). A refusal changes nothing.
  CommandResult OnCommand(const Command& command, Txn& state, Micros now);

 private:
  const AccessConfig& config_;
};

}  // namespace picket::access
