// The name of every event type that has a registered body, spelled once. The bus's
// registry (event_types.h) pairs each with its body schema; cores, adapters, picketctl and
// the simulator use these constants instead of string literals, and a test checks that
// docs/protocol.md lists each one.
//
// DO NOT CHANGE a name: it is on the bus and in every recorded event. Add new ones.
// Pure standard C++, so domain cores may include it.
#pragma once

#include <string_view>

namespace picket::event_names {

// Observations of post terminals (schemas/terminal.capnp).
inline constexpr std::string_view kPassScanned = "terminal.pass_scanned";
inline constexpr std::string_view kCheckpointScanned = "terminal.checkpoint_scanned";
inline constexpr std::string_view kIncidentReported = "terminal.incident_reported";
inline constexpr std::string_view kPanicPressed = "terminal.panic_pressed";
inline constexpr std::string_view kManualEntry = "terminal.manual_entry";
inline constexpr std::string_view kVisitorArrival = "terminal.visitor_arrived";
inline constexpr std::string_view kPatrolStart = "terminal.round_started";
inline constexpr std::string_view kPatrolEnd = "terminal.round_ended";

// The duty roster (schemas/roster.capnp).
inline constexpr std::string_view kShiftStarted = "shift.started";
inline constexpr std::string_view kShiftEnded = "shift.ended";

// picket-bus itself (schemas/bus.capnp): the signed checkpoints of the hash chain.
inline constexpr std::string_view kBusCheckpoint = "bus.checkpoint";
// A publish the bus refused for who sent it (schemas/bus.capnp Refused).
inline constexpr std::string_view kPublishRefused = "bus.publish_refused";
// A command a service refused for who sent it (Refused; `<service>.command_refused`).
inline constexpr std::string_view kEscalationCommandRefused = "escalation.command_refused";
inline constexpr std::string_view kAccessCommandRefused = "access.command_refused";
inline constexpr std::string_view kPatrolCommandRefused = "patrol.command_refused";
inline constexpr std::string_view kScoringCommandRefused = "scoring.command_refused";

// picket-escalation (schemas/escalation.capnp).
inline constexpr std::string_view kIncidentOpened = "escalation.incident_opened";
inline constexpr std::string_view kIncidentGrouped = "escalation.incident_grouped";
inline constexpr std::string_view kAlertRaised = "escalation.alert_raised";
inline constexpr std::string_view kIncidentEscalated = "escalation.incident_escalated";
inline constexpr std::string_view kLevelUnstaffed = "escalation.level_unstaffed";
inline constexpr std::string_view kIncidentAcknowledged = "escalation.incident_acknowledged";
inline constexpr std::string_view kIncidentUnacknowledged = "escalation.incident_unacknowledged";
inline constexpr std::string_view kStepDone = "escalation.step_done";
inline constexpr std::string_view kNoteAdded = "escalation.note_added";
inline constexpr std::string_view kIncidentResolved = "escalation.incident_resolved";
inline constexpr std::string_view kIncidentReopened = "escalation.incident_reopened";
inline constexpr std::string_view kIncidentSilenced = "escalation.incident_silenced";
inline constexpr std::string_view kSilenceEnded = "escalation.silence_ended";
inline constexpr std::string_view kIncidentReassigned = "escalation.incident_reassigned";
inline constexpr std::string_view kIncidentCancelled = "escalation.incident_cancelled";

// picket-notify (schemas/notify.capnp).
inline constexpr std::string_view kDeliverySucceeded = "notify.delivery_succeeded";
inline constexpr std::string_view kDeliveryFailed = "notify.delivery_failed";
inline constexpr std::string_view kDeliveryStopped = "notify.delivery_stopped";

// picket-access (schemas/access.capnp).
inline constexpr std::string_view kAccessGranted = "access.granted";
inline constexpr std::string_view kAccessDenied = "access.denied";
inline constexpr std::string_view kWatchlistHit = "access.watchlist_hit";
inline constexpr std::string_view kUnregisteredEntry = "access.unregistered_entry";
inline constexpr std::string_view kVisitorArrived = "access.visitor_arrived";
inline constexpr std::string_view kVisitorCheckedIn = "access.visitor_checked_in";
inline constexpr std::string_view kVisitorCheckedOut = "access.visitor_checked_out";
inline constexpr std::string_view kOverstay = "access.overstay";
inline constexpr std::string_view kPersonRegistered = "access.person_registered";
inline constexpr std::string_view kPassIssued = "access.pass_issued";
inline constexpr std::string_view kPassRevoked = "access.pass_revoked";
inline constexpr std::string_view kPassExtended = "access.pass_extended";
inline constexpr std::string_view kWatchlistAdded = "access.watchlist_added";
inline constexpr std::string_view kWatchlistRemoved = "access.watchlist_removed";
inline constexpr std::string_view kWalkUpRequested = "access.walkup_requested";
inline constexpr std::string_view kWalkUpApproved = "access.walkup_approved";
inline constexpr std::string_view kWalkUpDenied = "access.walkup_denied";

// picket-patrol (schemas/patrol.capnp).
inline constexpr std::string_view kRoundScheduled = "patrol.round_scheduled";
inline constexpr std::string_view kRoundStarted = "patrol.round_started";
inline constexpr std::string_view kRoundRefused = "patrol.round_refused";
inline constexpr std::string_view kCheckpointAccepted = "patrol.checkpoint_accepted";
inline constexpr std::string_view kCheckpointRejected = "patrol.checkpoint_rejected";
inline constexpr std::string_view kCheckpointMissed = "patrol.checkpoint_missed";
inline constexpr std::string_view kMissedWithdrawn = "patrol.missed_withdrawn";
inline constexpr std::string_view kMissedConfirmed = "patrol.missed_confirmed";
inline constexpr std::string_view kRoundNotStarted = "patrol.round_not_started";
inline constexpr std::string_view kRoundLate = "patrol.round_late";
inline constexpr std::string_view kRoundCompleted = "patrol.round_completed";
inline constexpr std::string_view kDeadlineExtended = "patrol.deadline_extended";
inline constexpr std::string_view kCheckpointExcused = "patrol.checkpoint_excused";
inline constexpr std::string_view kRoundCancelled = "patrol.round_cancelled";
inline constexpr std::string_view kClockSkew = "patrol.clock_skew";

// picket-scoring (schemas/scoring.capnp).
inline constexpr std::string_view kPointsAwarded = "scoring.points_awarded";
inline constexpr std::string_view kEntryVoided = "scoring.entry_voided";
inline constexpr std::string_view kFindingRecorded = "scoring.finding_recorded";
inline constexpr std::string_view kCommendationRecorded = "scoring.commendation_recorded";
inline constexpr std::string_view kAwardGranted = "scoring.award_granted";

}  // namespace picket::event_names
