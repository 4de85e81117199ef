#include "bus/bus_server.h"

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bus/bus_replies.h"
#include "bus/frames.h"

namespace picket {
namespace {

// Frames over this are cut off by libzmq itself (the peer is disconnected) before they
// reach the bus; below it, an oversized request gets a tooLarge nack. Generous, so the
// nack is what clients normally see; bounded, so one frame cannot exhaust memory.
int64_t TransportFrameLimit(int64_t max_message_bytes) {
  return std::max<int64_t>(4 * max_message_bytes, 16 << 20);
}

ReplaySessions::Limits SessionLimits(const BusServerOptions& o) {
  ReplaySessions::Limits limits;
  limits.max_sessions = static_cast<size_t>(o.bus.max_replay_sessions);
  limits.default_max_batch = static_cast<uint32_t>(o.bus.replay_max_batch);
  limits.idle_timeout = o.replay_idle_timeout;
  return limits;
}

}  // namespace

BusServer::BusServer(BusServerOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      metrics_(registry_),
      context_(1),
      ingest_socket_(context_, zmq::socket_type::router),
      events_socket_(context_, zmq::socket_type::pub),
      replay_socket_(context_, zmq::socket_type::router),
      sessions_(SessionLimits(options_)),
      loop_(clock) {}

BusServer::~BusServer() {
  Shutdown();
  if (wake_fd_ >= 0) close(wake_fd_);
}

std::string BusServer::ReadyFilePath() const { return options_.data_dir + "/ready"; }

bool BusServer::Start(std::string* error) {
  const BusConfig& bus = options_.bus;
  if (options_.site_id.empty()) {
    *error = "the site id is empty";
    return false;
  }
  if (bus.dedup_window > bus.retention) {
    *error =
        "bus.dedup_window must not be longer than bus.retention (an id must be "
        "remembered only while its event is kept)";
    return false;
  }
  std::error_code ec;
  std::filesystem::create_directories(options_.data_dir, ec);
  if (ec) {
    *error = "cannot create the data directory " + options_.data_dir + ": " + ec.message();
    return false;
  }
  std::filesystem::remove(ReadyFilePath(), ec);  // a stale one from a crash is not true now
  LogStoreOptions log_options;
  log_options.low_space.min_free_bytes = static_cast<uint64_t>(bus.min_free_bytes);
  log_options.low_space.min_free_inodes = static_cast<uint64_t>(bus.min_free_inodes);
  log_options.low_space.check_interval = bus.disk_check_interval;
  log_options.low_space.bytes_setting = "bus.min_free_bytes";
  log_options.low_space.inodes_setting = "bus.min_free_inodes";
  store_ = OpenRocksLogStore(options_.data_dir + "/log", log_options, error);
  if (!store_) return false;

  ingest_socket_.set(zmq::sockopt::router_mandatory, 1);
  ingest_socket_.set(zmq::sockopt::maxmsgsize, TransportFrameLimit(bus.max_message_bytes));
  ingest_socket_.set(zmq::sockopt::sndhwm, 100000);  // acks of pipelining producers
  ingest_socket_.set(zmq::sockopt::linger, 1000);
  events_socket_.set(zmq::sockopt::sndhwm, static_cast<int>(bus.pub_hwm));
  events_socket_.set(zmq::sockopt::linger, 1000);
  replay_socket_.set(zmq::sockopt::router_mandatory, 1);
  replay_socket_.set(zmq::sockopt::maxmsgsize, TransportFrameLimit(bus.max_message_bytes));
  replay_socket_.set(zmq::sockopt::linger, 0);
  if (options_.keys.secure()) {
    zap_ = options_.keys.Authenticate(context_);  // before any CURVE server binds
    for (zmq::socket_t* s : {&ingest_socket_, &events_socket_, &replay_socket_})
      options_.keys.MakeServer(*s);
  }
  if (!Bind(ingest_socket_, bus.ingest, &bound_.ingest, error) ||
      !Bind(events_socket_, bus.events, &bound_.events, error) ||
      !Bind(replay_socket_, bus.replay, &bound_.replay, error))
    return false;

  IngestEndpoint::Options ingest_options;
  ingest_options.site = options_.site_id;
  ingest_options.max_message_bytes = static_cast<size_t>(bus.max_message_bytes);
  ingest_options.max_batch = static_cast<size_t>(bus.max_batch);
  ingest_options.sync = bus.sync;
  ingest_options.security = options_.keys.config();
  if (!bus.checkpoint_key.empty()) {
    std::string key_error;
    ingest_options.checkpoint_key = ReadSigningKeyFile(bus.checkpoint_key, true, &key_error);
    if (!ingest_options.checkpoint_key) {
      *error = "[bus] checkpoint_key: " + key_error;
      return false;
    }
    ingest_options.checkpoint_every = static_cast<size_t>(bus.checkpoint_every);
    ingest_options.checkpoint_interval = bus.checkpoint_interval;
    spdlog::info("signed checkpoints with key '{}' every {} events or {} s",
                 ingest_options.checkpoint_key->name, bus.checkpoint_every,
                 bus.checkpoint_interval / kMicrosPerSecond);
  }
  ingest_ = std::make_unique<IngestEndpoint>(ingest_socket_, events_socket_, *store_, reports_,
                                             clock_, metrics_, ingest_options);
  ReplayEndpoint::Options replay_options;
  replay_options.site = options_.site_id;
  replay_options.max_message_bytes = static_cast<size_t>(bus.max_message_bytes);
  replay_ = std::make_unique<ReplayEndpoint>(replay_socket_, *store_, sessions_, reports_, clock_,
                                             metrics_, replay_options);

  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    *error = std::string("eventfd: ") + std::strerror(errno);
    return false;
  }
  loop_.AddFd(wake_fd_, [this] {
    uint64_t n;
    (void)!read(wake_fd_, &n, sizeof n);
    loop_.Stop();
  });
  loop_.AddSocket(ingest_socket_, [this] { OnIngest(); });
  loop_.AddSocket(replay_socket_, [this] { OnReplay(); });
  loop_.Every(bus.heartbeat_interval, [this] { Heartbeat(); });
  loop_.Every(options_.maintenance_interval, [this] { RunMaintenance(); });
  loop_.Every(kMicrosPerSecond, [this] {  // the count of refusals the rate limit held back
    ingest_->ReportUnloggedRefusals();
    replay_->ReportUnloggedRefusals();
    ingest_->CheckpointIfDue();
  });
  loop_.Every(bus.disk_check_interval, [this] { CheckStorage(); });

  if (options_.start_http && !StartHttp(error)) return false;
  RunMaintenance();
  CheckStorage();
  UpdateGauges();
  if (!WriteReadyFile(error)) return false;
  started_ = true;
  spdlog::info(
      "picket-bus for site '{}' ready: head {} first {}; ingest {} events {} replay {} "
      "http {}",
      options_.site_id, store_->Head().seq, store_->FirstSeq(), bound_.ingest, bound_.events,
      bound_.replay, bound_.http);
  return true;
}

bool BusServer::Bind(zmq::socket_t& socket, const std::string& endpoint, std::string* bound,
                     std::string* error) {
  try {
    socket.bind(endpoint);
    *bound = socket.get(zmq::sockopt::last_endpoint);
    return true;
  } catch (const zmq::error_t& e) {
    *error = "cannot bind " + endpoint + ": " + e.what();
    return false;
  }
}

bool BusServer::StartHttp(std::string* error) {
  // The HTTP thread reads the store's health (thread-safe), never the store itself.
  std::shared_ptr<const StorageHealth> storage = store_->health();
  http_ = std::make_unique<HttpEndpoint>(registry_, [this, storage] {
    if (storage && !storage->ok()) return Health{false, storage->reason()};
    if (!metrics_.storage_ok) return Health{false, "the last write to the log failed"};
    return Health{true, "picket-bus"};
  });
  bound_.http = http_->StartAt(options_.bus.http, "bus.http", error);
  return !bound_.http.empty();
}

bool BusServer::WriteReadyFile(std::string* error) {
  nlohmann::json ready = {{"pid", static_cast<int64_t>(getpid())},
                          {"ingest", bound_.ingest},
                          {"events", bound_.events},
                          {"replay", bound_.replay},
                          {"http", bound_.http}};
  std::string tmp = ReadyFilePath() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << ready.dump() << "\n";
    out.flush();
    if (!out) {
      *error = "cannot write " + tmp;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), ReadyFilePath().c_str()) != 0) {
    *error = "cannot rename " + tmp + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

void BusServer::Run() {
  loop_.Run();
  Shutdown();
}

void BusServer::RunOnce(int timeout_ms) { loop_.RunOnce(timeout_ms); }

void BusServer::RequestStop() {
  uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
}

void BusServer::StopWhenReadable(int fd, std::function<void()> on_readable) {
  loop_.AddFd(fd, [this, on_readable = std::move(on_readable)] {
    on_readable();
    loop_.Stop();
  });
}

void BusServer::OnIngest() {
  if (ingest_->OnReadable() > 0) {
    UpdateGauges();
    if (sessions_.size() > 0) ScheduleReplay(0);
  }
}

void BusServer::OnReplay() {
  replay_->OnReadable();
  if (sessions_.size() > 0) ScheduleReplay(0);
}

void BusServer::ScheduleReplay(Micros delay) {
  if (replay_scheduled_) return;
  replay_scheduled_ = true;
  loop_.After(delay, [this] { ServeReplay(); });
}

void BusServer::ServeReplay() {
  replay_scheduled_ = false;
  switch (replay_->ServeSlice()) {
    case ReplayEndpoint::SliceResult::kIdle:
      break;
    case ReplayEndpoint::SliceResult::kMoreWork:
      ScheduleReplay(0);
      break;
    case ReplayEndpoint::SliceResult::kBlocked:
      ScheduleReplay(kMicrosPerMilli);
      break;
  }
}

void BusServer::Heartbeat() {
  PublishFrames(events_socket_, "_hb",
                EncodeHeartbeat(options_.site_id, store_->Head().seq, clock_.Now()));
}

void BusServer::RunMaintenance() {
  if (replay_) replay_->ExpireIdle();
  const Micros now = clock_.Now();
  PruneResult result;
  std::string error;
  if (!store_->Prune(now - options_.bus.dedup_window, now - options_.bus.retention,
                     options_.prune_rows_per_pass, &result, &error)) {
    metrics_.storage_failures.Inc();
    spdlog::error("retention: {}", error);
    return;
  }
  if (result.events_deleted > 0 || result.dedup_rows_deleted > 0)
    spdlog::info("retention: deleted {} events and {} dedup rows; first seq now {}",
                 result.events_deleted, result.dedup_rows_deleted, store_->FirstSeq());
  metrics_.pruned_events.Inc(result.events_deleted);
  UpdateGauges();
  if (result.more) loop_.After(0, [this] { RunMaintenance(); });
}

void BusServer::CheckStorage() {
  // Re-reads the free space and, after a failed write, tries to make the log writable
  // again (the store logs each change once).
  bool writable = store_->Maintain();
  if (writable) metrics_.storage_ok = true;
  if (auto disk = store_->disk()) {
    metrics_.disk_free_bytes.Set(static_cast<double>(disk->free_bytes));
    if (disk->inodes_known) metrics_.disk_free_inodes.Set(static_cast<double>(disk->free_inodes));
  }
  metrics_.writable.Set(writable ? 1 : 0);
}

void BusServer::UpdateGauges() {
  LogRange log{store_->FirstSeq(), store_->Head().seq};
  metrics_.head_seq.Set(static_cast<double>(log.head_seq));
  metrics_.first_seq.Set(static_cast<double>(ReportedFirstSeq(log)));
  metrics_.replay_sessions.Set(static_cast<double>(sessions_.size()));
}

void BusServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  std::error_code ec;
  if (started_) std::filesystem::remove(ReadyFilePath(), ec);
  http_.reset();
  ingest_.reset();
  replay_.reset();
  ingest_socket_.close();
  replay_socket_.close();
  events_socket_.close();
  zap_.reset();  // its socket too: closing the context waits for every socket
  if (store_) {
    std::string error;
    if (!store_->Flush(&error)) spdlog::error("shutdown: {}", error);
    store_.reset();
  }
  context_.close();
  if (started_) spdlog::info("picket-bus stopped");
}

}  // namespace picket
