#include "domain/record_codec.h"

#include <catch2/catch.hpp>

namespace picket::record {

TEST_CASE("Record fields round-trip in order", "[record_codec]") {
  RecordWriter w;
  w.U8(7)
      .U32(0xdeadbeef)
      .U64(1ULL << 40)
      .I64(-5)
      .Bool(true)
      .String("gate-1")
      .StringList({"a", "", "bc"});
  RecordReader r(w.bytes());
  CHECK(r.U8() == 7);
  CHECK(r.U32() == 0xdeadbeef);
  CHECK(r.U64() == (1ULL << 40));
  CHECK(r.I64() == -5);
  CHECK(r.Bool());
  CHECK(r.String() == "gate-1");
  CHECK(r.StringList() == std::vector<std::string>{"a", "", "bc"});
  CHECK(r.AtEnd());
  CHECK(r.ok());
}

TEST_CASE("Record byte format is pinned", "[record_codec]") {
  // DO NOT CHANGE: stored state of every service depends on these bytes.
  RecordWriter w;
  w.U32(1).String("ab").Bool(false).I64(-1);
  CHECK(w.bytes() == std::string("\x00\x00\x00\x01\x00\x00\x00\x02"
                                 "ab\x00\xff\xff\xff\xff\xff\xff\xff\xff",
                                 19));
  CHECK(EncodeU64Key(0x0102030405060708ULL) == "\x01\x02\x03\x04\x05\x06\x07\x08");
  uint64_t v = 0;
  CHECK(DecodeU64Key(EncodeU64Key(42), &v));
  CHECK(v == 42);
  CHECK_FALSE(DecodeU64Key("short", &v));
}

TEST_CASE("Record reader refuses short and corrupt input without reading past it",
          "[record_codec]") {
  RecordWriter w;
  w.String("hello");
  std::string bytes = w.bytes();
  for (size_t n = 0; n < bytes.size(); ++n) {
    RecordReader r(std::string_view(bytes).substr(0, n));
    r.String();
    CHECK_FALSE(r.ok());
  }
  RecordReader bad_bool("\x02");
  bad_bool.Bool();
  CHECK_FALSE(bad_bool.ok());
  // A list count far beyond the bytes present is corrupt, not an allocation.
  RecordReader huge(std::string_view("\xff\xff\xff\xff", 4));
  CHECK(huge.StringList().empty());
  CHECK_FALSE(huge.ok());
  // After a failure every read gives zero values.
  CHECK(huge.U64() == 0);
  CHECK(huge.String().empty());
}

TEST_CASE("Record reader lets new trailing fields be optional", "[record_codec]") {
  RecordWriter old_row;
  old_row.U64(9);
  RecordReader r(old_row.bytes());
  CHECK(r.U64() == 9);
  CHECK(r.AtEnd());
  std::string added = r.AtEnd() ? "default" : r.String();
  CHECK(added == "default");
  CHECK(r.ok());
}

}  // namespace picket::record
