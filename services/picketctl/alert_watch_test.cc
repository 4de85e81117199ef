#include "picketctl/alert_watch.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <memory>

#include "wire/event_json.h"

namespace picket {
namespace {

constexpr int64_t kT0 = 1'764'104'584'000'000;  // 2025-11-25T21:03:04Z

// Feeds recorded events (seq 1, 2, ...) to an AlertWatch and collects what it prints.
class Stream {
 public:
  explicit Stream(AlertWatchOptions options) : watch_(std::move(options)) {}

  // `body` is the JSON of the event's body (64-bit integers as strings, JsonCodec's rule).
  std::optional<std::string> Feed(const std::string& type, const std::string& body,
                                  const std::string& actor = "") {
    ++seq_;
    nlohmann::ordered_json j = {{"id", std::string(31, '0') + "1"},
                                {"site", "plant-1"},
                                {"type", type},
                                {"producer", "picket-escalation"},
                                {"actor", actor},
                                {"observedAt", kT0},
                                {"seq", seq_},
                                {"recordedAt", kT0 + seq_ * 1000},
                                {"body", nlohmann::ordered_json::parse(body)}};
    capnp::MallocMessageBuilder b;
    std::string error;
    auto event = b.initRoot<wire::Event>();
    INFO(error);
    REQUIRE(EventFromJson(j, event, &error));
    return watch_.OnEvent(event.asReader());
  }

  AlertWatch& watch() { return watch_; }

 private:
  AlertWatch watch_;
  uint64_t seq_ = 0;
};

std::string Opened(int incident, const std::string& type, const std::string& post) {
  return R"({"incident":")" + std::to_string(incident) + R"(","version":"1","incidentType":")" +
         type + R"(","severity":"high","post":")" + post + R"("})";
}

std::string Alert(int incident, const std::string& person, int level = 1,
                  const std::string& extra = "") {
  return R"({"incident":")" + std::to_string(incident) + R"(","version":"2","person":")" + person +
         R"(","level":)" + std::to_string(level) +
         R"(,"target":"role:duty_officer","reason":"opened","respondBy":"1764104614000000")" +
         extra + "}";
}

std::string Ref(int incident) { return R"({"incident":")" + std::to_string(incident) + R"("})"; }

}  // namespace

TEST_CASE("Alerts for the watched person are shown with the incident's type and post",
          "[alert_watch]") {
  Stream s(AlertWatchOptions{.person = "ann"});
  CHECK_FALSE(s.Feed("escalation.incident_opened", Opened(12, "intrusion", "gate-1")));
  auto line = s.Feed("escalation.alert_raised", Alert(12, "ann"));
  REQUIRE(line.has_value());
  CHECK(*line ==
        "#2 2025-11-25T21:03:04.002Z incident 12 alert to ann: level 1, opened, target "
        "role:duty_officer, intrusion at gate-1");
  CHECK_FALSE(s.Feed("escalation.alert_raised", Alert(12, "bob")));
  CHECK_FALSE(s.Feed("terminal.panic_pressed", R"({"post":"gate-1"})"));
}

TEST_CASE("Without a person every alert is shown, and without an opening no type or post",
          "[alert_watch]") {
  Stream s(AlertWatchOptions{});
  CHECK(s.Feed("escalation.alert_raised", Alert(3, "bob", 2)) ==
        "#1 2025-11-25T21:03:04.001Z incident 3 alert to bob: level 2, opened, target "
        "role:duty_officer");
  auto fallback = s.Feed("escalation.alert_raised",
                         Alert(3, "chief", 0, R"(,"fallback":true,"pass":1,"reason":"fallback")"));
  REQUIRE(fallback.has_value());
  CHECK_THAT(*fallback, Catch::Contains("alert to chief: fallback repeat 1, fallback"));
}

TEST_CASE("State changes are shown only for incidents whose alerts were shown", "[alert_watch]") {
  Stream s(AlertWatchOptions{.person = "ann"});
  s.Feed("escalation.alert_raised", Alert(12, "ann"));
  s.Feed("escalation.alert_raised", Alert(13, "bob"));
  CHECK(s.Feed("escalation.incident_acknowledged", Ref(12), "bob") ==
        "#3 2025-11-25T21:03:04.003Z incident 12 acknowledged by bob");
  CHECK_FALSE(s.Feed("escalation.incident_acknowledged", Ref(13), "bob"));
  CHECK(s.Feed("escalation.incident_unacknowledged", R"({"incident":"12","timedOut":true})") ==
        "#5 2025-11-25T21:03:04.005Z incident 12 unacknowledged (the ack timed out)");
  CHECK(s.Feed("escalation.incident_reassigned", R"({"incident":"12","to":"carl"})", "bob") ==
        "#6 2025-11-25T21:03:04.006Z incident 12 reassigned to carl by bob");
  CHECK(s.Feed("escalation.incident_resolved",
               R"({"incident":"12","overrideReason":"false alarm"})", "ann") ==
        "#7 2025-11-25T21:03:04.007Z incident 12 resolved by ann (override: false alarm)");
  // Resolved: no longer followed until it alerts the person again.
  CHECK_FALSE(s.Feed("escalation.note_added", R"({"incident":"12","text":"x"})", "ann"));
  CHECK_FALSE(s.Feed("escalation.incident_resolved", Ref(12), "ann"));
  CHECK_FALSE(s.Feed("escalation.incident_resolved", Ref(13), "bob"));
}

TEST_CASE("JSON lines carry every field of the alert", "[alert_watch]") {
  Stream s(AlertWatchOptions{.person = "ann", .json = true});
  s.Feed("escalation.incident_opened", Opened(12, "intrusion", "gate-1"));
  auto line = s.Feed("escalation.alert_raised", Alert(12, "ann"));
  REQUIRE(line.has_value());
  auto j = nlohmann::json::parse(*line);
  CHECK(j["seq"] == 2);
  CHECK(j["at"] == kT0 + 2000);
  CHECK(j["type"] == "escalation.alert_raised");
  CHECK(j["incident"] == 12);
  CHECK(j["person"] == "ann");
  CHECK(j["level"] == 1);
  CHECK(j["fallback"] == false);
  CHECK(j["reason"] == "opened");
  CHECK(j["target"] == "role:duty_officer");
  CHECK(j["respondBy"] == 1764104614000000);
  CHECK(j["incidentType"] == "intrusion");
  CHECK(j["post"] == "gate-1");
  auto ack = s.Feed("escalation.incident_acknowledged", Ref(12), "ann");
  REQUIRE(ack.has_value());
  CHECK(nlohmann::json::parse(*ack)["actor"] == "ann");
}

TEST_CASE("Memory stays bounded: the lowest incidents are forgotten first", "[alert_watch]") {
  Stream s(AlertWatchOptions{.person = "", .json = false, .max_incidents = 2});
  s.Feed("escalation.incident_opened", Opened(1, "intrusion", "gate-1"));
  s.Feed("escalation.incident_opened", Opened(2, "panic", "gate-2"));
  s.Feed("escalation.incident_opened", Opened(3, "fire", "hq"));
  auto forgotten = s.Feed("escalation.alert_raised", Alert(1, "ann"));
  REQUIRE(forgotten.has_value());
  CHECK_THAT(*forgotten, Catch::EndsWith("target role:duty_officer"));
  CHECK_THAT(*s.Feed("escalation.alert_raised", Alert(3, "ann")), Catch::EndsWith("fire at hq"));
}

TEST_CASE("An escalation event whose body is not its struct is skipped and counted",
          "[alert_watch]") {
  AlertWatch watch(AlertWatchOptions{});
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setType("escalation.alert_raised");
  e.setSeq(1);
  e.getBody().setAs<capnp::Text>("not a struct");
  CHECK_FALSE(watch.OnEvent(e.asReader()));
  CHECK(watch.unreadable() == 1);
}

}  // namespace picket
