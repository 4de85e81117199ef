// Pieces the multi-process tests share: a picket-bus process over a data dir that outlives
// restarts, bus-load publisher processes and their ack files, and log checks.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/bus_probe.h"
#include "support/process.h"
#include "testing/site_keys_fixture.h"

namespace picket::testing {

// A key the test site lists besides the standard ones (BusUnderTest).
struct TestIdentity {
  std::string name, role, post;  // role: terminal, service, officer, supervisor, admin
  std::vector<std::string> gates;
};

// How BusUnderTest's site.toml is secured.
enum class SiteSecurity {
  kTestKeys,   // [security] with the test site's keys (the default: sites run with keys)
  kAsWritten,  // exactly what the test wrote: plain unless its text has [security]
};

// One picket-bus process over a temp dir that outlives restarts, on a site.toml in that
// dir: [site], [bus] (ipc:// endpoints in the dir) with `bus_extra` appended (a test's own
// sections), and by default [security] listing the test site's keys (in dir/keys):
//   services  bus escalation notify access patrol scoring console sim tally
//   "probe"   an admin: EventSpec's default producer, and picketctl's key (picketctl_key)
//   and `identities`.
// So every service started on config_path() finds its own key (<keys>/<name>.key) and runs
// CURVE, and a test client connects with As(name). Start() REQUIREs (Catch2) that the bus
// comes up and returns its resolved endpoints.
class BusUnderTest {
 public:
  explicit BusUnderTest(const std::string& bus_extra = "",
                        const std::vector<TestIdentity>& identities = {},
                        SiteSecurity security = SiteSecurity::kTestKeys);
  BusEndpoints Start();
  void Kill() { process_->Kill(); }
  ChildProcess& process() { return *process_; }
  std::string data_dir() const { return dir_.path() + "/data/bus"; }
  const TempDir& dir() const { return dir_; }
  const std::string& config_path() const { return config_; }

  bool secure() const { return security_ == SiteSecurity::kTestKeys; }
  // How the listed identity `name` connects to the process listed as `server`: its key
  // pair and the server's public key; plain on a site without the test keys.
  CurveClientKeys As(const std::string& name, const std::string& server = "bus") const;
  // The probe's keys to the bus (what IngestProbe, ReplayAll and QueryStatus take).
  CurveClientKeys Probe() const { return As("probe"); }
  // dir/keys/<name>.key (for --key).
  std::string KeyFile(const std::string& name) const { return keys_.KeyFile(name); }
  const SiteKeysFixture& keys() const { return keys_; }

 private:
  TempDir dir_;
  SiteKeysFixture keys_{dir_.path()};
  SiteSecurity security_;
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
// to dir/load-<index>.acks (see AckFile). On a secure `bus` it connects with the key
// "load-<index>" (an admin: BusUnderTest lists load-0 .. load-7).
std::unique_ptr<ChildProcess> StartLoad(const BusUnderTest& bus, const std::string& ingest,
                                        int index, int count, int window);
std::string AckFile(const TempDir& dir, int index);
// `publishers` bus-load processes ("load-0".."load-<n-1>"), `each` events apiece.
struct LoadRun {
  LoadRun(const BusUnderTest& bus, const std::string& ingest, int publishers, int each, int window);
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
