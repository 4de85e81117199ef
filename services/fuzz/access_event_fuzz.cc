// access_event: one recorded event frame (wire::Event, as the bus delivers it to
// picket-access), its body read as each of the three terminal facts the service takes
// (PassScanned, ManualEntry, VisitorArrival; totalSize() first, as the host does) and
// converted (access/wire_convert.h: ToPassScanned, ToManualEntry, ToVisitorArrival), then
// judged by the core (Access::OnPassScanned, OnManualEntry, OnVisitorArrived) on a small
// site (access_world.h; a fresh copy of its state per fact). Each reading is separate: a
// body that is malformed as one fact may still be read as another. Invariants: a refused
// fact says why; an accepted one has the envelope's actor as its guard, observedAt (else
// recordedAt) as its time and the gate ResolveGate names; the core's events fill wire
// events.
#include <capnp/message.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "access/wire_convert.h"
#include "fuzz/access_world.h"
#include "fuzz/fuzz_support.h"
#include "wire/codec.h"

namespace {

using namespace picket;
using namespace picket::access;

std::string Text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

template <class Fact>
void CheckFact(const AccessConfig& config, wire::Event::Reader event, const Fact& fact,
               std::string_view post, std::string_view gate) {
  fuzz::Require(fact.guard == Text(event.getActor()), "the guard is the envelope's actor");
  Micros at = event.getObservedAt() != 0 ? event.getObservedAt() : event.getRecordedAt();
  fuzz::Require(fact.at == at, "the time is observedAt, else recordedAt");
  fuzz::Require(fact.gate == ResolveGate(config, post, gate), "the gate is ResolveGate's");
}

void Emit(const Effects& fx, uint64_t seq) {
  for (const auto& e : fx.events) {
    capnp::MallocMessageBuilder out;
    FillEvent(out.initRoot<wire::Event>(), e, seq);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& world = fuzz::AccessWorld::Get();
  const AccessConfig& config = world.config;
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        auto body = event.getBody().getAs<wire::PassScanned>();
        body.totalSize();
        std::string why;
        auto scan = ToPassScanned(config, event, body, &why);
        if (!scan) {
          fuzz::Require(!why.empty(), "a refused scan says why");
          return;
        }
        CheckFact(config, event, *scan, Text(body.getPost()), Text(body.getGate()));
        fuzz::Require(scan->code == Text(body.getPassCode()), "the pass code unchanged");
        MemoryTxn state = world.state;
        Emit(world.core.OnPassScanned(*scan, state), event.getSeq());
      },
      &error);
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        auto body = event.getBody().getAs<wire::ManualEntry>();
        body.totalSize();
        std::string why;
        auto entry = ToManualEntry(config, event, body, &why);
        if (!entry) {
          fuzz::Require(!why.empty(), "a refused manual entry says why");
          return;
        }
        CheckFact(config, event, *entry, Text(body.getPost()), Text(body.getGate()));
        MemoryTxn state = world.state;
        Emit(world.core.OnManualEntry(*entry, state), event.getSeq());
      },
      &error);
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        auto body = event.getBody().getAs<wire::VisitorArrival>();
        body.totalSize();
        std::string why;
        auto arrival = ToVisitorArrival(config, event, body, &why);
        if (!arrival) {
          fuzz::Require(!why.empty(), "a refused arrival says why");
          return;
        }
        CheckFact(config, event, *arrival, Text(body.getPost()), Text(body.getGate()));
        MemoryTxn state = world.state;
        Emit(world.core.OnVisitorArrived(*arrival, state), event.getSeq());
      },
      &error);
  return 0;
}
