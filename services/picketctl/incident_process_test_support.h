// Shared by the `picketctl incident` process tests: running the picketctl binary with a
// clean environment, and a fake picket-escalation command endpoint.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "picket/schemas/escalation.capnp.h"
#include "picketctl/cli_process_support.h"
#include "runtime/curve_keys.h"
#include "support/process.h"

namespace picket::testing {

// A request the fake received.
struct SeenRequest {
  std::string text;        // Cap'n Proto's text form, e.g. (actor = "ann", acknowledge = ...)
  std::string actor;       // its actor
  std::string command_id;  // its commandId bytes
};

// A ROUTER on tcp://127.0.0.1:* in a thread of the test: decodes each EscalationRequest,
// records it, and answers with what `script` returns for it (nullopt: no answer, as a
// service that is down or slow). An undecodable frame is recorded with text "<malformed>"
// and not answered. The destructor stops the thread. With `server_key`, the ROUTER is a
// CURVE server with that key pair (as picket-escalation is on a site with [security]; the
// fake admits any client key: it has no ZAP handler).
class FakeEscalation {
 public:
  using Script = std::function<std::optional<std::string>(size_t index,
                                                          wire::EscalationRequest::Reader request)>;

  explicit FakeEscalation(Script script, const CurveKeyPair* server_key = nullptr);
  ~FakeEscalation();
  FakeEscalation(const FakeEscalation&) = delete;
  FakeEscalation& operator=(const FakeEscalation&) = delete;

  const std::string& endpoint() const { return endpoint_; }
  std::vector<SeenRequest> Seen() const;  // thread-safe

 private:
  void Serve();

  Script script_;
  zmq::context_t context_;
  zmq::socket_t router_;  // used only by the thread once it started
  std::string endpoint_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;  // guards seen_ (the thread appends, the test reads)
  std::vector<SeenRequest> seen_;
  std::thread thread_;
};

// An EscalationReply frame: ok with `incident` and `version`.
std::string OkReply(uint64_t incident, uint64_t version);

}  // namespace picket::testing
