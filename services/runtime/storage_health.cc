#include "runtime/storage_health.h"

#include <rocksdb/env.h>
#include <rocksdb/listener.h>
#include <rocksdb/options.h>
#include <rocksdb/status.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace picket {
namespace {

Micros SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string FailureReason(const std::string& what, const rocksdb::Status& status) {
  StorageFault fault = ClassifyStorageError(status);
  std::string detail = status.ToString();
  if (fault == StorageFault::kOther) return what + " cannot be written: " + detail;
  return what + " cannot be written: " + StorageFaultName(fault) + " (" + detail + ")";
}

// Reports background errors (a failed flush or compaction, and every failed write) to the
// gate, and keeps RocksDB from starting its own recovery: the gate calls DB::Resume()
// itself, as soon as the disk has room (see the file comment of storage_health.h).
class GateListener final : public rocksdb::EventListener {
 public:
  GateListener(std::string what, std::shared_ptr<StorageHealth> health,
               std::shared_ptr<std::atomic<bool>> failed)
      : what_(std::move(what)), health_(std::move(health)), failed_(std::move(failed)) {}

  const char* Name() const override { return "PicketWriteGate"; }

  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* bg_error) override {
    if (bg_error == nullptr || bg_error->ok()) return;
    failed_->store(true);
    health_->Set(ClassifyStorageError(*bg_error), FailureReason(what_, *bg_error));
  }

  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status bg_error,
                            bool* auto_recovery) override {
    bg_error.PermitUncheckedError();
    if (auto_recovery != nullptr) *auto_recovery = false;
  }

 private:
  const std::string what_;
  const std::shared_ptr<StorageHealth> health_;
  const std::shared_ptr<std::atomic<bool>> failed_;
};

// RocksDB's info log, into the process's log: its warnings and errors as such, the rest
// (flushes, compactions, the options at open) at debug level. RocksDB 7.8's own info log,
// a LOG file in the DB's directory, aborts the process on a full disk: once a write to that
// file has failed, its next line trips the WritableFileWriter assertion (fixed upstream in
// RocksDB 8.1). On a filling disk that is the first thing to go: RocksDB logs the failed
// write itself.
class ProcessLogger final : public rocksdb::Logger {
 public:
  explicit ProcessLogger(std::string what)
      : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), what_(std::move(what)) {}

  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void LogHeader(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::HEADER_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    using L = rocksdb::InfoLogLevel;
    spdlog::level::level_enum to = spdlog::level::debug;
    if (level == L::WARN_LEVEL) to = spdlog::level::warn;
    if (level == L::ERROR_LEVEL || level == L::FATAL_LEVEL) to = spdlog::level::err;
    if (level < GetInfoLogLevel() || !spdlog::default_logger_raw()->should_log(to)) return;
    char buf[1024];
    va_list copy;
    va_copy(copy, ap);
    int n = std::vsnprintf(buf, sizeof buf, format, copy);
    va_end(copy);
    if (n < 0) return;
    std::string text(buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
    spdlog::log(to, "rocksdb, {}: {}", what_, text);
  }

 protected:
  rocksdb::Status CloseImpl() override { return rocksdb::Status::OK(); }

 private:
  const std::string what_;
};

}  // namespace

bool StatDiskSpace(const std::string& path, DiskSpace* out, std::string* error) {
  struct statvfs st {};
  if (statvfs(path.c_str(), &st) != 0) {
    *error = "statvfs " + path + ": " + std::strerror(errno);
    return false;
  }
  out->free_bytes = static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
  out->free_inodes = static_cast<uint64_t>(st.f_favail);
  out->inodes_known = st.f_files > 0;
  return true;
}

std::string FormatBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 3) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[unit]);
  return buf;
}

uint64_t WalBytes(const std::string& db_dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(db_dir, ec)) {
    std::error_code size_ec;
    if (entry.path().extension() != ".log" || !entry.is_regular_file(size_ec)) continue;
    uint64_t size = entry.file_size(size_ec);
    if (!size_ec) total += size;
  }
  return total;
}

LowSpaceGuard::LowSpaceGuard(std::string path, LowSpaceLimits limits, DiskSpaceFn stat)
    : path_(std::move(path)),
      limits_(std::move(limits)),
      stat_(stat ? std::move(stat) : DiskSpaceFn(StatDiskSpace)) {}

std::optional<std::string> LowSpaceGuard::Check(Micros now, bool force) {
  if (!force && read_once_ && now - read_at_ < limits_.check_interval) return refusal_;
  read_once_ = true;
  read_at_ = now;
  ++reads_;
  DiskSpace d;
  std::string error;
  refusal_.reset();
  if (!stat_(path_, &d, &error)) {
    last_.reset();
    spdlog::debug("low-space guard: {}", error);
    return refusal_;
  }
  last_ = d;
  if (limits_.min_free_bytes > 0 && d.free_bytes < limits_.min_free_bytes) {
    refusal_ = "only " + FormatBytes(d.free_bytes) + " free on the disk of " + path_ + " (below " +
               limits_.bytes_setting + " = " + FormatBytes(limits_.min_free_bytes) + ")";
  } else if (limits_.min_free_inodes > 0 && d.inodes_known &&
             d.free_inodes < limits_.min_free_inodes) {
    refusal_ = "only " + std::to_string(d.free_inodes) + " inodes free on the disk of " + path_ +
               " (below " + limits_.inodes_setting + " = " +
               std::to_string(limits_.min_free_inodes) + ")";
  }
  return refusal_;
}

const char* StorageFaultName(StorageFault fault) {
  switch (fault) {
    case StorageFault::kNone:
      return "ok";
    case StorageFault::kLowSpace:
      return "low disk space";
    case StorageFault::kNoSpace:
      return "no space left on device";
    case StorageFault::kIoError:
      return "I/O error";
    case StorageFault::kOther:
      return "storage error";
  }
  return "storage error";
}

StorageFault ClassifyStorageError(const rocksdb::Status& status) {
  if (status.ok()) return StorageFault::kNone;
  if (status.IsNoSpace() || status.subcode() == rocksdb::Status::kSpaceLimit)
    return StorageFault::kNoSpace;
  // A write refused because of an earlier error carries that error as text (e.g.
  // Incomplete("... No space left on device ...") from a stalled write).
  const std::string text = status.ToString();
  if (text.find("No space left") != std::string::npos ||
      text.find("space limit") != std::string::npos)
    return StorageFault::kNoSpace;
  if (status.IsIOError() || text.find("IO error") != std::string::npos)
    return StorageFault::kIoError;
  return StorageFault::kOther;
}

void StorageHealth::Set(StorageFault fault, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  reason_ = reason;
  if (fault == fault_) return;  // the same state: only its figures changed
  if (fault_ == StorageFault::kNone) since_ = std::chrono::steady_clock::now();
  fault_ = fault;
  ++changes_;
  if (fault == StorageFault::kLowSpace) {
    spdlog::warn("{}", reason);
  } else {
    spdlog::error("{}; refusing writes and retrying until it works", reason);
  }
}

void StorageHealth::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  if (fault_ == StorageFault::kNone) return;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - since_).count();
  fault_ = StorageFault::kNone;
  reason_.clear();
  ++changes_;
  spdlog::info("{} can be written again (writes were refused for {:.1f} s)", what_, seconds);
}

bool StorageHealth::ok() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fault_ == StorageFault::kNone;
}

StorageFault StorageHealth::fault() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fault_;
}

std::string StorageHealth::reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

uint64_t StorageHealth::changes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return changes_;
}

WriteGate::WriteGate(Options options)
    : options_(std::move(options)),
      guard_(options_.path, options_.limits, options_.stat),
      health_(std::make_shared<StorageHealth>(options_.what)),
      background_failed_(std::make_shared<std::atomic<bool>>(false)) {}

WriteGate::~WriteGate() = default;

Micros WriteGate::Now() const { return options_.now ? options_.now() : SteadyMicros(); }

void WriteGate::Configure(rocksdb::DBOptions* options) {
  if (!options->info_log) options->info_log = std::make_shared<ProcessLogger>(options_.what);
  options->listeners.push_back(
      std::make_shared<GateListener>(options_.what, health_, background_failed_));
  // No automatic resume after a retryable I/O error either: Maintain() resumes.
  options->max_bgerror_resume_count = 0;
}

std::optional<std::string> WriteGate::Refusal() {
  if (failed()) {
    std::string reason = health_->reason();
    if (reason.empty()) reason = options_.what + " cannot be written: a storage error";
    return reason;
  }
  auto low = guard_.Check(Now());
  ShowLowSpace(low);
  if (low) return options_.what + " refuses writes: " + *low;
  return std::nullopt;
}

std::string WriteGate::Failed(const rocksdb::Status& status) {
  std::string reason = FailureReason(options_.what, status);
  health_->Set(ClassifyStorageError(status), reason);
  write_failed_ = true;
  if (!failed_) {
    failed_ = true;
    failure_reason_ = reason;
    retry_delay_ = options_.min_retry;
    next_retry_ = Now() + retry_delay_;
  }
  return reason;
}

void WriteGate::ShowLowSpace(const std::optional<std::string>& refusal) {
  if (refusal) {
    health_->Set(StorageFault::kLowSpace, options_.what + " refuses writes: " + *refusal);
  } else if (health_->fault() == StorageFault::kLowSpace) {
    health_->Clear();
  }
}

bool WriteGate::Maintain(const std::function<rocksdb::Status()>& recover) {
  const Micros now = Now();
  auto low = guard_.Check(now);
  if (!failed_ && background_failed_->load()) {
    failed_ = true;  // a background error (a flush, a compaction) stopped the DB
    failure_reason_ = health_->reason();
    retry_delay_ = options_.min_retry;
    next_retry_ = now;
  }
  if (!failed_) {
    ShowLowSpace(low);
    return !low;
  }
  // Resuming needs room (it flushes the memtables); without it, it could only fail again.
  if (now < next_retry_ || low) return false;
  if (options_.bytes_needed && guard_.last()) {
    const uint64_t needed = options_.bytes_needed();
    const uint64_t free = guard_.last()->free_bytes;
    if (free < needed) {
      health_->Set(health_->fault(), failure_reason_ + "; resuming needs " + FormatBytes(needed) +
                                         " free, the disk has " + FormatBytes(free));
      return false;
    }
  }
  background_failed_->store(false);
  rocksdb::Status s = recover();
  if (s.ok() && !background_failed_->load()) {
    failed_ = false;
    write_failed_ = false;
    retry_delay_ = 0;
    ++recoveries_;
    health_->Clear();
    return true;
  }
  if (!s.ok()) {
    failure_reason_ = FailureReason(options_.what, s);
    health_->Set(ClassifyStorageError(s), failure_reason_);
    spdlog::debug("{}: recovery failed: {}", options_.what, s.ToString());
  }
  retry_delay_ = std::min(std::max(retry_delay_ * 2, options_.min_retry), options_.max_retry);
  next_retry_ = now + retry_delay_;
  return false;
}

}  // namespace picket
