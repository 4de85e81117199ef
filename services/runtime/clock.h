// The system's real-time clock, for the runtime and mains (cores see only base/clock.h).
#pragma once

#include "base/clock.h"

namespace picket {

class SystemClock final : public Clock {
 public:
  Micros Now() const override;
};

}  // namespace picket
