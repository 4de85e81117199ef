#include "access/core/events.h"
#include "base/overloaded.h"

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
  return std::visit(
      Overloaded{
          [](const AccessGranted&) { return std::string_view("access.granted"); },
          [](const AccessDenied&) { return std::string_view("access.denied"); },
          [](const WatchlistHit&) { return std::string_view("access.watchlist_hit"); },
          [](const UnregisteredEntry&) { return std::string_view("access.unregistered_entry"); },
          [](const VisitorArrived&) { return std::string_view("access.visitor_arrived"); },
          [](const VisitorCheckedIn&) { return std::string_view("access.visitor_checked_in"); },
          [](const VisitorCheckedOut&) { return std::string_view("access.visitor_checked_out"); },
          [](const Overstay&) { return std::string_view("access.overstay"); },
          [](const PersonRegistered&) { return std::string_view("access.person_registered"); },
          [](const PassIssued&) { return std::string_view("access.pass_issued"); },
          [](const PassRevoked&) { return std::string_view("access.pass_revoked"); },
          [](const PassExtended&) { return std::string_view("access.pass_extended"); },
          [](const WatchlistAdded&) { return std::string_view("access.watchlist_added"); },
          [](const WatchlistRemoved&) { return std::string_view("access.watchlist_removed"); },
      },
      body);
}

std::string_view OutgoingEvent::type() const { return EventTypeName(body); }

}  // namespace picket::access
