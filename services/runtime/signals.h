// SIGTERM/SIGINT as a readable file descriptor (signalfd), so the service loop sees a
// stop request like any other input and shuts down in order.
#pragma once

namespace picket {

class StopSignals {
 public:
  // Blocks SIGTERM and SIGINT in this thread (call in main() before starting threads, so
  // every thread inherits the mask) and opens a signalfd for them. Aborts on failure.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int fd() const { return fd_; }
  // Reads the pending signal; returns its number (0 if none was pending).
  int Consume();

 private:
  int fd_ = -1;
};

}  // namespace picket
