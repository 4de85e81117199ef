// ServiceHost: the part of a domain service's process that is the same for every service
// (docs/architecture.md), so that a service is its core plus a page of wiring:
//
//   - its ServiceStore (DATA_DIR/db) and the durable Publisher of its outbox;
//   - a Subscriber from applied_seq + 1: each recorded event goes to the event handler
//     inside an exactly-once apply; the events of one replay batch (a backlog after a
//     restart) are applied together in one StoreBatch, so catching up costs one write per
//     batch, not per event;
//   - keyed timers: rows of the store's `timers` family. The host keeps one loop timer at
//     the earliest row's due time; when rows are due it hands each to the timer handler,
//     all of a tick's rows in one StoreBatch whose write also deletes them (a handler may
//     set its id again). So a step fires exactly once, across crashes too;
//   - durable jobs (runtime/job_runner.h): work a handler starts in its apply
//     (ctx.StartJob) runs on a queue's workers once the apply has committed, and its
//     result is applied back exactly once; jobs left at a crash run again at start;
//   - a command endpoint (ROUTER) when `commands` is set: each request frame goes to the
//     command handler, whose return value is the reply frame (envelope frames echoed);
//     a mutating command calls ApplyCommand so a retried command id applies once; a
//     reply may be held until the events written before it are on the bus
//     (CommandReply::finish, runtime/held_replies.h), so a client told "done" can count
//     on the bus having them;
//   - /metrics and /healthz when `http` is set; DATA_DIR/ready once caught up
//     ({"name", "pid", "applied_seq", "commands", "http"} with the bound endpoints);
//   - SIGTERM/SIGINT stop it cleanly.
//
// Threads: everything runs on the loop thread except Post(), which any thread may call
// to run a function on the loop (e.g. the result of a blocking HTTP call on a worker).
// Construct the host before any other thread starts (it blocks the stop signals, which
// threads created later inherit).
#pragma once

#include <zmq.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "picket/schemas/envelope.capnp.h"
#include "runtime/clock.h"
#include "runtime/event_loop.h"
#include "runtime/held_replies.h"
#include "runtime/job_runner.h"
#include "runtime/log_limiter.h"
#include "runtime/metrics.h"
#include "runtime/publisher.h"
#include "runtime/service_store.h"
#include "runtime/signals.h"
#include "runtime/site_config.h"
#include "runtime/site_keys.h"
#include "runtime/subscriber.h"
#include "wire/event_types.h"

namespace picket {

class HttpEndpoint;
class ZapAuthenticator;

// Thrown by a typed handler (ServiceHost::On with `to_domain`) for an event it cannot use.
struct MalformedEvent : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ServiceHostOptions {
  std::string name;                 // the service: producer of its events, subscriber name
  std::string data_dir;             // DB in data_dir/db; the ready file data_dir/ready
  std::vector<std::string> tables;  // the core's state tables
  std::string commands;             // ROUTER bind endpoint ("tcp://127.0.0.1:*" ok); "" = none
  // This process's own way to the bus, when it is not the site's [bus] endpoints (a post
  // terminal that reaches the bus through a link of its own); "" = the site's.
  std::string bus_ingest, bus_events, bus_replay;
  std::string http;   // "host:port" (port 0 = any); "" = none
  bool sync = false;  // ServiceStoreOptions::sync
  // A larger request frame gets the garbage reply without a call; one over
  // max(1 MiB, 4 x this) makes ZeroMQ drop the connection.
  size_t max_command_bytes = 65536;
  size_t timers_per_tick = 512;  // due rows handled per loop turn, in one write
  // Derived events in flight to the bus (PublisherOptions::window): wide enough that a
  // tick's burst of events goes out at once, below the DEALER's high-water mark (1000).
  size_t publish_window = 768;
  Micros command_id_window = 24LL * 3600 * kMicrosPerSecond;  // how long ids are remembered
  bool handle_signals = true;  // SIGTERM/SIGINT stop Run (false: in-process tests)
  // This process's CURVE key file on a site with [security]; "" = <keys>/<name>.key
  // (runtime/site_keys.h). Ignored on a site without [security].
  std::string key_file;
};

class ServiceHost {
 public:
  // The handlers run on the loop thread, inside an apply: what they write through `ctx`
  // (state, Emit, SetTimer/CancelTimer) is committed in one batch with the cause.
  using EventFn = std::function<void(ApplyContext& ctx, wire::Event::Reader event)>;
  // `now` is the host clock's time when the row is handled (>= row.due).
  using TimerFn = std::function<void(ApplyContext& ctx, const TimerRow& row, Micros now)>;
  // Gets one request frame, returns the reply frame. Must not throw for bad input: reply
  // with an error instead (a kj::Exception or StoreError escaping is caught, logged and
  // answered with `reply_to_garbage`, see SetCommandHandler).
  // `caller` is who sent it (its CURVE key's identity; none on a site without [security]).
  using CommandFn = std::function<CommandReply(std::string_view request, const Caller& caller)>;
  // The body of a mutating command: writes through ctx, returns the reply frame.
  using CommandApplyFn = std::function<std::string(ApplyContext& ctx)>;

  ServiceHost(const SiteConfig& site, ServiceHostOptions options, const Clock& clock);
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  // Reads this process's CURVE key (a site with [security]) and opens the store. Call
  // before anything that reads them. False + *error on failure.
  bool Open(std::string* error);

  // Events of one type, with their body read as `Body` (event_types.h). Before `fn` runs
  // the host traverses the whole body, so a body that does not decode never reaches it:
  // the host counts it (picket_service_events_malformed_total), logs it (at most 5 lines
  // a minute) and applies the event as one of no interest. One handler per type; a type
  // without one goes to the SetEventHandler function if there is one, else changes nothing.
  template <typename Body>
  void On(EventType<Body> type,
          std::function<void(ApplyContext&, wire::Event::Reader, typename Body::Reader)> fn) {
    typed_[std::string(type.name)] = [fn = std::move(fn)](ApplyContext& ctx,
                                                          wire::Event::Reader event) {
      auto body = event.getBody().getAs<Body>();
      body.totalSize();  // follows every pointer: throws kj::Exception on a malformed one
      fn(ctx, event, body);
    };
  }
  // The same, with the body turned into the service's own value first: `to_domain(event,
  // body, &why)` returns it, or nullopt with a reason (no person, a text too long, ...).
  // An event it refuses is treated as one whose body does not decode (counted, logged,
  // applied with no effect), so `fn(ctx, value)` only ever sees usable values.
  template <typename Body, typename ToDomain, typename Fn>
  void On(EventType<Body> type, ToDomain to_domain, Fn fn) {
    On(type, std::function<void(ApplyContext&, wire::Event::Reader, typename Body::Reader)>(
                 [to_domain = std::move(to_domain), fn = std::move(fn)](
                     ApplyContext& ctx, wire::Event::Reader event, typename Body::Reader body) {
                   std::string why;
                   auto value = to_domain(event, body, &why);
                   if (!value) throw MalformedEvent(why);
                   fn(ctx, *value);
                 }));
  }
  // A queue of durable jobs (runtime/job_runner.h): ctx.StartJob(spec.name, ...) in any
  // apply runs spec.run on one of spec.threads workers after the commit. Before Run.
  template <typename Result>
  void AddJobQueue(JobQueueSpec<Result> spec) {
    jobs_->Add(JobRunner::Erase(std::move(spec)));
  }
  // Every event that has no typed handler (e.g. a service that reads all types).
  void SetEventHandler(EventFn fn) { on_event_ = std::move(fn); }
  void SetTimerHandler(TimerFn fn) { on_timer_ = std::move(fn); }
  // `reply_to_garbage` is sent for a frame over max_command_bytes or when the handler
  // throws (the service's own "malformed" reply).
  void SetCommandHandler(CommandFn fn, std::string reply_to_garbage);

  // Starts publisher, subscriber, command endpoint and HTTP, then runs the loop until a
  // stop signal or Stop(). On stop it takes no more events and gives the outbox up to 2 s
  // to be acked. Returns 0 after a clean stop, 1 if something could not start.
  int Run();
  // Run without the loop: starts everything and returns; the caller drives loop() (tests).
  bool Start(std::string* error);
  void Stop() { loop_.Stop(); }

  // Applies a command's effects at most once per `command_id` (16 bytes, or empty for no
  // protection): if the id was applied within command_id_window, `fn` does not run and
  // *reply is the reply stored then (kAlreadyApplied). Otherwise fn runs in ApplyLocal
  // (derived ids from the command id) and its reply is stored with its effects.
  ApplyResult ApplyCommand(std::string_view command_id, const CommandApplyFn& fn,
                           std::string* reply, std::string* error);

  // ServiceStore::ApplyLocal, then hands the emitted rows to the publisher and re-arms the
  // timer. For inputs that are neither bus events, timers nor commands (e.g. a worker's
  // result delivered through Post). `cause` must be unique per input.
  ApplyResult ApplyLocal(std::string_view cause, const ServiceStore::ApplyFn& fn,
                         std::string* error);

  // Runs `fn` on the loop thread soon. Thread-safe; may be called before Run (it then runs
  // once the loop runs). Functions posted after the loop stopped never run.
  void Post(std::function<void()> fn);

  // Runs `fn` on the loop once the service has applied every bus event up to `seq`
  // (applied_through() >= seq): at once if it has, else right after the apply that gets it
  // there. Loop thread only (a worker Posts the call). There is no deadline: the caller
  // bounds its own wait; `fn` never runs if the host stops first.
  void WhenApplied(uint64_t seq, std::function<void()> fn);
  // The last bus seq whose event the service has applied (or passed over: a host with no
  // event handler takes no event into its store).
  uint64_t applied_through() const { return std::max(store_->applied_seq(), passed_seq_); }

  ServiceStore& store() { return *store_; }
  EventLoop& loop() { return loop_; }
  MetricsRegistry& metrics() { return metrics_; }
  zmq::context_t& context() { return context_; }
  const Clock& clock() const { return clock_; }
  const SiteConfig& site() const { return site_; }
  bool caught_up() const { return caught_up_.load(); }
  // The subscriber's counters of this run (zero before Start).
  SubscriberStats subscriber_stats() const {
    return subscriber_ ? subscriber_->stats() : SubscriberStats{};
  }
  // When the bus's live stream last brought anything (0: never); for "is the bus there?".
  Micros bus_last_heard() const { return subscriber_ ? subscriber_->last_heard() : 0; }
  // Derived events not yet acked by the bus (stored in the outbox meanwhile).
  size_t unpublished() const { return publisher_ ? publisher_->Pending() : 0; }
  const std::string& data_dir() const { return options_.data_dir; }
  const std::string& name() const { return options_.name; }  // the producer of its events
  // This process's keys (runtime/site_keys.h): plain on a site without [security]. Valid
  // from Open on.
  const SiteKeys& keys() const { return keys_; }
  // How this process connects to the bus (plain, or CURVE with its key). From Open on.
  const CurveClientKeys& bus_keys() const { return bus_keys_; }
  // Records `<name>.command_refused` (schemas/bus.capnp Refused): `caller` may not send
  // command `what` (as `as_whom`), for `reason`. At most 60 a minute are recorded; the
  // rest are counted in the next one's `unrecorded`. Counts every one. Loop thread only.
  void RecordRefusal(const Caller& caller, std::string_view what, std::string_view as_whom,
                     std::string_view reason);
  // Count a command frame the kit's endpoint refused (runtime/typed_commands.h).
  void CountMalformedCommand() { commands_malformed_->Inc(); }
  void CountUnavailableCommand() { commands_unavailable_->Inc(); }
  // Bound endpoints, once Run has started them (for tests and the ready file).
  const std::string& commands_endpoint() const { return commands_bound_; }

 private:
  bool HandleEvent(wire::Event::Reader event);
  // Logs (rate-limited) an event a handler could not or must not use (the caller counts
  // it), and applies it with no effect.
  ApplyResult SkipEvent(wire::Event::Reader event, const std::string& why, std::string* error);
  void Dispatch(ApplyContext& ctx, wire::Event::Reader event);
  // Stages or applies `fn` for event `seq`, in the catch-up batch if one is open.
  ApplyResult ApplyEvent(uint64_t seq, const ServiceStore::ApplyFn& fn, std::string* error);
  // A replay batch's events are staged in catch_up_ and written at its end, in one write.
  void BeginCatchUp();
  bool EndCatchUp();
  void ArmTimer();  // the loop timer at the earliest row's due time (or none)
  void ScheduleFire(Micros at);
  void FireTimers();
  void OnCommandReadable();
  // Sends `frame` after the envelope frames (routing id, a REQ's delimiter).
  void SendReply(std::vector<zmq::message_t>& envelope, const std::string& frame);
  void RunAppliedWaiters();
  void DrainPosted();
  void DrainOutbox();
  void Published(std::vector<OutboxRow>& rows);
  void WriteReady(uint64_t applied_seq);

  const SiteConfig& site_;
  ServiceHostOptions options_;
  const Clock& clock_;
  std::optional<StopSignals> signals_;  // before context_: blocks the signals before any thread
  zmq::context_t context_;
  EventLoop loop_;
  MetricsRegistry metrics_;
  std::unique_ptr<ServiceStore> store_;
  std::unique_ptr<Publisher> publisher_;
  std::unique_ptr<Subscriber> subscriber_;
  SiteKeys keys_;
  CurveClientKeys bus_keys_;
  std::unique_ptr<ZapAuthenticator> zap_;  // before the command socket binds, after context_
  std::unique_ptr<zmq::socket_t> commands_;
  std::unique_ptr<HttpEndpoint> http_;
  std::unique_ptr<JobRunner> jobs_;  // its workers Post results: stopped first
  std::string commands_bound_, http_bound_;
  EventFn on_event_;
  std::map<std::string, EventFn, std::less<>> typed_;
  LogLimiter malformed_log_{5, 60 * kMicrosPerSecond};
  std::unique_ptr<StoreBatch> catch_up_;  // set while a replay batch is being handed over
  TimerFn on_timer_;
  CommandFn on_command_;
  std::string reply_to_garbage_;
  std::unique_ptr<HeldReplies> held_replies_;  // replies waiting for their events (CommandReply)
  std::multimap<uint64_t, std::function<void()>> applied_waiters_;  // WhenApplied, by seq
  uint64_t passed_seq_ = 0;  // events passed over without an apply (no event handler)
  EventLoop::TimerId timer_ = 0;
  Micros timer_due_ = 0;
  std::atomic<bool> caught_up_{false};  // read by the HTTP thread
  int wake_fd_ = -1;                    // eventfd: Post() wakes the loop
  std::mutex posted_mu_;
  std::vector<std::function<void()>> posted_;
  Counter* events_applied_ = nullptr;
  Counter* timers_fired_ = nullptr;
  Counter* commands_handled_ = nullptr;
  Counter* commands_repeated_ = nullptr;
  Counter* commands_malformed_ = nullptr;
  Counter* commands_unavailable_ = nullptr;
  Counter* commands_unauthorized_ = nullptr;
  LogLimiter refusal_records_{60, 60 * kMicrosPerSecond};
  Counter* apply_failures_ = nullptr;
  Counter* catch_up_batches_ = nullptr;
  Counter* events_malformed_ = nullptr;
  Counter* events_foreign_ = nullptr;
  Histogram* timer_lateness_ = nullptr;
};

}  // namespace picket
