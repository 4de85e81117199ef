#include "picketctl/patrol_request.h"

#include <catch2/catch.hpp>

#include "picket/schemas/patrol.capnp.h"
#include "picketctl/escalation_target.h"
#include "runtime/config.h"
#include "wire/codec.h"

namespace picket {
namespace {

using R = wire::PatrolRequest::Reader;

const std::string kCommandId = "0123456789abcdef";  // 16 bytes
constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kNow = 1795874400LL * kSecond;  // 2026-11-28T14:00:00Z

PatrolArgs Args(PatrolVerb verb, std::string round = "") {
  PatrolArgs a;
  a.verb = verb;
  a.round = std::move(round);
  a.actor = "chief";
  return a;
}

// Builds the request for `args` (which must be valid) and hands its reader to `check`.
template <typename Fn>
void WithRequest(const PatrolArgs& args, Fn check) {
  std::string error;
  auto frame = BuildPatrolRequest(args, kCommandId, kNow, &error);
  INFO(error);
  REQUIRE(frame.has_value());
  auto msg = DecodedMessage::Decode(*frame, &error);
  REQUIRE(msg);
  REQUIRE(ReadSafely<wire::PatrolRequest>(*msg, check, &error));
}

std::string CommandIdOf(R r) {
  auto d = r.getCommandId();
  return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
}

std::string BuildError(const PatrolArgs& args) {
  std::string error;
  CHECK_FALSE(BuildPatrolRequest(args, kCommandId, kNow, &error).has_value());
  return error;
}

}  // namespace

TEST_CASE("Every patrol verb has its name and only the queries go without an actor",
          "[patrol_request]") {
  std::vector<std::string> names;
  for (PatrolVerb v : kAllPatrolVerbs) names.emplace_back(PatrolVerbName(v));
  CHECK(names == std::vector<std::string>{"extend", "excuse", "cancel", "rounds", "round",
                                          "current", "completion"});
  CHECK_FALSE(IsPatrolQuery(PatrolVerb::kCancel));
  CHECK(IsPatrolQuery(PatrolVerb::kRounds));
  CHECK(IsPatrolQuery(PatrolVerb::kCompletion));

  auto cancel = Args(PatrolVerb::kCancel, "4");
  cancel.reason = "drill";
  cancel.actor.clear();
  CHECK(BuildError(cancel) == "who is acting? give --as PERSON (or set $PICKET_ACTOR)");
  auto current = Args(PatrolVerb::kCurrent);
  current.actor.clear();
  WithRequest(current, [](R r) {
    CHECK(r.isCurrentRounds());
    CHECK(r.getActor() == "");
    CHECK_FALSE(r.hasCommandId());
  });
}

TEST_CASE("extend carries the round, the duration and the reason, with the command id",
          "[patrol_request]") {
  auto a = Args(PatrolVerb::kExtend, "#12");
  a.by = "10m";
  a.reason = "gate jammed";
  WithRequest(a, [](R r) {
    REQUIRE(r.isExtendDeadline());
    auto e = r.getExtendDeadline();
    CHECK(e.getRound() == 12);
    CHECK(e.getBy() == 10 * kMinute);
    CHECK(e.getReason() == "gate jammed");
    CHECK(r.getActor() == "chief");
    CHECK(CommandIdOf(r) == kCommandId);
  });
  a.by = "10x";
  CHECK(BuildError(a) == "--by: '10x' is not a duration like 10m");
  a.by = "1h";
  a.reason.clear();
  CHECK(BuildError(a) == "--reason must not be empty");
  a.reason = "x";
  a.round = "twelve";
  CHECK(BuildError(a) == "'twelve' is not a round (a number from 1)");
  a.round = "0";
  CHECK(BuildError(a) == "'0' is not a round (a number from 1)");
}

TEST_CASE("excuse and cancel name the round, the checkpoint and the reason", "[patrol_request]") {
  auto excuse = Args(PatrolVerb::kExcuse, "3");
  excuse.checkpoint = "B";
  excuse.reason = "fence under repair";
  WithRequest(excuse, [](R r) {
    REQUIRE(r.isExcuseCheckpoint());
    auto e = r.getExcuseCheckpoint();
    CHECK(e.getRound() == 3);
    CHECK(e.getCheckpoint() == "B");
    CHECK(e.getReason() == "fence under repair");
    CHECK(CommandIdOf(r) == kCommandId);
  });
  excuse.checkpoint.clear();
  CHECK(BuildError(excuse) == "CHECKPOINT must not be empty");

  auto cancel = Args(PatrolVerb::kCancel, "3");
  cancel.reason = "drill";
  WithRequest(cancel, [](R r) {
    REQUIRE(r.isCancelRound());
    CHECK(r.getCancelRound().getRound() == 3);
    CHECK(r.getCancelRound().getReason() == "drill");
  });
  cancel.reason.clear();
  CHECK(BuildError(cancel) == "--reason must not be empty");
}

TEST_CASE("rounds defaults to the last 24 hours and passes its filters", "[patrol_request]") {
  auto a = Args(PatrolVerb::kRounds);
  a.post = "gate-1";
  a.guard = "guard-7";
  a.route = "perimeter";
  WithRequest(a, [](R r) {
    REQUIRE(r.isListRounds());
    auto q = r.getListRounds();
    CHECK(q.getFrom() == kNow - 24 * kHour);
    CHECK(q.getTo() == kNow);
    CHECK(q.getPost() == "gate-1");
    CHECK(q.getGuard() == "guard-7");
    CHECK(q.getRoute() == "perimeter");
    CHECK_FALSE(r.hasCommandId());
  });
  // --to alone moves the window; --from alone ends it now.
  a.to = "2026-11-27T00:00:00Z";
  WithRequest(a, [](R r) {
    CHECK(r.getListRounds().getTo() == kNow - 38 * kHour);
    CHECK(r.getListRounds().getFrom() == kNow - 62 * kHour);
  });
  a.to.clear();
  a.from = "-7d";
  WithRequest(a, [](R r) {
    CHECK(r.getListRounds().getFrom() == kNow - 7 * 24 * kHour);
    CHECK(r.getListRounds().getTo() == kNow);
  });
  a.from = "yesterday";
  CHECK_THAT(BuildError(a), Catch::StartsWith("--from: 'yesterday' is not a time: give one like"));
}

TEST_CASE("round and current ask for one round or one post's", "[patrol_request]") {
  WithRequest(Args(PatrolVerb::kRound, "7"), [](R r) {
    REQUIRE(r.isGetRound());
    CHECK(r.getGetRound() == 7);
  });
  CHECK(BuildError(Args(PatrolVerb::kRound, "")) == "'' is not a round (a number from 1)");
  auto current = Args(PatrolVerb::kCurrent);
  current.post = "gate-2";
  WithRequest(current, [](R r) { CHECK(r.getCurrentRounds() == "gate-2"); });
}

TEST_CASE("completion is per guard unless --by post", "[patrol_request]") {
  auto a = Args(PatrolVerb::kCompletion);
  WithRequest(a, [](R r) {
    REQUIRE(r.isGetCompletion());
    CHECK_FALSE(r.getGetCompletion().getByPost());
    CHECK(r.getGetCompletion().getFrom() == kNow - 24 * kHour);
  });
  a.group = "post";
  a.from = "2026-11-01T00:00:00Z";
  a.to = "now";
  WithRequest(a, [](R r) {
    CHECK(r.getGetCompletion().getByPost());
    CHECK(r.getGetCompletion().getFrom() == kNow - (27 * 24 + 14) * kHour);
    CHECK(r.getGetCompletion().getTo() == kNow);
  });
  a.group = "route";
  CHECK(BuildError(a) == "--by: 'route' is not guard or post");
}

TEST_CASE("The patrol endpoint comes from [patrol] commands, default port 7413",
          "[patrol_request]") {
  std::string error;
  auto table = ParseToml("[access]\ncommands = \"ipc://access\"\n", "site.toml", &error);
  REQUIRE(table.has_value());
  CHECK(CommandsFromToml(kPatrolService, *table, "site.toml", &error) == "tcp://127.0.0.1:7413");
  table = ParseToml("[patrol]\ncommands = \"ipc:///run/patrol.sock\"\n", "site.toml", &error);
  REQUIRE(table.has_value());
  CHECK(CommandsFromToml(kPatrolService, *table, "site.toml", &error) == "ipc:///run/patrol.sock");
  bool missing = true;
  CHECK_FALSE(ResolveCommandsEndpoint(kPatrolService, {}, &error, &missing));
  CHECK_FALSE(missing);
  CHECK(error == "no patrol commands endpoint: give --config site.toml or --commands ENDPOINT");
}

}  // namespace picket
