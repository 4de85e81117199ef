// The duty roster: who is on which post, in which role, right now.
//
// A projection of the bus's shift events plus the site configuration. Every service that
// needs to know who is on duty keeps its own copy, built by this code from the same
// events, so they all agree (docs/architecture.md):
//
//   shift.started {person, post, role}  the person is on duty at `post` as `role` from the
//                                       event's time; a person holds one duty at a time, so
//                                       a new start replaces their previous one
//   shift.ended   {person}              the person is off duty (a no-op if they were not on)
//
// Questions it answers: who holds role R on duty now; who leads post P now (the on-duty
// holder of the leader role at P, else one at another post of P's squad); everyone with
// role R (on duty, plus people the configuration gives that role standing, e.g. managers
// reachable off shift).
//
// The state lives in one Txn table chosen by the owning service, so it is written in the
// same batch as the rest of the service's state. Row format (DO NOT CHANGE: stored):
//   key "duty/" + person   value record{post: string, role: string, since: i64}
// Pure: no clock (times come from the events), no sockets, no storage of its own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/txn.h"
#include "wire/event_names.h"

namespace picket {

// Event types the roster applies. DO NOT CHANGE: on the bus.
inline constexpr std::string_view kShiftStartedType = event_names::kShiftStarted;
inline constexpr std::string_view kShiftEndedType = event_names::kShiftEnded;

struct RosterConfig {
  // The role whose on-duty holder leads a post ("post_leader" targets resolve to them).
  std::string leader_role = "squad_leader";
  // post -> squad. Posts of one squad share a leader when their own post has none.
  std::map<std::string, std::string> squad_of_post;
  // person -> roles they hold standing, on shift or not (for "everyone with role R").
  std::map<std::string, std::vector<std::string>> standing_roles;
};

struct ShiftStarted {
  std::string person;
  std::string post;
  std::string role;
  Micros at = 0;  // when the shift started (the event's observed time)
};

struct ShiftEnded {
  std::string person;
  Micros at = 0;
};

struct OnDuty {
  std::string person;
  std::string post;
  std::string role;
  Micros since = 0;
  friend bool operator==(const OnDuty&, const OnDuty&) = default;
};

// Reads and writes the roster rows of one table through a Txn. Holds references: `config`
// and `txn` must outlive it. Not thread-safe (like the Txn).
class Roster {
 public:
  Roster(const RosterConfig& config, Txn& txn, std::string table);

  // Records the shift. Returns false (and changes nothing) if a field is empty.
  bool Apply(const ShiftStarted& s);
  // Ends the person's duty. Returns false if they were not on duty.
  bool Apply(const ShiftEnded& s);

  // The person's current duty, if any.
  std::optional<OnDuty> DutyOf(std::string_view person);
  // Everyone on duty, ordered by person.
  std::vector<OnDuty> OnDutyNow();
  // The on-duty holders of `role`, longest on duty first (ties by person).
  std::vector<OnDuty> HoldersOf(std::string_view role);
  // The leader of `post` now: the on-duty holder of the leader role at `post`, else at a
  // post of the same squad; the longest on duty wins. Nullopt if there is none.
  std::optional<std::string> LeaderOf(std::string_view post);
  // Every person with `role`: on-duty holders first (longest on duty first), then people
  // with the role standing, by name; each person once.
  std::vector<std::string> EveryoneWith(std::string_view role);

  // The row format, exposed for tests that pin it.
  static std::string EncodeKey(std::string_view person);
  static std::string EncodeValue(const OnDuty& d);
  static std::optional<OnDuty> DecodeRow(std::string_view key, std::string_view value);

 private:
  const RosterConfig& config_;
  Txn& txn_;
  std::string table_;
};

}  // namespace picket
