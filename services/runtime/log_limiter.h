// LogLimiter: keeps a flood of one kind of log line (bad input from a broken client) from
// flooding the log. At most `burst` lines per `period` pass; the rest are counted, and
// whichever comes first says how many were held back: the next line that passes, or a
// periodic TakeSuppressed() once the period they fell in is over.
//
// Pure: time is passed in. Not thread-safe (one per loop).
#pragma once

#include <cstdint>

#include "runtime/clock.h"

namespace picket {

class LogLimiter {
 public:
  LogLimiter(int burst, Micros period) : burst_(burst), period_(period) {}

  // Returns true if a line may be written now; then *suppressed is the number of lines
  // held back since the last one that passed (0 if none). Returns false otherwise.
  bool Allow(Micros now, uint64_t* suppressed) {
    if (now - window_start_ >= period_) {
      window_start_ = now;
      used_ = 0;
    }
    if (used_ >= burst_) {
      ++suppressed_;
      return false;
    }
    ++used_;
    *suppressed = suppressed_;
    suppressed_ = 0;
    return true;
  }

  // For a timer: once the period in which lines were held back is over, returns how many
  // were (and forgets them, so they are reported once); 0 otherwise. Lets the caller log
  // the count even when no further line comes to carry it.
  uint64_t TakeSuppressed(Micros now) {
    if (suppressed_ == 0 || now - window_start_ < period_) return 0;
    uint64_t n = suppressed_;
    suppressed_ = 0;
    return n;
  }

 private:
  int burst_;
  Micros period_;
  Micros window_start_ = INT64_MIN / 2;
  int used_ = 0;
  uint64_t suppressed_ = 0;
};

}  // namespace picket
