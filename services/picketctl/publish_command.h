// `picketctl publish`: hands events to the bus through the runtime Publisher and reports
// each one's fate, in input order:
//   stdout  "<seq>" per recorded event ("<seq> duplicate" if the bus already had its id)
//   stderr  "<label>: <reason>" for an input that is not a valid event, a nack
//           ("nacked: <code>: <message>") or no answer within the timeout
//
// Exit codes: 0 every event recorded; 1 some input was invalid or nacked; 3 the bus did
// not answer some event within the timeout (the event may or may not be recorded: publish
// it again with the same id, the bus drops duplicates).
#pragma once

#include <zmq.hpp>

#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "runtime/event_loop.h"
#include "runtime/publisher.h"

namespace picket {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;    // a nack, an invalid input
inline constexpr int kExitUsage = 2;     // bad flags, bad configuration
inline constexpr int kExitNoAnswer = 3;  // the bus did not answer in time

class PublishSession {
 public:
  // `context`, `loop` and the streams must outlive this. `curve`: the keys for the bus
  // (plain unless the site has [security]; tool_keys.h). `timeout` bounds the wait for
  // each event's ack, counted from when it is added.
  PublishSession(zmq::context_t& context, EventLoop& loop, const std::string& ingest,
                 const CurveClientKeys& curve, Micros timeout, std::ostream& out,
                 std::ostream& err);

  // Connects. Returns false and sets *error if the endpoint is invalid.
  bool Start(std::string* error);

  // Adds one input: an encoded event, or (encoded == nullopt) an input already known to be
  // bad, whose `error` is reported in its turn. `label` names it in messages ("line 3").
  void Add(std::string label, std::optional<std::string> encoded, std::string error);
  // No more input will come; the loop is stopped once every input has its outcome.
  void InputDone();

  bool Finished() const { return input_done_ && items_.empty(); }
  int ExitCode() const { return exit_code_; }

 private:
  struct Item {
    std::string label;
    bool done = false;
    std::string out_line, err_line;
    int exit_code = kExitOk;
  };

  void OnOutcome(const PublishOutcome& outcome);
  void Resolve(uint64_t index, std::string out_line, std::string err_line, int code);
  void Flush();

  EventLoop& loop_;
  std::string ingest_;
  Micros timeout_;
  std::ostream& out_;
  std::ostream& err_;
  Publisher publisher_;
  std::deque<Item> items_;  // unreported inputs; front has index first_index_
  uint64_t first_index_ = 0;
  std::map<EventId, uint64_t> index_of_;  // pending publishes
  bool input_done_ = false;
  int exit_code_ = kExitOk;
};

}  // namespace picket
