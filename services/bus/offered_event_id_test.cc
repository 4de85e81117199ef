#include "bus/offered_event_id.h"

#include <catch2/catch.hpp>

#include "bus/bus_test_support.h"
#include "picket/schemas/terminal.capnp.h"

using namespace picket;
using namespace picket::bus_testing;

namespace {

// A publish of `id` whose note makes the frame at least `bytes` long.
std::string BigPublish(const EventId& id, size_t bytes) {
  return PublishRequest(id, [&](wire::Event::Builder e) {
    e.setType("terminal.incident_reported");
    auto r = e.getBody().initAs<wire::IncidentReported>();
    r.setPost("gate-1");
    r.setKind("smoke");
    r.setNote(std::string(bytes, 'n'));
  });
}

}  // namespace

TEST_CASE("offered event id: read from a whole publish whatever its size", "[bus][offered_id]") {
  const std::string id(TestId(7).Bytes());
  CHECK(OfferedEventId(PublishRequest(TestId(7))) == id);
  CHECK(OfferedEventId(BigPublish(TestId(7), 70'000)) == id);
  // Unaligned, as frames over TCP often are.
  std::string shifted = " " + BigPublish(TestId(7), 100);
  CHECK(OfferedEventId(std::string_view(shifted).substr(1)) == id);
}

TEST_CASE("offered event id: read past bytes after the message and broken later fields",
          "[bus][offered_id]") {
  const std::string id(TestId(8).Bytes());
  CHECK(OfferedEventId(PublishRequest(TestId(8)) + std::string(8, '\0')) == id);
  CHECK(OfferedEventId(PublishRequest(TestId(8)) + "abc") == id);  // a ragged tail
  CHECK(OfferedEventId(PublishRequest(TestId(8), [](auto e) { e.setSite("elsewhere"); })) == id);
}

TEST_CASE("offered event id: empty when the frame holds no readable 16-byte id",
          "[bus][offered_id]") {
  CHECK(OfferedEventId("").empty());
  CHECK(OfferedEventId("garbage!").empty());
  CHECK(OfferedEventId(std::string(70'000, '\0')).empty());
  std::string whole = PublishRequest(TestId(9));
  CHECK(OfferedEventId(whole.substr(0, whole.size() - 16)).empty());  // truncated
  CHECK(OfferedEventId(PublishRequest(TestId(9), [](auto e) { e.initId(15); })).empty());
  CHECK(OfferedEventId(PublishRequest(TestId(9), [](auto e) { e.disownId(); })).empty());
  CHECK(OfferedEventId(Request([](auto r) { r.setStatus(); })).empty());
  CHECK(OfferedEventId(Request([](wire::BusRequest::Builder r) {
          r.initPublish();
          r.disownPublish();
        })).empty());
}
