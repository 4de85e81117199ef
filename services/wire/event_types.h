// The registry of event types and their bodies: each name of event_names.h bound to the
// Cap'n Proto struct its body must be. The bus checks bodies against it (BodySchemaFor),
// services subscribe with it (ServiceHost::On), picketctl converts JSON with it.
//
// To add an event type: its name in event_names.h, its body struct in schemas/, one line
// here and one in AllEventTypes (event_types.cc) with its required fields, and a row in
// docs/protocol.md (a test checks the docs list every registered type and its required
// fields).
//
// Namespaces: the first segment of a registered name (`terminal`, `shift`, `escalation`,
// `notify`) is closed: the bus refuses any other type under it (event_rules.h). Register a
// type before its producer publishes it.
#pragma once

#include <capnp/schema.h>

#include <string_view>
#include <vector>

#include "picket/schemas/access.capnp.h"
#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/notify.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/scoring.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "wire/event_names.h"

namespace picket {

// An event type whose body is a `Body` struct.
template <typename Body>
struct EventType {
  using BodyType = Body;
  std::string_view name;
};

namespace event_types {
namespace n = event_names;
inline constexpr EventType<wire::PassScanned> kPassScanned{n::kPassScanned};
inline constexpr EventType<wire::CheckpointScanned> kCheckpointScanned{n::kCheckpointScanned};
inline constexpr EventType<wire::IncidentReported> kIncidentReported{n::kIncidentReported};
inline constexpr EventType<wire::PanicPressed> kPanicPressed{n::kPanicPressed};
inline constexpr EventType<wire::ManualEntry> kManualEntry{n::kManualEntry};
inline constexpr EventType<wire::VisitorArrival> kVisitorArrival{n::kVisitorArrival};
inline constexpr EventType<wire::PatrolStart> kPatrolStart{n::kPatrolStart};
inline constexpr EventType<wire::PatrolEnd> kPatrolEnd{n::kPatrolEnd};
inline constexpr EventType<wire::ShiftStarted> kShiftStarted{n::kShiftStarted};
inline constexpr EventType<wire::ShiftEnded> kShiftEnded{n::kShiftEnded};
inline constexpr EventType<wire::ChainCheckpoint> kBusCheckpoint{n::kBusCheckpoint};
inline constexpr EventType<wire::Refused> kPublishRefused{n::kPublishRefused};
inline constexpr EventType<wire::Refused> kEscalationCommandRefused{n::kEscalationCommandRefused};
inline constexpr EventType<wire::Refused> kAccessCommandRefused{n::kAccessCommandRefused};
inline constexpr EventType<wire::Refused> kPatrolCommandRefused{n::kPatrolCommandRefused};
inline constexpr EventType<wire::Refused> kScoringCommandRefused{n::kScoringCommandRefused};
inline constexpr EventType<wire::IncidentOpened> kIncidentOpened{n::kIncidentOpened};
inline constexpr EventType<wire::IncidentGrouped> kIncidentGrouped{n::kIncidentGrouped};
inline constexpr EventType<wire::AlertRaised> kAlertRaised{n::kAlertRaised};
inline constexpr EventType<wire::IncidentEscalated> kIncidentEscalated{n::kIncidentEscalated};
inline constexpr EventType<wire::LevelUnstaffed> kLevelUnstaffed{n::kLevelUnstaffed};
inline constexpr EventType<wire::IncidentAcknowledged> kIncidentAcknowledged{
    n::kIncidentAcknowledged};
inline constexpr EventType<wire::IncidentUnacknowledged> kIncidentUnacknowledged{
    n::kIncidentUnacknowledged};
inline constexpr EventType<wire::StepDone> kStepDone{n::kStepDone};
inline constexpr EventType<wire::NoteAdded> kNoteAdded{n::kNoteAdded};
inline constexpr EventType<wire::IncidentResolved> kIncidentResolved{n::kIncidentResolved};
inline constexpr EventType<wire::IncidentReopened> kIncidentReopened{n::kIncidentReopened};
inline constexpr EventType<wire::IncidentSilenced> kIncidentSilenced{n::kIncidentSilenced};
inline constexpr EventType<wire::SilenceEnded> kSilenceEnded{n::kSilenceEnded};
inline constexpr EventType<wire::IncidentReassigned> kIncidentReassigned{n::kIncidentReassigned};
inline constexpr EventType<wire::IncidentCancelled> kIncidentCancelled{n::kIncidentCancelled};
inline constexpr EventType<wire::DeliveryAttempt> kDeliverySucceeded{n::kDeliverySucceeded};
inline constexpr EventType<wire::DeliveryAttempt> kDeliveryFailed{n::kDeliveryFailed};
inline constexpr EventType<wire::DeliveryStopped> kDeliveryStopped{n::kDeliveryStopped};
inline constexpr EventType<wire::AccessGranted> kAccessGranted{n::kAccessGranted};
inline constexpr EventType<wire::AccessDenied> kAccessDenied{n::kAccessDenied};
inline constexpr EventType<wire::WatchlistHit> kWatchlistHit{n::kWatchlistHit};
inline constexpr EventType<wire::UnregisteredEntry> kUnregisteredEntry{n::kUnregisteredEntry};
inline constexpr EventType<wire::VisitorArrived> kVisitorArrived{n::kVisitorArrived};
inline constexpr EventType<wire::VisitorCheckedIn> kVisitorCheckedIn{n::kVisitorCheckedIn};
inline constexpr EventType<wire::VisitorCheckedOut> kVisitorCheckedOut{n::kVisitorCheckedOut};
inline constexpr EventType<wire::Overstay> kOverstay{n::kOverstay};
inline constexpr EventType<wire::PersonRegistered> kPersonRegistered{n::kPersonRegistered};
inline constexpr EventType<wire::PassIssued> kPassIssued{n::kPassIssued};
inline constexpr EventType<wire::PassRevoked> kPassRevoked{n::kPassRevoked};
inline constexpr EventType<wire::PassExtended> kPassExtended{n::kPassExtended};
inline constexpr EventType<wire::WatchlistAdded> kWatchlistAdded{n::kWatchlistAdded};
inline constexpr EventType<wire::WatchlistRemoved> kWatchlistRemoved{n::kWatchlistRemoved};
inline constexpr EventType<wire::WalkUpRequested> kWalkUpRequested{n::kWalkUpRequested};
inline constexpr EventType<wire::WalkUpApproved> kWalkUpApproved{n::kWalkUpApproved};
inline constexpr EventType<wire::WalkUpDenied> kWalkUpDenied{n::kWalkUpDenied};
inline constexpr EventType<wire::RoundScheduled> kRoundScheduled{n::kRoundScheduled};
inline constexpr EventType<wire::RoundStarted> kRoundStarted{n::kRoundStarted};
inline constexpr EventType<wire::RoundRefused> kRoundRefused{n::kRoundRefused};
inline constexpr EventType<wire::CheckpointAccepted> kCheckpointAccepted{n::kCheckpointAccepted};
inline constexpr EventType<wire::CheckpointRejected> kCheckpointRejected{n::kCheckpointRejected};
inline constexpr EventType<wire::CheckpointMissed> kCheckpointMissed{n::kCheckpointMissed};
inline constexpr EventType<wire::MissedReviewed> kMissedWithdrawn{n::kMissedWithdrawn};
inline constexpr EventType<wire::MissedReviewed> kMissedConfirmed{n::kMissedConfirmed};
inline constexpr EventType<wire::RoundNotStarted> kRoundNotStarted{n::kRoundNotStarted};
inline constexpr EventType<wire::RoundLate> kRoundLate{n::kRoundLate};
inline constexpr EventType<wire::RoundCompleted> kRoundCompleted{n::kRoundCompleted};
inline constexpr EventType<wire::DeadlineExtended> kDeadlineExtended{n::kDeadlineExtended};
inline constexpr EventType<wire::CheckpointExcused> kCheckpointExcused{n::kCheckpointExcused};
inline constexpr EventType<wire::RoundCancelled> kRoundCancelled{n::kRoundCancelled};
inline constexpr EventType<wire::ClockSkew> kClockSkew{n::kClockSkew};
inline constexpr EventType<wire::LedgerEntry> kPointsAwarded{n::kPointsAwarded};
inline constexpr EventType<wire::LedgerEntry> kEntryVoided{n::kEntryVoided};
inline constexpr EventType<wire::FindingRecorded> kFindingRecorded{n::kFindingRecorded};
inline constexpr EventType<wire::CommendationRecorded> kCommendationRecorded{
    n::kCommendationRecorded};
inline constexpr EventType<wire::AwardGranted> kAwardGranted{n::kAwardGranted};
}  // namespace event_types

// A registered type, type-erased: its name, its body's schema and the Text fields of the
// body that must not be empty (Cap'n Proto has no required fields; the bus enforces these:
// a publish whose body leaves one empty is refused with missingField naming it).
//
// A field may be made required only while no producer sends it empty: it refuses what was
// accepted before. Observations from terminals and people (terminal.*, shift.*) declare
// what a consumer cannot do without; the events services derive declare none, because
// their producers build them from checked state and a refusal there would only park the
// derived event in dead_letter.
struct RegisteredEventType {
  std::string_view name;
  capnp::StructSchema body;
  std::vector<std::string_view> required;  // field names as in the schema, in schema order
};

// Every registered event type, in the order above.
const std::vector<RegisteredEventType>& AllEventTypes();

// The registered type named `type`, or nullptr. The pointer stays valid for the program.
const RegisteredEventType* FindRegisteredType(std::string_view type);

// True if `type`'s first segment (before the first '.') is the first segment of a
// registered type: such a namespace is closed, so a type under it that is not registered
// (a typo such as `terminal.incident_reportd`) is refused. Types under other namespaces
// (`demo.tick`) are free, with a null body.
bool InRegisteredNamespace(std::string_view type);

// The producer that owns a derived type: the service named by its namespace
// (`patrol.checkpoint_missed` -> "patrol", the producer name of picket-patrol's events).
// Empty for what any producer may publish: observations (`terminal.*`, `shift.*`) and
// types outside the registered namespaces. A consumer that scores or acts on a derived
// event ignores one whose producer is not its owner (a forged verdict).
std::string_view OwnerOf(std::string_view type);

}  // namespace picket
