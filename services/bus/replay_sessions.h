// The replay endpoint's sessions, as a pure state machine (no sockets, no storage, no clock).
//
//   replay = C:replay *( S:replayBatch [C:credit] ) S:replayEnd
//
// One session per client (keyed by its routing id); a new replay request replaces the
// client's session. The adapter asks NextStep() for work, round-robin over the sessions,
// carries each step out (reads the log, sends) and reports back with BatchSent/Finish.
// Invariants: the events sent to a session never exceed the credit it was granted, and
// they are consecutive from max(fromSeq, first retained seq).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "wire/event_rules.h"

namespace picket {

// A validated replay request (see ReplayRequest in schemas/bus.capnp).
struct ReplayParams {
  uint64_t from_seq = 1;
  uint64_t to_seq = 0;  // 0 = up to the head as it is when the replay reaches it
  uint32_t credit = 0;
  uint32_t max_batch = 0;  // 0 = the bus default
};

// The retained part of the log: sequence numbers first_seq..head_seq (empty when
// first_seq > head_seq; first_seq is at least 1).
struct LogRange {
  uint64_t first_seq = 1;
  uint64_t head_seq = 0;
};

inline constexpr uint32_t kMaxReplayCredit = 100000;        // per request or Credit message
inline constexpr uint64_t kMaxOutstandingCredit = 1000000;  // credit left is capped here
inline constexpr uint32_t kMaxReplayBatchEvents = 65536;    // a larger maxBatch is clamped

class ReplaySessions {
 public:
  struct Limits {
    size_t max_sessions = 64;
    uint32_t default_max_batch = 256;
    Micros idle_timeout = 60 * kMicrosPerSecond;  // zero credit and no Credit for this long
  };

  // What the adapter should do next for one session.
  struct Step {
    enum class Kind { kBatch, kEnd };
    Kind kind = Kind::kBatch;
    std::string peer;
    uint64_t from_seq = 0;    // kBatch: first seq to send (the log has it)
    uint32_t max_events = 0;  // kBatch: send 1..max_events consecutive events from from_seq
    uint64_t last_seq = 0;    // kEnd: the last seq sent (fromSeq-1 if none)
  };

  explicit ReplaySessions(Limits limits) : limits_(limits) {}

  // Checks a request's fields: nullopt if acceptable, else outOfRange with a reason.
  static std::optional<Rejection> Check(const ReplayParams& params);

  // Starts (or replaces) `peer`'s session. Rejects with unavailable when the session table
  // is full (a replacement is always accepted). `params` must have passed Check().
  std::optional<Rejection> Start(const std::string& peer, const ReplayParams& params, Micros now);
  // Adds credit (1..kMaxReplayCredit, else outOfRange). unknownSession if `peer` has none.
  std::optional<Rejection> AddCredit(const std::string& peer, uint32_t events, Micros now);
  // Ends `peer`'s session without a reply. unknownSession if it has none.
  std::optional<Rejection> Cancel(const std::string& peer);

  // The next step of the next session after the one served last that can make progress
  // (has credit and events to send, or has sent everything it wanted); nullopt if none.
  std::optional<Step> NextStep(const LogRange& log);
  // `count` events ending at `last_seq` were sent to `peer` for a kBatch step.
  void BatchSent(const std::string& peer, uint64_t last_seq, uint32_t count);
  // Removes `peer`'s session (after its ReplayEnd, or when it cannot be reached).
  void Remove(const std::string& peer);
  // Removes and returns the sessions idle for limits.idle_timeout with zero credit.
  std::vector<std::string> ExpireIdle(Micros now);

  size_t size() const { return sessions_.size(); }
  bool Has(const std::string& peer) const { return sessions_.count(peer) != 0; }
  // Credit left for `peer` (0 if no session). For tests and status.
  uint64_t CreditLeft(const std::string& peer) const;

 private:
  struct Session {
    uint64_t next_seq = 1;   // the next seq wanted
    uint64_t to_seq = 0;     // 0 = head
    uint64_t last_sent = 0;  // last seq sent, from_seq-1 initially
    uint64_t credit = 0;
    uint32_t max_batch = 0;
    Micros credit_at = 0;  // when credit was last granted
  };
  std::optional<Step> StepFor(const std::string& peer, const Session& s, const LogRange& log) const;

  Limits limits_;
  std::map<std::string, Session> sessions_;
  std::string cursor_;  // the peer served last; round-robin continues after it
};

// The latest progress each subscriber reported (for Status). Bounded: when full, the
// subscriber that reported least recently is forgotten.
class SubscriberReports {
 public:
  struct Report {
    std::string subscriber;
    uint64_t applied_seq = 0;
    Micros reported_at = 0;
  };
  explicit SubscriberReports(size_t max_entries = 1024) : max_entries_(max_entries) {}

  // Checks a progress report: subscriber 1..64 bytes (missingField / outOfRange) of clean
  // text (badText).
  static std::optional<Rejection> Check(const std::string& subscriber);
  void Record(const std::string& subscriber, uint64_t applied_seq, Micros now);
  std::vector<Report> All() const;  // sorted by subscriber name

 private:
  size_t max_entries_;
  std::map<std::string, Report> reports_;
};

}  // namespace picket
