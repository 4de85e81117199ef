// picket-notify as a real process: a real picket-bus, a real HTTP receiver in this test
// that checks every signature, alerts published with a raw bus client (holding the
// escalation service's key: the site runs with keys), and the notify.delivery_* events read
// back from the bus log. Also kill -9 with a retry pending.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <capnp/message.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/notify.capnp.h"
#include "support/bus_fixture.h"
#include "support/service_fixture.h"
#include "wire/codec.h"

namespace picket::testing {
namespace {

using std::chrono::milliseconds;
constexpr int64_t kSecond = 1000000;
const std::string kSecret = "process-test-secret-0123456789";

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Hex(const unsigned char* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) out += {d[p[i] >> 4], d[p[i] & 15]};
  return out;
}

// The receiver's own check of the documented scheme (independent of picket's code).
bool SignatureValid(const httplib::Request& req) {
  std::string message = req.get_header_value("X-Picket-Timestamp") + "." + req.body;
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(kSecret.data()),
                              kSecret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return req.get_header_value("X-Picket-Signature") == "sha256=" + Hex(mac, sizeof mac);
}

struct Received {
  std::string key;
  int attempt = 0;
  bool signature_ok = false;
  nlohmann::json body;
};

// An HTTP receiver on 127.0.0.1:<any port>, on its own thread. `fail_first` requests per
// idempotency key get 503, later ones 200 while `accept` is true (503 otherwise). While
// held, a request is recorded at once but answered only after Release() (or 20 s).
class Receiver {
 public:
  explicit Receiver(int fail_first) : fail_first_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      Received r;
      r.key = req.get_header_value("Idempotency-Key");
      r.signature_ok = SignatureValid(req);
      r.body = nlohmann::json::parse(req.body, nullptr, false);
      r.attempt = r.body.is_object() ? r.body.value("attempt", 0) : 0;
      std::unique_lock<std::mutex> lock(mu_);
      int seen = static_cast<int>(std::count_if(received_.begin(), received_.end(),
                                                [&](const Received& x) { return x.key == r.key; }));
      received_.push_back(r);
      released_.wait_for(lock, std::chrono::seconds(20), [this] { return !hold_; });
      res.status = seen < fail_first_ || !accept_.load() ? 503 : 200;
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    Release();
    server_.stop();
    thread_.join();
  }
  void Hold() {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = true;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      hold_ = false;
    }
    released_.notify_all();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<Received> received() {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }
  void set_accept(bool a) { accept_.store(a); }

 private:
  int fail_first_;
  std::atomic<bool> accept_{true};
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable released_;
  bool hold_ = false;
  std::vector<Received> received_;
};

// A port nothing listens on: bound to a plain socket, which is then closed (an
// httplib::Server keeps its listening socket open until it has run).
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  REQUIRE(ok);
  return ntohs(addr.sin_port);
}

struct Attempt {
  uint64_t seq = 0;
  std::string type;
  uint64_t incident = 0, alert_seq = 0;
  std::string person, channel, key, error;
  uint32_t attempt = 0;
  bool succeeded = false, will_retry = false;
  uint16_t http_status = 0;
  int64_t next_attempt_at = 0, latency = 0;
  // notify.delivery_stopped only: attempts made, why, and the seq of the event that did it.
  uint32_t attempts = 0;
  std::string reason;
  uint64_t cause_seq = 0;
};

// The fields DeliveryAttempt and DeliveryStopped bodies share.
template <typename Body>
void ReadDeliveryFields(Body b, Attempt& a) {
  a.incident = b.getIncident();
  a.alert_seq = b.getAlertSeq();
  a.person = b.getPerson().cStr();
  a.channel = b.getChannel().cStr();
  a.key = b.getIdempotencyKey().cStr();
}

// The bus as this test's clients reach it: its endpoints; the escalation service's key,
// which publishes what picket-escalation would (alerts and settlements are escalation's
// derived types: the bus takes them from that key only); and the probe's, which reads the
// log.
struct Site {
  Site(const BusUnderTest& bus, const BusEndpoints& ep)
      : ingest(ep.ingest),
        replay(ep.replay),
        escalation(bus.As("escalation")),
        probe(bus.Probe()) {}
  std::string ingest, replay;
  CurveClientKeys escalation, probe;
};

// Every notify.delivery_* event in the log (the bus probe's replay, bodies decoded).
std::vector<Attempt> ReadAttempts(zmq::context_t& ctx, const Site& ep) {
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(10000), ep.probe);
  REQUIRE(log);
  std::vector<Attempt> out;
  for (const auto& le : *log) {
    if (le.type.rfind("notify.", 0) != 0) continue;
    std::string error;
    auto msg = DecodedMessage::Decode(le.event, &error);
    REQUIRE(msg);
    Attempt a;
    a.seq = le.seq;
    a.type = le.type;
    if (le.type == "notify.delivery_stopped") {
      auto st = msg->Root<wire::Event>().getBody().getAs<wire::DeliveryStopped>();
      ReadDeliveryFields(st, a);
      a.attempts = st.getAttempts();
      a.reason = st.getReason().cStr();
      a.cause_seq = st.getCauseSeq();
      out.push_back(a);
      continue;
    }
    auto d = msg->Root<wire::Event>().getBody().getAs<wire::DeliveryAttempt>();
    ReadDeliveryFields(d, a);
    a.error = d.getError().cStr();
    a.attempt = d.getAttempt();
    a.succeeded = d.getSucceeded();
    a.will_retry = d.getWillRetry();
    a.http_status = d.getHttpStatus();
    a.next_attempt_at = d.getNextAttemptAt();
    a.latency = d.getLatency();
    out.push_back(a);
  }
  return out;
}

struct AlertSpec {
  uint64_t incident = 1;
  std::string person = "ann";
  std::string target = "person:ann";
  int64_t respond_by = 0;
  uint64_t version = 2;
};

// An alert for "ann" (who has the channel "hook"), answerable for the next 10 minutes.
AlertSpec AnnAlert(uint64_t incident) {
  return AlertSpec{incident, "ann", "person:ann", NowMicros() + 600 * kSecond};
}

// [notify.retry] lines for retries that always wait about `wait` (jitter: wait/2 .. wait).
std::string FixedBackoff(const std::string& wait) {
  return "initial_backoff = \"" + wait + "\"\nmax_backoff = \"" + wait + "\"";
}

// Publishes an event of `type` as picket-escalation would (its producer and its key), its
// body set by `fill`; returns its seq.
uint64_t PublishEscalationEvent(zmq::context_t& ctx, const Site& ep, const std::string& type,
                                const std::function<void(wire::Event::Builder)>& fill) {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::BusRequest>().initPublish();
  EventId id = EventId::Random();
  e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), 16));
  e.setSite("test-site");
  e.setType(type);
  e.setProducer("escalation");
  e.setObservedAt(NowMicros());
  fill(e);
  IngestProbe probe(ctx, ep.ingest, ep.escalation);
  probe.Send(Encode(b));
  auto frame = probe.Receive(milliseconds(10000));
  REQUIRE(frame.has_value());
  Reply r = ParseReply(*frame);
  INFO(r.code << " " << r.message);
  REQUIRE(r.kind == Reply::kAck);
  return r.seq;
}

// Publishes an escalation.alert_raised; returns its seq.
uint64_t PublishAlert(zmq::context_t& ctx, const Site& ep, const AlertSpec& spec) {
  return PublishEscalationEvent(ctx, ep, "escalation.alert_raised", [&](wire::Event::Builder e) {
    auto a = e.getBody().initAs<wire::AlertRaised>();
    a.setIncident(spec.incident);
    a.setVersion(spec.version);
    a.setPerson(spec.person);
    a.setLevel(1);
    a.setTarget(spec.target);
    a.setReason("opened");
    a.setRespondBy(spec.respond_by);
  });
}

// picket-notify over the bus's site file plus a [notify] section.
// picket-notify over the bus's site plus a [notify] section (the shared ServiceUnderTest,
// with /metrics and a clean stop).
class NotifyUnderTest {
 public:
  NotifyUnderTest(BusUnderTest& bus, const std::string& notify_section)
      : config_(bus.dir() / "notify-site.toml"),
        service_("picket-notify", config_, bus.dir() / "notify") {
    WriteFile(config_, ReadFile(bus.config_path()) + "\n" + notify_section);
  }
  void Start() { http_ = service_.Start().value("http", ""); }
  std::string Log() const { return ReadFile(service_.log_path()); }
  ChildProcess& process() { return service_.process(); }
  // The value of a metric line (name with labels) on /metrics, or -1.
  double Metric(const std::string& line_prefix) {
    auto colon = http_.rfind(':');
    httplib::Client c(http_.substr(0, colon), std::stoi(http_.substr(colon + 1)));
    auto res = c.Get("/metrics");
    if (!res || res->status != 200) return -1;
    std::istringstream in(res->body);
    std::string line;
    while (std::getline(in, line))
      if (line.rfind(line_prefix + " ", 0) == 0) return std::stod(line.substr(line_prefix.size()));
    return -1;
  }
  void Stop() {
    process().Signal(SIGTERM);
    auto status = process().Wait(milliseconds(30000));
    REQUIRE(status.has_value());
    CHECK(WIFEXITED(*status));
    CHECK(WEXITSTATUS(*status) == 0);
  }

 private:
  std::string config_;
  ServiceUnderTest service_;
  std::string http_;
};

std::string Section(const std::string& url, const std::string& retry,
                    const std::string& timeout = "2s") {
  return "[notify]\nhttp = \"127.0.0.1:0\"\nworkers = 2\n[notify.retry]\n" + retry +
         "\n[notify.channels.hook]\nurl = \"" + url + "\"\nsecret = \"" + kSecret +
         "\"\ntimeout = \"" + timeout + "\"\n[notify.people]\nann = [\"hook\"]\n";
}

// Publishes escalation.incident_<what> (acknowledged, resolved or cancelled) for
// `incident` at `version`; returns its seq.
uint64_t PublishSettled(zmq::context_t& ctx, const Site& ep, const std::string& what,
                        uint64_t incident, uint64_t version) {
  return PublishEscalationEvent(ctx, ep, "escalation.incident_" + what,
                                [&](wire::Event::Builder e) {
                                  if (what == "acknowledged") {
                                    auto a = e.getBody().initAs<wire::IncidentAcknowledged>();
                                    a.setIncident(incident);
                                    a.setVersion(version);
                                    a.setLevel(1);
                                  } else if (what == "resolved") {
                                    auto r = e.getBody().initAs<wire::IncidentResolved>();
                                    r.setIncident(incident);
                                    r.setVersion(version);
                                  } else {
                                    auto c = e.getBody().initAs<wire::IncidentCancelled>();
                                    c.setIncident(incident);
                                    c.setVersion(version);
                                  }
                                });
}

// Makes sure picket-notify has applied everything published so far: publishes an alert
// for "zed" (who has no channel) and waits until the unrouted counter reaches `count`
// (events are applied in seq order).
void WaitApplied(zmq::context_t& ctx, const Site& ep, class NotifyUnderTest& notify, double count);

void WaitApplied(zmq::context_t& ctx, const Site& ep, NotifyUnderTest& notify, double count) {
  PublishAlert(ctx, ep, AlertSpec{99, "zed", "person:zed", 0});
  INFO(notify.Log());
  REQUIRE(WaitUntil([&] { return notify.Metric("picket_notify_alerts_unrouted_total") == count; },
                    milliseconds(20000)));
}

std::vector<Attempt> AttemptsFor(const std::vector<Attempt>& all, uint64_t alert_seq) {
  std::vector<Attempt> out;
  for (const auto& a : all)
    if (a.alert_seq == alert_seq) out.push_back(a);
  return out;
}

// Waits until the log holds at least `count` notify events for the alert; returns them.
std::vector<Attempt> WaitAttempts(zmq::context_t& ctx, const Site& ep, uint64_t alert_seq,
                                  size_t count = 1) {
  std::vector<Attempt> got;
  REQUIRE(WaitUntil(
      [&] {
        got = AttemptsFor(ReadAttempts(ctx, ep), alert_seq);
        return got.size() >= count;
      },
      milliseconds(30000)));
  return got;
}

// Waits until the log holds a final event (succeeded, or failed without retry) for the alert.
std::vector<Attempt> WaitFinal(zmq::context_t& ctx, const Site& ep, uint64_t alert_seq,
                               NotifyUnderTest& notify) {
  std::vector<Attempt> got;
  bool done = WaitUntil(
      [&] {
        got = AttemptsFor(ReadAttempts(ctx, ep), alert_seq);
        return !got.empty() && !got.back().will_retry;
      },
      milliseconds(60000));
  INFO(notify.Log());
  REQUIRE(done);
  return got;
}

}  // namespace

TEST_CASE(
    "notify process: a receiver failing twice gets the alert on the 3rd attempt, signed, "
    "with one idempotency key",
    "[notify][process]") {
  BusUnderTest bus;
  const Site ep(bus, bus.Start());
  Receiver receiver(2);
  NotifyUnderTest notify(
      bus, Section(receiver.url(), "initial_backoff = \"100ms\"\nmax_backoff = \"200ms\""));
  notify.Start();
  zmq::context_t ctx;

  // Bad input first: an unusable body (no person) and a person without channels.
  PublishAlert(ctx, ep, AlertSpec{9, "", "person:x", 0});
  PublishAlert(ctx, ep, AlertSpec{9, "zed", "person:zed", 0});
  uint64_t seq = PublishAlert(ctx, ep, AnnAlert(7));

  auto events = WaitFinal(ctx, ep, seq, notify);
  REQUIRE(events.size() == 3);
  CHECK(events[0].type == "notify.delivery_failed");
  CHECK(events[1].type == "notify.delivery_failed");
  CHECK(events[2].type == "notify.delivery_succeeded");
  for (uint32_t i = 0; i < 3; ++i) {
    INFO("attempt " << i + 1);
    CHECK(events[i].attempt == i + 1);
    CHECK(events[i].key == events[0].key);
    CHECK(events[i].incident == 7);
    CHECK(events[i].person == "ann");
    CHECK(events[i].channel == "hook");
    CHECK(events[i].latency > 0);
  }
  CHECK(events[0].http_status == 503);
  CHECK(events[0].will_retry);
  CHECK(events[0].next_attempt_at > 0);
  CHECK(events[1].will_retry);
  CHECK(events[2].http_status == 200);
  CHECK(events[2].error.empty());

  auto received = receiver.received();
  REQUIRE(received.size() == 3);  // once per attempt, and nothing for the skipped alerts
  for (size_t i = 0; i < received.size(); ++i) {
    INFO("request " << i);
    CHECK(received[i].signature_ok);
    CHECK(received[i].key == events[0].key);
    CHECK(received[i].attempt == static_cast<int>(i + 1));
    CHECK(received[i].body["alert_seq"] == seq);
    CHECK(received[i].body["person"] == "ann");
    CHECK(received[i].body["site"] == "test-site");
  }
  CHECK(notify.Metric("picket_notify_alerts_unrouted_total") == 1);
  CHECK(notify.Metric("picket_service_events_malformed_total{service=\"notify\"}") == 1);
  CHECK(notify.Metric("picket_notify_attempts_total{result=\"succeeded\"}") == 1);
  CHECK(notify.Metric("picket_notify_attempts_total{result=\"failed\"}") == 2);
  notify.Stop();
}

TEST_CASE("notify process: a receiver that is down past respondBy ends with willRetry false",
          "[notify][process]") {
  BusUnderTest bus;
  const Site ep(bus, bus.Start());
  std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hook";
  NotifyUnderTest notify(
      bus,
      Section(url, "initial_backoff = \"100ms\"\nmax_backoff = \"300ms\"\nmax_attempts = 1000"));
  notify.Start();
  zmq::context_t ctx;
  int64_t respond_by = NowMicros() + 2 * kSecond;
  uint64_t seq = PublishAlert(ctx, ep, AlertSpec{3, "ann", "person:ann", respond_by});

  auto events = WaitFinal(ctx, ep, seq, notify);
  INFO("respond_by " << respond_by << ", first event at +" << events[0].latency
                     << " us from the alert: " << events[0].error);
  REQUIRE(events.size() >= 2);
  for (size_t i = 0; i < events.size(); ++i) {
    INFO("attempt " << i + 1 << ": " << events[i].error);
    CHECK(events[i].attempt == i + 1);  // one event per attempt, none lost
    CHECK(events[i].type == "notify.delivery_failed");
    CHECK(events[i].http_status == 0);
    CHECK_FALSE(events[i].error.empty());
    CHECK(events[i].key == events[0].key);
    if (i + 1 < events.size()) {
      CHECK(events[i].will_retry);
      CHECK(events[i].next_attempt_at < respond_by);  // no retry scheduled past respondBy
    }
  }
  CHECK_FALSE(events.back().will_retry);
  CHECK_THAT(events.back().error, Catch::Contains("respond_by"));
  notify.Stop();
}

TEST_CASE(
    "notify process: kill -9 with a retry pending, restart: the delivery completes and "
    "no attempt is lost",
    "[notify][process][fault]") {
  BusUnderTest bus;
  const Site ep(bus, bus.Start());
  Receiver receiver(0);
  receiver.set_accept(false);  // 503 until the test says otherwise
  NotifyUnderTest notify(bus, Section(receiver.url(), FixedBackoff("2s")));
  notify.Start();
  zmq::context_t ctx;
  uint64_t seq = PublishAlert(ctx, ep, AnnAlert(5));

  // The first failure is on the bus: a retry is pending (a timer row) when we kill.
  WaitAttempts(ctx, ep, seq);
  notify.process().Kill();
  receiver.set_accept(true);
  notify.Start();

  auto events = WaitFinal(ctx, ep, seq, notify);
  REQUIRE(events.size() >= 2);
  CHECK(events.back().type == "notify.delivery_succeeded");
  for (size_t i = 0; i < events.size(); ++i) {
    INFO("attempt " << i + 1);
    CHECK(events[i].attempt == i + 1);  // consecutive: no attempt lost, none recorded twice
    CHECK(events[i].key == events[0].key);
    if (i + 1 < events.size()) CHECK(events[i].will_retry);
  }
  // At least once per attempt at the receiver (a crash mid-request may repeat one), always
  // with the same key and a valid signature.
  auto received = receiver.received();
  std::set<int> attempts;
  for (const auto& r : received) {
    CHECK(r.signature_ok);
    CHECK(r.key == events[0].key);
    attempts.insert(r.attempt);
  }
  CHECK(attempts.size() == events.size());
  CHECK(*attempts.rbegin() == static_cast<int>(events.size()));
  notify.Stop();
}

TEST_CASE(
    "notify process: acknowledging the incident calls off a retry that was waiting, and the "
    "receiver gets nothing more",
    "[notify][process]") {
  BusUnderTest bus;
  const Site ep(bus, bus.Start());
  Receiver receiver(0);
  receiver.set_accept(false);  // 503 until the test says otherwise
  // The retry waits 3-6 s: the ack is applied long before it is due.
  NotifyUnderTest notify(bus, Section(receiver.url(), FixedBackoff("6s")));
  notify.Start();
  zmq::context_t ctx;
  uint64_t seq = PublishAlert(ctx, ep, AnnAlert(4));
  std::vector<Attempt> events = WaitAttempts(ctx, ep, seq);
  REQUIRE(events.size() == 1);
  REQUIRE(events[0].will_retry);
  const int64_t retry_due = events[0].next_attempt_at;
  uint64_t ack_seq = PublishSettled(ctx, ep, "acknowledged", 4, 3);

  events = WaitAttempts(ctx, ep, seq, 2);
  INFO(notify.Log());
  const Attempt& stopped = events[1];
  CHECK(stopped.type == "notify.delivery_stopped");
  CHECK(stopped.reason == "acknowledged");
  CHECK(stopped.cause_seq == ack_seq);
  CHECK(stopped.attempts == 1);
  CHECK(stopped.incident == 4);
  CHECK(stopped.person == "ann");
  CHECK(stopped.channel == "hook");
  CHECK(stopped.key == events[0].key);
  CHECK(notify.Metric("picket_notify_deliveries_stopped_total") == 1);

  // The retry's timer row is still there; when it fires it must find nothing to send.
  REQUIRE(WaitUntil(
      [&] { return notify.Metric("picket_service_timers_fired_total{service=\"notify\"}") >= 1; },
      milliseconds(20000)));
  CHECK(NowMicros() >= retry_due);
  // A second alert through the same channel is delivered (the service is past that timer).
  receiver.set_accept(true);
  uint64_t later = PublishAlert(ctx, ep, AnnAlert(5));
  auto delivered = WaitFinal(ctx, ep, later, notify);
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0].type == "notify.delivery_succeeded");
  size_t requests = 0;
  for (const auto& r : receiver.received()) requests += r.key == events[0].key;
  CHECK(requests == 1);
  CHECK(AttemptsFor(ReadAttempts(ctx, ep), seq).size() == 2);
  notify.Stop();
}

TEST_CASE(
    "notify process: when the incident is resolved, a running attempt is not retried and one "
    "queued for a worker is not sent",
    "[notify][process]") {
  BusUnderTest bus;
  const Site ep(bus, bus.Start());
  Receiver receiver(1);  // the first request of each delivery gets 503, later ones 200
  receiver.Hold();
  // Two workers: the first two alerts' attempts run (held), the third waits in the queue.
  NotifyUnderTest notify(bus, Section(receiver.url(), FixedBackoff("100ms"), "30s"));
  notify.Start();
  zmq::context_t ctx;
  const int64_t respond_by = NowMicros() + 600 * kSecond;
  uint64_t running = PublishAlert(ctx, ep, AlertSpec{4, "ann", "person:ann", respond_by});
  uint64_t other = PublishAlert(ctx, ep, AlertSpec{10, "ann", "person:ann", respond_by});
  uint64_t queued = PublishAlert(ctx, ep, AlertSpec{12, "ann", "person:ann", respond_by});
  REQUIRE(WaitUntil([&] { return receiver.received().size() == 2; }, milliseconds(20000)));
  uint64_t resolve_queued = PublishSettled(ctx, ep, "resolved", 12, 3);
  PublishSettled(ctx, ep, "resolved", 4, 3);
  WaitApplied(ctx, ep, notify, 1);
  receiver.Release();

  auto first = WaitFinal(ctx, ep, running, notify);
  REQUIRE(first.size() == 1);
  CHECK(first[0].type == "notify.delivery_failed");
  CHECK(first[0].http_status == 503);
  CHECK_FALSE(first[0].will_retry);
  CHECK(first[0].error == "HTTP 503 (not retried: the incident was resolved)");

  auto second = WaitFinal(ctx, ep, other, notify);  // not settled: retried, then delivered
  REQUIRE(second.size() == 2);
  CHECK(second[1].type == "notify.delivery_succeeded");

  std::vector<Attempt> third = WaitAttempts(ctx, ep, queued);
  REQUIRE(third.size() == 1);
  CHECK(third[0].type == "notify.delivery_stopped");
  CHECK(third[0].attempts == 0);
  CHECK(third[0].reason == "resolved");
  CHECK(third[0].cause_seq == resolve_queued);
  for (const auto& r : receiver.received()) CHECK(r.body["incident"] != 12);
  CHECK(notify.Metric("picket_notify_deliveries_stopped_total") == 1);
  notify.Stop();
}

TEST_CASE(
    "notify process: after kill -9, a delivery cancelled while in flight is not sent again, "
    "and an alert that reaches the bus after its ack pages nobody",
    "[notify][process][fault]") {
  BusUnderTest bus;
  const Site ep(bus, bus.Start());
  Receiver receiver(0);
  receiver.Hold();
  NotifyUnderTest notify(bus, Section(receiver.url(), FixedBackoff("100ms"), "30s"));
  notify.Start();
  zmq::context_t ctx;
  uint64_t seq = PublishAlert(ctx, ep, AnnAlert(6));
  REQUIRE(WaitUntil([&] { return receiver.received().size() == 1; }, milliseconds(20000)));
  uint64_t cancel_seq = PublishSettled(ctx, ep, "cancelled", 6, 3);
  WaitApplied(ctx, ep, notify, 1);
  // The attempt is in flight and marked; its result will never be recorded.
  notify.process().Signal(SIGKILL);
  REQUIRE(notify.process().Wait(milliseconds(10000)).has_value());
  receiver.Release();

  // The ack of incident 8 reaches the bus before its (older) alert.
  PublishSettled(ctx, ep, "acknowledged", 8, 3);
  uint64_t late = PublishAlert(ctx, ep, AlertSpec{8, "ann", "person:ann", 0, 2});
  uint64_t newer = PublishAlert(ctx, ep, AlertSpec{8, "ann", "person:ann", 0, 4});

  notify.Start();
  std::vector<Attempt> events = WaitAttempts(ctx, ep, seq);
  INFO(notify.Log());
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "notify.delivery_stopped");
  CHECK(events[0].reason == "cancelled");
  CHECK(events[0].cause_seq == cancel_seq);
  CHECK(events[0].attempts == 0);  // the one in flight at the crash was never recorded

  auto delivered = WaitFinal(ctx, ep, newer, notify);  // after `late` in the log
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0].type == "notify.delivery_succeeded");
  CHECK(AttemptsFor(ReadAttempts(ctx, ep), late).empty());
  CHECK(notify.Metric("picket_notify_alerts_superseded_total") == 1);
  // The receiver saw the held attempt of incident 6 once, and incident 8's newer alert.
  std::vector<Received> received = receiver.received();
  REQUIRE(received.size() == 2);
  CHECK(received[0].body["incident"] == 6);
  CHECK(received[1].body["alert_seq"] == newer);
  notify.Stop();
}

}  // namespace picket::testing
