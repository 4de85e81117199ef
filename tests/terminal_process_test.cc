// picket-terminal as a real process against a real picket-bus: what the guard typed is
// kept in the terminal's outbox across a bus outage and a kill -9 of the terminal itself,
// and reaches the bus in the order it was typed, once each, with the time it was typed;
// the hash-code command makes the codes it logs in with; and the full-screen view, run in
// tmux, shows what a guard would see.
//
// Lines are typed into a FIFO the test holds open (--input FIFO), as a scanner on a device
// file would type them; line mode (--screen lines) writes the greppable notices to the
// terminal's log.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <iostream>
#include <map>
#include <regex>
#include <set>

#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_fixture.h"
#include "support/bus_probe.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "terminal/core/screen.h"
#include "wire/codec.h"

using namespace picket;
using namespace picket::testing;
using std::chrono::milliseconds;

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// gate-1's terminal; checkpoint tags start with CP-; no panic window; 1 s for a decision
// (there is no picket-access here: every pass scan ends in NO ANSWER or NO DECISION).
const std::string kTerminalToml = R"(
[terminal]
codes_file = "codes.toml"
checkpoint_prefixes = ["CP-"]
decision_timeout = "1s"
panic_cancel_window = "0"
post_orders = "Uniform and badge on."

[terminal.posts.gate-1]
terminal = "gate-1-terminal"
gates = ["main-gate"]
guards = ["hana"]
)";

// The terminal's key on the test site: a terminal of post gate-1 with its main gate.
const std::vector<TestIdentity> kIdentities = {
    {"gate-1-terminal", "terminal", "gate-1", {"main-gate"}}};

// Writes the codes file with hana's login code 4711, hashed by `picket-terminal hash-code`.
void WriteCodes(const BusUnderTest& bus) {
  const std::string input = bus.dir() / "code.txt";
  WriteFile(input, "4711\n");
  const std::string log = bus.dir() / "hash-code.out";
  ChildProcess p({"/bin/sh", "-c",
                  "exec " + BinaryPath("picket-terminal") + " hash-code --guard hana < " + input},
                 log);
  REQUIRE(p.Wait(milliseconds(20000)));
  const std::string line = ReadFile(log);
  INFO(line);
  REQUIRE(std::regex_search(
      line, std::regex(R"(^hana\.login = "sha256\$[0-9a-f]{32}\$[0-9a-f]{64}"\n$)")));
  const std::string codes = bus.dir() / "codes.toml";
  WriteFile(codes, "[guards]\n" + line);
  REQUIRE(::chmod(codes.c_str(), 0600) == 0);
}

// The FIFO lines are typed into, held open for writing (and reading, so that opening it
// never blocks and it outlives the terminal's restarts).
class Keyboard {
 public:
  explicit Keyboard(const std::string& path) : path_(path) {
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    fd_ = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(fd_ >= 0);
  }
  ~Keyboard() { ::close(fd_); }
  void Type(const std::string& line) {
    const std::string text = line + "\n";
    REQUIRE(::write(fd_, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

ServiceUnderTest Terminal(const BusUnderTest& bus, const Keyboard& keys) {
  return ServiceUnderTest("picket-terminal", bus.config_path(), bus.dir() / "data/gate-1-terminal",
                          {"--post", "gate-1", "--input", keys.path(), "--screen", "lines"});
}

// How many times the terminal's log (its notices, in line mode, across restarts) has `text`.
size_t Count(const ServiceUnderTest& terminal, const std::string& text) {
  const std::string log = ReadFile(terminal.log_path());
  size_t n = 0;
  for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
  return n;
}

// Waits until the terminal's log has `text` `count` times.
void WaitForNotice(const ServiceUnderTest& terminal, const std::string& text, size_t count = 1) {
  const bool ok = WaitUntil([&] { return Count(terminal, text) >= count; }, milliseconds(20000));
  INFO("waiting for '" << text << "' x" << count << " in:\n" << ReadFile(terminal.log_path()));
  REQUIRE(ok);
}

struct Fact {
  uint64_t seq = 0;
  EventId id;
  std::string type, code;  // code: the pass code or checkpoint tag
  int64_t observed_at = 0, recorded_at = 0;
};

std::vector<Fact> TerminalFacts(zmq::context_t& ctx, const BusEndpoints& bus,
                                const CurveClientKeys& reader) {
  auto log = ReplayAll(ctx, bus.replay, 1, milliseconds(10000), reader);
  REQUIRE(log);
  std::vector<Fact> out;
  for (const auto& le : *log) {
    if (le.producer != "gate-1-terminal") continue;
    std::string error;
    auto msg = DecodedMessage::Decode(le.event, &error);
    REQUIRE(msg);
    auto event = msg->Root<wire::Event>();
    Fact f{le.seq, le.id, le.type, "", event.getObservedAt(), le.recorded_at};
    if (le.type == "terminal.pass_scanned")
      f.code = event.getBody().getAs<wire::PassScanned>().getPassCode().cStr();
    else if (le.type == "terminal.checkpoint_scanned")
      f.code = event.getBody().getAs<wire::CheckpointScanned>().getTag().cStr();
    out.push_back(f);
  }
  return out;
}

std::vector<Fact> Only(const std::vector<Fact>& facts, const std::string& type) {
  std::vector<Fact> out;
  for (const auto& f : facts)
    if (f.type == type) out.push_back(f);
  return out;
}

// Every fact's id once (the bus dropped any repeat the terminal sent).
void RequireEachOnce(const std::vector<Fact>& facts) {
  std::set<EventId> ids;
  for (const auto& f : facts) ids.insert(f.id);
  REQUIRE(ids.size() == facts.size());
}

// Writes the codes file; returns where the keyboard's FIFO goes.
std::string CodesAndFifo(const BusUnderTest& bus) {
  WriteCodes(bus);
  return bus.dir() / "keys.fifo";
}

// A bus, gate-1's terminal reading a FIFO, hana logged in and on duty.
struct PostOnDuty {
  BusUnderTest bus{kTerminalToml, kIdentities};
  BusEndpoints endpoints = bus.Start();
  Keyboard keys{CodesAndFifo(bus)};
  ServiceUnderTest terminal = Terminal(bus, keys);
  zmq::context_t ctx;

  PostOnDuty() {
    terminal.Start();
    keys.Type("/login hana 4711");
    keys.Type("/ack");
    WaitForNotice(terminal, "OK Post orders acknowledged");
    WaitForNotice(terminal, "NET up");
  }
};

}  // namespace

TEST_CASE(
    "terminal: scans typed while the bus is down survive a kill -9 of the terminal and reach "
    "the bus in order, once each, with the time they were typed",
    "[terminal][process]") {
  PostOnDuty post;
  auto& [bus, endpoints, keys, terminal, ctx] = post;
  keys.Type("/round start night");
  WaitForNotice(terminal, "OK Round started");

  // The bus goes away; the guard goes on scanning.
  bus.Kill();
  WaitForNotice(terminal, "NET down", Count(terminal, "NET down") + 1);
  const int64_t outage_from = NowMicros();
  for (const char* code : {"P-001", "P-002", "P-003"}) keys.Type(code);
  keys.Type("CP-NORTH");
  keys.Type("CP-SOUTH");
  keys.Type("P-004");
  WaitForNotice(terminal, "NODECISION P-004 network_down scan kept");
  WaitForNotice(terminal, "CHECKPOINT CP-SOUTH");

  // The terminal's power is cut; it comes back (the guard logs in again) before the bus.
  terminal.Kill();
  terminal.Launch();
  WaitForNotice(terminal, "started at applied_seq", 2);
  keys.Type("/login hana 4711");
  keys.Type("/ack");
  keys.Type("P-005");
  WaitForNotice(terminal, "NODECISION P-005");

  const size_t drained_before = Count(terminal, "NET up outbox=0");
  const int64_t bus_back = NowMicros();
  endpoints = bus.Start();
  std::vector<Fact> facts;
  const bool delivered = WaitUntil(
      [&] {
        facts = TerminalFacts(ctx, endpoints, bus.Probe());
        return Only(facts, "terminal.pass_scanned").size() >= 5 &&
               Only(facts, "terminal.checkpoint_scanned").size() >= 2 &&
               Only(facts, "shift.started").size() >= 2;
      },
      milliseconds(20000));
  INFO(ReadFile(terminal.log_path()));
  REQUIRE(delivered);
  WaitForNotice(terminal, "NET up outbox=0", drained_before + 1);
  facts = TerminalFacts(ctx, endpoints, bus.Probe());
  RequireEachOnce(facts);

  // In the order typed: the seqs of the scans follow the codes.
  std::vector<std::string> order;
  for (const auto& f : facts)
    if (!f.code.empty()) order.push_back(f.code);
  CHECK(order == std::vector<std::string>{"P-001", "P-002", "P-003", "CP-NORTH", "CP-SOUTH",
                                          "P-004", "P-005"});
  CHECK(Only(facts, "shift.started").size() == 2);
  CHECK(Only(facts, "terminal.round_started").size() == 1);

  // Late checkpoint scans carry the time they were scanned, not the time they arrived.
  for (const auto& f : Only(facts, "terminal.checkpoint_scanned")) {
    INFO(f.code);
    CHECK(f.observed_at >= outage_from);
    CHECK(f.observed_at < bus_back);
    CHECK(f.recorded_at >= bus_back);
  }
}

TEST_CASE("terminal: a kill -9 while the outbox is being sent loses nothing and repeats nothing",
          "[terminal][process]") {
  PostOnDuty post;
  auto& [bus, endpoints, keys, terminal, ctx] = post;

  constexpr int kScans = 300;
  auto code = [](int i) {
    std::string n = std::to_string(i);
    return "S-" + std::string(4 - n.size(), '0') + n;
  };
  for (int i = 0; i < kScans; ++i) keys.Type(code(i));
  // Every scan is in the outbox (its CHECKING or NODECISION line is printed after the
  // store's commit); cut the power at once, while sending is under way.
  WaitForNotice(terminal, code(kScans - 1) + " ");
  terminal.Kill();
  const size_t drained_before = Count(terminal, "NET up outbox=0");
  terminal.Start();

  std::vector<Fact> scans;
  const bool delivered = WaitUntil(
      [&] {
        scans = Only(TerminalFacts(ctx, endpoints, bus.Probe()), "terminal.pass_scanned");
        return scans.size() >= static_cast<size_t>(kScans);
      },
      milliseconds(30000));
  REQUIRE(delivered);
  WaitForNotice(terminal, "NET up outbox=0", drained_before + 1);
  scans = Only(TerminalFacts(ctx, endpoints, bus.Probe()), "terminal.pass_scanned");
  REQUIRE(scans.size() == static_cast<size_t>(kScans));
  RequireEachOnce(scans);
  for (int i = 0; i < kScans; ++i) {
    INFO(i);
    REQUIRE(scans[static_cast<size_t>(i)].code == code(i));
  }
}

namespace {

// A tmux server of its own (its socket named after this process), killed at the end.
class Tmux {
 public:
  explicit Tmux(const TempDir& dir)
      : dir_(dir), socket_("picket-test-" + std::to_string(::getpid())) {}
  ~Tmux() { Run({"kill-server"}); }
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/tmux", "-L", socket_, "-f", "/dev/null"});
    return RunCommand(args, dir_ / "tmux.out");
  }
  std::string Screen() { return Run({"capture-pane", "-p", "-t", "guard"}).output; }
  // Waits until the screen shows every one of `texts`; returns the screen.
  std::string WaitForScreen(const std::vector<std::string>& texts) {
    std::string screen;
    const bool ok = WaitUntil(
        [&] {
          screen = Screen();
          for (const auto& t : texts)
            if (screen.find(t) == std::string::npos) return false;
          return true;
        },
        milliseconds(20000));
    INFO("the screen:\n" << screen);
    REQUIRE(ok);
    return screen;
  }

 private:
  const TempDir& dir_;
  std::string socket_;
};

}  // namespace

TEST_CASE(
    "terminal: in a real terminal (tmux) the guard's full screen shows the post, the guard, "
    "the link, the decision and the phrase to say",
    "[terminal][process]") {
  BusUnderTest bus(kTerminalToml, kIdentities);
  bus.Start();
  WriteCodes(bus);
  Tmux tmux(bus.dir());
  const std::string command = BinaryPath("picket-terminal") + " --config " + bus.config_path() +
                              " --post gate-1 --data-dir " + (bus.dir() / "data/gate-1-terminal");
  REQUIRE(
      tmux.Run({"new-session", "-d", "-s", "guard", "-x", "80", "-y", "24", command}).exit_code ==
      0);
  tmux.WaitForScreen({"gate-1"});
  tmux.Run({"send-keys", "-t", "guard", "/login hana 4711", "Enter"});
  tmux.WaitForScreen({"hana", "Uniform and badge on."});
  tmux.Run({"send-keys", "-t", "guard", "/ack", "Enter"});
  tmux.Run({"send-keys", "-t", "guard", "P-777", "Enter"});
  tmux.WaitForScreen({"P-777", "checking"});
  // No picket-access here: the decision does not come within decision_timeout (1 s). The
  // guard sees NO ANSWER in big letters, the phrase for it, and the scan kept and sent.
  std::vector<std::string> wanted{"post gate-1",
                                  "guard hana",
                                  "NET UP",
                                  "outbox 0",
                                  "Pass P-777 (in)",
                                  "One moment please. The check is taking longer; your pass "
                                  "has been recorded."};
  for (std::string line : terminal::BlockLetters("NO ANSWER")) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    wanted.push_back(line);
  }
  const std::string screen = tmux.WaitForScreen(wanted);
  std::cout << screen;
  CHECK(screen.find("CHECKING") == std::string::npos);
}
