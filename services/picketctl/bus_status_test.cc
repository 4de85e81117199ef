#include "picketctl/bus_status.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <limits>

#include "picket/schemas/bus.capnp.h"
#include "wire/codec.h"

namespace picket {
namespace {

std::string StatusFrame() {
  capnp::MallocMessageBuilder b;
  auto s = b.initRoot<wire::BusReply>().initStatus();
  s.setSite("plant-1");
  s.setHeadSeq(1234);
  s.setFirstSeq(1);
  s.setNow(1'764'104'584'123'000);
  auto subs = s.initSubscribers(2);
  subs[0].setSubscriber("picket-access");
  subs[0].setAppliedSeq(1230);
  subs[0].setReportedAt(1'764'104'582'123'000);
  subs[1].setSubscriber("picket-ahead");
  subs[1].setAppliedSeq(1300);
  subs[1].setReportedAt(1'764'104'584'123'000);
  return Encode(b);
}

}  // namespace

TEST_CASE("A status reply gives head, first seq and each subscriber's lag", "[bus_status]") {
  std::string error;
  auto r = ParseStatusReply(StatusFrame(), &error);
  REQUIRE(r.has_value());
  CHECK(r->head_seq == 1234);
  REQUIRE(r->subscribers.size() == 2);
  CHECK(r->subscribers[0].lag == 4);
  CHECK(r->subscribers[1].lag == 0);  // ahead of the head it saw: no negative lag

  std::string text = FormatStatus(*r);
  CHECK_THAT(text, Catch::Contains("site plant-1: head 1234, first retained 1"));
  CHECK_THAT(text, Catch::Contains("picket-access"));
  CHECK_THAT(text, Catch::Contains("2.0s ago"));
  auto j = StatusToJson(*r);
  CHECK(j["subscribers"][0]["lag"] == 4);
  CHECK(j["headSeq"] == 1234);
}

TEST_CASE("A nack or garbage instead of a status is a clear error", "[bus_status]") {
  capnp::MallocMessageBuilder b;
  auto nack = b.initRoot<wire::BusReply>().initNack();
  nack.setCode(wire::ErrorCode::WRONG_TYPE);
  nack.setMessage("no");
  std::string error;
  CHECK_FALSE(ParseStatusReply(Encode(b), &error));
  CHECK_THAT(error, Catch::Contains("wrongType: no"));
  CHECK_FALSE(ParseStatusReply("garbage!", &error));
  CHECK_THAT(error, Catch::Contains("unreadable"));
}

TEST_CASE("No bus at the endpoint: an error after the timeout, not a hang", "[bus_status]") {
  zmq::context_t ctx;
  std::string error;
  auto r =
      QueryBusStatus(ctx, "ipc:///tmp/picketctl-test-no-bus-here", 200 * kMicrosPerMilli, &error);
  CHECK_FALSE(r.has_value());
  CHECK_THAT(error, Catch::Contains("no answer from the bus"));
  CHECK_FALSE(QueryBusStatus(ctx, "nonsense", 200 * kMicrosPerMilli, &error));
  CHECK_THAT(error, Catch::Contains("nonsense"));
}

// The input scripts/fuzz (bus_status) found: a status reply whose subscriber name holds
// the byte 0x9f, which is not UTF-8. nlohmann's dump() throws on it, and
// `picketctl status --json` died with an uncaught exception.
TEST_CASE("picketctl status --json prints a reply whose texts are not UTF-8",
          "[bus_status][fuzz]") {
  const std::string frame(
      "\x00\x00\x00\x00\x15\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00"
      "\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x02\x00"
      "\xd2\x04\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x40\x62\x41\x59\x44\x06\x00\x05\x00\x00\x00\x42\x00\x00\x00"
      "\x05\x00\x00\x00\x37\x00\x00\x00\x70\x6c\x61\x6e\x74\x2d\x31\x00"
      "\x08\x00\x00\x00\x02\x00\x01\x00\xce\x04\x00\x00\x00\x00\x01\x00"
      "\x04\x00\x00\x00\x59\x44\x06\x00\x0d\x00\x00\x00\x92\x00\x00\x00"
      "\xd8\x04\x00\x00\x00\x00\x00\x00\xe0\x9e\x5a\x41\x59\x44\x06\x00"
      "\x0d\x00\x00\x00\x72\x00\x00\x00\x70\x69\x63\x6b\x65\x74\x2d\x65"
      "\x9f\x63\x61\x6c\x61\x74\x69\x6f\x6e\x00\x00\x00\x00\x00\x00\x00"
      "\x70\x69\x63\x6b\x65\x74\x2d\x6e\x6f\x74\x69\x66\x79\x00\x00\x00",
      176);
  std::string error;
  auto r = ParseStatusReply(frame, &error);
  REQUIRE(r.has_value());
  std::string line;
  REQUIRE_NOTHROW(line = StatusToJsonLine(*r));
  CHECK_THAT(line, Catch::Contains("\xef\xbf\xbd"));  // U+FFFD in place of the bad byte
  CHECK(nlohmann::json::parse(line)["subscribers"].size() == r->subscribers.size());

  capnp::MallocMessageBuilder b;
  auto s = b.initRoot<wire::BusReply>().initStatus();
  s.setSite("plant-\xff");
  s.initSubscribers(1)[0].setSubscriber("picket-\xc3");
  auto bad = ParseStatusReply(Encode(b), &error);
  REQUIRE(bad.has_value());
  REQUIRE_NOTHROW(line = StatusToJsonLine(*bad));
  CHECK(nlohmann::json::parse(line)["site"] == "plant-\xef\xbf\xbd");
}

// The input scripts/fuzz (bus_status) found next: a subscriber's reportedAt near INT64_MIN,
// so now - reportedAt overflowed (undefined behaviour) in FormatStatus.
TEST_CASE("picketctl status prints times at the ends of the 64-bit range", "[bus_status][fuzz]") {
  const std::string frame(
      "\x00\x00\x00\x00\x15\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00"
      "\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x02\x00"
      "\xd2\x04\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x40\x62\x41\x59\x44\x06\x00\x05\x00\x00\x00\x42\x00\x00\x00"
      "\x05\x00\x00\x00\x37\x00\x00\x00\x70\x6c\x61\x6e\x74\x2d\x31\x00"
      "\x08\x00\x00\x00\x02\x00\x00\x00\x00\x15\x00\x00\x00\x00\x00\x00"
      "\x00\x01\x00\x01\x00\x04\x00\x00\x0d\x00\x00\x00\x92\x00\x00\x00"
      "\xd8\x04\x00\x00\x10\x00\x00\x80\xe0\x9e\x5a\x41\x59\x44\x06\x00"
      "\x0d\x00\x00\x00\x72\x00\x00\x00\x70\x69\x63\x6b\x65\x74\x2d\x65"
      "\x73\x63\x61\x2c\x61\x74\x69\x6f\xee\x00\x00\x00\x00\x00\x00\x00"
      "\x70\x97\x9c\x94\x9a\x8b\xd2\x91\x8a\x64\x69\x66\x79\x00\x00\x00",
      176);
  std::string error;
  auto r = ParseStatusReply(frame, &error);
  REQUIRE(r.has_value());
  CHECK_THAT(FormatStatus(*r), Catch::Contains("s ago"));

  BusStatusReport extreme = *r;
  extreme.now = std::numeric_limits<int64_t>::max();
  extreme.subscribers.resize(1);
  extreme.subscribers[0].reported_at = std::numeric_limits<int64_t>::min();
  CHECK_THAT(FormatStatus(extreme), Catch::Contains("s ago"));
}

}  // namespace picket
