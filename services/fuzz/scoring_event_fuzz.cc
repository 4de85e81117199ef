// scoring_event: one recorded event frame (wire::Event, as the bus delivers it to
// picket-scoring), read as a Fact by reflection over its registered body schema
// (scoring/wire_convert.h, ToFact; totalSize() first, as the host does), then, if the
// service scores its type and its producer owns it (ScoringService::OnEvent), judged by
// the core's Scoring::OnEvent on a small site (scoring_world.h; a fresh copy of its state).
// Invariants: a refused fact says why; an accepted one has the envelope's seq, type,
// producer and actor, observedAt (else recordedAt) as its time and recordedAt as its bus
// time; its fields are the body's scalar fields (each in the catalog with its kind, every
// non-union scalar field present, texts and bools as in the body), none for a type that
// is not registered; OnEvent sets no timer, emits with no actor at the fact's time, and
// emits nothing for scoring.entry_voided; a new entry takes the next ids in order and
// carries the fact's seq, type and time, stored as emitted; a reversal voids a live entry
// with the fact's seq and time; every totals row is again the sum of the live entries;
// the effects fill wire events (CheckEffects).
#include <capnp/dynamic.h>
#include <capnp/message.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "fuzz/fuzz_support.h"
#include "fuzz/scoring_world.h"
#include "scoring/wire_convert.h"
#include "wire/codec.h"
#include "wire/event_types.h"

namespace {

using namespace picket;
using namespace picket::scoring;
using World = fuzz::ScoringWorld;

std::string Text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

// The fact's fields against the body they were read from.
void CheckFields(const World& world, wire::Event::Reader event, const Fact& fact) {
  const RegisteredEventType* type = FindRegisteredType(fact.type);
  if (!type || !event.hasBody()) {
    fuzz::Require(fact.fields.empty(), "a fact of no registered body has no fields");
    return;
  }
  auto kinds = world.catalog.find(fact.type);
  fuzz::Require(kinds != world.catalog.end(), "a registered type is in the catalog");
  for (const auto& [name, value] : fact.fields) {
    auto k = kinds->second.find(name);
    fuzz::Require(k != kinds->second.end() && k->second == KindOf(value),
                  "a fact's field is in the catalog with its kind");
  }
  auto body = event.getBody().getAs<capnp::DynamicStruct>(type->body);
  for (auto field : type->body.getNonUnionFields()) {
    const std::string name = field.getProto().getName().cStr();
    if (!kinds->second.count(name)) continue;  // not a scalar field
    auto it = fact.fields.find(name);
    fuzz::Require(it != fact.fields.end(), "every scalar field of the body is in the fact");
    auto v = body.get(field);
    if (v.getType() == capnp::DynamicValue::TEXT)
      fuzz::Require(std::get<std::string>(it->second) == Text(v.as<capnp::Text>()),
                    "a text field is the body's text");
    else if (v.getType() == capnp::DynamicValue::BOOL)
      fuzz::Require(std::get<bool>(it->second) == v.as<bool>(), "a bool field is the body's");
    else if (v.getType() == capnp::DynamicValue::INT)
      fuzz::Require(std::get<int64_t>(it->second) == v.as<int64_t>(),
                    "an integer field is the body's");
  }
}

void CheckRun(const World& world, const Fact& fact, const Effects& fx, const MemoryTxn& state) {
  fuzz::Require(fx.set.empty() && fx.cancel.empty(), "a recorded event sets no timer");
  if (fact.type == "scoring.entry_voided")
    fuzz::Require(fx.events.empty(), "the service's own void emits nothing");
  uint64_t next = World::kNextEntry;
  std::map<uint64_t, Entry> last;  // each entry as the last event about it has it
  for (const auto& out : fx.events) {
    fuzz::Require(out.actor.empty() && out.at == fact.at,
                  "a scored event's events have no actor and its time");
    if (const auto* p = std::get_if<PointsAwarded>(&out.body)) {
      const Entry& e = p->entry;
      fuzz::Require(e.id == next++, "new entries take the next ids, in order");
      fuzz::Require(e.seq == fact.seq && e.event == fact.type && e.at == fact.at && !e.voided &&
                        e.points != 0 && !(e.guard.empty() && e.post.empty() && e.squad.empty()),
                    "a new entry is the fact's, live, with points and a subject");
      last[e.id] = e;
    } else if (const auto* v = std::get_if<EntryVoided>(&out.body)) {
      const Entry& e = v->entry;
      auto before = World::StoredEntry(world.state, e.id);
      fuzz::Require(v->reversal && e.voided && e.void_seq == fact.seq && e.voided_at == fact.at &&
                        e.voided_by.starts_with("rule:"),
                    "a reversal voids with the fact's seq and time");
      fuzz::Require((before && !before->voided) || last.count(e.id),
                    "a reversal voids a live entry");
      last[e.id] = e;
    } else {
      fuzz::Require(false, "a recorded event earns or voids entries only");
    }
  }
  fuzz::Require(World::Counter(state, keys::kNextEntry) == next,
                "the entry counter is past the new entries");
  for (const auto& [id, e] : last)
    fuzz::Require(World::StoredEntry(state, id) == e, "an emitted entry is stored as emitted");
  if (!world.Unchanged(state))
    fuzz::Require(world.TotalsAreSums(state), "totals are the sums of the live entries");
  fuzz::CheckEffects(world, fx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& world = World::Get();
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        event.totalSize();
        std::string why;
        auto fact = ToFact(event, &why);
        if (!fact) {
          fuzz::Require(!why.empty(), "a refused fact says why");
          return;
        }
        const Micros at =
            event.getObservedAt() != 0 ? event.getObservedAt() : event.getRecordedAt();
        fuzz::Require(fact->seq == event.getSeq() && fact->type == Text(event.getType()) &&
                          fact->producer == Text(event.getProducer()) &&
                          fact->actor == Text(event.getActor()),
                      "the fact has the envelope's seq, type, producer and actor");
        fuzz::Require(fact->at == at && fact->recorded == event.getRecordedAt(),
                      "the time is observedAt, else recordedAt; the bus time recordedAt");
        CheckFields(world, event, *fact);
        // What the service hands to the core (it compares the producer as a C string).
        if (!world.Scored(fact->type, event.getProducer().cStr())) return;
        MemoryTxn state = world.state;
        Effects fx = world.core.OnEvent(*fact, state);
        CheckRun(world, *fact, fx, state);
      },
      &error);
  return 0;
}
