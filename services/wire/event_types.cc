#include "wire/event_types.h"

#include <map>
#include <set>

namespace picket {
namespace {

template <typename Body>
RegisteredEventType Entry(EventType<Body> type, std::vector<std::string_view> required = {}) {
  return {type.name, capnp::Schema::from<Body>(), std::move(required)};
}

}  // namespace

const std::vector<RegisteredEventType>& AllEventTypes() {
  using namespace event_types;
  static const std::vector<RegisteredEventType> kAll = {
      Entry(kPassScanned, {"post", "passCode"}),
      Entry(kCheckpointScanned, {"post", "tag"}),
      Entry(kIncidentReported, {"post", "kind"}),
      Entry(kPanicPressed, {"post"}),
      Entry(kManualEntry, {"post", "person", "note"}),
      Entry(kVisitorArrival, {"post", "person"}),
      Entry(kPatrolStart, {"post"}),
      Entry(kPatrolEnd, {"post"}),
      Entry(kShiftStarted, {"person", "post", "role"}),
      Entry(kShiftEnded, {"person"}),
      Entry(kBusCheckpoint),
      Entry(kPublishRefused),
      Entry(kEscalationCommandRefused),
      Entry(kAccessCommandRefused),
      Entry(kPatrolCommandRefused),
      Entry(kScoringCommandRefused),
      Entry(kIncidentOpened),
      Entry(kIncidentGrouped),
      Entry(kAlertRaised),
      Entry(kIncidentEscalated),
      Entry(kLevelUnstaffed),
      Entry(kIncidentAcknowledged),
      Entry(kIncidentUnacknowledged),
      Entry(kStepDone),
      Entry(kNoteAdded),
      Entry(kIncidentResolved),
      Entry(kIncidentReopened),
      Entry(kIncidentSilenced),
      Entry(kSilenceEnded),
      Entry(kIncidentReassigned),
      Entry(kIncidentCancelled),
      Entry(kDeliverySucceeded),
      Entry(kDeliveryFailed),
      Entry(kDeliveryStopped),
      Entry(kAccessGranted),
      Entry(kAccessDenied),
      Entry(kWatchlistHit),
      Entry(kUnregisteredEntry),
      Entry(kVisitorArrived),
      Entry(kVisitorCheckedIn),
      Entry(kVisitorCheckedOut),
      Entry(kOverstay),
      Entry(kPersonRegistered),
      Entry(kPassIssued),
      Entry(kPassRevoked),
      Entry(kPassExtended),
      Entry(kWatchlistAdded),
      Entry(kWatchlistRemoved),
      Entry(kWalkUpRequested),
      Entry(kWalkUpApproved),
      Entry(kWalkUpDenied),
      Entry(kRoundScheduled),
      Entry(kRoundStarted),
      Entry(kRoundRefused),
      Entry(kCheckpointAccepted),
      Entry(kCheckpointRejected),
      Entry(kCheckpointMissed),
      Entry(kMissedWithdrawn),
      Entry(kMissedConfirmed),
      Entry(kRoundNotStarted),
      Entry(kRoundLate),
      Entry(kRoundCompleted),
      Entry(kDeadlineExtended),
      Entry(kCheckpointExcused),
      Entry(kRoundCancelled),
      Entry(kClockSkew),
      Entry(kPointsAwarded),
      Entry(kEntryVoided),
      Entry(kFindingRecorded),
      Entry(kCommendationRecorded),
      Entry(kAwardGranted),
  };
  return kAll;
}

const RegisteredEventType* FindRegisteredType(std::string_view type) {
  static const std::map<std::string_view, const RegisteredEventType*, std::less<>> kByName = [] {
    std::map<std::string_view, const RegisteredEventType*, std::less<>> m;
    for (const auto& t : AllEventTypes()) m.emplace(t.name, &t);
    return m;
  }();
  auto it = kByName.find(type);
  return it == kByName.end() ? nullptr : it->second;
}

bool InRegisteredNamespace(std::string_view type) {
  static const std::set<std::string_view, std::less<>> kNamespaces = [] {
    std::set<std::string_view, std::less<>> s;
    for (const auto& t : AllEventTypes()) s.insert(t.name.substr(0, t.name.find('.')));
    return s;
  }();
  return kNamespaces.count(type.substr(0, type.find('.'))) > 0;
}

std::string_view OwnerOf(std::string_view type) {
  const std::string_view ns = type.substr(0, type.find('.'));
  if (ns.size() == type.size() || ns == "terminal" || ns == "shift" || !InRegisteredNamespace(type))
    return {};
  return ns;
}

}  // namespace picket
