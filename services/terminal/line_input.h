// LineInput: reads what a guard or a scanner types, from stdin or a device file (a
// barcode or NFC reader that types like a keyboard), on its own thread, and hands each
// line to `on_line` (split by the core's LineAssembler: CR, LF or CRLF end a line; an
// overlong line comes as one too_long error line, not as pieces).
//
// A named pipe (the path is a FIFO node: a simulator, a bridge from another reader) is
// opened read-write, so
// opening it does not wait for a writer and a writer that closes it is not the end: it is
// read as long as the terminal runs.
//
// At the end of the input (a closed pipe, an unplugged device) it stops reading; the
// terminal goes on (what was typed is in the outbox until the bus has it). Start opens the
// path ("-" = stdin); false + *error if it cannot. The destructor stops and joins the
// thread. `on_line` runs on the reader's thread: it must be thread-safe
// (TerminalService::OnLine is).
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace picket::terminal {

class LineInput {
 public:
  using OnLine = std::function<void(std::string line)>;

  explicit LineInput(OnLine on_line) : on_line_(std::move(on_line)) {}
  ~LineInput();
  LineInput(const LineInput&) = delete;
  LineInput& operator=(const LineInput&) = delete;

  bool Start(const std::string& path, std::string* error);
  bool ended() const { return ended_.load(); }  // the input reached its end

 private:
  void Read();

  OnLine on_line_;
  int fd_ = -1;
  bool own_fd_ = false;
  std::atomic<bool> stop_{false}, ended_{false};
  std::thread thread_;
};

}  // namespace picket::terminal
