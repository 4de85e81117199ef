// IncidentBoard: the in-memory picture of incidents that the HTTP threads read, kept
// beside the stored read model (incident_model.h) and fed the same changes after they are
// committed. It holds every incident that is not closed, the `max_closed` most recently
// changed closed ones, and the last `max_history` history lines of each incident it holds.
//
// Not thread-safe: the adapter guards it with a mutex (the loop thread writes, HTTP
// threads read copies).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "console/core/incident_model.h"

namespace picket::console {

class IncidentBoard {
 public:
  IncidentBoard(size_t max_closed, size_t max_history)
      : max_closed_(max_closed), max_history_(max_history) {}

  // Replaces the incident with `view`; appends `line` (if any) to its history unless a
  // line of that seq is there already.
  void Put(const IncidentView& view, const HistoryLine* line);
  void SetHistory(uint64_t id, std::vector<HistoryLine> lines);

  // Open incidents (pending, open, acknowledged): most severe first, then oldest first.
  std::vector<IncidentView> Open() const;
  // Closed incidents held, most recently changed first.
  std::vector<IncidentView> RecentlyClosed() const;
  std::optional<IncidentView> Get(uint64_t id) const;
  std::vector<HistoryLine> History(uint64_t id) const;
  size_t size() const { return incidents_.size(); }

 private:
  void EvictClosed();

  size_t max_closed_, max_history_;
  std::map<uint64_t, IncidentView> incidents_;
  std::map<uint64_t, std::vector<HistoryLine>> history_;
};

// Fills `board` from the stored model: every open incident and the most recently changed
// closed ones, with their history.
void LoadBoard(Txn& state, IncidentBoard& board, size_t max_history);

}  // namespace picket::console
