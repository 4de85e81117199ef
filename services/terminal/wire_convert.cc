#include "terminal/wire_convert.h"

#include <capnp/dynamic.h>
#include <kj/exception.h>

#include <charconv>

#include "wire/event_types.h"

namespace picket::terminal {
namespace {

std::string Str(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

template <typename Int>
bool ParseInt(const std::string& text, Int* out) {
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && p == end && !text.empty();
}

// Sets one body field from its text form; false + *error if it cannot take it.
bool SetField(capnp::DynamicStruct::Builder body, const Field& f, std::string* error) {
  KJ_IF_MAYBE (field, body.getSchema().findFieldByName(f.name)) {
    const capnp::Type type = field->getType();
    switch (type.which()) {
      case capnp::schema::Type::TEXT:
        body.set(*field, capnp::Text::Reader(f.value.c_str(), f.value.size()));
        return true;
      case capnp::schema::Type::BOOL:
        if (f.value != "true" && f.value != "false") break;
        body.set(*field, f.value == "true");
        return true;
      case capnp::schema::Type::ENUM:
        KJ_IF_MAYBE (e, type.asEnum().findEnumerantByName(f.value)) {
          body.set(*field, capnp::DynamicEnum(*e));
          return true;
        }
        break;
      case capnp::schema::Type::UINT64: {
        uint64_t v = 0;
        if (!ParseInt(f.value, &v)) break;
        body.set(*field, v);
        return true;
      }
      case capnp::schema::Type::INT64: {
        int64_t v = 0;
        if (!ParseInt(f.value, &v)) break;
        body.set(*field, v);
        return true;
      }
      default:
        break;
    }
    *error = "field " + f.name + " cannot take '" + f.value + "'";
    return false;
  }
  *error = "the body has no field " + f.name;
  return false;
}

}  // namespace

bool FillEvent(const OutgoingEvent& e, wire::Event::Builder out, std::string* error) {
  const RegisteredEventType* type = FindRegisteredType(e.type);
  if (type == nullptr) {
    *error = "terminal: '" + e.type + "' is not a registered event type";
    return false;
  }
  out.setType(e.type);
  out.setActor(e.actor);
  out.setObservedAt(e.observed_at);
  capnp::DynamicStruct::Builder fields = out.getBody().initAs<capnp::DynamicStruct>(type->body);
  for (const Field& f : e.fields) {
    if (!SetField(fields, f, error)) {
      *error = "terminal: " + e.type + ": " + *error;
      return false;
    }
  }
  return true;
}

DecisionOnWire FromGranted(wire::AccessGranted::Reader granted) {
  DecisionOnWire d;
  d.scan_seq = granted.getScanSeq();
  d.post = Str(granted.getPost());
  d.decision.granted = true;
  d.decision.person = Str(granted.getPerson());
  return d;
}

DecisionOnWire FromDenied(wire::AccessDenied::Reader denied) {
  DecisionOnWire d;
  d.scan_seq = denied.getScanSeq();
  d.post = Str(denied.getPost());
  d.decision.granted = false;
  d.decision.reason = Str(denied.getReason());
  d.decision.person = Str(denied.getPerson());
  return d;
}

IncidentOnWire FromOpened(wire::IncidentOpened::Reader opened) {
  IncidentOnWire i;
  i.trigger_seq = opened.getTriggerSeq();
  i.info.id = opened.getIncident();
  i.info.kind = Str(opened.getIncidentType());
  i.info.post = Str(opened.getPost());
  const auto severities = capnp::Schema::from<wire::Severity>().getEnumerants();
  const auto s = static_cast<unsigned>(opened.getSeverity());
  i.info.severity = s < severities.size() ? Str(severities[s].getProto().getName()) : "unknown";
  return i;
}

}  // namespace picket::terminal
