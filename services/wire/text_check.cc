#include "wire/text_check.h"

#include <cstdint>
#include <cstdio>

namespace picket {
namespace {

// The number of bytes of the well-formed UTF-8 sequence starting at bytes[i], or 0 if none
// starts there (Unicode 15, table 3-7: the second byte's range depends on the first).
size_t SequenceLength(std::string_view bytes, size_t i) {
  auto at = [&](size_t k) { return static_cast<uint8_t>(bytes[k]); };
  const uint8_t b0 = at(i);
  if (b0 < 0x80) return 1;
  size_t length;
  uint8_t lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (bytes.size() - i < length) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
  }
  return length;
}

std::string_view BytesOf(capnp::Text::Reader text) { return {text.begin(), text.size()}; }

std::optional<BadText> CheckText(capnp::Text::Reader text, const std::string& path) {
  std::string_view bytes = BytesOf(text);
  if (auto fault = FindTextFault(bytes)) return BadText{path, DescribeTextFault(*fault, bytes)};
  return std::nullopt;
}

std::string Join(std::string_view root, std::string_view name) {
  if (root.empty()) return std::string(name);
  return std::string(root) + "." + std::string(name);
}

std::optional<BadText> CheckValue(const capnp::DynamicValue::Reader& value,
                                  const std::string& path);

std::optional<BadText> CheckList(capnp::DynamicList::Reader list, const std::string& path) {
  switch (list.getSchema().whichElementType()) {
    case capnp::schema::Type::TEXT:
    case capnp::schema::Type::DATA:  // read, so a pointer of the wrong kind is caught
    case capnp::schema::Type::STRUCT:
    case capnp::schema::Type::LIST:
      break;
    default:
      return std::nullopt;  // no pointers below (numbers, enums) or not walked (AnyPointer)
  }
  for (unsigned i = 0; i < list.size(); ++i) {
    if (auto bad = CheckValue(list[i], path + "[" + std::to_string(i) + "]")) return bad;
  }
  return std::nullopt;
}

std::optional<BadText> CheckStruct(capnp::DynamicStruct::Reader value, const std::string& path) {
  auto check_field = [&](capnp::StructSchema::Field field) -> std::optional<BadText> {
    auto type = field.getType();
    bool is_group = field.getProto().isGroup();
    // Data is read too (not checked), so a pointer of the wrong kind there is caught.
    if (!is_group && !type.isText() && !type.isData() && !type.isStruct() && !type.isList())
      return std::nullopt;
    if (!is_group && !value.has(field)) return std::nullopt;  // null: no text
    return CheckValue(value.get(field), Join(path, field.getProto().getName().cStr()));
  };
  auto schema = value.getSchema();
  for (auto field : schema.getNonUnionFields()) {
    if (auto bad = check_field(field)) return bad;
  }
  if (schema.getUnionFields().size() > 0) {
    KJ_IF_MAYBE (active, value.which()) {
      return check_field(*active);
    }
  }
  return std::nullopt;
}

std::optional<BadText> CheckValue(const capnp::DynamicValue::Reader& value,
                                  const std::string& path) {
  switch (value.getType()) {
    case capnp::DynamicValue::TEXT:
      return CheckText(value.as<capnp::Text>(), path);
    case capnp::DynamicValue::STRUCT:
      return CheckStruct(value.as<capnp::DynamicStruct>(), path);
    case capnp::DynamicValue::LIST:
      return CheckList(value.as<capnp::DynamicList>(), path);
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<TextFault> FindTextFault(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    if (bytes[i] == '\0') return TextFault{i, true};
    size_t length = SequenceLength(bytes, i);
    if (length == 0) return TextFault{i, false};
    i += length;
  }
  return std::nullopt;
}

std::string DescribeTextFault(const TextFault& fault, std::string_view bytes) {
  if (fault.nul) return "holds a NUL byte (offset " + std::to_string(fault.offset) + ")";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02x", static_cast<uint8_t>(bytes[fault.offset]));
  return "is not valid UTF-8 (byte " + std::string(hex) + " at offset " +
         std::to_string(fault.offset) + ")";
}

std::string_view TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Back up over continuation bytes to the start of the sequence that crosses the cut.
  while (end > 0 && (static_cast<uint8_t>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::optional<BadText> FindBadText(capnp::DynamicStruct::Reader value, std::string_view root) {
  return CheckStruct(value, std::string(root));
}

}  // namespace picket
