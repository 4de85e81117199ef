// Turning what a person or a script typed into encoded events for `picketctl publish`.
// Pure: no sockets, no clock (the time comes in EventDefaults).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/clock.h"

namespace picket {

// What an event gets when its JSON or flags do not say: a fresh random id always, and
// these for site, producer and observedAt.
struct EventDefaults {
  std::string site;  // from the site config or --site
  std::string producer = "picketctl";
  Micros now = 0;  // observedAt
};

// `picketctl publish --type T [--producer P] [--actor A] [--body JSON] [--id HEX]`.
struct EventFlags {
  std::string type;
  std::optional<std::string> producer, actor, body, id;
  std::optional<int64_t> observed_at;
};

// Encodes one wire::Event (seq 0) from a JSON object (event_json.h's format; seq and
// recordedAt must be absent or 0). Returns nullopt and sets *error if the JSON is bad or
// the event would be refused by the bus (CheckPublishable against the event's own site).
std::optional<std::string> EncodeEventFromJson(std::string_view text, const EventDefaults& defaults,
                                               std::string* error);

// The same from flags; errors name the flag ("--body: not valid JSON: ...").
std::optional<std::string> EncodeEventFromFlags(const EventFlags& flags,
                                                const EventDefaults& defaults, std::string* error);

// The events in a --json-file: the whole file as one JSON object, or a JSON array of
// objects, or else JSON lines (one object per line; blank lines skipped). Returns the
// text of each event, or nullopt and *error if the file is none of these.
std::optional<std::vector<std::string>> SplitJsonEvents(std::string_view content,
                                                        std::string* error);

}  // namespace picket
