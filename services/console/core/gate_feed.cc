#include "console/core/gate_feed.h"

#include "domain/record_codec.h"
#include "wire/event_names.h"

namespace picket::console {
namespace {

constexpr uint8_t kFormat = 1;  // DO NOT CHANGE: stored
constexpr char kCountKey[] = "count";

uint64_t Count(Txn& state) {
  auto bytes = state.Get(kGateTable, kCountKey);
  uint64_t n = 0;
  if (bytes) record::DecodeU64Key(*bytes, &n);
  return n;
}

}  // namespace

bool IsGateEventType(std::string_view type) {
  namespace n = event_names;
  return type == n::kAccessGranted || type == n::kAccessDenied || type == n::kWatchlistHit ||
         type == n::kUnregisteredEntry;
}

void AppendGateEvent(Txn& state, const GateEvent& event, size_t keep) {
  std::string key = record::EncodeU64Key(event.seq);
  bool existed = state.Get(kGateTable, key).has_value();
  state.Put(kGateTable, key, EncodeGateEvent(event));
  uint64_t count = Count(state) + (existed ? 0 : 1);
  while (count > keep) {
    std::string oldest;
    state.Scan(kGateTable, "", [&](std::string_view k, std::string_view) {
      if (k.size() != 8) return true;  // the count row
      oldest = std::string(k);
      return false;
    });
    if (oldest.empty()) break;
    state.Delete(kGateTable, oldest);
    --count;
  }
  state.Put(kGateTable, kCountKey, record::EncodeU64Key(count));
}

std::vector<GateEvent> LoadGateEvents(Txn& state) {
  std::vector<GateEvent> out;
  state.Scan(kGateTable, "", [&](std::string_view k, std::string_view v) {
    if (k.size() == 8)
      if (auto e = DecodeGateEvent(v)) out.push_back(std::move(*e));
    return true;
  });
  return out;
}

std::string EncodeGateEvent(const GateEvent& e) {
  record::RecordWriter w;
  w.U8(kFormat).U64(e.seq).I64(e.at).String(e.type).String(e.actor).String(e.post);
  w.String(e.gate).String(e.person).String(e.pass_code).String(e.reason).String(e.direction);
  return w.Take();
}

std::optional<GateEvent> DecodeGateEvent(std::string_view bytes) {
  record::RecordReader r(bytes);
  if (r.U8() != kFormat) return std::nullopt;
  GateEvent e;
  e.seq = r.U64();
  e.at = r.I64();
  e.type = r.String();
  e.actor = r.String();
  e.post = r.String();
  e.gate = r.String();
  e.person = r.String();
  e.pass_code = r.String();
  e.reason = r.String();
  e.direction = r.String();
  if (!r.ok()) return std::nullopt;
  return e;
}

}  // namespace picket::console
