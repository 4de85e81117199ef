#include "terminal/core/effects.h"

namespace picket::terminal {
namespace {

std::string_view FieldValue(const std::vector<Field>& fields, std::string_view name) {
  for (const Field& f : fields) {
    if (f.name == name) return f.value;
  }
  return {};
}

}  // namespace

std::string_view OutgoingEvent::Get(std::string_view name) const {
  return FieldValue(fields, name);
}

std::string_view CommandRequest::Get(std::string_view name) const {
  return FieldValue(fields, name);
}

std::string_view NoticePrefix(NoticeKind k) {
  switch (k) {
    case NoticeKind::kInfo:
      return "OK";
    case NoticeKind::kError:
      return "ERR";
    case NoticeKind::kChecking:
      return "CHECKING";
    case NoticeKind::kGranted:
      return "GRANTED";
    case NoticeKind::kDenied:
      return "DENIED";
    case NoticeKind::kNoDecision:
      return "NODECISION";
    case NoticeKind::kSay:
      return "SAY";
    case NoticeKind::kCheckpoint:
      return "CHECKPOINT";
    case NoticeKind::kPanic:
      return "PANIC";
    case NoticeKind::kIncident:
      return "INCIDENT";
    case NoticeKind::kStep:
      return "STEP";
    case NoticeKind::kConnection:
      return "NET";
    case NoticeKind::kOrders:
      return "ORDERS";
    case NoticeKind::kHelp:
      return "HELP";
  }
  return "OK";
}

std::vector<const OutgoingEvent*> Effects::EventsOf(std::string_view type) const {
  std::vector<const OutgoingEvent*> out;
  for (const OutgoingEvent& e : events) {
    if (e.type == type) out.push_back(&e);
  }
  return out;
}

bool Effects::Says(NoticeKind kind, std::string_view text) const {
  for (const Notice& n : notices) {
    if (n.kind == kind && n.text.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace picket::terminal
