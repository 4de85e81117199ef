// Clean text: what every Cap'n Proto Text that Picket accepts must hold. A strict reader
// (most languages' Cap'n Proto libraries check Text) fails on anything else, so the bus and
// every command endpoint refuse it at the door instead of passing it on to subscribers.
//
// Clean text is valid UTF-8 as RFC 3629 defines it (shortest form only, no surrogates
// U+D800..U+DFFF, nothing above U+10FFFF) and holds no NUL byte. The empty string is clean.
//
// Pure: no sockets, no storage, no clock. FindBadText reads through Cap'n Proto readers,
// so it throws kj::Exception on a pointer that does not match the schema; call it inside
// ReadSafely or catch it.
#pragma once

#include <capnp/dynamic.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace picket {

// The first problem in a byte string that is not clean text.
struct TextFault {
  size_t offset = 0;  // where the offending byte or sequence starts
  bool nul = false;   // true: a NUL byte; false: not UTF-8
};

// nullopt if `bytes` is clean text, else its first fault.
std::optional<TextFault> FindTextFault(std::string_view bytes);

inline bool IsCleanText(std::string_view bytes) { return !FindTextFault(bytes).has_value(); }

// For a person, e.g. "is not valid UTF-8 (byte 0xff at offset 0)" or "holds a NUL byte
// (offset 3)". `bytes` is the string `fault` was found in. Never echoes the bad bytes.
std::string DescribeTextFault(const TextFault& fault, std::string_view bytes);

// The longest prefix of `text` (clean text) of at most `max_bytes` bytes that does not end
// inside a UTF-8 sequence: truncating clean text keeps it clean.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

// A Text field that is not clean: its path from the root ("body.triggerFields[2].value")
// and what is wrong with it (DescribeTextFault).
struct BadText {
  std::string field;
  std::string problem;
};

// Walks `value` with its schema and checks every Text in it: its fields, the active member
// of each union, groups, nested structs, and the elements of lists of Text, of structs
// and of lists. Returns the first Text that is not clean, with its path under `root`
// ("body" gives "body.post"; "" gives "post"). Data is read but not checked; AnyPointer
// and capability fields are not walked. Throws kj::Exception if a pointer in `value` does
// not match its schema (a struct where Text is expected, an out-of-bounds pointer).
std::optional<BadText> FindBadText(capnp::DynamicStruct::Reader value, std::string_view root = "");

}  // namespace picket
