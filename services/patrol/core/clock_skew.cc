#include "patrol/core/clock_skew.h"

#include <algorithm>

namespace picket::patrol {
namespace {

OutgoingEvent Report(TerminalClock& c, Micros offset, Micros now) {
  c.reported_at = now;
  return {"", now, ClockSkew{c.terminal, c.post, offset, c.window_samples}};
}

}  // namespace

std::optional<OutgoingEvent> SampleClock(const PatrolConfig& config, PatrolStore& store,
                                         const std::string& post, const FactSource& source) {
  if (source.terminal.empty()) return std::nullopt;
  const Micros now = source.recorded;
  const Micros sample = source.at - source.recorded;
  TerminalClock c = store.LoadClock(source.terminal).value_or(TerminalClock{});
  c.terminal = source.terminal;
  c.post = post;
  c.last_offset = sample;
  std::optional<OutgoingEvent> out;
  if (c.window_samples == 0) {
    c.window_start = now;
    c.window_max = sample;
    c.window_samples = 1;
  } else if (now >= c.window_start + config.skew_window) {
    // The window closes at the first sample after it; that sample opens the next one.
    c.estimate = c.window_max;
    if (c.estimate < -config.skew_limit && c.reported_at < c.window_start)
      out = Report(c, c.estimate, now);
    c.window_start = now;
    c.window_max = sample;
    c.window_samples = 1;
  } else {
    c.window_max = std::max(c.window_max, sample);
    ++c.window_samples;
  }
  // Ahead of the bus: reported at once, once per window (a report made at this very sample
  // for the closed window counts: one event per fact).
  if (!out && sample > config.skew_limit && c.reported_at < c.window_start)
    out = Report(c, sample, now);
  store.SaveClock(c);
  return out;
}

}  // namespace picket::patrol
