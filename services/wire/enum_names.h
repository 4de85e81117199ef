// Enum names from one place, the schema: the name a schemas/*.capnp enumerant has, looked
// up by number through Cap'n Proto's schema reflection (no hand-written switches).
#pragma once

#include <capnp/schema.h>

#include <cstdint>
#include <optional>
#include <string>

namespace picket::wire {

// The schema's name of enumerant `number` of WireEnum ("high"), or nullopt for a number
// the schema does not have (a newer writer's value).
template <typename WireEnum>
std::optional<std::string> EnumerantName(uint16_t number) {
  auto enumerants = capnp::Schema::from<WireEnum>().getEnumerants();
  if (number >= enumerants.size()) return std::nullopt;
  return std::string(enumerants[number].getProto().getName().cStr());
}

// The same, with "unknown(N)" for a number the schema does not have.
template <typename WireEnum>
std::string SchemaEnumerantName(uint16_t number) {
  return EnumerantName<WireEnum>(number).value_or("unknown(" + std::to_string(number) + ")");
}

}  // namespace picket::wire
