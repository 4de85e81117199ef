#include "tally/core/tally.h"

namespace picket::tally {
namespace {

std::string EncodeU64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<char>(v & 0xff);
  return out;
}

uint64_t DecodeU64(const std::optional<std::string>& bytes) {
  uint64_t v = 0;
  if (bytes && bytes->size() == 8)
    for (char c : *bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

uint64_t AddTo(Txn& state, std::string_view table, std::string_view key, uint64_t n) {
  uint64_t v = DecodeU64(state.Get(table, key)) + n;
  state.Put(table, key, EncodeU64(v));
  return v;
}

}  // namespace

std::vector<std::string> Tables() { return {std::string(kProducers), std::string(kTotals)}; }

Counted CountEvent(const TallyConfig& config, Txn& state, std::string_view producer,
                   uint64_t seq, Micros recorded_at) {
  AddTo(state, kProducers, producer, 1);
  AddTo(state, kTotals, "seq_sum", seq);
  uint64_t events = AddTo(state, kTotals, "events", 1);
  if (events % config.milestone_every != 0) return {};
  AddTo(state, kTotals, "milestones", 1);
  return {recorded_at};
}

TallyTotals ReadTotals(Txn& state) {
  TallyTotals t;
  t.events = DecodeU64(state.Get(kTotals, "events"));
  t.seq_sum = DecodeU64(state.Get(kTotals, "seq_sum"));
  t.milestones = DecodeU64(state.Get(kTotals, "milestones"));
  state.Scan(kProducers, "", [&](std::string_view k, std::string_view v) {
    t.producers[std::string(k)] = DecodeU64(std::string(v));
    return true;
  });
  return t;
}

}  // namespace picket::tally
