#include "tally/core/tally.h"

#include "base/big_endian.h"

namespace picket::tally {
namespace {

using big_endian::U64;

uint64_t DecodeU64(const std::optional<std::string>& bytes) {
  return bytes ? big_endian::ParseU64(*bytes).value_or(0) : 0;
}

uint64_t AddTo(Txn& state, std::string_view table, std::string_view key, uint64_t n) {
  uint64_t v = DecodeU64(state.Get(table, key)) + n;
  state.Put(table, key, U64(v));
  return v;
}

}  // namespace

std::vector<std::string> Tables() { return {std::string(kProducers), std::string(kTotals)}; }

Counted CountEvent(const TallyConfig& config, Txn& state, std::string_view producer, uint64_t seq,
                   Micros recorded_at) {
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
