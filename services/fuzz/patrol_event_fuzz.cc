// patrol_event: one recorded event frame (wire::Event, as the bus delivers it to
// picket-patrol), its body read as each of the three terminal facts the service takes
// (PatrolStart, CheckpointScanned, PatrolEnd; totalSize() first, as the host does) and
// converted (patrol/wire_convert.h: ToRoundStart, ToCheckpointScan, ToRoundEnd), then
// judged by the core (Patrol::OnRoundStarted, OnCheckpointScanned, OnRoundEnded) on a
// small site (patrol_world.h; a fresh copy of its state per fact). Each reading is
// separate: a body that is malformed as one fact may still be read as another.
// Invariants: a refused fact says why; an accepted one has the envelope's actor as its
// guard, observedAt (else recordedAt) as its time, recordedAt as its bus time, the
// producer as its terminal, and the body's texts unchanged; the core's effects fill wire
// events and name the core's timers (CheckEffects).
#include <capnp/message.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "fuzz/patrol_world.h"
#include "patrol/wire_convert.h"
#include "wire/codec.h"

namespace {

using namespace picket;
using namespace picket::patrol;

std::string Text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

void CheckSource(wire::Event::Reader event, const FactSource& s) {
  fuzz::Require(s.guard == Text(event.getActor()) && !s.guard.empty(),
                "the guard is the envelope's actor");
  Micros at = event.getObservedAt() != 0 ? event.getObservedAt() : event.getRecordedAt();
  fuzz::Require(s.at == at, "the time is observedAt, else recordedAt");
  fuzz::Require(s.recorded == event.getRecordedAt(), "the bus time is recordedAt");
  fuzz::Require(s.terminal == Text(event.getProducer()), "the terminal is the producer");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& world = fuzz::PatrolWorld::Get();
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        auto body = event.getBody().getAs<wire::PatrolStart>();
        body.totalSize();
        std::string why;
        auto start = ToRoundStart(event, body, &why);
        if (!start) {
          fuzz::Require(!why.empty(), "a refused round start says why");
          return;
        }
        CheckSource(event, start->source);
        fuzz::Require(start->post == Text(body.getPost()) && start->route == Text(body.getRoute()),
                      "the post and route unchanged");
        MemoryTxn state = world.state;
        fuzz::CheckEffects(world.core.OnRoundStarted(*start, state));
      },
      &error);
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        auto body = event.getBody().getAs<wire::CheckpointScanned>();
        body.totalSize();
        std::string why;
        auto scan = ToCheckpointScan(event, body, &why);
        if (!scan) {
          fuzz::Require(!why.empty(), "a refused scan says why");
          return;
        }
        CheckSource(event, scan->source);
        fuzz::Require(scan->post == Text(body.getPost()) && scan->tag == Text(body.getTag()),
                      "the post and tag unchanged");
        MemoryTxn state = world.state;
        fuzz::CheckEffects(world.core.OnCheckpointScanned(*scan, state));
      },
      &error);
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        auto body = event.getBody().getAs<wire::PatrolEnd>();
        body.totalSize();
        std::string why;
        auto end = ToRoundEnd(event, body, &why);
        if (!end) {
          fuzz::Require(!why.empty(), "a refused round end says why");
          return;
        }
        CheckSource(event, end->source);
        fuzz::Require(end->post == Text(body.getPost()), "the post unchanged");
        MemoryTxn state = world.state;
        fuzz::CheckEffects(world.core.OnRoundEnded(*end, state));
      },
      &error);
  return 0;
}
