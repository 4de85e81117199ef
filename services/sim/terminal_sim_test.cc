#include "sim/terminal_sim.h"

#include <capnp/message.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "wire/event_json.h"

namespace picket {

TEST_CASE("Every generated event is valid for its type's schema", "[terminal_sim]") {
  TerminalSim sim({"gate-1", "gate-2", "north"}, 42);
  std::map<std::string, int> types;
  for (int i = 0; i < 2000; ++i) {
    SimEvent e = sim.Next();
    capnp::MallocMessageBuilder b;
    std::string error;
    INFO(e.ToJson().dump());
    REQUIRE(EventFromJson(e.ToJson(), b.initRoot<wire::Event>(), &error));
    ++types[e.type];
  }
  // The mix: mostly pass scans, then patrol scans, some incidents, few panics.
  CHECK(types["terminal.pass_scanned"] > 1200);
  CHECK(types["terminal.checkpoint_scanned"] > 300);
  // One round start per six checkpoint scans.
  CHECK(types["terminal.round_started"] * 6 >= types["terminal.checkpoint_scanned"]);
  CHECK(types["terminal.round_started"] * 6 <= types["terminal.checkpoint_scanned"] + 6 * 3);
  CHECK(types["terminal.incident_reported"] > 20);
  CHECK(types["terminal.panic_pressed"] > 0);
  CHECK(types["terminal.panic_pressed"] < 60);
}

TEST_CASE("Only people who came in go out, each once", "[terminal_sim]") {
  TerminalSim sim({"gate-1", "gate-2"}, 7);
  std::set<std::string> inside;
  int outs = 0;
  for (int i = 0; i < 5000; ++i) {
    SimEvent e = sim.Next();
    if (e.type != "terminal.pass_scanned") continue;
    std::string code = e.body["passCode"];
    if (e.body["direction"] == "in") {
      CHECK(inside.insert(code).second);
    } else {
      CHECK(inside.erase(code) == 1);
      ++outs;
    }
  }
  CHECK(outs > 100);
  CHECK(sim.OnSite() == inside.size());
  CHECK(sim.OnSite() <= 2 * 40 + 2);  // the crowd stays bounded
}

TEST_CASE("Patrol scans walk the post's tags in order", "[terminal_sim]") {
  TerminalSim sim({"gate-1"}, 3);
  std::vector<std::string> tags;  // with "start" for each round start
  while (tags.size() < 10) {
    SimEvent e = sim.Next();
    if (e.type == "terminal.checkpoint_scanned") tags.push_back(e.body["tag"]);
    if (e.type == "terminal.round_started") tags.push_back("start");
  }
  CHECK(tags[0] == "start");
  CHECK(tags[7] == "start");
  tags.erase(std::remove(tags.begin(), tags.end(), "start"), tags.end());
  CHECK(tags[0] == "gate-1/cp-1");
  CHECK(tags[5] == "gate-1/cp-6");
  CHECK(tags[6] == "gate-1/cp-1");
}

TEST_CASE("The same seed gives the same stream", "[terminal_sim]") {
  TerminalSim a({"p", "q"}, 99), b({"p", "q"}, 99);
  for (int i = 0; i < 100; ++i) CHECK(a.Next().ToJson() == b.Next().ToJson());
}

TEST_CASE("Post lists are split on commas", "[terminal_sim]") {
  CHECK(SplitPosts("gate-1,gate-2") == std::vector<std::string>{"gate-1", "gate-2"});
  CHECK(SplitPosts(",a,,b,") == std::vector<std::string>{"a", "b"});
  CHECK(SplitPosts("").empty());
}

}  // namespace picket
