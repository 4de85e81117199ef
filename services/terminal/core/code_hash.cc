#include "terminal/core/code_hash.h"

#include <cstring>

namespace picket::terminal {
namespace {

constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void Compress(std::array<uint32_t, 8>& h, const uint8_t* block) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t{block[4 * i]} << 24) | (uint32_t{block[4 * i + 1]} << 16) |
           (uint32_t{block[4 * i + 2]} << 8) | uint32_t{block[4 * i + 3]};
  }
  for (int i = 16; i < 64; ++i) {
    const uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; ++i) {
    const uint32_t t1 =
        k + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + kRound[i] + w[i];
    const uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

constexpr std::string_view kPrefix = "sha256$";

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string ToHex(const std::array<uint8_t, 32>& d) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(HexValue(hex[i]) * 16 + HexValue(hex[i + 1])));
  }
  return out;
}

}  // namespace

std::array<uint8_t, 32> Sha256(std::string_view bytes) {
  std::array<uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const uint64_t bit_length = static_cast<uint64_t>(bytes.size()) * 8;
  size_t pos = 0;
  for (; pos + 64 <= bytes.size(); pos += 64) {
    Compress(h, reinterpret_cast<const uint8_t*>(bytes.data() + pos));
  }
  // The tail, the 0x80 marker, zeros and the big-endian bit length: one or two blocks.
  uint8_t tail[128] = {};
  const size_t rest = bytes.size() - pos;
  if (rest > 0) std::memcpy(tail, bytes.data() + pos, rest);
  tail[rest] = 0x80;
  const size_t blocks = rest + 1 + 8 <= 64 ? 1 : 2;
  for (int i = 0; i < 8; ++i) {
    tail[blocks * 64 - 1 - i] = static_cast<uint8_t>(bit_length >> (8 * i));
  }
  for (size_t b = 0; b < blocks; ++b) Compress(h, tail + 64 * b);

  std::array<uint8_t, 32> out{};
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<uint8_t>(h[i] >> (24 - 8 * j));
  }
  return out;
}

std::string HashCode(std::string_view code, std::string_view salt_hex) {
  std::string input = FromHex(salt_hex);
  input.append(code);
  return std::string(kPrefix) + std::string(salt_hex) + "$" + ToHex(Sha256(input));
}

bool IsStoredCode(std::string_view stored) {
  if (stored.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view rest = stored.substr(kPrefix.size());
  const size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos) return false;
  const std::string_view salt = rest.substr(0, dollar);
  const std::string_view digest = rest.substr(dollar + 1);
  return salt.size() >= 8 && salt.size() <= 64 && salt.size() % 2 == 0 && IsLowerHex(salt) &&
         digest.size() == 64 && IsLowerHex(digest);
}

bool CodeMatches(std::string_view stored, std::string_view code) {
  if (code.empty() || !IsStoredCode(stored)) return false;
  const std::string_view rest = stored.substr(kPrefix.size());
  const std::string_view salt = rest.substr(0, rest.find('$'));
  const std::string candidate = HashCode(code, salt);
  // Same length by construction; no early exit, so the time does not say how much matched.
  unsigned diff = 0;
  for (size_t i = 0; i < candidate.size(); ++i) {
    diff |= static_cast<unsigned>(candidate[i] ^ stored[i]);
  }
  return diff == 0;
}

}  // namespace picket::terminal
