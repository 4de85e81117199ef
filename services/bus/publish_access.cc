#include "bus/publish_access.h"

#include <capnp/dynamic.h>

#include <algorithm>

#include "wire/event_rules.h"
#include "wire/event_types.h"

namespace picket {
namespace {

std::string_view NamespaceOf(std::string_view type) { return type.substr(0, type.find('.')); }

// The body's Text field `name`, or nullopt if its schema has none.
std::optional<std::string> TextField(wire::Event::Reader event, std::string_view type,
                                     const char* name) {
  auto schema = BodySchemaFor(type);
  if (!schema || !event.hasBody()) return std::nullopt;
  KJ_IF_MAYBE (field, schema->findFieldByName(name)) {
    auto body = event.getBody().getAs<capnp::DynamicStruct>(*schema);
    return std::string(body.get(*field).as<capnp::Text>().cStr());
  }
  return std::nullopt;
}

std::optional<std::string> WhyTerminalRefused(const Identity& who, wire::Event::Reader event,
                                              std::string_view type, const std::string& label) {
  const std::string_view ns = NamespaceOf(type);
  if (ns != "terminal" && ns != "shift")
    return label + " may publish only observations (terminal.*) and shift changes (shift.*), not " +
           std::string(type);
  if (auto post = TextField(event, type, "post"); post && *post != who.post)
    return label + " publishes for post '" + who.post + "' only, not for '" + *post + "'";
  if (auto gate = TextField(event, type, "gate");
      gate && !gate->empty() && *gate != who.post &&
      std::find(who.gates.begin(), who.gates.end(), *gate) == who.gates.end())
    return label + " may not report gate '" + *gate + "' (its post '" + who.post +
           "' and the gates listed for it only)";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> WhyPublishRefused(const Identity& who, wire::Event::Reader event) {
  const std::string_view type(event.getType().cStr(), event.getType().size());
  const std::string_view producer(event.getProducer().cStr(), event.getProducer().size());
  const std::string label = "'" + who.name + "' (" + std::string(RoleName(who.role)) + ")";
  if (producer != who.name)
    return label + " may publish only as itself, not as producer '" + std::string(producer) + "'";
  const std::string_view ns = NamespaceOf(type);
  switch (who.role) {
    case Role::kTerminal:
      return WhyTerminalRefused(who, event, type, label);
    case Role::kService:
      if (OwnerOf(type) == who.name || ns == "shift") return std::nullopt;
      // A service outside the registered namespaces (picket-tally, a site's own service)
      // publishes its own `<name>.*`; never an observation.
      if (ns == who.name && !InRegisteredNamespace(type)) return std::nullopt;
      return label + " may publish only its own derived types (" + who.name +
             ".*) and shift changes, not " + std::string(type);
    case Role::kOfficer:
    case Role::kSupervisor:
      if (ns == "shift") return std::nullopt;
      return label + " may publish only shift changes (shift.*), not " + std::string(type);
    case Role::kAdmin:
      if (OwnerOf(type).empty()) return std::nullopt;
      return label + " may not publish a service's derived type " + std::string(type);
  }
  return label + " has no role that may publish";
}

}  // namespace picket
