#include "scoring/core/events.h"

#include "base/overloaded.h"
#include "scoring/core/rules.h"

namespace picket::scoring {

std::string_view OutgoingEvent::type() const {
  using std::string_view;
  return std::visit(
      Overloaded{
          [](const PointsAwarded&) -> string_view { return kPointsAwardedType; },
          [](const EntryVoided&) -> string_view { return kEntryVoidedType; },
          [](const FindingRecorded&) -> string_view { return kFindingRecordedType; },
          [](const CommendationRecorded&) -> string_view { return kCommendationRecordedType; },
          [](const AwardGranted&) -> string_view { return kAwardGrantedType; },
      },
      body);
}

}  // namespace picket::scoring
