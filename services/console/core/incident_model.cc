#include "console/core/incident_model.h"

#include <algorithm>

#include "domain/record_codec.h"
#include "wire/event_names.h"

namespace picket::console {
namespace n = event_names;
using record::RecordReader;
using record::RecordWriter;

namespace {

constexpr uint8_t kFormat = 1;  // DO NOT CHANGE: stored

void AddOnce(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end())
    list.push_back(item);
}

void FillFromAlert(IncidentView& v, const IncidentEvent& e) {
  if (v.incident_type.empty()) v.incident_type = e.incident_type;
  if (v.post.empty()) v.post = e.post;
  if (v.severity == 0) v.severity = e.severity;
  if (!e.note.empty()) v.note = e.note;
}

// The state change of one event, and the values its history line shows.
void Fold(IncidentView& v, const IncidentEvent& e, HistoryLine& line) {
  auto& p = line.params;
  const std::string& t = e.type;
  if (t == n::kIncidentOpened) {
    v.incident_type = e.incident_type;
    v.post = e.post;
    v.group_key = e.group_key;
    v.reported_by = e.reported_by;
    v.severity = e.severity;
    v.state = e.cancel_window_until > 0 ? "pending" : "open";
    v.level = e.cancel_window_until > 0 ? 0 : 1;
    v.count = 1;
    v.opened_at = e.recorded_at;
    p = {{"incident_type", e.incident_type}, {"post", e.post}, {"reported_by", e.reported_by}};
  } else if (t == n::kIncidentGrouped) {
    v.count = e.count;
    p = {{"count", std::to_string(e.count)}};
  } else if (t == n::kAlertRaised) {
    FillFromAlert(v, e);
    AddOnce(v.alerted, e.person);
    v.on_fallback = e.fallback;
    v.level = e.fallback ? 0 : e.level;
    p = {{"person", e.person},
         {"level", std::to_string(e.level)},
         {"target", e.target},
         {"reason", e.reason}};
  } else if (t == n::kIncidentEscalated) {
    if (v.state == "pending") v.state = "open";
    v.level = e.fallback ? 0 : e.level;
    v.on_fallback = e.fallback;
    p = {{"level", e.fallback ? std::string("fallback") : std::to_string(e.level)},
         {"reason", e.reason}};
  } else if (t == n::kLevelUnstaffed) {
    p = {{"level", std::to_string(e.level)}};
  } else if (t == n::kIncidentAcknowledged) {
    v.state = "acknowledged";
    v.acknowledged_by = e.actor;
    v.acknowledged_at = e.recorded_at;
  } else if (t == n::kIncidentUnacknowledged) {
    v.state = "open";
    v.acknowledged_by.clear();
    v.acknowledged_at = 0;
    p = {{"timed_out", e.timed_out ? "yes" : "no"}};
  } else if (t == n::kStepDone) {
    AddOnce(v.steps_done, e.step);
    p = {{"step", e.step}, {"text", e.text}};
  } else if (t == n::kNoteAdded) {
    p = {{"text", e.text}};
  } else if (t == n::kIncidentResolved) {
    v.state = "resolved";
    v.resolved_at = e.recorded_at;
    v.resolved_by = e.actor;
    v.override_reason = e.override_reason;
    std::string missing;
    for (const auto& s : e.missing_steps) missing += (missing.empty() ? "" : ", ") + s;
    p = {{"override_reason", e.override_reason}, {"missing", missing}};
  } else if (t == n::kIncidentReopened) {
    v.state = "open";
    v.count = e.count;
    v.level = 1;
    v.on_fallback = false;
    v.opened_at = e.recorded_at;
    v.acknowledged_by.clear();
    v.acknowledged_at = 0;
    v.steps_done.clear();
    v.alerted.clear();
    v.resolved_at = 0;
    v.resolved_by.clear();
    v.override_reason.clear();
    p = {{"count", std::to_string(e.count)}};
  } else if (t == n::kIncidentSilenced) {
    v.silenced_until = e.until;
    p = {{"until", std::to_string(e.until)}, {"reason", e.reason}};
  } else if (t == n::kSilenceEnded) {
    v.silenced_until = 0;
  } else if (t == n::kIncidentReassigned) {
    v.assignee = e.to;
    if (!e.dropped_ack_by.empty() || v.state == "acknowledged") {
      v.state = v.state == "pending" ? "pending" : "open";
      v.acknowledged_by.clear();
      v.acknowledged_at = 0;
    }
    p = {{"to", e.to}, {"reason", e.reason}};
  } else if (t == n::kIncidentCancelled) {
    v.state = "cancelled";
  }
}

}  // namespace

std::vector<std::string> ReadModelTables() { return {kIncidentsTable, kHistoryTable}; }

bool IsIncidentEventType(std::string_view type) {
  static constexpr std::string_view kTypes[] = {
      n::kIncidentOpened,         n::kIncidentGrouped,    n::kAlertRaised,
      n::kIncidentEscalated,      n::kLevelUnstaffed,     n::kIncidentAcknowledged,
      n::kIncidentUnacknowledged, n::kStepDone,           n::kNoteAdded,
      n::kIncidentResolved,       n::kIncidentReopened,   n::kIncidentSilenced,
      n::kSilenceEnded,           n::kIncidentReassigned, n::kIncidentCancelled};
  for (auto t : kTypes)
    if (t == type) return true;
  return false;
}

IncidentChange ApplyIncidentEvent(Txn& state, const IncidentEvent& e) {
  IncidentChange out;
  auto stored = LoadIncident(state, e.incident);
  IncidentView& v = out.view;
  if (stored) {
    v = *stored;
  } else {
    v.id = e.incident;
    v.opened_at = e.recorded_at;
  }
  HistoryLine& line = out.line;
  line.seq = e.seq;
  line.at = e.recorded_at;
  line.type = e.type;
  line.actor = e.actor;
  Fold(v, e, line);
  v.version = std::max(v.version, e.version);
  v.changed_at = e.recorded_at;
  v.changed_seq = e.seq;
  std::string key = record::EncodeU64Key(e.incident);
  state.Put(kIncidentsTable, key, EncodeIncident(v));
  state.Put(kHistoryTable, HistoryKey(e.incident, e.seq), EncodeHistoryLine(line));
  return out;
}

std::optional<IncidentView> LoadIncident(Txn& state, uint64_t id) {
  auto bytes = state.Get(kIncidentsTable, record::EncodeU64Key(id));
  if (!bytes) return std::nullopt;
  return DecodeIncident(*bytes);
}

std::vector<IncidentView> LoadIncidents(Txn& state) {
  std::vector<IncidentView> out;
  state.Scan(kIncidentsTable, "", [&](std::string_view, std::string_view value) {
    if (auto v = DecodeIncident(value)) out.push_back(std::move(*v));
    return true;
  });
  return out;
}

std::vector<HistoryLine> LoadHistory(Txn& state, uint64_t id, size_t max_lines) {
  std::vector<HistoryLine> out;
  state.Scan(kHistoryTable, record::EncodeU64Key(id), [&](std::string_view, std::string_view v) {
    if (auto line = DecodeHistoryLine(v)) out.push_back(std::move(*line));
    return true;
  });
  if (out.size() > max_lines) out.erase(out.begin(), out.end() - max_lines);
  return out;
}

std::string HistoryKey(uint64_t id, uint64_t seq) {
  return record::EncodeU64Key(id) + record::EncodeU64Key(seq);
}

std::string EncodeIncident(const IncidentView& v) {
  RecordWriter w;
  w.U8(kFormat).U64(v.id).U64(v.version).String(v.incident_type).String(v.post);
  w.String(v.group_key).String(v.reported_by).U8(static_cast<uint8_t>(v.severity));
  w.String(v.state).U32(v.count).I64(v.opened_at).I64(v.changed_at).U64(v.changed_seq);
  w.U32(v.level).Bool(v.on_fallback).String(v.acknowledged_by).I64(v.acknowledged_at);
  w.String(v.assignee).I64(v.silenced_until).String(v.note).StringList(v.alerted);
  w.StringList(v.steps_done).I64(v.resolved_at).String(v.resolved_by).String(v.override_reason);
  return w.Take();
}

std::optional<IncidentView> DecodeIncident(std::string_view bytes) {
  RecordReader r(bytes);
  if (r.U8() != kFormat) return std::nullopt;
  IncidentView v;
  v.id = r.U64();
  v.version = r.U64();
  v.incident_type = r.String();
  v.post = r.String();
  v.group_key = r.String();
  v.reported_by = r.String();
  v.severity = r.U8();
  v.state = r.String();
  v.count = r.U32();
  v.opened_at = r.I64();
  v.changed_at = r.I64();
  v.changed_seq = r.U64();
  v.level = r.U32();
  v.on_fallback = r.Bool();
  v.acknowledged_by = r.String();
  v.acknowledged_at = r.I64();
  v.assignee = r.String();
  v.silenced_until = r.I64();
  v.note = r.String();
  v.alerted = r.StringList();
  v.steps_done = r.StringList();
  v.resolved_at = r.I64();
  v.resolved_by = r.String();
  v.override_reason = r.String();
  if (!r.ok()) return std::nullopt;
  return v;
}

std::string EncodeHistoryLine(const HistoryLine& line) {
  RecordWriter w;
  w.U8(kFormat).U64(line.seq).I64(line.at).String(line.type).String(line.actor);
  std::vector<std::string> flat;
  for (const auto& [k, v] : line.params) {
    flat.push_back(k);
    flat.push_back(v);
  }
  w.StringList(flat);
  return w.Take();
}

std::optional<HistoryLine> DecodeHistoryLine(std::string_view bytes) {
  RecordReader r(bytes);
  if (r.U8() != kFormat) return std::nullopt;
  HistoryLine line;
  line.seq = r.U64();
  line.at = r.I64();
  line.type = r.String();
  line.actor = r.String();
  std::vector<std::string> flat = r.StringList();
  if (!r.ok() || flat.size() % 2 != 0) return std::nullopt;
  for (size_t i = 0; i < flat.size(); i += 2) line.params[flat[i]] = flat[i + 1];
  return line;
}

}  // namespace picket::console
