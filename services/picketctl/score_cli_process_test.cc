// `picketctl score ...` as real processes. Against a fake endpoint in the test: a retry
// reuses the command id and `unavailable` is exit 3; bad flags are exit 2 with nothing
// sent. Against a real picket-bus and a real picket-scoring (its command port picked at
// start and found through its ready file; the default rules, UTC): the real picketctl
// records an inspection of gate-1 with ann on post (a pass and a fault), waits for its
// findings to come back from the bus and be scored (+1 and -3), reads ann's explanation,
// the leaderboard and the fault's entry, voids the fault (a second void is refused: exit
// 1), is refused an unknown post (exit 1), commends the yard, lists the awards and gets no
// answer from a dead port (exit 3). The site runs with keys (BusUnderTest): chief (a
// supervisor) inspects, voids and commends with his own key; queries go with the site's
// picketctl_key (the probe, an admin).
#include <capnp/message.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "picket/schemas/scoring.capnp.h"
#include "picketctl/cli_process_support.h"
#include "picketctl/fake_endpoint.h"
#include "support/bus_fixture.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "wire/codec.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;

const std::string kScoringToml = R"(
[scoring]
commands = "tcp://127.0.0.1:*"
http = ""
time_zone = "UTC0"
squads = { north = ["gate-1", "gate-2"] }
posts = ["yard"]
)";

using Run = testing::CliRun;
using testing::Picketctl;

// The whitespace-separated cells of each line of `text`.
std::vector<std::vector<std::string>> Cells(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> cells;
    for (std::string w; words >> w;) cells.push_back(w);
    rows.push_back(std::move(cells));
  }
  return rows;
}

// The cells of the first line whose cell `column` is `value`; empty if none.
std::vector<std::string> RowWith(const std::string& text, size_t column, const std::string& value) {
  for (auto& cells : Cells(text))
    if (cells.size() > column && cells[column] == value) return cells;
  return {};
}

// The service's `unavailable` reply, which a fake endpoint answers retries with.
std::string Unavailable() {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::ScoringReply>();
  r.setError(wire::ScoringError::UNAVAILABLE);
  r.setMessage("store busy");
  return Encode(b);
}

}  // namespace

TEST_CASE("picketctl score retries a command with the same id, and unavailable is exit 3",
          "[picketctl][score][process]") {
  TempDir work;
  testing::FakeEndpoint fake(3, testing::FakeEndpoint::SilentThen(Unavailable()));
  auto r = Picketctl(work, {"score", "inspect", "gate-1", "--guard", "ann", "--pass", "uniform",
                            "--fault", "phone:on the phone", "--as", "chief", "--commands",
                            fake.endpoint(), "--timeout", "2s"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "picketctl score inspect: unavailable: store busy\nnothing was applied; try again\n");
  const auto& requests = fake.Requests();
  REQUIRE(requests.size() == 3);
  std::vector<std::string> ids;
  for (const auto& frame : requests) {
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    REQUIRE(msg);
    auto q = msg->Root<wire::ScoringRequest>();
    REQUIRE(q.isInspect());
    CHECK(q.getActor() == "chief");
    CHECK(q.getInspect().getPost() == "gate-1");
    CHECK(q.getInspect().getGuard() == "ann");
    auto findings = q.getInspect().getFindings();
    REQUIRE(findings.size() == 2);
    CHECK(findings[1].getCategory() == "phone");
    CHECK(findings[1].getNote() == "on the phone");
    auto d = q.getCommandId();
    ids.emplace_back(reinterpret_cast<const char*>(d.begin()), d.size());
  }
  CHECK(ids[0].size() == 16);
  CHECK(ids[1] == ids[0]);
  CHECK(ids[2] == ids[0]);
}

TEST_CASE("picketctl score refuses bad flags with exit 2 and sends nothing",
          "[picketctl][score][process]") {
  TempDir work;
  const std::string dead = "tcp://127.0.0.1:1";  // nothing is sent: no endpoint is needed
  auto score = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "score");
    args.insert(args.end(), {"--commands", dead, "--timeout", "300ms"});
    return Picketctl(work, args);
  };
  auto no_findings = score({"inspect", "gate-1", "--as", "chief"});
  CHECK(no_findings.exit_code == 2);
  CHECK(no_findings.err ==
        "picketctl score inspect: give at least one finding: --pass CATEGORY or --fault "
        "CATEGORY[:note]\n");
  auto no_category = score({"inspect", "gate-1", "--fault", ":on the phone", "--as", "chief"});
  CHECK(no_category.exit_code == 2);
  CHECK(no_category.err ==
        "picketctl score inspect: --fault: ':on the phone' has no category (give "
        "CATEGORY[:note])\n");
  auto anonymous = score({"void", "3", "--reason", "x"});
  CHECK(anonymous.exit_code == 2);
  CHECK(anonymous.err ==
        "picketctl score void: who is acting? give --as PERSON (or set $PICKET_ACTOR)\n");
  auto two = score({"explain", "--guard", "ann", "--post", "gate-1"});
  CHECK(two.exit_code == 2);
  CHECK(two.err == "picketctl score explain: give only one of --guard, --post and --squad\n");
  auto limit = score({"leaderboard", "--limit", "0"});
  CHECK(limit.exit_code == 2);
  CHECK(limit.err == "picketctl score leaderboard: --limit: '0' is not a number from 1 to 1000\n");
  auto no_reason = score({"commend", "--guard", "ann", "--as", "chief"});
  CHECK(no_reason.exit_code == 2);
  CHECK_THAT(no_reason.err, Catch::Contains("--reason"));
  CHECK(no_reason.out.empty());
}

TEST_CASE(
    "picketctl score records an inspection through picket-scoring, explains and voids its "
    "points and refuses an unknown post",
    "[picketctl][score][process]") {
  // The queries below read today's day (UTC0): within two minutes of midnight the entries
  // could land on the other side of it, so start after midnight then.
  const auto until_midnight = [] {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto day = std::chrono::hours(24);
    return day - now % day;
  };
  if (until_midnight() < std::chrono::minutes(2))
    REQUIRE(WaitUntil([&] { return until_midnight() > std::chrono::hours(23); }, 150s));
  testing::BusUnderTest bus(kScoringToml, {{"chief", "supervisor", "", {}}});
  bus.Start();
  testing::ServiceUnderTest scoring("picket-scoring", bus.config_path(),
                                    bus.dir().path() + "/data/scoring");
  scoring.Start();
  TempDir work;
  // `picketctl score VERB --config ...` with the key of identity `key` (none: the site's
  // picketctl_key).
  auto ctl = [&](std::vector<std::string> args, const std::string& key = "") {
    args.insert(args.begin(), {"score"});
    args.insert(args.begin() + 2, {"--config", bus.config_path()});
    if (!key.empty()) args.insert(args.begin() + 4, {"--key", bus.KeyFile(key)});
    auto r = Picketctl(work, args);
    UNSCOPED_INFO("picketctl score " << args[1] << ": exit " << r.exit_code << "\nstdout: " << r.out
                                     << "\nstderr: " << r.err);
    return r;
  };

  auto inspect = ctl({"inspect", "gate-1", "--guard", "ann", "--pass", "uniform", "--fault",
                      "phone:on the phone", "--as", "chief"},
                     "chief");
  REQUIRE(inspect.exit_code == 0);
  CHECK_THAT(inspect.out, Catch::Matches("inspection [0-9]+ recorded \\(2 findings\\)\n"));

  // The findings are scored when their events come back from the bus: +1 and -3.
  Run explain;
  bool scored = WaitUntil(
      [&] {
        explain = ctl({"explain", "--guard", "ann"});
        return explain.exit_code == 0 &&
               explain.out.find(": -2 points (rewards +1, penalties -3, 2 entries)\n") !=
                   std::string::npos;
      },
      15s);
  INFO(ReadFile(scoring.log_path()));
  REQUIRE(scored);
  CHECK_THAT(explain.out, Catch::StartsWith("guard ann, day 20"));
  auto passed = RowWith(explain.out, 3, "inspection_passed");
  REQUIRE(passed.size() >= 5);  // ENTRY TIME POINTS RULE LABEL...
  CHECK(passed[2] == "+1");
  CHECK_THAT(passed[1], Catch::Matches("20[0-9-]+T[0-9:.]+Z"));
  auto fault = RowWith(explain.out, 3, "inspection_fault");
  REQUIRE(fault.size() >= 5);
  CHECK(fault[2] == "-3");
  const std::string fault_id = fault[0];

  auto board = ctl({"leaderboard", "--by", "guard"});
  REQUIRE(board.exit_code == 0);
  CHECK_THAT(board.out, Catch::StartsWith("leaderboard by guard, day 20"));
  auto ann = RowWith(board.out, 1, "ann");
  REQUIRE(ann.size() == 6);  // RANK GUARD POINTS REWARDS PENALTIES ENTRIES
  CHECK(ann[0] == "1");
  CHECK(ann[2] == "-2");
  CHECK(ann[3] == "1");
  CHECK(ann[4] == "-3");
  CHECK(ann[5] == "2");
  auto csv = ctl({"leaderboard", "--by", "squad", "--csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out == "rank,squad,points,rewards,penalties,entries\r\n1,north,-2,1,-3,2\r\n");

  auto entry = ctl({"entry", fault_id});
  REQUIRE(entry.exit_code == 0);
  CHECK_THAT(entry.out, Catch::StartsWith("entry " + fault_id + ": -3 inspection_fault\n") &&
                            Catch::Contains("  post    gate-1\n") &&
                            Catch::Contains("  squad   north\n") &&
                            Catch::EndsWith("  voided  no\n"));

  auto void_entry = ctl({"void", fault_id, "--reason", "wrong guard", "--as", "chief"}, "chief");
  CHECK(void_entry.exit_code == 0);
  CHECK_THAT(void_entry.out, Catch::StartsWith("entry " + fault_id + " ") &&
                                 Catch::EndsWith(" voided: wrong guard\n"));
  auto again = ctl({"void", fault_id, "--reason", "wrong guard", "--as", "chief"}, "chief");
  CHECK(again.exit_code == 1);
  CHECK(again.out.empty());
  CHECK_THAT(again.err, Catch::StartsWith("picketctl score void: alreadyVoided: "));
  explain = ctl({"explain", "--guard", "ann"});
  CHECK_THAT(explain.out, Catch::Contains(": 1 point (rewards +1, penalties 0, 1 entry)\n") &&
                              Catch::Contains("VOIDED by chief: wrong guard\n"));

  auto unknown = ctl({"inspect", "gate-9", "--pass", "uniform", "--as", "chief"}, "chief");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.out.empty());
  CHECK_THAT(unknown.err, Catch::StartsWith("picketctl score inspect: unknownPost: "));

  auto commend = ctl({"commend", "--post", "yard", "--reason", "x", "--as", "chief"}, "chief");
  REQUIRE(commend.exit_code == 0);
  CHECK_THAT(commend.out, Catch::Matches("commendation [0-9]+ recorded for post yard: x\n"));
  bool commended = WaitUntil(
      [&] {
        auto yard = ctl({"explain", "--post", "yard"});
        return yard.out.find(": 5 points (rewards +5, penalties 0, 1 entry)\n") !=
               std::string::npos;
      },
      15s);
  CHECK(commended);

  // Awards come at a period's end: there may be none yet.
  auto awards = ctl({"awards"});
  REQUIRE(awards.exit_code == 0);
  CHECK((awards.out == "no week award yet\n" || awards.out.rfind("current week award: ", 0) == 0));
  auto json = ctl({"awards", "--period", "day", "--limit", "5", "--json"});
  REQUIRE(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["error"] == "none");
  CHECK(j["awards"].is_array());

  auto board_json = ctl({"leaderboard", "--json"});
  REQUIRE(board_json.exit_code == 0);
  auto b = nlohmann::json::parse(board_json.out);
  CHECK(b["period"]["kind"] == "day");
  REQUIRE(b["standings"].size() == 1);
  CHECK(b["standings"][0]["subject"] == "ann");
  CHECK(b["standings"][0]["totals"]["points"] == 1);

  // Nobody at the endpoint: exit 3 within the timeout.
  auto nobody = Picketctl(
      work, {"score", "leaderboard", "--commands", "tcp://127.0.0.1:1", "--timeout", "300ms"});
  CHECK(nobody.exit_code == 3);
  CHECK_THAT(nobody.err, Catch::StartsWith("picketctl score leaderboard: no answer from "
                                           "picket-scoring at tcp://127.0.0.1:1"));
}

}  // namespace picket
