#include "patrol/core/events.h"

#include "base/overloaded.h"

namespace picket::patrol {

std::string_view RejectReasonName(RejectReason r) {
  switch (r) {
    case RejectReason::kUnknownTag:
      return "unknown_tag";
    case RejectReason::kFutureTime:
      return "future_time";
    case RejectReason::kNoRound:
      return "no_round";
    case RejectReason::kNotOnRoute:
      return "not_on_route";
    case RejectReason::kDuplicate:
      return "duplicate";
    case RejectReason::kOutOfSequence:
      return "out_of_sequence";
    case RejectReason::kTooEarly:
      return "too_early";
  }
  return "?";
}

std::string_view StartRefusalName(StartRefusal r) {
  switch (r) {
    case StartRefusal::kUnknownRoute:
      return "unknown_route";
    case StartRefusal::kOtherPost:
      return "other_post";
    case StartRefusal::kRouteRequired:
      return "route_required";
    case StartRefusal::kFutureTime:
      return "future_time";
  }
  return "?";
}

// Spelled here because wire/event_names.h does not list patrol's types yet; once it does
// (with their bodies registered on the bus), these should be its constants.
std::string_view EventTypeName(const EventBody& body) {
  using std::string_view;
  return std::visit(
      Overloaded{
          [](const RoundScheduled&) -> string_view { return "patrol.round_scheduled"; },
          [](const RoundStarted&) -> string_view { return "patrol.round_started"; },
          [](const RoundRefused&) -> string_view { return "patrol.round_refused"; },
          [](const CheckpointAccepted&) -> string_view { return "patrol.checkpoint_accepted"; },
          [](const CheckpointRejected&) -> string_view { return "patrol.checkpoint_rejected"; },
          [](const CheckpointMissed&) -> string_view { return "patrol.checkpoint_missed"; },
          [](const MissedReviewed& m) -> string_view {
            return m.withdrawn ? "patrol.missed_withdrawn" : "patrol.missed_confirmed";
          },
          [](const RoundNotStarted&) -> string_view { return "patrol.round_not_started"; },
          [](const RoundLate&) -> string_view { return "patrol.round_late"; },
          [](const RoundCompleted&) -> string_view { return "patrol.round_completed"; },
          [](const DeadlineExtended&) -> string_view { return "patrol.deadline_extended"; },
          [](const CheckpointExcused&) -> string_view { return "patrol.checkpoint_excused"; },
          [](const RoundCancelled&) -> string_view { return "patrol.round_cancelled"; },
          [](const ClockSkew&) -> string_view { return "patrol.clock_skew"; },
      },
      body);
}

std::string_view OutgoingEvent::type() const { return EventTypeName(body); }

}  // namespace picket::patrol
