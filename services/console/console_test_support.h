// Test support for the console's adapter tests: a scripted picket-escalation command
// endpoint on a real socket, a console on a real host (ServiceHarness: real RocksDB, a
// scripted bus on real sockets) with its real HTTP server, and an officer's HTTP client.
#pragma once

#include <httplib.h>
#include <zmq.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "console/console_service.h"
#include "picket/schemas/access.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/scoring.capnp.h"
#include "testing/service_harness.h"

namespace picket::console::test {

// What the scripted escalation received, decoded.
struct ReceivedRequest {
  std::string actor, kind, step, text, override_reason;
  uint64_t incident = 0;
  size_t command_id_bytes = 0;
};

// A ROUTER on tcp://127.0.0.1:* answering each request frame with `answer(frame)` on its
// own thread (envelope frames echoed).
class ScriptedRouter {
 public:
  explicit ScriptedRouter(std::function<std::string(const std::string&)> answer);
  ~ScriptedRouter();
  const std::string& endpoint() const { return endpoint_; }

 private:
  void Run();
  std::function<std::string(const std::string&)> answer_;
  zmq::context_t context_;
  zmq::socket_t socket_;
  std::string endpoint_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// picket-escalation's command endpoint, scripted: answers with `reply` (default: success
// with version 7; getIncident: a two-step procedure; listIncidents: incident 3, an
// intrusion acknowledged by otto and resolved by chief, first opened 30 min before
// kTestTime, and incident 5, a panic acknowledged by otto 10 min before kTestTime, both at
// the post asked for) and records what it got (listIncidents: "from/to" in `text`, the
// post in `step`).
class FakeEscalation {
 public:
  using ReplyFn = std::function<void(const ReceivedRequest&, wire::EscalationReply::Builder)>;
  FakeEscalation();
  const std::string& endpoint() const { return router_.endpoint(); }
  void SetReply(ReplyFn fn);
  std::vector<ReceivedRequest> Received();

 private:
  std::string Answer(const std::string& frame);
  std::mutex mu_;
  ReplyFn reply_;                          // guarded by mu_
  std::vector<ReceivedRequest> received_;  // guarded by mu_
  ScriptedRouter router_;                  // last: its thread uses the members above
};

// picket-access answering listOnSite with two people on site (ann, staff; a visitor by
// name), or `unavailable` once told so.
//
// Walk-ups: listPendingWalkUps answers the scripted queue (w-1 "Walt Walker" of Acme for
// host-1 at north, asked by guard-7 at kTestTime; w-2 "Wanda" a minute later);
// approveWalkUp and denyWalkUp remove a queued person (notPending for anyone else, as
// picket-access), or answer `walkup_error` once set. Each walk-up request is recorded
// (kind "listPendingWalkUps" / "approveWalkUp" / "denyWalkUp"; text = the person, step =
// by, override_reason = the reason).
class FakeAccess {
 public:
  FakeAccess();
  const std::string& endpoint() const { return router_.endpoint(); }
  void SetUnavailable(bool v) { unavailable_ = v; }
  void SetWalkUpError(wire::AccessError e) { walkup_error_ = static_cast<int>(e); }
  std::vector<ReceivedRequest> WalkUpRequests();
  // The [from, to) of every listVisits received.
  std::vector<std::pair<Micros, Micros>> VisitRanges();

 private:
  // The answer to a walk-up request, or nullopt for any other request.
  std::optional<std::string> WalkUpAnswer(const std::string& frame);
  // The answer to listVisits or getPerson, or nullopt for any other request: three visits
  // in the hour before kTestTime, two at post gate-1 (gate g1: vis-1, Vera Isitor of Acme,
  // a visitor let in by rita who left, and con-2, Carl Ontractor, a contractor still on
  // site) and one at gate-2 (vis-3, whom getPerson does not know); `unavailable` once told
  // so. Records the range asked for (VisitRanges).
  std::optional<std::string> VisitsAnswer(const std::string& frame);
  std::mutex visits_mu_;
  std::vector<std::pair<Micros, Micros>> visit_ranges_;  // guarded by visits_mu_
  std::atomic<bool> unavailable_{false};
  std::atomic<int> walkup_error_{0};
  std::mutex mu_;
  std::vector<std::string> queue_{"w-1", "w-2"};  // guarded by mu_
  std::vector<ReceivedRequest> walkups_;          // guarded by mu_
  ScriptedRouter router_;
};

// picket-scoring, scripted: records each request's kind, actor and fields (as text) and
// answers a leaderboard with two standings (ann 12, bob -3; for a leaderboard at a time,
// the period is that hour, labelled "h<hour of the day>", and ann has that many points),
// an explain with one entry, awards with one, and a command with id 41; or with `error`
// once set.
class FakeScoring {
 public:
  FakeScoring();
  const std::string& endpoint() const { return router_.endpoint(); }
  void SetError(wire::ScoringError e) { error_ = static_cast<int>(e); }
  std::vector<ReceivedRequest> Received();

 private:
  std::string Answer(const std::string& frame);
  std::atomic<int> error_{0};
  std::mutex mu_;
  std::vector<ReceivedRequest> received_;  // guarded by mu_
  ScriptedRouter router_;
};

// picket-patrol, scripted: answers listRounds and currentRounds with one round of route
// "night" (in progress, two checkpoints, one on time) and records the query (kind, the
// range in `incident`/`text`, the post in `step`); or `unavailable` once told so.
class FakePatrol {
 public:
  FakePatrol();
  const std::string& endpoint() const { return router_.endpoint(); }
  void SetUnavailable(bool v) { unavailable_ = v; }
  std::vector<ReceivedRequest> Received();

 private:
  std::string Answer(const std::string& frame);
  std::atomic<bool> unavailable_{false};
  std::mutex mu_;
  std::vector<ReceivedRequest> received_;  // guarded by mu_
  ScriptedRouter router_;
};

// Passwords of the test accounts: "pw-<login>".
ConsoleConfig TestConfig(const std::string& escalation_endpoint);

// A console on a harness: started, HTTP bound on 127.0.0.1:<any>.
class ConsoleFixture {
 public:
  explicit ConsoleFixture(std::function<void(ConsoleConfig&)> adjust = {});
  ~ConsoleFixture();
  testing::ServiceHarness& harness() { return *harness_; }
  FakeEscalation& escalation() { return escalation_; }
  FakeAccess& access() { return access_; }
  FakeScoring& scoring() { return scoring_; }
  FakePatrol& patrol() { return patrol_; }
  ConsoleService& service() { return *service_; }
  httplib::Client Client() const;
  int port() const;
  // Publishes an escalation event built by `fill` and waits until the console applied it.
  template <typename Body, typename Fill>
  uint64_t Publish(EventType<Body> type, Fill fill, const std::string& actor = "") {
    uint64_t seq =
        harness_->Publish(testing::MakeTypedEvent(type, harness_->clock().Now(), fill, "", actor));
    Settle();
    return seq;
  }
  // incident_opened for `id` (severity: wire::Severity).
  uint64_t Open(uint64_t id, wire::Severity severity, const std::string& post = "gate-1");
  void Settle();

 private:
  FakeEscalation escalation_;
  FakeAccess access_;
  FakeScoring scoring_;
  FakePatrol patrol_;
  ConsoleConfig config_;
  std::unique_ptr<testing::ServiceHarness> harness_;
  std::unique_ptr<ConsoleService> service_;
};

// An officer's browser: the session cookie and CSRF token after Login.
struct Officer {
  std::string cookie, csrf;
  httplib::Headers Headers(bool with_csrf = true) const;
};
// Logs in; nullopt (and a Catch2 message) unless it answered 200.
std::optional<Officer> Login(httplib::Client& cli, const std::string& login,
                             const std::string& password);
// POSTs JSON `body` as `officer` (CSRF header included).
httplib::Result PostJson(httplib::Client& cli, const std::string& path, const std::string& body,
                         const Officer& officer);
// The error code of a JSON error body, or "".
std::string ErrorCode(const httplib::Result& r);

}  // namespace picket::console::test
