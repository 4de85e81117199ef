// picketctl as a real process against a real picket-bus (run by picket-site): publish from
// flags and stdin, nacks, duplicates, tail (human, JSON, filtered, following), status, and
// clear errors with exit code 3 when no bus answers; audit verify on an intact log and on
// one changed on disk. The sites run with keys ([security], SecureSiteConfig): picketctl
// connects with the config's picketctl_key (an admin's) unless a test gives --key, and
// publishes under the key's identity. The offline cases (no bus, bad flags, keys new) use
// explicit endpoints or none, and need no site.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <rocksdb/db.h>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "picket/schemas/bus.capnp.h"
#include "picketctl/cli_process_support.h"
#include "runtime/curve_keys.h"
#include "support/bus_probe.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "testing/site_keys_fixture.h"
#include "wire/codec.h"
#include "wire/event_chain.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;
using testing::WriteFile;

using ToolResult = testing::CliRun;
using testing::Picketctl;

// Writes site.toml for a test site in `dir` (WriteSiteConfig, `bus_extra` inside [bus]) with
// [security] listing `keys` (in dir/keys): the bus; "admin", an admin and picketctl's key
// (picketctl_key); "late", another admin (a second producer); and gate-1's terminal.
std::string SecureSiteConfig(const std::string& dir, testing::SiteKeysFixture& keys,
                             const std::string& bus_extra = "") {
  keys.Add("bus", "service");
  keys.Add("admin", "admin");
  keys.Add("late", "admin");
  keys.Add("gate-1-terminal", "terminal", "gate-1");
  return testing::WriteSiteConfig(dir, "test-site", false,
                                  bus_extra + keys.SecuritySection("admin"));
}

// A site with only the bus and keys, run by picket-site; ready once the bus's ready file
// exists.
struct RunningSite {
  TempDir dir;
  testing::SiteKeysFixture keys{dir.path()};
  std::string config = SecureSiteConfig(dir.path(), keys);
  ChildProcess site{{BinaryPath("picket-site"), "--config", config}, dir / "site.log"};
  RunningSite() {
    bool ready =
        WaitUntil([&] { return testing::ReadBusReady(dir / "data/bus").has_value(); }, 20s);
    INFO(ReadFile(dir / "site.log"));
    REQUIRE(ready);
  }
  ~RunningSite() {
    site.Signal(SIGTERM);
    site.Wait(15s);
  }
};

}  // namespace

TEST_CASE("picketctl publishes, tails and reports status", "[picketctl][process]") {
  RunningSite s;
  TempDir work;
  const std::vector<std::string> cfg = {"--config", s.config};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 1, cfg.begin(), cfg.end());
    return args;
  };

  auto status = Picketctl(work, with({"status"}));
  INFO(status.err);
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::Contains("site test-site: head 0"));

  auto one = Picketctl(work, with({"publish", "--type", "terminal.panic_pressed", "--body",
                                   R"({"post":"gate-1"})", "--actor", "guard-7"}));
  INFO(one.err);
  CHECK(one.exit_code == 0);
  CHECK(one.out == "1\n");

  // One event per line: good, not JSON, wrong site (a nack from the bus), good.
  auto lines = Picketctl(work, with({"publish"}),
                         testing::Stdin("{\"type\":\"ops.note\"}\n{oops\n"
                                        "{\"type\":\"ops.note\",\"site\":\"elsewhere\"}\n"
                                        "{\"type\":\"terminal.checkpoint_scanned\","
                                        "\"body\":{\"post\":\"p\",\"tag\":\"T1\"}}\n"));
  CHECK(lines.exit_code == 1);
  CHECK(lines.out == "2\n3\n");
  CHECK_THAT(lines.err, Catch::Contains("line 2: not valid JSON"));
  CHECK_THAT(lines.err, Catch::Contains("line 3: nacked: wrongSite"));

  const std::string id = "00112233445566778899aabbccddeeff";
  CHECK(Picketctl(work, with({"publish", "--type", "ops.note", "--id", id})).out == "4\n");
  auto again = Picketctl(work, with({"publish", "--type", "ops.note", "--id", id}));
  CHECK(again.exit_code == 0);
  CHECK(again.out == "4 duplicate\n");

  // The same id twice in one run: the second is refused locally (no hang waiting for it).
  auto twice = Picketctl(work, with({"publish"}),
                         testing::Stdin("{\"type\":\"ops.note\",\"id\":\"" + id +
                                        "\"}\n"
                                        "{\"type\":\"ops.note\",\"id\":\"" +
                                        id + "\"}\n"));
  CHECK(twice.exit_code == 1);
  CHECK(twice.out == "4 duplicate\n");
  CHECK_THAT(twice.err, Catch::Contains("line 2: event " + id + " has the same id"));

  auto all = Picketctl(work, with({"tail", "--from", "1", "--no-follow"}));
  INFO(all.err);
  CHECK(all.exit_code == 0);
  REQUIRE(all.OutLines().size() == 4);
  CHECK_THAT(all.OutLines()[0],
             Catch::StartsWith("#1 ") &&
                 Catch::Contains("terminal.panic_pressed admin "
                                 "actor=guard-7 {\"post\":\"gate-1\",\"duress\":false}"));
  CHECK_THAT(all.OutLines()[3], Catch::StartsWith("#4 "));

  auto json = Picketctl(work, with({"tail", "--from", "1", "--to", "2", "--json"}));
  REQUIRE(json.OutLines().size() == 2);
  auto second = nlohmann::json::parse(json.OutLines()[1]);
  CHECK(second["seq"] == 2);
  CHECK(second["type"] == "ops.note");

  auto filtered = Picketctl(work, with({"tail", "--from", "1", "--no-follow", "--type", "term"}));
  REQUIRE(filtered.OutLines().size() == 2);
  CHECK_THAT(filtered.OutLines()[1], Catch::StartsWith("#3 "));

  auto st = Picketctl(work, with({"status", "--json"}));
  CHECK(nlohmann::json::parse(st.out)["headSeq"] == 4);

  // Following: a new event shows up; SIGTERM ends the tail cleanly.
  TempDir follow_dir;
  ChildProcess tail({BinaryPath("picketctl"), "tail", "--config", s.config, "--from", "5"},
                    follow_dir / "tail.log");
  // (Another producer: with its own key, the only one the bus takes it from.)
  CHECK(Picketctl(work, with({"publish", "--key", s.keys.KeyFile("late"), "--type", "ops.note",
                              "--producer", "late"}))
            .out == "5\n");
  CHECK(WaitUntil(
      [&] { return ReadFile(follow_dir / "tail.log").find("#5 ") != std::string::npos; }, 10s));
  tail.Signal(SIGTERM);
  auto tail_status = tail.Wait(10s);
  REQUIRE(tail_status.has_value());
  CHECK(WIFEXITED(*tail_status));
  CHECK(WEXITSTATUS(*tail_status) == 0);
}

// Issue 9: the bus's tooLarge nack carried no event id, so the publisher could not match
// it ("nack tooLarge for no pending event" on every re-send), and picketctl waited out its
// timeout and exited 3, "no answer ... may or may not be recorded".
TEST_CASE("picketctl publish of a 70 KB body exits 1 naming tooLarge instead of no answer",
          "[picketctl][process]") {
  RunningSite s;
  TempDir work;
  const std::string body =
      R"({"post":"gate-1","kind":"smoke","note":")" + std::string(70'000, 'n') + R"("})";
  auto r = Picketctl(work, {"publish", "--config", s.config, "--timeout", "20s", "--type",
                            "terminal.incident_reported", "--body", body});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("nacked: tooLarge: ") &&
                        Catch::Contains("over bus.max_message_bytes (65536)"));
  CHECK_THAT(r.err, !Catch::Contains("no answer") && !Catch::Contains("no pending event"));
  // The nack is final (exit 1), not the timeout's "no answer" (exit 3) after re-sends.
  auto status = Picketctl(work, {"status", "--config", s.config, "--json"});
  CHECK(nlohmann::json::parse(status.out)["headSeq"] == 0);  // nothing recorded
}

TEST_CASE("picketctl gives up with exit code 3 when no bus answers", "[picketctl][process]") {
  TempDir dir;
  const std::string nowhere = "ipc://" + (dir / "nobody.sock");
  const std::vector<std::string> endpoints = {"--ingest", nowhere, "--events",  nowhere,
                                              "--replay", nowhere, "--timeout", "300ms"};
  for (std::vector<std::string> cmd : {std::vector<std::string>{"status"},
                                       {"publish", "--site", "s", "--type", "ops.note"},
                                       {"tail"}}) {
    cmd.insert(cmd.end(), endpoints.begin(), endpoints.end());
    auto start = std::chrono::steady_clock::now();
    auto r = Picketctl(dir, cmd);
    INFO(cmd[0] << ": " << r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("no answer from the bus"));
    CHECK(std::chrono::steady_clock::now() - start < 10s);
  }
}

TEST_CASE("picketctl refuses bad flags with exit code 2", "[picketctl][process]") {
  TempDir dir;
  CHECK(Picketctl(dir, {}).exit_code == 2);
  CHECK(Picketctl(dir, {"status"}).exit_code == 2);  // no endpoint at all
  auto r = Picketctl(dir, {"tail", "--from", "0", "--events", "x", "--replay", "y"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("start at 1"));
  WriteFile(dir / "bad.toml", "[site]\nid = 3\n");
  r = Picketctl(dir, {"status", "--config", dir / "bad.toml"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("site.id"));
}

TEST_CASE("picketctl keys new writes a key pair the runtime reads, and never overwrites one",
          "[picketctl][process][curve]") {
  TempDir dir;
  auto r = Picketctl(dir, {"keys", "new", "--name", "gate-1-terminal", "--dir", dir.path()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string error;
  auto secret = ReadKeyFile(dir / "gate-1-terminal.key", true, &error);
  REQUIRE(secret);
  auto pub = ReadKeyFile(dir / "gate-1-terminal.pub", false, &error);
  REQUIRE(pub);
  CHECK(pub->public_key == secret->public_key);
  CHECK_THAT(r.out, Catch::Contains("public = \"" + secret->public_key + "\""));
  CHECK_THAT(r.out, !Catch::Contains(secret->secret_key));  // the secret stays in the file

  auto again = Picketctl(dir, {"keys", "new", "--name", "gate-1-terminal", "--dir", dir.path()});
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::Contains("already exists"));
  CHECK(ReadKeyFile(dir / "gate-1-terminal.key", true, &error)->secret_key == secret->secret_key);

  CHECK(Picketctl(dir, {"keys", "new", "--name", "Gate/1", "--dir", dir.path()}).exit_code == 2);
  CHECK(Picketctl(dir, {"keys", "new", "--name", "x", "--dir", dir / "none"}).exit_code == 2);
  CHECK(Picketctl(dir, {"keys", "new"}).exit_code == 2);
}

TEST_CASE("picketctl keys new --role prints the identity's line, which the site accepts",
          "[picketctl][process][curve]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "keys");
  // The last line each prints goes under [security.identities], as docs/security.md says.
  std::string listed;
  for (std::vector<std::string> extra :
       {std::vector<std::string>{"--name", "bus", "--role", "service"},
        {"--name", "gate-1-terminal", "--role", "terminal", "--post", "gate-1", "--gate",
         "main-gate"},
        {"--name", "otto", "--role", "officer"}}) {
    std::vector<std::string> args{"keys", "new", "--dir", dir / "keys"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = Picketctl(dir, args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto lines = r.OutLines();
    REQUIRE(lines.size() == 5);
    CHECK(lines[3] == "# its line under [security.identities] in site.toml:");
    listed += lines[4] + "\n";
  }
  std::string error;
  auto terminal = ReadKeyFile(dir / "keys/gate-1-terminal.pub", false, &error);
  REQUIRE(terminal);
  CHECK_THAT(listed, Catch::Contains("\"gate-1-terminal\" = { role = \"terminal\", post = "
                                     "\"gate-1\", gates = [\"main-gate\"], public = \"" +
                                     terminal->public_key + "\" }"));
  const std::string config =
      testing::WriteSiteConfig(dir.path(), "test-site", false,
                               "\n[security]\nkeys = \"keys\"\n\n[security.identities]\n" + listed);
  auto check = testing::RunCommand({BinaryPath("picket-bus"), "--config", config, "--check-config"},
                                   dir / "check.log");
  INFO(check.output);
  CHECK(check.exit_code == 0);

  // A role the site does not know, a post without the terminal role, a terminal without a
  // post: exit 2, and no key is written.
  for (std::vector<std::string> bad : {std::vector<std::string>{"--role", "boss"},
                                       {"--role", "officer", "--post", "gate-1"},
                                       {"--role", "terminal"},
                                       {"--post", "gate-1"}}) {
    std::vector<std::string> args{"keys", "new", "--name", "nobody", "--dir", dir / "keys"};
    args.insert(args.end(), bad.begin(), bad.end());
    auto r = Picketctl(dir, args);
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
    CHECK_FALSE(std::filesystem::exists(dir / "keys/nobody.key"));
  }
}

}  // namespace picket

namespace picket {
namespace {

// Edits the stored bytes of events `from`.. of the bus log in `bus_dir` as someone with the
// disk could: through RocksDB itself, so that its own checksums cannot notice. `edit(seq,
// value)` changes a value in place (it is written back) and returns false to stop after it.
// The bus must be stopped.
void EditStoredEvents(const std::string& bus_dir, uint64_t from,
                      const std::function<bool(uint64_t, std::string&)>& edit) {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), bus_dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const auto& n : names) families.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), bus_dir, families, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* events = nullptr;
  for (auto* h : handles)
    if (h->GetName() == "events") events = h;
  REQUIRE(events != nullptr);
  for (uint64_t seq = from;; ++seq) {
    std::string key(8, '\0');  // the seq, big-endian (docs/bus-storage.md)
    for (int i = 0; i < 8; ++i) key[7 - i] = static_cast<char>((seq >> (8 * i)) & 0xff);
    std::string value;
    if (!db->Get(rocksdb::ReadOptions(), events, key, &value).ok()) break;
    const bool more = edit(seq, value);
    REQUIRE(db->Put(rocksdb::WriteOptions(), events, key, value).ok());
    if (!more) break;
  }
  for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
  REQUIRE(db->Close().ok());
}

// Changes `from` to `to` (the same length) inside the stored bytes of event `seq`.
void TamperWithEvent(const std::string& bus_dir, uint64_t seq, const std::string& from,
                     const std::string& to) {
  REQUIRE(from.size() == to.size());
  EditStoredEvents(bus_dir, seq, [&](uint64_t, std::string& value) {
    auto at = value.find(from);
    REQUIRE(at != std::string::npos);
    value.replace(at, from.size(), to);
    return false;  // this one only
  });
}

// What an attacker who knows the chain's arithmetic does after changing event `changed`:
// recomputes the prevHash of every later event so that every link holds again; with
// `resign_tips`, also writes the new chain hash into each checkpoint's tipHash (its
// signature, which needs the bus's secret key, stays as it was).
void RelinkAfter(const std::string& bus_dir, uint64_t changed, bool resign_tips) {
  std::optional<ChainHash> prev;
  EditStoredEvents(bus_dir, changed, [&](uint64_t seq, std::string& value) {
    std::string error;
    auto msg = DecodedMessage::Decode(value, &error);
    REQUIRE(msg);
    capnp::MallocMessageBuilder copy;
    copy.setRoot(msg->Root<wire::Event>());
    auto e = copy.getRoot<wire::Event>();
    if (seq > changed) {
      e.setPrevHash(capnp::Data::Reader(prev->data(), prev->size()));
      if (resign_tips && std::string_view(e.getType().cStr()) == "bus.checkpoint")
        e.getBody().getAs<wire::ChainCheckpoint>().setTipHash(
            capnp::Data::Reader(prev->data(), prev->size()));
      value = Canonical(e.asReader()).bytes;
    }
    prev = ChainHashOf(e.asReader());
    return true;
  });
}

}  // namespace

TEST_CASE(
    "picketctl audit verify passes on an intact log and names the event whose stored bytes "
    "were changed on disk",
    "[picketctl][process][audit]") {
  TempDir dir;
  testing::SiteKeysFixture keys(dir.path());
  const std::string config = SecureSiteConfig(dir.path(), keys);
  TempDir work;
  auto start_site = [&] {
    auto site = std::make_unique<ChildProcess>(
        std::vector<std::string>{BinaryPath("picket-site"), "--config", config}, dir / "site.log");
    REQUIRE(WaitUntil([&] { return testing::ReadBusReady(dir / "data/bus").has_value(); }, 20s));
    return site;
  };
  auto site = start_site();
  auto empty = Picketctl(work, {"audit", "verify", "--config", config});
  CHECK(empty.exit_code == 0);
  CHECK_THAT(empty.out, Catch::Contains("empty: nothing to verify"));
  std::string lines;
  for (int i = 1; i <= 8; ++i)
    lines += "{\"type\":\"terminal.panic_pressed\",\"actor\":\"guard-" + std::to_string(i) +
             "\",\"body\":{\"post\":\"gate-1\"}}\n";
  REQUIRE(Picketctl(work, {"publish", "--config", config}, testing::Stdin(lines)).exit_code == 0);

  auto intact = Picketctl(work, {"audit", "verify", "--config", config});
  INFO(intact.err);
  CHECK(intact.exit_code == 0);
  CHECK_THAT(intact.out, Catch::Contains("chain intact from #1 to #8: 8 links checked"));

  // One byte of event 5 changed on disk while the bus was down.
  site->Signal(SIGTERM);
  REQUIRE(site->Wait(15s));
  site.reset();
  std::filesystem::remove(dir / "data/bus/ready");
  TamperWithEvent(dir / "data/bus/log", 5, "guard-5", "guard-6");
  site = start_site();

  auto broken = Picketctl(work, {"audit", "verify", "--config", config});
  INFO(broken.out << broken.err);
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.out, Catch::Contains("BROKEN at #6"));
  CHECK_THAT(broken.out, Catch::Contains("event #5 was changed after it was recorded"));
  // The stretch before it is intact, and so is the one after it (from #7, the link from #6).
  auto before = Picketctl(work, {"audit", "verify", "--config", config, "--to", "4"});
  CHECK(before.exit_code == 0);
  CHECK_THAT(before.out, Catch::Contains("chain intact from #1 to #4: 4 links checked"));
  auto after = Picketctl(work, {"audit", "verify", "--config", config, "--from", "7"});
  CHECK(after.exit_code == 0);
  CHECK_THAT(after.out, Catch::Contains("(the link into #7 from #6 included)"));
  auto bad = Picketctl(work, {"audit", "verify", "--config", config, "--from", "0"});
  CHECK(bad.exit_code == 2);
  site->Signal(SIGTERM);
  site->Wait(15s);
}

TEST_CASE(
    "audit verify with the bus's checkpoint key catches a log rewritten with every link "
    "recomputed, which the chain alone cannot",
    "[picketctl][process][audit]") {
  TempDir dir;
  TempDir work;
  std::filesystem::create_directories(dir / "keys");
  auto made = Picketctl(
      work, {"keys", "new", "--name", "bus-checkpoint", "--dir", dir / "keys", "--signing"});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  CHECK_THAT(made.out, Catch::Contains("checkpoint_public = \""));
  const std::string verify_key = dir / "keys/bus-checkpoint.verify";
  testing::SiteKeysFixture keys(dir.path());  // the CURVE keys, beside the checkpoint key
  const std::string config =
      SecureSiteConfig(dir.path(), keys,
                       "checkpoint_key = \"keys/bus-checkpoint.sign\"\ncheckpoint_every = 3\n"
                       "checkpoint_interval = \"1s\"\n");
  auto start_site = [&] {
    auto site = std::make_unique<ChildProcess>(
        std::vector<std::string>{BinaryPath("picket-site"), "--config", config}, dir / "site.log");
    REQUIRE(WaitUntil([&] { return testing::ReadBusReady(dir / "data/bus").has_value(); }, 20s));
    return site;
  };
  auto stop_site = [&](std::unique_ptr<ChildProcess>& site) {
    site->Signal(SIGTERM);
    REQUIRE(site->Wait(15s));
    site.reset();
    std::filesystem::remove(dir / "data/bus/ready");
  };
  auto site = start_site();
  for (int i = 1; i <= 7; ++i)
    REQUIRE(Picketctl(work, {"publish", "--config", config},
                      testing::Stdin("{\"type\":\"terminal.panic_pressed\",\"actor\":\"guard-" +
                                     std::to_string(i) + "\",\"body\":{\"post\":\"gate-1\"}}\n"))
                .exit_code == 0);
  // Every event is covered once the newest event of the log is a checkpoint (within the
  // 1 s interval after the last publish).
  ToolResult good;
  REQUIRE(WaitUntil(
      [&] {
        good = Picketctl(work,
                         {"audit", "verify", "--config", config, "--checkpoint-key", verify_key});
        return good.exit_code == 0 &&
               good.out.find("signed checkpoints verified") != std::string::npos &&
               good.out.find("by the chain alone") == std::string::npos;
      },
      20s));
  CHECK_THAT(good.out, Catch::Contains("with 'bus-checkpoint', the last covering #"));
  // Without the key they are counted, not checked.
  auto unkeyed = Picketctl(work, {"audit", "verify", "--config", config});
  CHECK(unkeyed.exit_code == 0);
  CHECK_THAT(unkeyed.out, Catch::Contains("signed checkpoints not checked"));
  // Nobody else may record a checkpoint: the type is the bus's own. Not a terminal under
  // its own name, nor an admin. (Each refusal is recorded, as bus.publish_refused.)
  auto forged = Picketctl(
      work, {"publish", "--config", config, "--key", keys.KeyFile("gate-1-terminal"), "--type",
             "bus.checkpoint", "--producer", "gate-1-terminal", "--body", "{}"});
  CHECK(forged.exit_code != 0);
  CHECK_THAT(forged.err + forged.out, Catch::Contains("unauthorized"));
  auto by_admin =
      Picketctl(work, {"publish", "--config", config, "--type", "bus.checkpoint", "--body", "{}"});
  CHECK(by_admin.exit_code != 0);
  CHECK_THAT(by_admin.err + by_admin.out, Catch::Contains("unauthorized"));

  // Event #2 changed on disk and every later link recomputed: the chain alone says intact.
  stop_site(site);
  TamperWithEvent(dir / "data/bus/log", 2, "guard-2", "guard-9");
  RelinkAfter(dir / "data/bus/log", 2, false);
  site = start_site();
  auto relinked = Picketctl(work, {"audit", "verify", "--config", config});
  INFO(relinked.out << relinked.err);
  CHECK(relinked.exit_code == 0);
  CHECK_THAT(relinked.out, Catch::Contains("chain intact"));
  auto caught =
      Picketctl(work, {"audit", "verify", "--config", config, "--checkpoint-key", verify_key});
  INFO(caught.out << caught.err);
  CHECK(caught.exit_code == 1);
  CHECK_THAT(caught.out, Catch::Contains("BROKEN at #"));
  CHECK_THAT(caught.out, Catch::Contains("the log was rewritten at or before #"));

  // The attacker also writes the new hashes into the checkpoints: their signatures fail.
  stop_site(site);
  RelinkAfter(dir / "data/bus/log", 2, true);
  site = start_site();
  auto resigned =
      Picketctl(work, {"audit", "verify", "--config", config, "--checkpoint-key", verify_key});
  INFO(resigned.out << resigned.err);
  CHECK(resigned.exit_code == 1);
  CHECK_THAT(resigned.out, Catch::Contains("signature does not verify with 'bus-checkpoint'"));
  // A key that is not a .verify file is refused before anything is read.
  auto bad_key = Picketctl(
      work, {"audit", "verify", "--config", config, "--checkpoint-key", dir / "site.toml"});
  CHECK(bad_key.exit_code == 2);
  site->Signal(SIGTERM);
  site->Wait(15s);
}

}  // namespace picket
