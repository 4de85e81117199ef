#include "picketctl/access_json.h"

#include <capnp/schema.h>

#include "base/hex.h"

namespace picket {
namespace {

using Json = nlohmann::ordered_json;

Json ValueToJson(capnp::DynamicValue::Reader value, capnp::Type type);

Json NullOf(capnp::Type type) {
  if (type.isList()) return Json::array();
  if (type.isText()) return "";
  if (type.isData()) return "";
  return nullptr;
}

Json ValueToJson(capnp::DynamicValue::Reader value, capnp::Type type) {
  switch (value.getType()) {
    case capnp::DynamicValue::VOID:
      return nullptr;
    case capnp::DynamicValue::BOOL:
      return value.as<bool>();
    case capnp::DynamicValue::INT:
      return value.as<int64_t>();
    case capnp::DynamicValue::UINT:
      return value.as<uint64_t>();
    case capnp::DynamicValue::FLOAT:
      return value.as<double>();
    case capnp::DynamicValue::TEXT: {
      auto t = value.as<capnp::Text>();
      return std::string(t.begin(), t.size());
    }
    case capnp::DynamicValue::DATA: {
      auto d = value.as<capnp::Data>();
      return Hex(std::string_view(reinterpret_cast<const char*>(d.begin()), d.size()));
    }
    case capnp::DynamicValue::LIST: {
      Json out = Json::array();
      auto list = value.as<capnp::DynamicList>();
      auto element = type.asList().getElementType();
      for (auto item : list) out.push_back(ValueToJson(item, element));
      return out;
    }
    case capnp::DynamicValue::ENUM: {
      auto e = value.as<capnp::DynamicEnum>();
      KJ_IF_MAYBE (known, e.getEnumerant()) {
        return std::string(known->getProto().getName().cStr());
      }
      return "unknown(" + std::to_string(e.getRaw()) + ")";
    }
    case capnp::DynamicValue::STRUCT:
      return StructToJson(value.as<capnp::DynamicStruct>());
    default:
      return nullptr;  // interfaces and AnyPointer: none in the access schema
  }
}

}  // namespace

Json StructToJson(capnp::DynamicStruct::Reader value) {
  Json out = Json::object();
  auto schema = value.getSchema();
  auto add = [&](capnp::StructSchema::Field field) {
    std::string name = field.getProto().getName().cStr();
    auto type = field.getType();
    bool pointer = type.isText() || type.isData() || type.isList() || type.isStruct();
    bool is_group = field.getProto().isGroup();
    if (pointer && !is_group && !value.has(field)) {
      out[name] = NullOf(type);
    } else {
      out[name] = ValueToJson(value.get(field), type);
    }
  };
  for (auto field : schema.getNonUnionFields()) add(field);
  KJ_IF_MAYBE (member, value.which()) {
    add(*member);
  }
  return out;
}

}  // namespace picket
