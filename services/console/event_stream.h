// StreamRing: the recent live updates for GET /api/stream (Server-Sent Events), kept in
// memory so that a browser that reconnects with Last-Event-ID gets everything it missed.
//
// Each entry is one committed bus event the console shows, named by its bus seq (the SSE
// id). Seqs are not consecutive (events the console does not show have none), so the ring
// keeps a `floor`: every shown event with a seq above the floor is held. A resume from a
// seq below the floor (evicted, or before this process started: the ring is not stored)
// cannot be served; the caller then tells the page to reload its state.
//
// Thread-safe: the loop thread pushes, HTTP threads read and wait.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace picket::console {

struct StreamEntry {
  uint64_t seq = 0;
  std::string event;  // SSE event name ("incident")
  std::string data;   // one line of JSON
};

class StreamRing {
 public:
  // `floor`: the last seq applied before this ring existed (nothing at or below it is
  // held, nothing above it is missing).
  StreamRing(size_t capacity, uint64_t floor) : capacity_(capacity), floor_(floor), last_(floor) {}

  // Adds an entry; one whose seq is not above the last pushed is ignored (a repeat).
  void Push(StreamEntry entry);
  // Entries with seq > `after`, oldest first, into *out. False if some may be missing
  // (`after` is below the floor).
  bool Since(uint64_t after, std::vector<StreamEntry>* out) const;
  // Blocks until an entry above `after` exists, the ring is closed, or `deadline`.
  // Returns false once closed.
  bool Wait(uint64_t after, std::chrono::steady_clock::time_point deadline);
  // Wakes every waiter for good (the service is stopping).
  void Close();
  uint64_t last_seq() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  size_t capacity_;
  uint64_t floor_, last_;
  bool closed_ = false;
  std::deque<StreamEntry> entries_;
};

// One SSE message: "id: <seq>\nevent: <event>\ndata: <data>\n\n" (`seq` 0: no id line).
std::string SseMessage(uint64_t seq, const std::string& event, const std::string& data);

}  // namespace picket::console
