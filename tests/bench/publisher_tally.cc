#include "publisher_tally.h"

#include <algorithm>

namespace picket::bench {

void PublisherTally::OnAcked(Nanos sent_at, Nanos acked_at) {
  ++acked_;
  last_ack_ = std::max(last_ack_, acked_at);
  if (acked_at < schedule_.measure_from || acked_at > schedule_.stop_sending) return;
  ++measured_;
  latency_.Record(static_cast<uint64_t>(std::max<Nanos>(0, acked_at - sent_at)));
}

void PublisherTally::OnFailed(const std::string& reason) {
  ++failed_;
  if (first_error_.empty()) first_error_ = reason;
}

void PublisherTally::OnBroken(const std::string& reason) {
  broken_ = true;
  if (first_error_.empty()) first_error_ = reason;
}

}  // namespace picket::bench
