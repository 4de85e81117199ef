// `picketctl access ... --json`: picket-access's reply as one JSON object, generically from
// the schema (Cap'n Proto reflection): every field of AccessReply by its schema name (lower
// camel case, as `incident --json`), enums by name, integers as JSON numbers (times in
// unix microseconds, as `incident --json`; 64-bit values exactly), Data as hex, a null
// struct as null, a null list as [] and a null Text as "". So a script finds every key of
// the schema, present or not.
#pragma once

#include <capnp/dynamic.h>

#include <nlohmann/json.hpp>

#include "picket/schemas/access.capnp.h"

namespace picket {

// Any struct, as described above (union members: only the one set). May throw
// kj::Exception on a malformed message: call it inside ReadSafely.
nlohmann::ordered_json StructToJson(capnp::DynamicStruct::Reader value);

inline nlohmann::ordered_json AccessReplyToJson(wire::AccessReply::Reader reply) {
  return StructToJson(capnp::DynamicStruct::Reader(reply));
}

}  // namespace picket
