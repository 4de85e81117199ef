#include "wire/event_rules.h"

#include <capnp/any.h>
#include <capnp/dynamic.h>

#include <string>

#include "wire/event_types.h"
#include "wire/text_check.h"

namespace picket {
namespace {

bool IsSegmentStart(char c) { return c >= 'a' && c <= 'z'; }
bool IsSegmentChar(char c) { return IsSegmentStart(c) || (c >= '0' && c <= '9') || c == '_'; }

std::string_view BytesOf(capnp::Text::Reader text) { return {text.begin(), text.size()}; }

Rejection BadTextRejection(std::string_view name, std::string_view problem) {
  return Rejection{wire::ErrorCode::BAD_TEXT, std::string(name) + " " + std::string(problem)};
}

// Length first (empty: missingField when the field is required), then clean text.
std::optional<Rejection> CheckText(capnp::Text::Reader text, std::string_view name, size_t min,
                                   size_t max) {
  if (text.size() < min)
    return Rejection{
        text.size() == 0 ? wire::ErrorCode::MISSING_FIELD : wire::ErrorCode::OUT_OF_RANGE,
        std::string(name) + " is " +
            (text.size() == 0 ? "empty" : "shorter than " + std::to_string(min) + " bytes")};
  if (text.size() > max)
    return Rejection{wire::ErrorCode::OUT_OF_RANGE,
                     std::string(name) + " is longer than " + std::to_string(max) + " bytes"};
  if (auto fault = FindTextFault(BytesOf(text)))
    return BadTextRejection(name, DescribeTextFault(*fault, BytesOf(text)));
  return std::nullopt;
}

// "a, b, c": the registered types under `type`'s namespace, for a refusal message.
std::string TypesInNamespace(std::string_view type) {
  std::string_view ns = type.substr(0, type.find('.') + 1);
  std::string names;
  for (const auto& t : AllEventTypes())
    if (t.name.substr(0, ns.size()) == ns)
      names += (names.empty() ? "" : ", ") + std::string(t.name);
  return names;
}

// A registered type's body: a struct that reads as its schema (unknownType), every
// required Text field non-empty (missingField), every Text in it clean (badText).
std::optional<Rejection> CheckBody(capnp::AnyPointer::Reader body,
                                   const RegisteredEventType& type) {
  const std::string expected = type.body.getShortDisplayName().cStr();
  const std::string name(type.name);
  if (body.isNull() || !body.isStruct())
    return Rejection{wire::ErrorCode::UNKNOWN_TYPE,
                     "type '" + name + "' needs a struct body (" + expected + ")"};
  // Bounds-checks every pointer below the body: an out-of-bounds pointer throws here, and
  // the caller's ReadSafely makes it malformed. What fails after this is a pointer of the
  // wrong kind for the schema: the body is not a `expected`.
  (void)body.targetSize();
  std::optional<BadText> bad;
  std::optional<std::string_view> missing;
  try {
    auto fields = body.getAs<capnp::DynamicStruct>(type.body);
    bad = FindBadText(fields, "body");
    for (std::string_view field : type.required) {
      auto value = fields.get(type.body.getFieldByName(std::string(field).c_str()));
      if (value.as<capnp::Text>().size() == 0) {
        missing = field;
        break;
      }
    }
  } catch (const kj::Exception& e) {
    return Rejection{wire::ErrorCode::UNKNOWN_TYPE,
                     "the body does not read as " + expected + ": " + e.getDescription().cStr()};
  }
  if (missing) {
    std::string all;
    for (std::string_view f : type.required) all += (all.empty() ? "" : ", ") + std::string(f);
    return Rejection{wire::ErrorCode::MISSING_FIELD, "body." + std::string(*missing) +
                                                         " is empty or absent (" + name +
                                                         " requires " + all + ")"};
  }
  if (bad) return BadTextRejection(bad->field, bad->problem);
  return std::nullopt;
}

}  // namespace

bool IsValidTypeName(std::string_view type) {
  if (type.size() < 3 || type.size() > kMaxTypeBytes) return false;
  bool segment_start = true;
  int dots = 0;
  for (char c : type) {
    if (segment_start) {
      if (!IsSegmentStart(c)) return false;
      segment_start = false;
    } else if (c == '.') {
      ++dots;
      segment_start = true;
    } else if (!IsSegmentChar(c)) {
      return false;
    }
  }
  return dots >= 1 && !segment_start;
}

std::optional<capnp::StructSchema> BodySchemaFor(std::string_view type) {
  const RegisteredEventType* registered = FindRegisteredType(type);
  if (registered == nullptr) return std::nullopt;
  return registered->body;
}

std::optional<Rejection> CheckPublishable(wire::Event::Reader event, std::string_view site) {
  using wire::ErrorCode;
  if (!event.hasId() || event.getId().size() == 0)
    return Rejection{ErrorCode::MISSING_FIELD, "id is missing"};
  if (event.getId().size() != 16)
    return Rejection{ErrorCode::OUT_OF_RANGE,
                     "id must be 16 bytes, got " + std::to_string(event.getId().size())};
  if (auto r = CheckText(event.getSite(), "site", 1, kMaxSiteBytes)) return r;
  if (BytesOf(event.getSite()) != site)
    return Rejection{ErrorCode::WRONG_SITE, "event is for site '" +
                                                std::string(BytesOf(event.getSite())) +
                                                "', this bus is '" + std::string(site) + "'"};
  if (auto r = CheckText(event.getType(), "type", 1, kMaxTypeBytes)) return r;
  std::string_view type = BytesOf(event.getType());
  if (!IsValidTypeName(type))
    return Rejection{ErrorCode::OUT_OF_RANGE,
                     "type '" + std::string(type) + "' is not a dotted lower-case name"};
  if (auto r = CheckText(event.getProducer(), "producer", 1, kMaxProducerBytes)) return r;
  if (auto r = CheckText(event.getActor(), "actor", 0, kMaxActorBytes)) return r;
  if (event.getObservedAt() == 0) return Rejection{ErrorCode::MISSING_FIELD, "observedAt is 0"};
  if (event.getObservedAt() < kMinObservedAt || event.getObservedAt() >= kMaxObservedAt)
    return Rejection{ErrorCode::OUT_OF_RANGE,
                     "observedAt " + std::to_string(event.getObservedAt()) +
                         " is not a unix time in microseconds in [2000-01-01, 2200-01-01)"};
  if (event.getSeq() != 0 || event.getRecordedAt() != 0)
    return Rejection{ErrorCode::OUT_OF_RANGE, "seq and recordedAt are set by the bus; send 0"};
  if (event.hasPrevHash() && event.getPrevHash().size() > 0)
    return Rejection{ErrorCode::OUT_OF_RANGE, "prevHash is set by the bus; send it empty"};
  // Text fields the envelope may gain later are held to the same rule (the body is an
  // AnyPointer: not walked here).
  if (auto bad = FindBadText(capnp::toDynamic(event)))
    return BadTextRejection(bad->field, bad->problem);
  if (const RegisteredEventType* registered = FindRegisteredType(type)) {
    if (auto r = CheckBody(event.getBody(), *registered)) return r;
    // A derived type is its service's word: no one else may state it.
    const std::string_view owner = OwnerOf(type), producer = BytesOf(event.getProducer());
    if (!owner.empty() && producer != owner)
      return Rejection{ErrorCode::UNAUTHORIZED,
                       "only '" + std::string(owner) + "' publishes " + std::string(owner) +
                           ".* events; this one's producer is '" + std::string(producer) + "'"};
    return std::nullopt;
  }
  if (InRegisteredNamespace(type))
    return Rejection{ErrorCode::UNKNOWN_TYPE, "type '" + std::string(type) +
                                                  "' is not registered, and every type in its "
                                                  "namespace must be: " +
                                                  TypesInNamespace(type)};
  if (!event.getBody().isNull())
    return Rejection{ErrorCode::UNKNOWN_TYPE,
                     "type '" + std::string(type) + "' has no registered body: send a null body"};
  return std::nullopt;
}

std::string_view ErrorCodeName(wire::ErrorCode code) {
  switch (code) {
    case wire::ErrorCode::NONE:
      return "none";
    case wire::ErrorCode::MALFORMED:
      return "malformed";
    case wire::ErrorCode::TOO_LARGE:
      return "tooLarge";
    case wire::ErrorCode::WRONG_TYPE:
      return "wrongType";
    case wire::ErrorCode::MISSING_FIELD:
      return "missingField";
    case wire::ErrorCode::OUT_OF_RANGE:
      return "outOfRange";
    case wire::ErrorCode::UNAUTHORIZED:
      return "unauthorized";
    case wire::ErrorCode::BAD_FRAMES:
      return "badFrames";
    case wire::ErrorCode::UNKNOWN_SESSION:
      return "unknownSession";
    case wire::ErrorCode::UNAVAILABLE:
      return "unavailable";
    case wire::ErrorCode::WRONG_SITE:
      return "wrongSite";
    case wire::ErrorCode::UNKNOWN_TYPE:
      return "unknownType";
    case wire::ErrorCode::BAD_TEXT:
      return "badText";
  }
  return "unknown";
}

}  // namespace picket
