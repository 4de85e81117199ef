#include "wire/text_check.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/terminal.capnp.h"

namespace picket {
namespace {

capnp::Text::Reader TextOf(const std::string& bytes) { return {bytes.data(), bytes.size()}; }

// The reference the fuzz test compares against, written the other way round: decode each
// sequence by its lead byte's bit pattern into a code point, then reject overlong forms,
// surrogates, values above U+10FFFF and NUL. Returns the offset of the first fault or -1.
long ReferenceFault(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<uint8_t>(s[i]);
    size_t n;
    uint32_t cp;
    if ((b & 0x80) == 0) {
      n = 1, cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      n = 2, cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 3, cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 4, cp = b & 0x07;
    } else {
      return static_cast<long>(i);
    }
    if (i + n > s.size()) return static_cast<long>(i);
    for (size_t k = 1; k < n; ++k) {
      auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xC0) != 0x80) return static_cast<long>(i);
      cp = (cp << 6) | (c & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0)
      return static_cast<long>(i);
    i += n;
  }
  return -1;
}

std::string EncodeUtf8(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

long FaultOffset(const std::string& s) {
  auto fault = FindTextFault(s);
  return fault ? static_cast<long>(fault->offset) : -1;
}

}  // namespace

TEST_CASE("Clean text: UTF-8 of every length, up to U+10FFFF", "[text_check]") {
  for (std::string s : {std::string(""), std::string("gate-1"), std::string("caf\xc3\xa9"),
                        std::string("\xe2\x82\xac"), std::string("\xf0\x9d\x84\x9e"),
                        std::string("\xed\x9f\xbf"),       // U+D7FF, just below the surrogates
                        std::string("\xee\x80\x80"),       // U+E000, just above them
                        std::string("\xef\xbf\xbf"),       // U+FFFF
                        std::string("\xf4\x8f\xbf\xbf")})  // U+10FFFF
  {
    INFO(s);
    CHECK(IsCleanText(s));
  }
}

TEST_CASE("Not clean: each kind of bad byte, at the offset where it starts", "[text_check]") {
  struct Case {
    std::string bytes;
    size_t offset;
    bool nul;
  };
  const std::vector<Case> cases = {
      {"\xff\xfe-bad", 0, false},         // not a UTF-8 byte at all
      {"ok\x80", 2, false},               // a lone continuation byte
      {"\xc3", 0, false},                 // truncated at the end
      {"a\xe2\x82", 1, false},            // truncated three-byte sequence
      {"\xe2\x28\xa1", 0, false},         // a continuation byte missing
      {"\xc0\x80", 0, false},             // overlong NUL
      {"\xc1\xbf", 0, false},             // overlong two-byte form
      {"\xe0\x80\xaf", 0, false},         // overlong three-byte form
      {"\xf0\x80\x80\xaf", 0, false},     // overlong four-byte form
      {"x\xed\xa0\x80", 1, false},        // a surrogate (U+D800)
      {"\xed\xbf\xbf", 0, false},         // a surrogate (U+DFFF)
      {"\xf4\x90\x80\x80", 0, false},     // above U+10FFFF
      {"\xf5\x80\x80\x80", 0, false},     // F5..FF never appear
      {std::string("a\0b", 3), 1, true},  // NUL inside the text
      {std::string("\0", 1), 0, true},
  };
  for (const auto& c : cases) {
    INFO(c.bytes);
    auto fault = FindTextFault(c.bytes);
    REQUIRE(fault.has_value());
    CHECK(fault->offset == c.offset);
    CHECK(fault->nul == c.nul);
  }
  CHECK(DescribeTextFault(*FindTextFault("\xff\xfe-bad"), "\xff\xfe-bad") ==
        "is not valid UTF-8 (byte 0xff at offset 0)");
  CHECK(DescribeTextFault(*FindTextFault(std::string("a\0b", 3)), std::string("a\0b", 3)) ==
        "holds a NUL byte (offset 1)");
}

TEST_CASE("Truncating clean text never cuts a UTF-8 sequence", "[text_check]") {
  std::string s = "a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e";  // 1 + 2 + 3 + 4 bytes
  CHECK(TruncateUtf8(s, 100) == s);
  CHECK(TruncateUtf8(s, 1) == "a");
  CHECK(TruncateUtf8(s, 2) == "a");
  CHECK(TruncateUtf8(s, 3) == "a\xc3\xa9");
  CHECK(TruncateUtf8(s, 5) == "a\xc3\xa9");
  CHECK(TruncateUtf8(s, 6) == "a\xc3\xa9\xe2\x82\xac");
  CHECK(TruncateUtf8(s, 9) == "a\xc3\xa9\xe2\x82\xac");
  CHECK(TruncateUtf8(s, 0).empty());
}

TEST_CASE("Fuzz: the check agrees with a reference decoder on random bytes", "[text_check]") {
  std::mt19937_64 rng(20251124);
  // Bytes drawn mostly from the interesting ranges: ASCII, continuations, lead bytes.
  const std::vector<uint8_t> interesting = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                            0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee,
                                            0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xfe, 0xff};
  for (int round = 0; round < 200000; ++round) {
    std::string s(rng() % 12, '\0');
    for (auto& c : s)
      c = static_cast<char>(rng() % 2 ? interesting[rng() % interesting.size()] : rng() % 256);
    INFO(round);
    REQUIRE(FaultOffset(s) == ReferenceFault(s));
  }
}

TEST_CASE("Fuzz: random code points are clean, and stay clean when cut", "[text_check]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    for (int k = static_cast<int>(rng() % 8); k >= 0; --k) {
      uint32_t cp;
      do {
        cp = static_cast<uint32_t>(rng() % 0x110000);
      } while (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF));
      s += EncodeUtf8(cp);
    }
    INFO(round);
    REQUIRE(IsCleanText(s));
    for (size_t cut = 0; cut <= s.size(); ++cut) {
      auto prefix = TruncateUtf8(s, cut);
      REQUIRE(prefix.size() <= cut);
      REQUIRE(s.compare(0, prefix.size(), prefix) == 0);
      REQUIRE(IsCleanText(prefix));
      REQUIRE(cut - prefix.size() < 4);
    }
    // One byte changed at random: the check still agrees with the reference.
    std::string mutated = s;
    mutated[rng() % mutated.size()] = static_cast<char>(rng() % 256);
    REQUIRE(FaultOffset(mutated) == ReferenceFault(mutated));
  }
}

TEST_CASE("FindBadText walks every Text of a struct with its schema", "[text_check]") {
  const std::string bad = "\xff\xfe-bad";
  SECTION("a clean struct") {
    capnp::MallocMessageBuilder b;
    auto p = b.initRoot<wire::PassScanned>();
    p.setPost("gate-1");
    p.setPassCode("V-\xc3\xa9");
    CHECK_FALSE(FindBadText(capnp::toDynamic(p.asReader()), "body").has_value());
  }
  SECTION("a top-level field") {
    capnp::MallocMessageBuilder b;
    auto p = b.initRoot<wire::PassScanned>();
    p.setPost("gate-1");
    p.setPassCode(TextOf(bad));
    auto found = FindBadText(capnp::toDynamic(p.asReader()), "body");
    REQUIRE(found.has_value());
    CHECK(found->field == "body.passCode");
    CHECK(found->problem == "is not valid UTF-8 (byte 0xff at offset 0)");
  }
  SECTION("a field of a struct in a list") {
    capnp::MallocMessageBuilder b;
    auto o = b.initRoot<wire::IncidentOpened>();
    o.setIncidentType("intrusion");
    auto fields = o.initTriggerFields(2);
    fields[0].setName("post");
    fields[0].setValue("gate-1");
    fields[1].setName("note");
    fields[1].setValue(TextOf(std::string("a\0b", 3)));
    auto found = FindBadText(capnp::toDynamic(o.asReader()));
    REQUIRE(found.has_value());
    CHECK(found->field == "triggerFields[1].value");
    CHECK(found->problem == "holds a NUL byte (offset 1)");
  }
  SECTION("an element of a list of Text") {
    capnp::MallocMessageBuilder b;
    auto u = b.initRoot<wire::LevelUnstaffed>();
    auto targets = u.initTargets(3);
    targets.set(0, "role:guard");
    targets.set(1, "person:ann");
    targets.set(2, TextOf(bad));
    auto found = FindBadText(capnp::toDynamic(u.asReader()), "body");
    REQUIRE(found.has_value());
    CHECK(found->field == "body.targets[2]");
  }
  SECTION("the active member of a union") {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::EscalationRequest>();
    r.setActor("otto");
    auto note = r.initAddNote();
    note.setIncident(1);
    note.setText(TextOf(bad));
    auto found = FindBadText(capnp::toDynamic(r.asReader()), "request");
    REQUIRE(found.has_value());
    CHECK(found->field == "request.addNote.text");
  }
  SECTION("a pointer of the wrong kind throws") {
    capnp::MallocMessageBuilder b;
    auto p = b.initRoot<wire::PassScanned>();
    // A struct where `post` (Text) is expected.
    capnp::AnyStruct::Builder any = wire::PassScanned::Builder(p);
    any.getPointerSection()[0].initAs<wire::PanicPressed>().setPost("gate-1");
    CHECK_THROWS_AS(FindBadText(capnp::toDynamic(p.asReader())), kj::Exception);
  }
}

}  // namespace picket
