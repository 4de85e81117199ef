#include "runtime/service_host.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <kj/exception.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "runtime/http_endpoint.h"
#include "runtime/refusal_record.h"
#include "runtime/store_keys.h"
#include "runtime/zap_authenticator.h"
#include "wire/event_id.h"
#include "wire/event_rules.h"
#include "wire/event_types.h"

namespace picket {
namespace {

// Lateness buckets in seconds: 1 ms .. 1 min.
const std::vector<double> kLatenessBounds = {0.001, 0.005, 0.01, 0.05, 0.1, 0.25,
                                             0.5,   1,     2.5,  5,    15,  60};

// The cause of a fired timer row: unique per row and payload (a row set again with the
// same due time and id carries another payload: the core's version).
std::string TimerCause(const TimerRow& row) {
  return "timer/" + store_keys::EncodeTimerKey(row.due, row.timer_id) + "/" + row.payload;
}

constexpr const char* kCommandsRefusedHelp =
    "command frames refused by the kit: not a request of the endpoint's type or too large "
    "(malformed), not stored (unavailable), or not for the caller's key (unauthorized)";

std::optional<StopSignals> MaybeSignals(bool on) {
  if (on) return std::optional<StopSignals>(std::in_place);
  return std::nullopt;
}

}  // namespace

ServiceHost::ServiceHost(const SiteConfig& site, ServiceHostOptions options, const Clock& clock)
    : site_(site),
      options_(std::move(options)),
      clock_(clock),
      signals_(MaybeSignals(options_.handle_signals)),
      loop_(clock_) {
  jobs_ = std::make_unique<JobRunner>(*this);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  const std::string label = "service=\"" + options_.name + "\"";
  events_applied_ = &metrics_.AddCounter("picket_service_events_applied_total",
                                         "bus events applied (exactly once)", label);
  timers_fired_ =
      &metrics_.AddCounter("picket_service_timers_fired_total", "timer rows handled", label);
  commands_handled_ =
      &metrics_.AddCounter("picket_service_commands_total", "command frames answered", label);
  commands_repeated_ = &metrics_.AddCounter(
      "picket_service_commands_repeated_total",
      "commands whose id was applied before (answered from the record)", label);
  commands_malformed_ = &metrics_.AddCounter("picket_service_commands_refused_total",
                                             kCommandsRefusedHelp, label + ",reason=\"malformed\"");
  commands_unavailable_ =
      &metrics_.AddCounter("picket_service_commands_refused_total", kCommandsRefusedHelp,
                           label + ",reason=\"unavailable\"");
  commands_unauthorized_ =
      &metrics_.AddCounter("picket_service_commands_refused_total", kCommandsRefusedHelp,
                           label + ",reason=\"unauthorized\"");
  catch_up_batches_ =
      &metrics_.AddCounter("picket_service_catch_up_batches_total",
                           "writes that applied a replayed batch of events at once", label);
  events_malformed_ = &metrics_.AddCounter(
      "picket_service_events_malformed_total",
      "events skipped because their body does not decode as their type's struct", label);
  events_foreign_ = &metrics_.AddCounter(
      "picket_service_events_foreign_total",
      "derived events skipped because their producer is not the service that owns the type", label);
  apply_failures_ = &metrics_.AddCounter("picket_service_apply_failures_total",
                                         "applies that failed (storage faults)", label);
  timer_lateness_ = &metrics_.AddHistogram("picket_service_timer_lateness_seconds",
                                           "how long after its due time a timer row was handled",
                                           kLatenessBounds, label);
  held_replies_ = std::make_unique<HeldReplies>(
      loop_, metrics_, label,
      [this](std::vector<zmq::message_t>& envelope, const std::string& frame) {
        SendReply(envelope, frame);
      });
}

ServiceHost::~ServiceHost() {
  jobs_->Stop();
  if (subscriber_) subscriber_->Stop();
  if (publisher_) publisher_->Stop();
  if (commands_) loop_.RemoveSocket(*commands_);
  http_.reset();
  if (wake_fd_ >= 0) close(wake_fd_);
}

bool ServiceHost::Open(std::string* error) {
  auto keys = SiteKeys::Load(site_, options_.name, options_.key_file, error);
  if (!keys) return false;
  keys_ = std::move(*keys);
  auto bus_keys = keys_.ClientOf("bus", error);
  if (!bus_keys) return false;
  bus_keys_ = std::move(*bus_keys);
  std::error_code ec;
  std::filesystem::create_directories(options_.data_dir, ec);
  if (ec) {
    *error = "cannot create " + options_.data_dir + ": " + ec.message();
    return false;
  }
  ServiceStoreOptions so;
  so.path = options_.data_dir + "/db";
  so.service = options_.name;
  so.site = site_.id;
  so.tables = options_.tables;
  so.sync = options_.sync;
  store_ = ServiceStore::Open(so, error);
  return store_ != nullptr;
}

void ServiceHost::SetCommandHandler(CommandFn fn, std::string reply_to_garbage) {
  on_command_ = std::move(fn);
  reply_to_garbage_ = std::move(reply_to_garbage);
}

bool ServiceHost::Start(std::string* error) {
  if (!store_) {
    *error = "ServiceHost::Run before Open";
    return false;
  }
  if (!store_->PruneCommands(clock_.Now() - options_.command_id_window, error)) return false;

  PublisherOptions po;
  po.endpoint = options_.bus_ingest.empty() ? site_.bus.ingest : options_.bus_ingest;
  po.curve = bus_keys_;
  po.name = options_.name;
  po.window = options_.publish_window;
  publisher_ = std::make_unique<Publisher>(context_, loop_, po, store_->outbox(), &metrics_);
  publisher_->SetOutcomeHandler(
      [this](const PublishOutcome& o) { held_replies_->OnPublished(o, *publisher_); });
  if (!publisher_->Start(error)) return false;

  if (!options_.commands.empty()) {
    if (!on_command_) {
      *error = "a command endpoint without a command handler";
      return false;
    }
    zap_ = keys_.Authenticate(context_);  // before the bind: a CURVE server needs it
    commands_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::router);
    keys_.MakeServer(*commands_);
    commands_->set(zmq::sockopt::router_mandatory, 1);
    commands_->set(zmq::sockopt::linger, 0);
    // Frames a little over the limit get the garbage reply; a peer sending a huge one is
    // disconnected by ZeroMQ before it is buffered.
    commands_->set(
        zmq::sockopt::maxmsgsize,
        std::max<int64_t>(1 << 20, 4 * static_cast<int64_t>(options_.max_command_bytes)));
    try {
      commands_->bind(options_.commands);
    } catch (const zmq::error_t& e) {
      *error = "cannot bind the command endpoint " + options_.commands + ": " + e.what();
      return false;
    }
    commands_bound_ = commands_->get(zmq::sockopt::last_endpoint);
    loop_.AddSocket(*commands_, [this] { OnCommandReadable(); });
  }

  if (!options_.http.empty()) {
    http_ = std::make_unique<HttpEndpoint>(metrics_, [this, storage = store_->health()] {
      // Called on the HTTP thread: reads only the atomic flag and the store's health.
      if (storage && !storage->ok()) return Health{false, storage->reason()};
      if (!caught_up_.load()) return Health{false, options_.name + " is catching up"};
      return Health{true, options_.name};
    });
    http_bound_ = http_->StartAt(options_.http, options_.name + ".http", error);
    if (http_bound_.empty()) return false;
  }

  loop_.AddFd(wake_fd_, [this] { DrainPosted(); });
  if (signals_) {
    loop_.AddFd(signals_->fd(), [this] {
      int sig = signals_->Consume();
      spdlog::info("signal {}: stopping", sig);
      loop_.Stop();
    });
  }

  SubscriberOptions so;
  so.name = options_.name;
  so.events_endpoint = options_.bus_events.empty() ? site_.bus.events : options_.bus_events;
  so.replay_endpoint = options_.bus_replay.empty() ? site_.bus.replay : options_.bus_replay;
  so.curve = bus_keys_;
  subscriber_ = std::make_unique<Subscriber>(context_, loop_, so, &metrics_);
  subscriber_->SetCaughtUpHandler([this](uint64_t next) {
    if (caught_up_.load()) return;
    caught_up_.store(true);
    WriteReady(next - 1);
  });
  subscriber_->SetBatchHooks({[this] { BeginCatchUp(); }, [this] { return EndCatchUp(); }});
  if (!subscriber_->Start(
          store_->applied_seq() + 1, [this](wire::Event::Reader e) { return HandleEvent(e); },
          error))
    return false;
  ArmTimer();
  jobs_->Start();
  // After a failed write (a full disk): resume the store once the disk has room.
  loop_.Every(kMicrosPerSecond / 4, [this] { store_->Maintain(); });
  return true;
}

int ServiceHost::Run() {
  std::string error;
  if (!Start(&error)) {
    spdlog::error("{}: {}", options_.name, error);
    return 1;
  }
  spdlog::info("{} started at applied_seq {}; commands {} http {}", options_.name,
               store_->applied_seq(), commands_bound_.empty() ? "-" : commands_bound_,
               http_bound_.empty() ? "-" : http_bound_);
  loop_.Run();
  jobs_->Stop();
  subscriber_->Stop();
  DrainOutbox();
  // Replies still held: the effects are stored, not yet on the bus; say so now.
  held_replies_->ReleaseAll();
  publisher_->Stop();
  std::filesystem::remove(options_.data_dir + "/ready");
  spdlog::info("{} stopped at applied_seq {}", options_.name, store_->applied_seq());
  return 0;
}

void ServiceHost::DrainOutbox() {
  // Events already emitted get a short while to be acked, so a clean stop leaves an empty
  // outbox whenever the bus is up; what is left stays stored and is sent at the next start.
  constexpr auto kDrainFor = std::chrono::seconds(2);
  auto deadline = std::chrono::steady_clock::now() + kDrainFor;
  while (publisher_->Pending() > 0 && std::chrono::steady_clock::now() < deadline)
    loop_.RunOnce(50);
  if (publisher_->Pending() > 0)
    spdlog::info("{}: {} events not yet acked stay in the outbox for the next start", options_.name,
                 publisher_->Pending());
}

void ServiceHost::Published(std::vector<OutboxRow>& rows) {
  if (!rows.empty() && publisher_) publisher_->PublishStored(rows);
}

void ServiceHost::Dispatch(ApplyContext& ctx, wire::Event::Reader event) {
  if (!typed_.empty()) {
    auto it = typed_.find(std::string_view(event.getType().cStr(), event.getType().size()));
    if (it != typed_.end()) return it->second(ctx, event);
  }
  if (on_event_) on_event_(ctx, event);
}

ApplyResult ServiceHost::ApplyEvent(uint64_t seq, const ServiceStore::ApplyFn& fn,
                                    std::string* error) {
  if (catch_up_) return catch_up_->AddEvent(seq, fn, error);  // written at EndCatchUp
  std::vector<OutboxRow> rows;
  auto result = store_->Apply(seq, fn, &rows, error);
  if (result == ApplyResult::kApplied) {
    events_applied_->Inc();
    Published(rows);
    ArmTimer();
    RunAppliedWaiters();
  }
  return result;
}

bool ServiceHost::HandleEvent(wire::Event::Reader event) {
  if (!on_event_ && typed_.empty()) {
    passed_seq_ = std::max(passed_seq_, event.getSeq());
    RunAppliedWaiters();
    return true;
  }
  const uint64_t seq = event.getSeq();
  std::string error;
  ApplyResult result;
  const auto type = event.getType(), producer = event.getProducer();
  const std::string_view owner = OwnerOf(std::string_view(type.cStr(), type.size()));
  if (!owner.empty() && owner != std::string_view(producer.cStr(), producer.size())) {
    // A verdict, an incident or a score only its owner may state (wire/event_types.h): a
    // forged one changes nothing here.
    events_foreign_->Inc();
    result = SkipEvent(event,
                       "published by '" + std::string(producer.cStr()) + "', not by its owner '" +
                           std::string(owner) + "'",
                       &error);
  } else {
    try {
      result = ApplyEvent(
          seq, [&](ApplyContext& ctx) { Dispatch(ctx, event); }, &error);
    } catch (const kj::Exception& e) {
      events_malformed_->Inc();
      result = SkipEvent(
          event, "its body does not decode: " + std::string(e.getDescription().cStr()), &error);
    } catch (const MalformedEvent& e) {
      events_malformed_->Inc();
      result = SkipEvent(event, e.what(), &error);
    }
  }
  if (result != ApplyResult::kFailed) return true;
  apply_failures_->Inc();
  if (store_->storage_ok()) spdlog::error("{}: {}", options_.name, error);  // else logged once
  return false;  // offered again after a pause
}

ApplyResult ServiceHost::SkipEvent(wire::Event::Reader event, const std::string& why,
                                   std::string* error) {
  // Nothing of the event was applied. Record it as applied with no effect, so it is not
  // offered again.
  uint64_t suppressed = 0;
  if (malformed_log_.Allow(clock_.Now(), &suppressed))
    spdlog::warn("{}: {} #{} skipped: {} ({} similar lines suppressed)", options_.name,
                 event.getType().cStr(), event.getSeq(), why, suppressed);
  return ApplyEvent(
      event.getSeq(), [](ApplyContext&) {}, error);
}

void ServiceHost::BeginCatchUp() { catch_up_ = store_->Begin(); }

bool ServiceHost::EndCatchUp() {
  auto batch = std::move(catch_up_);
  if (!batch || batch->inputs() == 0) return true;
  const size_t inputs = batch->inputs();
  std::vector<OutboxRow> rows;
  std::string error;
  if (!batch->Commit(&rows, &error)) {
    apply_failures_->Inc();
    if (store_->storage_ok()) spdlog::error("{}: {}", options_.name, error);  // else logged once
    return false;
  }
  events_applied_->Inc(inputs);
  catch_up_batches_->Inc();
  Published(rows);
  ArmTimer();
  RunAppliedWaiters();
  return true;
}

ApplyResult ServiceHost::ApplyLocal(std::string_view cause, const ServiceStore::ApplyFn& fn,
                                    std::string* error) {
  std::vector<OutboxRow> rows;
  auto result = store_->ApplyLocal(cause, fn, &rows, error);
  if (result == ApplyResult::kFailed) {
    apply_failures_->Inc();
    return result;
  }
  Published(rows);
  ArmTimer();
  return result;
}

ApplyResult ServiceHost::ApplyCommand(std::string_view command_id, const CommandApplyFn& fn,
                                      std::string* reply, std::string* error) {
  std::vector<OutboxRow> rows;
  auto result = store_->ApplyCommand(command_id, clock_.Now(), fn, reply, &rows, error);
  if (result == ApplyResult::kFailed) {
    apply_failures_->Inc();
    return result;
  }
  if (result == ApplyResult::kAlreadyApplied) commands_repeated_->Inc();
  Published(rows);
  ArmTimer();
  return result;
}

void ServiceHost::ArmTimer() {
  if (!on_timer_) return;
  std::string error;
  auto next = store_->NextTimerDue(&error);
  if (!error.empty()) {
    spdlog::error("{}: {}", options_.name, error);
    next = clock_.Now() + kMicrosPerSecond / 5;  // look again soon
  }
  if (!next) {
    if (timer_ != 0) loop_.CancelTimer(timer_);
    timer_ = 0;
    return;
  }
  if (timer_ != 0 && timer_due_ == *next) return;
  ScheduleFire(*next);
}

void ServiceHost::ScheduleFire(Micros at) {
  if (timer_ != 0) loop_.CancelTimer(timer_);
  timer_due_ = at;
  timer_ = loop_.At(at, [this] {
    timer_ = 0;
    FireTimers();
  });
}

void ServiceHost::FireTimers() {
  std::vector<TimerRow> due;
  std::string error;
  Micros now = clock_.Now();
  if (!store_->DueTimers(now, options_.timers_per_tick, &due, &error)) {
    spdlog::error("{}: {}", options_.name, error);
    apply_failures_->Inc();
    ScheduleFire(now + kMicrosPerSecond / 5);
    return;
  }
  // Every row due now is handled in one batch: one write per tick, whatever the count.
  auto batch = store_->Begin();
  bool failed = false;
  for (const auto& row : due) {
    auto result = batch->AddLocal(
        TimerCause(row),
        [&](ApplyContext& ctx) {
          ctx.ConsumeFiredTimer(row);  // the handler may set the same id again
          on_timer_(ctx, row, now);
        },
        &error);
    if (result == ApplyResult::kFailed) {
      spdlog::error("{}: timer {}: {}", options_.name, row.timer_id, error);
      failed = true;
      break;  // the rows staged before it are written; it and the rest go again soon
    }
  }
  const size_t fired = batch->inputs();
  std::vector<OutboxRow> rows;
  if (fired > 0 && !batch->Commit(&rows, &error)) {
    if (store_->storage_ok())  // else the store logged the state once
      spdlog::error("{}: firing {} timer(s): {}", options_.name, fired, error);
    failed = true;
  } else {
    timers_fired_->Inc(fired);
    for (size_t i = 0; i < fired; ++i)
      timer_lateness_->Observe(static_cast<double>(now - due[i].due) / kMicrosPerSecond);
    Published(rows);
  }
  if (failed) {
    apply_failures_->Inc();
    ScheduleFire(now + kMicrosPerSecond / 5);
    return;
  }
  // A full batch: more may be due. Let sockets and commands in first, then go on.
  if (due.size() == options_.timers_per_tick) {
    ScheduleFire(now);
    return;
  }
  ArmTimer();
}

void ServiceHost::OnCommandReadable() {
  for (int handled = 0; handled < 64; ++handled) {
    std::vector<zmq::message_t> frames;
    while (true) {
      zmq::message_t m;
      auto got = commands_->recv(m, zmq::recv_flags::dontwait);
      if (!got) break;
      bool more = m.more();
      frames.push_back(std::move(m));
      if (!more) break;
    }
    if (frames.empty()) return;
    if (frames.size() < 2) continue;  // no routing id: not from a ROUTER peer
    std::string_view request(static_cast<const char*>(frames.back().data()), frames.back().size());
    CommandReply reply("");
    if (request.size() > options_.max_command_bytes) {
      commands_malformed_->Inc();
      reply = reply_to_garbage_;
    } else {
      try {
        reply = on_command_(request, Caller{keys_.Find(PeerName(frames.back()))});
      } catch (const kj::Exception& e) {
        spdlog::warn("{}: a command could not be read: {}", options_.name,
                     e.getDescription().cStr());
        commands_malformed_->Inc();
        reply = reply_to_garbage_;
      } catch (const StoreError& e) {  // a query's read failed: answer, keep serving
        apply_failures_->Inc();
        spdlog::error("{}: a command failed: {}", options_.name, e.what());
        reply = reply_to_garbage_;
      }
    }
    commands_handled_->Inc();
    frames.pop_back();  // the request; the rest is the envelope to echo
    if (reply.finish && reply.publish_wait > 0) {
      held_replies_->Hold(store_->outbox()->last_row_id(), *publisher_, std::move(frames),
                          std::move(reply));
    } else {
      SendReply(frames, reply.frame);
    }
  }
}

void ServiceHost::SendReply(std::vector<zmq::message_t>& envelope, const std::string& frame) {
  // Echo the routing id and any envelope frames (a REQ's empty delimiter), then reply.
  try {
    for (auto& f : envelope) commands_->send(f, zmq::send_flags::sndmore);
    commands_->send(zmq::buffer(frame), zmq::send_flags::none);
  } catch (const zmq::error_t& e) {
    // EHOSTUNREACH: the client went away; its retry will get the recorded reply.
    spdlog::debug("{}: reply not sent: {}", options_.name, e.what());
  }
}

void ServiceHost::WhenApplied(uint64_t seq, std::function<void()> fn) {
  if (applied_through() >= seq) {
    fn();
    return;
  }
  applied_waiters_.emplace(seq, std::move(fn));
}

void ServiceHost::RunAppliedWaiters() {
  if (applied_waiters_.empty()) return;
  const uint64_t through = applied_through();
  std::vector<std::function<void()>> ready;
  while (!applied_waiters_.empty() && applied_waiters_.begin()->first <= through) {
    ready.push_back(std::move(applied_waiters_.begin()->second));
    applied_waiters_.erase(applied_waiters_.begin());
  }
  for (auto& fn : ready) fn();
}

void ServiceHost::Post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    posted_.push_back(std::move(fn));
  }
  uint64_t one = 1;
  ssize_t n = write(wake_fd_, &one, sizeof one);
  (void)n;  // EAGAIN: the counter is already non-zero, the loop will wake anyway
}

void ServiceHost::DrainPosted() {
  uint64_t count = 0;
  ssize_t n = read(wake_fd_, &count, sizeof count);
  (void)n;
  std::vector<std::function<void()>> fns;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    fns.swap(posted_);
  }
  for (auto& fn : fns) fn();
}

void ServiceHost::WriteReady(uint64_t applied_seq) {
  nlohmann::ordered_json j = {{"name", options_.name},
                              {"pid", static_cast<int64_t>(getpid())},
                              {"applied_seq", applied_seq},
                              {"commands", commands_bound_},
                              {"http", http_bound_}};
  std::string path = options_.data_dir + "/ready";
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << "\n";
    out.flush();
    if (!out) {
      spdlog::error("{}: cannot write {}", options_.name, tmp);
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    spdlog::error("{}: cannot rename {}: {}", options_.name, tmp, std::strerror(errno));
}

void ServiceHost::RecordRefusal(const Caller& caller, std::string_view what,
                                std::string_view as_whom, std::string_view reason) {
  commands_unauthorized_->Inc();
  const std::string identity = caller.identity ? caller.identity->name : "";
  spdlog::warn("{}: refused {} from '{}'{}: {}", options_.name, what, identity,
               as_whom.empty() ? "" : " as '" + std::string(as_whom) + "'", reason);
  uint64_t unrecorded = 0;
  if (!refusal_records_.Allow(clock_.Now(), &unrecorded)) return;
  const std::string type = options_.name + ".command_refused";
  if (!BodySchemaFor(type)) return;  // a service with no such type (a test's host)
  const std::string cause = "refused/" + EventId::Random().ToHex();
  std::string error;
  auto result = ApplyLocal(
      cause,
      [&](ApplyContext& ctx) {
        auto e = ctx.Emit();
        e.setType(type);
        e.setObservedAt(clock_.Now());
        FillRefusal(e, {caller.identity, identity, what, as_whom, reason, unrecorded});
      },
      &error);
  if (result == ApplyResult::kFailed)
    spdlog::error("{}: the refusal could not be recorded: {}", options_.name, error);
}

}  // namespace picket
