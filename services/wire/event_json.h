// Events as JSON, for picketctl, scripts and (later) the console.
//
//   {"id": "<32 hex digits>", "site": "plant-1", "type": "terminal.pass_scanned",
//    "producer": "gate-1", "actor": "guard-7", "observedAt": 1764104584123000,
//    "seq": 1234, "recordedAt": 1764104584125000,
//    "body": {"post": "gate-1", "passCode": "V-17", "direction": "in"}}
//
// Times are unix microseconds (JSON integers). The body is encoded generically through the
// type registry (BodySchemaFor) with Cap'n Proto's JsonCodec: field names are the schema's
// (lower camel case), enums are their names, 64-bit integers are strings (JsonCodec's rule,
// as JSON numbers cannot hold every 64-bit value). A type without a registered schema has no
// body in JSON; giving one is an error.
//
// Nothing here throws: bad JSON, wrong field types, unknown fields and out-of-range values
// come back as false / nullopt with a message naming the field.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "picket/schemas/envelope.capnp.h"

namespace picket {

// The JSON object for `event`, keys in the order shown above. Returns nullopt and sets *error
// if the event cannot be read (a malformed pointer, a body that is not a struct of its type's
// schema). Text is copied byte for byte: dump it with error_handler_t::replace, or use
// EventToJsonLine, if the event may hold invalid UTF-8.
std::optional<nlohmann::ordered_json> EventToJson(wire::Event::Reader event, std::string* error);

// EventToJson as one line of compact JSON (invalid UTF-8 replaced by U+FFFD).
std::optional<std::string> EventToJsonLine(wire::Event::Reader event, std::string* error);

// Writes the fields present in `json` (an object) into `out`. Fields absent from `json` are
// left as they are in `out`, so a caller sets defaults first (a random id, the site, the
// time now) and the JSON overrides them. Unknown keys are errors. For a type with a
// registered body schema, "body" is required (an object of that schema, unknown fields
// rejected); for any other type, "body" must be absent or null. `out` may be partly written
// when this returns false; discard it then.
bool EventFromJson(const nlohmann::ordered_json& json, wire::Event::Builder out,
                   std::string* error);

// Parses `text` as one JSON object, then EventFromJson.
bool EventFromJsonText(std::string_view text, wire::Event::Builder out, std::string* error);

// One line for people (picketctl tail):
//   #1234 2026-11-25T21:03:04.123Z terminal.pass_scanned gate-1 actor=guard-7 {"post":...}
// The time is recordedAt (the bus's time) if set, else observedAt; "actor=" is left out when
// the actor is empty, the body when there is none. Never throws: a body that cannot be read
// shows as <unreadable body: reason>.
std::string FormatEventLine(wire::Event::Reader event);

// "2026-11-25T21:03:04.123Z" for unix microseconds (UTC, millisecond precision).
std::string FormatMicrosUtc(int64_t micros);

}  // namespace picket
