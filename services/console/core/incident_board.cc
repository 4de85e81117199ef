#include "console/core/incident_board.h"

#include <algorithm>

namespace picket::console {

void IncidentBoard::Put(const IncidentView& view, const HistoryLine* line) {
  incidents_[view.id] = view;
  if (line) {
    auto& lines = history_[view.id];
    bool seen = std::any_of(lines.begin(), lines.end(),
                            [&](const HistoryLine& l) { return l.seq == line->seq; });
    if (!seen) lines.push_back(*line);
    if (lines.size() > max_history_) lines.erase(lines.begin(), lines.end() - max_history_);
  }
  if (view.closed()) EvictClosed();
}

void IncidentBoard::SetHistory(uint64_t id, std::vector<HistoryLine> lines) {
  if (lines.size() > max_history_) lines.erase(lines.begin(), lines.end() - max_history_);
  history_[id] = std::move(lines);
}

std::vector<IncidentView> IncidentBoard::Open() const {
  std::vector<IncidentView> out;
  for (const auto& [id, v] : incidents_)
    if (!v.closed()) out.push_back(v);
  std::stable_sort(out.begin(), out.end(), [](const IncidentView& a, const IncidentView& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.opened_at < b.opened_at;
  });
  return out;
}

std::vector<IncidentView> IncidentBoard::RecentlyClosed() const {
  std::vector<IncidentView> out;
  for (const auto& [id, v] : incidents_)
    if (v.closed()) out.push_back(v);
  std::stable_sort(out.begin(), out.end(), [](const IncidentView& a, const IncidentView& b) {
    return a.changed_seq > b.changed_seq;
  });
  return out;
}

std::optional<IncidentView> IncidentBoard::Get(uint64_t id) const {
  auto it = incidents_.find(id);
  if (it == incidents_.end()) return std::nullopt;
  return it->second;
}

std::vector<HistoryLine> IncidentBoard::History(uint64_t id) const {
  auto it = history_.find(id);
  return it == history_.end() ? std::vector<HistoryLine>{} : it->second;
}

void IncidentBoard::EvictClosed() {
  auto closed = RecentlyClosed();
  for (size_t i = max_closed_; i < closed.size(); ++i) {
    incidents_.erase(closed[i].id);
    history_.erase(closed[i].id);
  }
}

void LoadBoard(Txn& state, IncidentBoard& board, size_t max_history) {
  for (const IncidentView& v : LoadIncidents(state)) board.Put(v, nullptr);
  for (const IncidentView& v : board.Open())
    board.SetHistory(v.id, LoadHistory(state, v.id, max_history));
  for (const IncidentView& v : board.RecentlyClosed())
    board.SetHistory(v.id, LoadHistory(state, v.id, max_history));
}

}  // namespace picket::console
