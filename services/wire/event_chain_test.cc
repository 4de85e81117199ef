// The hash chain's hash (wire/event_chain.h): the same event hashes the same however it is
// laid out, and any change to it (a field, the body, the link itself) changes the hash.
#include "wire/event_chain.h"

#include <capnp/message.h>
#include <catch2/catch.hpp>

#include "picket/schemas/terminal.capnp.h"
#include "wire/codec.h"

namespace picket {
namespace {

// A recorded event with a body; `actor` and `prev` vary per test.
void Fill(wire::Event::Builder e, const std::string& actor, const ChainHash& prev) {
  const uint8_t id[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  e.setId(capnp::Data::Reader(id, sizeof id));
  e.setSite("north");
  e.setType("terminal.incident_reported");
  e.setProducer("gate-1-terminal");
  e.setActor(actor);
  e.setObservedAt(1'764'000'000'000'000);
  e.setSeq(42);
  e.setRecordedAt(1'764'000'000'000'100);
  e.setPrevHash(capnp::Data::Reader(prev.data(), prev.size()));
  auto body = e.getBody().initAs<wire::IncidentReported>();
  body.setPost("gate-1");
  body.setNote("fence cut");
}

ChainHash HashOf(const std::string& actor, const ChainHash& prev = kChainGenesis) {
  capnp::MallocMessageBuilder m;
  Fill(m.initRoot<wire::Event>(), actor, prev);
  return ChainHashOf(m.getRoot<wire::Event>().asReader());
}

}  // namespace

TEST_CASE("event chain: an event hashes the same however its message is laid out",
          "[event_chain]") {
  capnp::MallocMessageBuilder direct;
  Fill(direct.initRoot<wire::Event>(), "ann", kChainGenesis);
  // Laid out differently: the same values set in the reverse order, with text set and
  // then replaced (leaving a hole), as another producer's library might.
  capnp::MallocMessageBuilder other(4);
  auto e = other.initRoot<wire::Event>();
  auto body = e.getBody().initAs<wire::IncidentReported>();
  body.setNote("fence cut");
  body.setPost("gate-1");
  e.setPrevHash(capnp::Data::Reader(kChainGenesis.data(), kChainGenesis.size()));
  e.setRecordedAt(1'764'000'000'000'100);
  e.setSeq(42);
  e.setObservedAt(1'764'000'000'000'000);
  e.setActor("somebody else entirely");
  e.setActor("ann");
  e.setProducer("gate-1-terminal");
  e.setType("terminal.incident_reported");
  e.setSite("north");
  auto id = direct.getRoot<wire::Event>().getId();
  e.setId(id);
  CHECK(Encode(other) != Encode(direct));
  CHECK(ChainHashOf(other.getRoot<wire::Event>().asReader()) ==
        ChainHashOf(direct.getRoot<wire::Event>().asReader()));
}

TEST_CASE("event chain: a change to a field, the body or the link changes the hash",
          "[event_chain]") {
  const ChainHash base = HashOf("ann");
  CHECK(base != kChainGenesis);
  CHECK(HashOf("ann") == base);
  CHECK(HashOf("anm") != base);  // one letter
  ChainHash other_prev = kChainGenesis;
  other_prev[31] = 1;
  CHECK(HashOf("ann", other_prev) != base);  // the link is hashed too: a chain, not a list

  capnp::MallocMessageBuilder m;
  Fill(m.initRoot<wire::Event>(), "ann", kChainGenesis);
  m.getRoot<wire::Event>().getBody().getAs<wire::IncidentReported>().setNote("fence cuT");
  CHECK(ChainHashOf(m.getRoot<wire::Event>().asReader()) != base);
  CHECK(ChainHex(base).size() == 64);
}

TEST_CASE("event chain: prevHash is read only when it has exactly 32 bytes", "[event_chain]") {
  capnp::MallocMessageBuilder m;
  auto e = m.initRoot<wire::Event>();
  CHECK_FALSE(PrevHashOf(e.asReader()));  // recorded before the chain existed
  ChainHash h = kChainGenesis;
  h[0] = 0xab;
  e.setPrevHash(capnp::Data::Reader(h.data(), h.size()));
  CHECK(PrevHashOf(e.asReader()) == h);
  e.setPrevHash(capnp::Data::Reader(h.data(), 31));
  CHECK_FALSE(PrevHashOf(e.asReader()));
}

TEST_CASE(
    "event chain: the bus's recorded form is the canonical message, decodes to the same "
    "event and hashes as ChainHashOf says",
    "[event_chain]") {
  capnp::MallocMessageBuilder m;
  Fill(m.initRoot<wire::Event>(), "ann", kChainGenesis);
  CanonicalEvent recorded = Canonical(m.getRoot<wire::Event>().asReader());
  CHECK(recorded.hash == HashOf("ann"));
  std::string error;
  auto decoded = DecodedMessage::Decode(recorded.bytes, &error);
  INFO(error);
  REQUIRE(decoded);
  auto e = decoded->Root<wire::Event>();
  CHECK(std::string(e.getActor().cStr()) == "ann");
  CHECK(std::string(e.getBody().getAs<wire::IncidentReported>().getNote().cStr()) == "fence cut");
  CHECK(ChainHashOf(e) == recorded.hash);
  CHECK(Canonical(e).bytes == recorded.bytes);  // canonical twice is the same bytes
}

}  // namespace picket
