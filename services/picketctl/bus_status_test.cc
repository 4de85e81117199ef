#include "picketctl/bus_status.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

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

}  // namespace picket
