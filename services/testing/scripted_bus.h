// Test support for the runtime's bus clients (test-only; linked into runtime_test).
//
// ScriptedBus plays picket-bus's side of bus.capnp with raw sockets on tcp://127.0.0.1:*,
// driven by the test's own thread through Pump(): an in-memory log, an ingest ROUTER
// that acks (with dedup by id) or holds or drops publishes as told, a PUB the test
// publishes on by hand (so it can leave gaps), and a replay ROUTER that honours credit,
// records how much credit the client had outstanding and answers status requests. The
// real bus is tested against the real clients in tests/ (multi-process); this is for
// driving each path deterministically.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/event_loop.h"
#include "wire/event_id.h"

namespace picket::testing {

inline constexpr Micros kTestTime = 1'764'000'000'000'000;

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
// `error` is a scratch string for the calls under test.
struct ScratchDir {
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string error;

 private:
  std::string path_;
};

// Runs the loop (and `pump`, between iterations) until `done()` or the deadline; returns
// done(). The way to wait for a condition with sockets in play: never sleep-and-hope.
bool RunUntil(EventLoop& loop, const std::function<bool()>& done, std::chrono::milliseconds timeout,
              const std::function<void()>& pump = {});

// An encoded wire::Event as a producer would publish it (seq 0) with the given id.
std::string MakeEvent(const EventId& id, const std::string& type = "test.tick",
                      const std::string& producer = "probe");

class ScriptedBus {
 public:
  enum class IngestMode { kAck, kHold, kDrop };
  struct Publish {
    std::string routing_id;
    EventId id;
    std::string type;   // the event's type
    std::string event;  // the encoded event as published (recorded as it is, seq set)
  };

  // Binds tcp://127.0.0.1:* endpoints, or ipc://<ipc_dir>/{ingest,events,replay} if
  // `ipc_dir` is given (so a test can "restart" the bus at the same addresses).
  explicit ScriptedBus(zmq::context_t& context, const std::string& ipc_dir = "");

  std::string ingest_endpoint, events_endpoint, replay_endpoint;

  // --- the log ---
  // Closes every socket and binds new ones at the same addresses, keeping the log and
  // forgetting sessions, like a bus process that was killed and started again. ipc only.
  void Restart();
  // Appends an event (recorded, not published) and returns its seq.
  uint64_t Record(const EventId& id = EventId::Random(), const std::string& type = "test.tick");
  // Appends `event` (an encoded wire::Event as a producer publishes it), with seq and
  // recordedAt set as the bus would; returns its seq.
  uint64_t RecordEvent(const std::string& event);
  uint64_t head() const { return first_seq_ + log_.size() - 1; }
  // Forgets events below `first` (retention).
  void Trim(uint64_t first);
  // The recorded Event frame of `seq`.
  const std::string& EventFrame(uint64_t seq) const { return log_.at(seq - first_seq_); }
  // Sends [type][Event] of `seq` on the PUB socket.
  void PublishLive(uint64_t seq);
  // Records and publishes one event.
  uint64_t RecordAndPublish() {
    uint64_t s = Record();
    PublishLive(s);
    return s;
  }
  void Heartbeat();

  // --- ingest ---
  IngestMode ingest_mode = IngestMode::kAck;
  std::vector<Publish> held;        // publishes received in kHold mode, not answered
  uint64_t publishes_received = 0;  // every publish frame, whatever the mode
  void Ack(const Publish& p);       // records (or finds) the id and sends the ack
  void Nack(const Publish& p, uint16_t code, const std::string& message);

  // --- replay ---
  int ignore_replay_requests = 0;  // drop this many replay requests (a lost request)
  uint64_t replay_requests = 0;
  uint32_t max_outstanding_credit = 0;  // highest (granted - sent) over the run
  bool credit_violated = false;         // set if the scripted side ever had to exceed credit
  std::vector<std::pair<std::string, uint64_t>> progress;  // (subscriber, appliedSeq)

  // --- status (on the replay endpoint, as picket-bus answers it) ---
  bool answer_status = true;  // false: status requests wait for AnswerStatus
  uint64_t status_requests = 0;
  // Answers every status request waiting, with the head as it is now.
  void AnswerStatus();

  // Answers every waiting request and sends at most one replay batch per session.
  void Pump();

 private:
  struct Session {
    uint64_t next = 0, to = 0;
    uint32_t credit = 0, max_batch = 0;
    uint64_t granted = 0, sent = 0;
  };
  void OnIngest(const std::string& routing_id, std::string_view frame);
  void OnReplay(const std::string& routing_id, std::string_view frame);
  void SendTo(zmq::socket_t& socket, const std::string& routing_id, const std::string& frame);
  void ServeSession(const std::string& routing_id, Session& s);

  void Open();

  zmq::context_t& context_;
  std::string ipc_dir_;
  zmq::socket_t ingest_, events_, replay_;
  std::vector<std::string> log_;  // encoded recorded Events, seq first_seq_ + index
  uint64_t first_seq_ = 1;
  std::map<EventId, uint64_t> ids_;
  std::map<std::string, Session> sessions_;
  std::vector<std::string> status_waiting_;  // routing ids (answer_status false)
};

}  // namespace picket::testing
