#include "domain/record_codec.h"

#include "base/big_endian.h"

namespace picket::record {
namespace {

// Bounds the length of one string so a corrupt length cannot ask for gigabytes.
constexpr uint32_t kMaxStringBytes = 16 * 1024 * 1024;

}  // namespace

RecordWriter& RecordWriter::U8(uint8_t v) {
  out_.push_back(static_cast<char>(v));
  return *this;
}

RecordWriter& RecordWriter::U32(uint32_t v) {
  big_endian::Append(out_, v, 4);
  return *this;
}

RecordWriter& RecordWriter::U64(uint64_t v) {
  big_endian::Append(out_, v, 8);
  return *this;
}

RecordWriter& RecordWriter::I64(int64_t v) { return U64(static_cast<uint64_t>(v)); }

RecordWriter& RecordWriter::String(std::string_view v) {
  U32(static_cast<uint32_t>(v.size()));
  out_.append(v);
  return *this;
}

RecordWriter& RecordWriter::StringList(const std::vector<std::string>& v) {
  U32(static_cast<uint32_t>(v.size()));
  for (const auto& s : v) String(s);
  return *this;
}

bool RecordReader::Need(size_t n) {
  if (!ok_ || in_.size() - pos_ < n) {
    ok_ = false;
    return false;
  }
  return true;
}

uint8_t RecordReader::U8() {
  if (!Need(1)) return 0;
  return static_cast<uint8_t>(in_[pos_++]);
}

uint32_t RecordReader::U32() {
  if (!Need(4)) return 0;
  auto v = static_cast<uint32_t>(big_endian::Read(in_, pos_, 4));
  pos_ += 4;
  return v;
}

uint64_t RecordReader::U64() {
  if (!Need(8)) return 0;
  uint64_t v = big_endian::Read(in_, pos_, 8);
  pos_ += 8;
  return v;
}

int64_t RecordReader::I64() { return static_cast<int64_t>(U64()); }

bool RecordReader::Bool() {
  uint8_t b = U8();
  if (b > 1) ok_ = false;
  return ok_ && b == 1;
}

std::string RecordReader::String() {
  uint32_t n = U32();
  if (n > kMaxStringBytes) ok_ = false;
  if (!Need(n)) return {};
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  return s;
}

std::vector<std::string> RecordReader::StringList() {
  uint32_t n = U32();
  std::vector<std::string> out;
  // Each string takes at least 4 bytes: a count larger than that is corrupt.
  if (!ok_ || n > (in_.size() - pos_) / 4) {
    ok_ = false;
    return out;
  }
  out.reserve(n);
  for (uint32_t i = 0; i < n && ok_; ++i) out.push_back(String());
  if (!ok_) out.clear();
  return out;
}

std::string EncodeU64Key(uint64_t v) {
  std::string out;
  big_endian::Append(out, v, 8);
  return out;
}

bool DecodeU64Key(std::string_view bytes, uint64_t* v) {
  if (bytes.size() != 8) return false;
  *v = big_endian::Read(bytes, 0, 8);
  return true;
}

}  // namespace picket::record
