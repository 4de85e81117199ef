// Deterministic mutation fuzzing of the wire readers (runs in the suite, under ASan+UBSan
// in the sanitizer build). scripts/fuzz runs the same entry under libFuzzer for longer.
#include "testing/request_fuzz.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "wire/codec.h"

namespace picket {
namespace {

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  {
    capnp::MallocMessageBuilder b;
    auto e = b.initRoot<wire::BusRequest>().initPublish();
    e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>("0123456789abcdef"), 16));
    e.setSite("fuzz-site");
    e.setType("terminal.pass_scanned");
    e.setProducer("gate-1");
    e.setActor("guard-7");
    e.setObservedAt(1'764'000'000'000'000);
    auto body = e.getBody().initAs<wire::PassScanned>();
    body.setPost("gate-1");
    body.setPassCode("V-17");
    seeds.push_back(Encode(b));
  }
  {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::BusRequest>().initReplay();
    r.setFromSeq(5);
    r.setCredit(100);
    seeds.push_back(Encode(b));
  }
  {
    capnp::MallocMessageBuilder b;
    auto batch = b.initRoot<wire::BusReply>().initReplayBatch();
    auto events = batch.initEvents(2);
    for (auto e : events) {
      e.setType("terminal.incident_reported");
      e.getBody().initAs<wire::IncidentReported>().setNote("smoke at gate 2");
    }
    seeds.push_back(Encode(b));
  }
  return seeds;
}

}  // namespace

TEST_CASE("The wire readers survive 200000 mutated frames", "[fuzz]") {
  std::mt19937_64 rng(20261125);
  auto seeds = Seeds();
  int decoded_publishes = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string frame = MutateFrame(seeds[i % seeds.size()], rng);
    int which = FuzzOneFrame(reinterpret_cast<const uint8_t*>(frame.data()), frame.size());
    if (which == static_cast<int>(wire::BusRequest::PUBLISH)) ++decoded_publishes;
  }
  // The mutations must reach past the decoder, or this test proves nothing.
  CHECK(decoded_publishes > 1000);
}

TEST_CASE("The seeds themselves decode", "[fuzz]") {
  auto seeds = Seeds();
  CHECK(FuzzOneFrame(reinterpret_cast<const uint8_t*>(seeds[0].data()), seeds[0].size()) ==
        static_cast<int>(wire::BusRequest::PUBLISH));
  CHECK(FuzzOneFrame(reinterpret_cast<const uint8_t*>(seeds[1].data()), seeds[1].size()) ==
        static_cast<int>(wire::BusRequest::REPLAY));
}

}  // namespace picket
