// `picketctl incident watch`: follows the site's events through the runtime Subscriber
// (in seq order, gaps repaired from replay) and prints what AlertWatch shows.
//
// Like `picketctl tail`, it first asks the bus for its status (with the timeout), so an
// unreachable bus is exit 3 instead of a silent wait; after that it waits as long as it
// takes. Live by default (from the event after the bus's head); `from` replays first.
// Once caught up with the bus it says so once on `err`:
//   picketctl incident watch: watching alerts for ann, live from #58 (Ctrl-C stops)
// When the bus goes quiet (no event nor heartbeat for `quiet_after`) it says so on `err`,
// once, and again when the bus is heard from again:
//   picketctl incident watch: no word from the bus for 3 s (down or unreachable?); waiting
//   picketctl incident watch: the bus is back after 17 s
#pragma once

#include <zmq.hpp>

#include <optional>
#include <ostream>
#include <string>

#include "picketctl/alert_watch.h"
#include "runtime/event_loop.h"
#include "runtime/subscriber.h"

namespace picket {

struct WatchOptions {
  std::string events, replay;             // bus endpoints
  CurveClientKeys curve = {};             // the keys for the bus (tool_keys.h); plain by default
  std::optional<uint64_t> from;           // first seq; default: the next after the head
  AlertWatchOptions watch;                // person, json
  Micros timeout = 5 * kMicrosPerSecond;  // for the first status request
  Micros quiet_after = 3 * kMicrosPerSecond;  // the bus heartbeats every 0.5 s by default
};

class WatchSession {
 public:
  // `context`, `loop` and the streams must outlive this.
  WatchSession(zmq::context_t& context, EventLoop& loop, WatchOptions options, std::ostream& out,
               std::ostream& err);

  // Asks for the bus status and starts the subscriber; the caller then runs the loop.
  // Returns 0, or the exit code (with why on `err`) if it cannot start.
  int Start();

 private:
  bool OnEvent(wire::Event::Reader event);
  void CheckHeard();  // every second: has the bus gone quiet, or come back?

  zmq::context_t& context_;
  EventLoop& loop_;
  WatchOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  AlertWatch watch_;
  Subscriber subscriber_;
  bool announced_ = false;
  Micros started_ = 0;
  Micros quiet_since_ = 0;  // non-zero while the bus is quiet (reported)
};

}  // namespace picket
