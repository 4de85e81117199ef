#include "console/event_stream.h"

namespace picket::console {

void StreamRing::Push(StreamEntry entry) {
  {
    std::lock_guard lock(mu_);
    if (entry.seq <= last_) return;
    last_ = entry.seq;
    entries_.push_back(std::move(entry));
    while (entries_.size() > capacity_) {
      floor_ = entries_.front().seq;
      entries_.pop_front();
    }
  }
  cv_.notify_all();
}

bool StreamRing::Since(uint64_t after, std::vector<StreamEntry>* out) const {
  std::lock_guard lock(mu_);
  if (after < floor_) return false;
  for (const StreamEntry& e : entries_)
    if (e.seq > after) out->push_back(e);
  return true;
}

bool StreamRing::Wait(uint64_t after, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [&] { return closed_ || last_ > after; });
  return !closed_;
}

void StreamRing::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

uint64_t StreamRing::last_seq() const {
  std::lock_guard lock(mu_);
  return last_;
}

std::string SseMessage(uint64_t seq, const std::string& event, const std::string& data) {
  std::string out;
  if (seq > 0) out += "id: " + std::to_string(seq) + "\n";
  out += "event: " + event + "\n";
  // JSON from DumpJson has no raw newline; split anyway so a stray one cannot end the message.
  size_t start = 0;
  while (true) {
    size_t nl = data.find('\n', start);
    out += "data: " + data.substr(start, nl == std::string::npos ? nl : nl - start) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out + "\n";
}

}  // namespace picket::console
