#include "bus/sequencer.h"

#include <algorithm>
#include <map>

namespace picket {

BatchPlan PlanBatch(const LogHead& head, Micros now, const std::vector<OfferedEvent>& offered) {
  BatchPlan plan;
  plan.new_head = head;
  const Micros recorded_at = std::max(now, head.last_recorded_at);
  std::map<EventId, RecordedAt> in_batch;
  plan.assignments.reserve(offered.size());
  for (const OfferedEvent& e : offered) {
    Assignment a;
    if (e.stored) {
      a.at = *e.stored;
      a.duplicate = true;
    } else if (auto it = in_batch.find(e.id); it != in_batch.end()) {
      a.at = it->second;
      a.duplicate = true;
      a.original_in_batch = true;
    } else {
      a.at = RecordedAt{plan.new_head.seq + 1, recorded_at};
      plan.new_head = LogHead{a.at.seq, recorded_at};
      in_batch.emplace(e.id, a.at);
      ++plan.recorded;
    }
    plan.assignments.push_back(a);
  }
  return plan;
}

}  // namespace picket
