// Deterministic mutation fuzzing of picket-escalation's untrusted input: request frames
// through the adapter's decoder and the core (over a MemoryTxn with open incidents), and
// event bodies through ToRecordedEvent. Runs under ASan+UBSan in the sanitizer build.
#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <random>

#include "escalation/escalation_test_support.h"
#include "escalation/wire_convert.h"
#include "picket/schemas/terminal.capnp.h"
#include "testing/request_fuzz.h"
#include "wire/codec.h"

namespace picket::escalation {
namespace {

std::vector<std::string> RequestSeeds() {
  std::vector<std::string> seeds;
  auto add = [&](const std::function<void(wire::EscalationRequest::Builder)>& fill) {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::EscalationRequest>();
    r.setActor("otto");
    r.setCommandId(
        capnp::Data::Reader(reinterpret_cast<const capnp::byte*>("0123456789abcdef"), 16));
    fill(r);
    seeds.push_back(Encode(b));
  };
  add([](auto r) { r.initAcknowledge().setIncident(1); });
  add([](auto r) {
    auto s = r.initMarkStepDone();
    s.setIncident(1);
    s.setStep("secure_gate");
  });
  add([](auto r) {
    auto s = r.initSilence();
    s.setIncident(2);
    s.setDuration(600'000'000);
    s.setReason("drill");
  });
  add([](auto r) {
    auto s = r.initReassign();
    s.setIncident(1);
    s.setTo("mia");
    s.setReason("closer");
  });
  add([](auto r) {
    auto s = r.initResolve();
    s.setIncident(2);
    s.setOverrideReason("false alarm");
  });
  add([](auto r) { r.initGetIncident().setIncident(1); });
  add([](auto r) { r.setListOpen(); });
  add([](auto r) {
    auto q = r.initListIncidents();
    q.setFrom(testing::kT0 - testing::Sec(3600));
    q.setTo(testing::kT0 + testing::Sec(3600));
    q.setPost("gate-1");
  });
  return seeds;
}

}  // namespace

TEST_CASE("escalation requests: 50000 mutated frames are refused or applied, never a crash",
          "[escalation][fuzz]") {
  testing::Harness h;
  h.StaffNorth();
  h.Report("gate-1");
  h.Report("gate-2");
  auto seeds = RequestSeeds();
  std::mt19937_64 rng(20261126);
  int commands = 0, refused_by_decoder = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string frame = MutateFrame(seeds[i % seeds.size()], rng);
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    if (!msg) continue;
    ReadSafely<wire::EscalationRequest>(
        *msg,
        [&](wire::EscalationRequest::Reader request) {
          wire::EscalationError code = wire::EscalationError::NONE;
          std::string message;
          auto command = ToCommand(request, &code, &message);
          if (!command) {
            ++refused_by_decoder;
            CHECK_FALSE(message.empty());
            return;
          }
          Effects fx = h.core.OnCommand(*command, h.txn, h.now);
          REQUIRE(fx.reply.has_value());
          h.Apply(fx);
          (void)EncodeReply(*fx.reply);
          ++commands;
        },
        &error);
    if (i % 5000 == 0) h.Advance(testing::Sec(7));  // let timers fire between commands
  }
  // The mutations must reach the core, or this proves nothing.
  CHECK(commands > 5000);
  CHECK(refused_by_decoder > 0);
}

TEST_CASE("escalation events: 50000 mutated event bodies convert or are refused",
          "[escalation][fuzz]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setType("terminal.incident_reported");
  e.setProducer("gate-1-terminal");
  e.setActor("guard-7");
  auto body = e.getBody().initAs<wire::IncidentReported>();
  body.setPost("gate-1");
  body.setKind("intrusion");
  body.setNote("fence cut");
  std::string seed = Encode(b);
  std::mt19937_64 rng(26);
  int converted = 0;
  testing::Harness h;
  for (int i = 0; i < 50000; ++i) {
    std::string frame = MutateFrame(seed, rng);
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    if (!msg) continue;
    ReadSafely<wire::Event>(
        *msg,
        [&](wire::Event::Reader event) {
          RecordedEvent r = ToRecordedEvent(event);
          r.recorded_at = h.now;
          h.Apply(h.core.OnEvent(r, h.txn, h.now));
          ++converted;
        },
        &error);
  }
  CHECK(converted > 5000);
}

}  // namespace picket::escalation
