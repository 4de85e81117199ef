// Pieces the multi-process tests share: a picket-bus process over a data dir that outlives
// restarts, bus-load publisher processes and their ack files, and log checks.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/bus_probe.h"
#include "support/process.h"

namespace picket::testing {

// One picket-bus process over a temp dir that outlives restarts. Start() REQUIREs (Catch2)
// that the bus comes up and returns its resolved endpoints.
class BusUnderTest {
 public:
  explicit BusUnderTest(const std::string& bus_extra = "");
  BusEndpoints Start();
  void Kill() { process_->Kill(); }
  ChildProcess& process() { return *process_; }
  std::string data_dir() const { return dir_.path() + "/data/bus"; }
  const TempDir& dir() const { return dir_; }
  const std::string& config_path() const { return config_; }

 private:
  TempDir dir_;
  std::string config_;
  std::unique_ptr<ChildProcess> process_;
};

struct AckLine {
  uint64_t seq;
  bool duplicate;
};
// Reads bus-load ack files ("<id hex> <seq> <dup>" lines).
std::map<EventId, AckLine> ReadAcks(const std::vector<std::string>& paths);

// A bus-load process publishing `count` events as producer "load-<index>"; its acks go
// to dir/load-<index>.acks (see AckFile).
std::unique_ptr<ChildProcess> StartLoad(const TempDir& dir, const std::string& ingest, int index,
                                        int count, int window);
std::string AckFile(const TempDir& dir, int index);
// `publishers` bus-load processes ("load-0".."load-<n-1>"), `each` events apiece.
struct LoadRun {
  LoadRun(const TempDir& dir, const std::string& ingest, int publishers, int each, int window);
  std::map<EventId, AckLine> Acks() const { return ReadAcks(ack_files); }
  void RequireAllCleanExit();
  std::vector<std::unique_ptr<ChildProcess>> processes;
  std::vector<std::string> ack_files;
};

// Waits for a bus-load process and REQUIREs a clean exit.
void RequireCleanExit(ChildProcess& process);

// REQUIREs that the log holds consecutive seqs from 1 and each id once.
void CheckLogIsOneTotalOrder(const std::vector<LoggedEvent>& log);

}  // namespace picket::testing
