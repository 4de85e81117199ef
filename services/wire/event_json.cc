#include "wire/event_json.h"

#include <capnp/any.h>
#include <capnp/compat/json.h>
#include <capnp/dynamic.h>
#include <kj/exception.h>

#include <ctime>
#include <limits>

#include "wire/event_id.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

using Json = nlohmann::ordered_json;

std::string TextOf(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The field names of `schema`, for error messages ("fields: post, passCode, direction").
std::string FieldList(capnp::StructSchema schema) {
  std::string names;
  for (auto field : schema.getFields()) {
    if (!names.empty()) names += ", ";
    names += field.getProto().getName().cStr();
  }
  return names;
}

// What a JSON value for a field of type `t` must be, or empty if `v` is one (JsonCodec's
// mapping: 64-bit integers may also be strings; deeper mistakes are left to JsonCodec).
std::string ExpectedJsonKind(capnp::Type t, const Json& v) {
  switch (t.which()) {
    case capnp::schema::Type::TEXT:
      return v.is_string() ? "" : "text (a JSON string)";
    case capnp::schema::Type::BOOL:
      return v.is_boolean() ? "" : "true or false";
    case capnp::schema::Type::INT8:
    case capnp::schema::Type::INT16:
    case capnp::schema::Type::INT32:
    case capnp::schema::Type::UINT8:
    case capnp::schema::Type::UINT16:
    case capnp::schema::Type::UINT32:
      return v.is_number_integer() ? "" : "an integer";
    case capnp::schema::Type::INT64:
    case capnp::schema::Type::UINT64:
      return v.is_number_integer() || v.is_string() ? "" : "an integer";
    case capnp::schema::Type::FLOAT32:
    case capnp::schema::Type::FLOAT64:
      return v.is_number() ? "" : "a number";
    case capnp::schema::Type::ENUM:
      return v.is_string() ? "" : "one of the names: " + [&] {
        std::string names;
        for (auto e : t.asEnum().getEnumerants())
          names += (names.empty() ? "" : ", ") + std::string(e.getProto().getName().cStr());
        return names;
      }();
    case capnp::schema::Type::LIST:
      return v.is_array() ? "" : "a JSON array";
    case capnp::schema::Type::STRUCT:
      return v.is_object() ? "" : "a JSON object";
    default:
      return "";
  }
}

// Bodies decode strictly: a misspelt field must not silently become a default.
void ConfigureBodyCodec(capnp::JsonCodec& codec) { codec.setRejectUnknownFields(true); }

bool ReadString(const Json& v, const char* key, size_t max, std::string* out, std::string* error) {
  if (!v.is_string()) {
    *error = std::string(key) + ": must be a string, got " + v.type_name();
    return false;
  }
  *out = v.get<std::string>();
  if (out->size() > max) {
    *error = std::string(key) + ": longer than " + std::to_string(max) + " bytes";
    return false;
  }
  return true;
}

bool ReadInt64(const Json& v, const char* key, int64_t* out, std::string* error) {
  if (!v.is_number_integer()) {
    *error = std::string(key) + ": must be an integer (unix microseconds), got " +
             (v.is_number() ? "a fraction" : v.type_name());
    return false;
  }
  if (v.is_number_unsigned() &&
      v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    *error = std::string(key) + ": out of range for a 64-bit signed integer";
    return false;
  }
  *out = v.get<int64_t>();
  return true;
}

bool ReadUInt64(const Json& v, const char* key, uint64_t* out, std::string* error) {
  if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<int64_t>() < 0)) {
    *error = std::string(key) + ": must be a non-negative integer, got " + Dump(v);
    return false;
  }
  *out = v.get<uint64_t>();
  return true;
}

// Applies one envelope key. Returns false with *error for a bad value or an unknown key.
bool ApplyEnvelopeKey(const std::string& key, const Json& v, wire::Event::Builder out,
                      std::string* error) {
  std::string s;
  int64_t i = 0;
  uint64_t u = 0;
  if (key == "id") {
    if (!ReadString(v, "id", 64, &s, error)) return false;
    auto id = EventId::FromHex(s);
    if (!id) {
      *error = "id: must be 32 hex digits, got '" + s + "'";
      return false;
    }
    out.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id->Bytes().data()),
                                  EventId::kSize));
  } else if (key == "site") {
    if (!ReadString(v, "site", kMaxSiteBytes, &s, error)) return false;
    out.setSite(s);
  } else if (key == "type") {
    if (!ReadString(v, "type", kMaxTypeBytes, &s, error)) return false;
    if (!IsValidTypeName(s)) {
      *error = "type: '" + s + "' is not a dotted lower-case name such as terminal.pass_scanned";
      return false;
    }
    out.setType(s);
  } else if (key == "producer") {
    if (!ReadString(v, "producer", kMaxProducerBytes, &s, error)) return false;
    out.setProducer(s);
  } else if (key == "actor") {
    if (!ReadString(v, "actor", kMaxActorBytes, &s, error)) return false;
    out.setActor(s);
  } else if (key == "observedAt") {
    if (!ReadInt64(v, "observedAt", &i, error)) return false;
    out.setObservedAt(i);
  } else if (key == "recordedAt") {
    if (!ReadInt64(v, "recordedAt", &i, error)) return false;
    out.setRecordedAt(i);
  } else if (key == "seq") {
    if (!ReadUInt64(v, "seq", &u, error)) return false;
    out.setSeq(u);
  } else {
    *error = "unknown field '" + key +
             "' (fields: id, site, type, producer, actor, observedAt, seq, recordedAt, body)";
    return false;
  }
  return true;
}

bool ApplyBody(const Json* body, wire::Event::Builder out, std::string* error) {
  std::string type = TextOf(out.getType());
  auto schema = BodySchemaFor(type);
  if (!schema) {
    if (body != nullptr && !body->is_null()) {
      *error = "body: type '" + type + "' has no registered body schema, so it takes no body";
      return false;
    }
    out.getBody().clear();
    return true;
  }
  if (body == nullptr || !body->is_object()) {
    *error = "body: type '" + type + "' needs a body object (fields: " + FieldList(*schema) + ")";
    return false;
  }
  // Top-level unknown fields get a plain message here; JsonCodec catches deeper ones.
  for (const auto& [key, value] : body->items()) {
    if (schema->findFieldByName(key) == nullptr) {
      *error = "body: unknown field '" + key + "' (a " + type +
               " body has fields: " + FieldList(*schema) + ")";
      return false;
    }
    std::string expected;
    KJ_IF_MAYBE (field, schema->findFieldByName(key))
      expected = ExpectedJsonKind(field->getType(), value);
    if (!expected.empty()) {
      *error = "body: field '" + key + "' must be " + expected + ", got " +
               (value.is_number() ? "a number" : std::string(value.type_name()));
      return false;
    }
  }
  std::string text = Dump(*body);
  try {
    auto dyn = out.getBody().initAs<capnp::DynamicStruct>(*schema);
    capnp::JsonCodec codec;
    ConfigureBodyCodec(codec);
    codec.decode(kj::ArrayPtr<const char>(text.data(), text.size()), dyn);
  } catch (const kj::Exception& e) {
    *error = "body: " + std::string(e.getDescription().cStr()) + " (a " + type +
             " body has fields: " + FieldList(*schema) + ")";
    return false;
  }
  return true;
}

}  // namespace

std::optional<Json> EventToJson(wire::Event::Reader event, std::string* error) {
  try {
    Json j;
    auto id = EventId::FromBytes(std::string_view(
        reinterpret_cast<const char*>(event.getId().begin()), event.getId().size()));
    j["id"] = id ? id->ToHex() : std::string();
    j["site"] = TextOf(event.getSite());
    j["type"] = TextOf(event.getType());
    j["producer"] = TextOf(event.getProducer());
    j["actor"] = TextOf(event.getActor());
    j["observedAt"] = event.getObservedAt();
    j["seq"] = event.getSeq();
    j["recordedAt"] = event.getRecordedAt();
    auto schema = BodySchemaFor(TextOf(event.getType()));
    auto body = event.getBody();
    if (schema && !body.isNull()) {
      if (!body.isStruct()) {
        *error = "body: not a struct";
        return std::nullopt;
      }
      capnp::JsonCodec codec;
      ConfigureBodyCodec(codec);
      kj::String text = codec.encode(body.getAs<capnp::DynamicStruct>(*schema));
      j["body"] = Json::parse(text.begin(), text.end());
    }
    return j;
  } catch (const kj::Exception& e) {
    *error = e.getDescription().cStr();
  } catch (const std::exception& e) {
    *error = e.what();
  }
  return std::nullopt;
}

std::optional<std::string> EventToJsonLine(wire::Event::Reader event, std::string* error) {
  auto j = EventToJson(event, error);
  if (!j) return std::nullopt;
  return Dump(*j);
}

bool EventFromJson(const Json& json, wire::Event::Builder out, std::string* error) {
  if (!json.is_object()) {
    *error = std::string("an event must be a JSON object, got ") + json.type_name();
    return false;
  }
  try {
    const Json* body = nullptr;
    for (const auto& [key, value] : json.items()) {
      if (key == "body") {
        body = &value;
      } else if (!ApplyEnvelopeKey(key, value, out, error)) {
        return false;
      }
    }
    // The body last: its schema depends on the type, wherever "type" stood.
    return ApplyBody(body, out, error);
  } catch (const kj::Exception& e) {
    *error = e.getDescription().cStr();
  } catch (const std::exception& e) {
    *error = e.what();
  }
  return false;
}

bool EventFromJsonText(std::string_view text, wire::Event::Builder out, std::string* error) {
  Json json;
  try {
    json = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    *error = std::string("not valid JSON: ") + e.what();
    return false;
  }
  return EventFromJson(json, out, error);
}

std::string FormatMicrosUtc(int64_t micros) {
  int64_t secs = micros / 1000000;
  int64_t frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(micros) + "us";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(frac / 1000));
  return buf;
}

std::string FormatEventLine(wire::Event::Reader event) {
  try {
    std::string line = "#" + std::to_string(event.getSeq()) + " ";
    int64_t t = event.getRecordedAt() != 0 ? event.getRecordedAt() : event.getObservedAt();
    line += FormatMicrosUtc(t) + " " + TextOf(event.getType()) + " " + TextOf(event.getProducer());
    if (event.getActor().size() > 0) line += " actor=" + TextOf(event.getActor());
    std::string error;
    auto j = EventToJson(event, &error);
    if (!j) {
      line += " <unreadable body: " + error + ">";
    } else if (j->contains("body")) {
      line += " " + Dump((*j)["body"]);
    }
    return line;
  } catch (const kj::Exception& e) {
    return std::string("<unreadable event: ") + e.getDescription().cStr() + ">";
  }
}

}  // namespace picket
