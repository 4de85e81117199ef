#include "access/core/events.h"
#include "base/overloaded.h"
#include "wire/event_names.h"

namespace picket::access {

std::string_view DenyReasonName(DenyReason r) {
  switch (r) {
    case DenyReason::kUnknownPass:
      return "unknown_pass";
    case DenyReason::kUnknownGate:
      return "unknown_gate";
    case DenyReason::kRevoked:
      return "revoked";
    case DenyReason::kWatchlist:
      return "watchlist";
    case DenyReason::kNotYetValid:
      return "not_yet_valid";
    case DenyReason::kExpired:
      return "expired";
    case DenyReason::kWrongGate:
      return "wrong_gate";
    case DenyReason::kOutsideHours:
      return "outside_hours";
    case DenyReason::kAntiPassback:
      return "anti_passback";
  }
  return "?";
}

std::string_view EventTypeName(const EventBody& body) {
  return std::visit(Overloaded{
                        [](const AccessGranted&) { return event_names::kAccessGranted; },
                        [](const AccessDenied&) { return event_names::kAccessDenied; },
                        [](const WatchlistHit&) { return event_names::kWatchlistHit; },
                        [](const UnregisteredEntry&) { return event_names::kUnregisteredEntry; },
                        [](const VisitorArrived&) { return event_names::kVisitorArrived; },
                        [](const VisitorCheckedIn&) { return event_names::kVisitorCheckedIn; },
                        [](const VisitorCheckedOut&) { return event_names::kVisitorCheckedOut; },
                        [](const Overstay&) { return event_names::kOverstay; },
                        [](const PersonRegistered&) { return event_names::kPersonRegistered; },
                        [](const PassIssued&) { return event_names::kPassIssued; },
                        [](const PassRevoked&) { return event_names::kPassRevoked; },
                        [](const PassExtended&) { return event_names::kPassExtended; },
                        [](const WatchlistAdded&) { return event_names::kWatchlistAdded; },
                        [](const WatchlistRemoved&) { return event_names::kWatchlistRemoved; },
                        [](const WalkUpRequested&) { return event_names::kWalkUpRequested; },
                        [](const WalkUpApproved&) { return event_names::kWalkUpApproved; },
                        [](const WalkUpDenied&) { return event_names::kWalkUpDenied; },
                    },
                    body);
}

std::string_view OutgoingEvent::type() const { return EventTypeName(body); }

}  // namespace picket::access
