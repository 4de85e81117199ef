// Patrol: the pure core of picket-patrol (issue 11). Terminal facts, timers and commands
// in; verdicts, state changes and timer effects out.
//
//   schedule timer (due - early) ──► round_scheduled; a start timer at due + grace; the
//                                    schedule's timer moves to its next start time
//   round started  ──► round_started {order}: the guard's round at that post (the
//                      startable scheduled round of a route of the post, else a new
//                      unscheduled one); leg and end timers set
//   checkpoint scanned ──► checkpoint_accepted {on_time} / checkpoint_rejected {reason};
//                          a scan of a missed checkpoint ──► missed_withdrawn/_confirmed
//   leg timer      ──► checkpoint_missed (ordered/random: the next expected checkpoint)
//   start timer    ──► round_not_started       end timer ──► round_late (once)
//   every checkpoint has a verdict, or round ended ──► round_completed
//   commands       ──► deadline_extended, checkpoint_excused, round_cancelled
//
// Legs and deadlines. A round's checkpoints have an expected order (patrol_types.h). The
// anchor of a checkpoint is the time of the verdict before it in that order (a scan's
// observed time, a miss's deadline) or, for the first, the round's start. Its leg is
// scanned - anchor: under leg_min is too_early (not counted: scan again), up to
// leg_max + extension on time, up to leg_max + grace + extension late, and at
// anchor + leg_max + grace + extension (its deadline) the leg timer declares it missed.
// Any-order routes have no expected next: any pending checkpoint may be scanned, legs
// are measured from the previous scan (or the start), and the pending ones are missed at
// the round's end deadline: start + planned_length + grace + extension, which is also
// when an ordered round still in progress gets round_late.
//
// Exactly once. Every handler reads and writes state through the Txn and returns Effects;
// the adapter commits the writes, timer rows and outbox rows together. A timer fires once
// (the runtime deletes its row in the same write); a deadline that fell while the service
// was down fires on restart with its lateness. A rescan never counts twice (duplicate).
// Late scans from an offline terminal are judged at their observed time; when the
// withdrawal of a miss moves the next checkpoint's anchor earlier, its deadline moves
// with it (a deadline already past fires at once).
//
// Skew. Every terminal fact gives a sample observed - recorded (bus time) for its
// producer. A sample over +skew_limit (a clock ahead) is reported at once; otherwise a
// window of skew_window closes at the first sample after it, and its largest sample is
// the estimate (the least-delayed fact shows the clock offset best: an offline
// terminal's late facts only lower it); below -skew_limit it is reported. At most one
// patrol.clock_skew per terminal per window.
//
// The core never reads a clock: facts carry `at` (observed) and `recorded` (bus time);
// timers and commands get `now`. Not thread-safe; one handler at a time.
#pragma once

#include <string>
#include <vector>

#include "base/txn.h"
#include "patrol/core/commands.h"
#include "patrol/core/patrol_config.h"

namespace picket::patrol {

// Who published a terminal fact and when: the envelope's producer, actor and times.
struct FactSource {
  std::string terminal;  // producer
  std::string guard;     // actor: the guard (required)
  Micros at = 0;         // observedAt
  Micros recorded = 0;   // recordedAt (bus time)
};
// terminal.round_started {post, route}: `route` may be empty when the post has one route
// (or one scheduled round startable now).
struct RoundStart {
  std::string post, route;
  FactSource source;
  uint64_t entropy = 0;  // random routes: seeds the drawn order (the adapter's, e.g. the
                         // event's chain hash: unknown to the guard before the start)
};
// terminal.checkpoint_scanned {post, tag}
struct CheckpointScan {
  std::string post, tag;
  FactSource source;
};
// terminal.round_ended {post}: the guard's round at that post ends now; pending
// checkpoints are missed (round_ended = true).
struct RoundEnd {
  std::string post;
  FactSource source;
};
// A keyed timer that fell due (the runtime's TimerRow).
struct TimerFired {
  std::string id;
  Micros due = 0;
  std::string payload;
};

class Patrol {
 public:
  // `config` must outlive this and must have passed ValidatePatrolConfig.
  explicit Patrol(const PatrolConfig& config);

  // The tables the Txn must have (patrol_keys.h).
  static std::vector<std::string> Tables();

  // At service start (and after a config change): every schedule without a pending timer
  // gets one at its next start time's due - early after `now`; a schedule no longer in
  // the config is forgotten. Idempotent: a second call changes nothing.
  Effects OnStart(Txn& state, Micros now);

  Effects OnRoundStarted(const RoundStart& fact, Txn& state);
  Effects OnCheckpointScanned(const CheckpointScan& fact, Txn& state);
  Effects OnRoundEnded(const RoundEnd& fact, Txn& state);
  // A due timer (t.due <= now). One that no longer matches the state changes nothing.
  Effects OnTimer(const TimerFired& t, Txn& state, Micros now);

  // A command or a query. A refusal changes nothing.
  CommandResult OnCommand(const Command& command, Txn& state, Micros now);

 private:
  const PatrolConfig& config_;
  TimeZoneRule zone_;
};

}  // namespace picket::patrol
