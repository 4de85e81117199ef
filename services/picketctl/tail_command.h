// `picketctl tail`: prints the site's events in seq order through the runtime Subscriber
// (so a gap in the live stream is repaired from replay and nothing is shown twice).
//
// It first asks the bus for its status (with the timeout), so an unreachable bus is an
// error (exit 3) instead of a silent wait; after that, while following, it waits for the
// bus as long as it takes.
#pragma once

#include <zmq.hpp>

#include <optional>
#include <ostream>
#include <string>

#include "runtime/event_loop.h"
#include "runtime/subscriber.h"

namespace picket {

struct TailOptions {
  std::string events, replay;             // bus endpoints
  CurveClientKeys curve = {};             // the keys for the bus (tool_keys.h); plain by default
  std::optional<uint64_t> from;           // first seq; default: the next event after the head now
  std::optional<uint64_t> to;             // last seq, inclusive; stops there
  std::string type_prefix;                // only types starting with this ("" = all)
  bool json = false;                      // JSON lines instead of the human format
  bool follow = true;                     // false: stop once caught up with the bus
  Micros timeout = 5 * kMicrosPerSecond;  // for the first status request
};

class TailSession {
 public:
  // `context`, `loop` and the streams must outlive this.
  TailSession(zmq::context_t& context, EventLoop& loop, TailOptions options, std::ostream& out,
              std::ostream& err);

  // Asks for the bus status and starts the subscriber. Returns an exit code other than 0
  // (and writes why to `err`) if there is nothing to run: 0 with *done set if there is
  // nothing to show (--no-follow at the head, or --to before the head's next).
  int Start(bool* done);

  // Number of events printed (after the type filter).
  uint64_t printed() const { return printed_; }

 private:
  bool OnEvent(wire::Event::Reader event);

  zmq::context_t& context_;
  EventLoop& loop_;
  TailOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  Subscriber subscriber_;
  uint64_t printed_ = 0;
};

}  // namespace picket
