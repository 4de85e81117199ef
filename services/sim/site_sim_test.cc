#include "sim/site_sim.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

using namespace picket;
using namespace picket::sim;

namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kStart = 1'800'000'000LL * kSecond;

SimModel Model() {
  SimModel m;
  m.posts = {{"gate-1", {"main-gate"}, {{"hana", "4711"}}},
             {"gate-2", {"delivery-gate"}, {{"omar", "2580"}}},
             {"north", {}, {{"kurt", "9876"}}}};
  m.routes["north-round"] = {"north", {"CP-1", "CP-2", "CP-3", "CP-4"}, 20 * kSecond};
  m.incident_kinds = {"intrusion", "fence_damage"};
  m.officers = {"otto"};
  return m;
}

std::vector<SimAction> RunFor(SiteSim& sim, Micros until, Micros step) {
  std::vector<SimAction> all;
  for (Micros t = kStart; t <= until; t += step) {
    auto due = sim.Due(t);
    all.insert(all.end(), due.begin(), due.end());
  }
  return all;
}

std::vector<SimAction> Typed(const std::vector<SimAction>& all, const std::string& post) {
  std::vector<SimAction> out;
  for (const auto& a : all)
    if (a.kind == SimAction::Kind::kType && a.post == post) out.push_back(a);
  return out;
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("site sim: the same seed and start give the same actions, however often it is asked",
          "[sim]") {
  SiteSim a(Model(), 7, kStart), b(Model(), 7, kStart), c(Model(), 8, kStart);
  auto fine = RunFor(a, kStart + 3 * kHour, kSecond);
  auto coarse = RunFor(b, kStart + 3 * kHour, 7 * kMinute);
  // The coarse run asks last at start + 175 min: compare what both have by then.
  const Micros last = kStart + 175 * kMinute;
  std::erase_if(fine, [&](const SimAction& x) { return x.at > last; });
  REQUIRE(fine.size() > 50);
  CHECK(fine == coarse);
  CHECK(RunFor(c, last, kMinute) != fine);
  for (size_t i = 1; i < fine.size(); ++i) REQUIRE(fine[i - 1].at <= fine[i].at);
}

TEST_CASE("site sim: every post's guard logs in at the start and again every relogin", "[sim]") {
  SiteSim sim(Model(), 1, kStart);
  auto first = sim.Due(kStart);
  REQUIRE(first.size() >= 4);
  // The officer goes on shift, the visitors' host is registered, once.
  REQUIRE(first[0].kind == SimAction::Kind::kCommand);
  CHECK(first[0].command == std::vector<std::string>{"shift", "start", "otto", "--post", "hq",
                                                     "--role", "duty_officer", "--as", "otto"});
  REQUIRE(first[1].kind == SimAction::Kind::kCommand);
  CHECK(first[1].command[1] == "register-person");
  auto all = RunFor(sim, kStart + 12 * kMinute, kSecond);
  all.insert(all.begin(), first.begin(), first.end());
  size_t logins = 0;
  for (const auto& a : Typed(all, "gate-2"))
    if (a.line == "/login omar 2580") {
      CHECK((a.at - kStart) % (5 * kMinute) == 0);
      ++logins;
    }
  CHECK(logins == 3);  // at 0, 5 and 10 minutes
}

TEST_CASE("site sim: visitors come to the gate posts, most with a pass issued first", "[sim]") {
  SimModel m = Model();
  m.visitors_per_hour = 60;
  m.incidents_per_hour = 0;
  SiteSim sim(m, 3, kStart);
  auto all = RunFor(sim, kStart + 10 * kHour, 10 * kSecond);
  CHECK(sim.visitors() > 450);
  CHECK(sim.visitors() < 750);
  CHECK(Typed(all, "north").size() > 0);  // logins, but no visitors: it has no gate
  for (const auto& a : Typed(all, "north"))
    CHECK((StartsWith(a.line, "/login") || a.line == "/ack"));
  size_t registered = 0, walkups = 0;
  std::map<std::string, Micros> issued;
  for (const auto& a : all) {
    if (a.kind == SimAction::Kind::kCommand && a.command[1] == "issue-pass") {
      issued[a.command[2]] = a.at;
      ++registered;
    }
    if (a.kind == SimAction::Kind::kType && StartsWith(a.line, "W")) ++walkups;
  }
  const double share = static_cast<double>(walkups) / static_cast<double>(registered + walkups);
  CHECK(share > 0.1);
  CHECK(share < 0.3);
  // A pass is scanned only after it was issued, in then out.
  std::map<std::string, int> scans;
  for (const auto& a : all) {
    if (a.kind != SimAction::Kind::kType || !StartsWith(a.line, "V")) continue;
    REQUIRE(issued.count(a.line) == 1);
    CHECK(a.at >= issued[a.line] + 20 * kSecond);
    ++scans[a.line];
  }
  for (const auto& [code, n] : scans) CHECK(n <= 2);
}

TEST_CASE("site sim: a scheduled round is walked in order, some rounds and checkpoints skipped",
          "[sim]") {
  SimModel m = Model();
  m.round_skip_share = 0.2;
  m.checkpoint_skip_share = 0.25;
  m.incidents_per_hour = 0;
  SiteSim sim(m, 5, kStart);
  size_t started = 0, tags = 0;
  for (uint64_t round = 1; round <= 400; ++round) {
    const Micros due = kStart + static_cast<Micros>(round) * 3 * kMinute;
    sim.OnRoundScheduled(round, "north-round", due);
    sim.OnRoundScheduled(round, "north-round", due);     // the same round again: once
    sim.OnRoundScheduled(round + 1000, "nowhere", due);  // another site's route: ignored
    auto acts = Typed(sim.Due(due + 3 * kMinute - 1), "north");
    std::erase_if(
        acts, [](const SimAction& a) { return a.line == "/ack" || StartsWith(a.line, "/login"); });
    if (acts.empty()) continue;
    ++started;
    REQUIRE(acts[0].line == "/round start north-round");
    CHECK(acts[0].at >= due);
    CHECK(acts[0].at <= due + 5 * kSecond);
    std::string last;
    for (size_t i = 1; i < acts.size(); ++i) {
      CHECK(acts[i].line > last);  // CP-1 < CP-2 < ...: in order
      CHECK(acts[i].at - acts[i - 1].at <= 4 * 14 * kSecond);
      last = acts[i].line;
      ++tags;
    }
    CHECK(acts.size() <= 5);
  }
  const double skipped_rounds = 1.0 - static_cast<double>(started) / 400;
  CHECK(skipped_rounds > 0.12);
  CHECK(skipped_rounds < 0.28);
  const double skipped_tags = 1.0 - static_cast<double>(tags) / static_cast<double>(4 * started);
  CHECK(skipped_tags > 0.18);
  CHECK(skipped_tags < 0.32);
}

TEST_CASE("site sim: officers acknowledge most first alerts within the delay, some resolve",
          "[sim]") {
  SimModel m = Model();
  m.incidents_per_hour = 0;
  SiteSim sim(m, 9, kStart);
  sim.Due(kStart);
  size_t acks = 0, resolves = 0;
  for (uint64_t incident = 1; incident <= 500; ++incident) {
    const Micros at = kStart + static_cast<Micros>(incident) * kHour;
    sim.OnAlertRaised(incident, 2, 0, at);  // a later level: no reaction
    sim.OnAlertRaised(incident, 1, 1, at);  // a repeat pass: no reaction
    sim.OnAlertRaised(incident, 1, 0, at);
    sim.OnAlertRaised(incident, 1, 0, at);  // once per incident
    for (const auto& a : sim.Due(at + 50 * kMinute)) {
      if (a.kind != SimAction::Kind::kCommand) continue;
      if (a.command[1] == "ack") {
        ++acks;
        CHECK(a.command[2] == std::to_string(incident));
        CHECK(a.at >= at + m.ack_delay_min);
        CHECK(a.at <= at + m.ack_delay_max);
        sim.OnAcknowledged(incident, a.at);
        sim.OnAcknowledged(incident, a.at);
      }
    }
    for (const auto& a : sim.Due(at + 59 * kMinute))
      if (a.kind == SimAction::Kind::kCommand && a.command[1] == "resolve") {
        ++resolves;
        CHECK(a.command[5] == "--override");
      }
  }
  CHECK(acks > 360);
  CHECK(acks < 440);
  CHECK(resolves > acks / 2 - 50);
  CHECK(resolves < acks * 7 / 10 + 30);
}

TEST_CASE("site sim: a model it cannot run is refused with the reasons", "[sim]") {
  CHECK(ValidateSimModel(Model()).empty());
  SimModel m = Model();
  m.posts[0].guards.clear();
  m.officers.clear();
  m.ack_share = 1.5;
  m.routes["lost"] = {"nowhere", {}, 0};
  auto errors = ValidateSimModel(m);
  CHECK(errors.size() == 6);
}

TEST_CASE("site sim: a linked post's link goes down now and then, and comes back", "[sim]") {
  SimModel m = Model();
  m.posts[0].linked = true;  // gate-1 only
  m.offline_every = 10 * kMinute;
  m.offline_min = kMinute;
  m.offline_max = 3 * kMinute;
  m.visitors_per_hour = 0;
  m.incidents_per_hour = 0;
  SiteSim sim(m, 11, kStart);
  auto all = RunFor(sim, kStart + 10 * kHour, 10 * kSecond);
  size_t downs = 0;
  Micros down_at = 0;
  bool down = false;
  for (const auto& a : all) {
    if (a.kind == SimAction::Kind::kLinkDown) {
      CHECK(a.post == "gate-1");
      REQUIRE_FALSE(down);  // never cut twice at once
      down = true;
      down_at = a.at;
      ++downs;
    } else if (a.kind == SimAction::Kind::kLinkUp) {
      REQUIRE(down);
      CHECK(a.at - down_at >= m.offline_min);
      CHECK(a.at - down_at <= m.offline_max);
      down = false;
    }
  }
  CHECK(downs > 30);  // about one every 10 min, minus those that fell in an outage
  CHECK(downs < 75);
  SimModel unlinked = Model();
  unlinked.offline_every = 10 * kMinute;
  SiteSim never(unlinked, 11, kStart);
  for (const auto& a : RunFor(never, kStart + kHour, kMinute))
    CHECK((a.kind == SimAction::Kind::kType || a.kind == SimAction::Kind::kCommand));
}

TEST_CASE("site sim: the guards of a post take turns, a shift each", "[sim]") {
  SimModel m = Model();
  m.posts[0].guards.push_back({"lena", "1357"});  // gate-1: hana, then lena, then hana ...
  m.shift_length = 20 * kMinute;
  m.visitors_per_hour = 0;
  m.incidents_per_hour = 0;
  SiteSim sim(m, 2, kStart);
  const auto all = RunFor(sim, kStart + 61 * kMinute, 10 * kSecond);
  const auto gate1 = Typed(all, "gate-1");
  std::vector<std::string> who;  // each login's guard, in order, with the handovers
  for (const auto& a : gate1) {
    if (a.line == "/logout") who.push_back("logout@" + std::to_string((a.at - kStart) / kMinute));
    if (StartsWith(a.line, "/login ")) {
      const Micros minute = (a.at - kStart) / kMinute;
      const std::string guard = a.line.substr(7, a.line.find(' ', 7) - 7);
      CHECK(guard == (minute / 20 % 2 == 0 ? "hana" : "lena"));
    }
  }
  CHECK(who == std::vector<std::string>{"logout@20", "logout@40", "logout@60"});
  const auto gate2 = Typed(all, "gate-2");
  CHECK_FALSE(gate2.empty());
  for (const auto& a : gate2) CHECK(a.line != "/logout");  // one guard: no handover
}

TEST_CASE(
    "site sim: some walk-ups wait in picket-access's queue until an officer approves them, "
    "then get a pass",
    "[sim]") {
  SimModel m = Model();
  m.visitors_per_hour = 60;
  m.incidents_per_hour = 0;
  SiteSim sim(m, 5, kStart);
  auto all = RunFor(sim, kStart + 10 * kHour, 10 * kSecond);
  std::map<std::string, SimAction> asked, approved, issued;
  for (const auto& a : all) {
    if (a.kind != SimAction::Kind::kCommand || a.command.size() < 3) continue;
    if (a.command[1] == "walk-up") asked[a.command[2]] = a;
    if (a.command[1] == "approve") approved[a.command[2]] = a;
    if (a.command[1] == "issue-pass") issued[a.command[4]] = a;  // by person
  }
  REQUIRE(asked.size() > 10);
  CHECK(approved.size() == asked.size());
  for (const auto& [person, request] : asked) {
    INFO(person);
    // Registered by the guard on duty, without an approval, at a gate of the post.
    const auto& c = request.command;
    CHECK(std::find(c.begin(), c.end(), "--approved-by") == c.end());
    auto as = std::find(c.begin(), c.end(), "--as");
    REQUIRE(as + 1 < c.end());
    CHECK((*(as + 1) == "hana" || *(as + 1) == "omar"));
    auto gate = std::find(c.begin(), c.end(), "--gate");
    REQUIRE(gate + 1 < c.end());
    CHECK((*(gate + 1) == "main-gate" || *(gate + 1) == "delivery-gate"));
    // Approved by an officer 30 s..2 min later, then given a pass.
    REQUIRE(approved.count(person) == 1);
    const SimAction& ok = approved[person];
    CHECK(ok.command ==
          std::vector<std::string>{"access", "approve", person, "--by", "otto", "--as", "otto"});
    CHECK(ok.at >= request.at + 30 * kSecond);
    CHECK(ok.at <= request.at + 2 * kMinute);
    REQUIRE(issued.count(person) == 1);
    CHECK(issued[person].at > ok.at);
  }
}
