// RecordWriter / RecordReader: the byte format of the small records that domain cores
// store through a Txn (an incident, a roster row, ...).
//
// A record is a sequence of fields written in a fixed order, with no names or tags:
//   u8, u32, u64, i64  fixed width, big-endian
//   bool               one byte, 0 or 1
//   string             u32 big-endian length, then the bytes
// Evolving a record: append new fields at the end and read them only `if (!r.AtEnd())`,
// so rows written by an older version still decode (with the new fields defaulted).
//
// DO NOT CHANGE the encodings here: they are embedded in every service's stored state.
//
// The reader never throws and never reads past its input: after a short or malformed
// input every further read returns a zero value and ok() is false. Callers check ok()
// once, after the last read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace picket::record {

class RecordWriter {
 public:
  RecordWriter& U8(uint8_t v);
  RecordWriter& U32(uint32_t v);
  RecordWriter& U64(uint64_t v);
  RecordWriter& I64(int64_t v);
  RecordWriter& Bool(bool v) { return U8(v ? 1 : 0); }
  RecordWriter& String(std::string_view v);
  // A u32 count, then each string.
  RecordWriter& StringList(const std::vector<std::string>& v);

  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class RecordReader {
 public:
  // `bytes` must outlive the reader.
  explicit RecordReader(std::string_view bytes) : in_(bytes) {}

  uint8_t U8();
  uint32_t U32();
  uint64_t U64();
  int64_t I64();
  bool Bool();  // a byte other than 0 or 1 is malformed
  std::string String();
  std::vector<std::string> StringList();

  // True while no read has run past the end or met a malformed value.
  bool ok() const { return ok_; }
  // True if every byte has been read (a newer field may follow otherwise).
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  bool Need(size_t n);

  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// 8 bytes big-endian: sorts bytewise like the number (for keys).
std::string EncodeU64Key(uint64_t v);
// Nullopt-free decode for keys: false unless `bytes` is exactly 8 bytes.
bool DecodeU64Key(std::string_view bytes, uint64_t* v);

}  // namespace picket::record
