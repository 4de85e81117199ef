#include "wire/event_types.h"

namespace picket {
namespace {

template <typename Body>
RegisteredEventType Entry(EventType<Body> type) {
  return {type.name, capnp::Schema::from<Body>()};
}

}  // namespace

const std::vector<RegisteredEventType>& AllEventTypes() {
  using namespace event_types;
  static const std::vector<RegisteredEventType> kAll = {
      Entry(kPassScanned),
      Entry(kCheckpointScanned),
      Entry(kIncidentReported),
      Entry(kPanicPressed),
      Entry(kShiftStarted),
      Entry(kShiftEnded),
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
  };
  return kAll;
}

}  // namespace picket
