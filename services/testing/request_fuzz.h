// The fuzz entry for everything that reads untrusted bytes off the wire: decoding a
// BusRequest / BusReply frame, checking a published event, and rendering it as JSON and as
// a tail line. Used by the libFuzzer target (scripts/fuzz) and by the deterministic
// mutation test in the suite (request_fuzz_test.cc), which runs under ASan+UBSan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace picket {

// Runs every reader over `data`. Must never crash, leak or throw, whatever the bytes.
// Returns a small summary (which union member was read, or -1 if undecodable), so tests
// can check that the mutations reach past the decoder.
int FuzzOneFrame(const uint8_t* data, size_t size);

// One to four random edits of a frame (byte, bit flip, truncation, inserted 0xff words,
// off by one): the mutator of the deterministic fuzz tests of every decoder.
std::string MutateFrame(std::string frame, std::mt19937_64& rng);

}  // namespace picket
