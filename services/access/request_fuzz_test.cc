// picket-access's wire conversions: every enumerant's number both ways, gate resolution,
// and deterministic mutation fuzzing of its untrusted input (request frames through the
// decoder and the core over a MemoryTxn, scan bodies through ToPassScanned and the core).
// Runs under ASan+UBSan in the sanitizer build.
#include <capnp/message.h>
#include <capnp/schema.h>

#include <catch2/catch.hpp>
#include <random>

#include "access/access_test_support.h"
#include "access/wire_convert.h"
#include "testing/request_fuzz.h"
#include "wire/codec.h"

namespace picket::access {
namespace {

using testing::kHour;
using testing::World;

std::vector<std::string> RequestSeeds(Micros now) {
  std::vector<std::string> seeds;
  auto add = [&](const std::function<void(wire::AccessRequest::Builder)>& fill) {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::AccessRequest>();
    r.setActor("officer-1");
    r.setCommandId(
        capnp::Data::Reader(reinterpret_cast<const capnp::byte*>("0123456789abcdef"), 16));
    fill(r);
    seeds.push_back(Encode(b));
  };
  add([](auto r) {
    auto p = r.initRegisterPerson();
    p.setPerson("s-1");
    p.setName("Sam Staff");
    p.initAliases(1).set(0, "Sammy");
    p.setKind(wire::PassKind::STAFF);
  });
  add([&](auto r) {
    auto p = r.initPreRegisterVisitor();
    p.setPerson("v-2");
    p.setName("Val Visitor");
    p.setHost("host-1");
    p.setExpectedAt(now + kHour);
  });
  add([&](auto r) {
    auto p = r.initIssuePass();
    p.setCode("P-9");
    p.setPerson("v-1");
    p.setValidFrom(now);
    p.setValidUntil(now + kHour);
    p.initGates(1).set(0, "north");
    p.setHours("08:00-18:00");
  });
  add([](auto r) {
    auto p = r.initRevokePass();
    p.setCode("P-1");
    p.setReason("lost");
  });
  add([&](auto r) {
    auto p = r.initExtendPass();
    p.setCode("P-1");
    p.setValidUntil(now + 3 * kHour);
  });
  add([](auto r) {
    auto w = r.initAddWatchlistEntry();
    w.setName("Ivan Petrov");
    w.setReason("theft");
    w.setAction(wire::WatchAction::SUPERVISOR);
  });
  add([](auto r) { r.initCheckOut().setPerson("v-1"); });
  add([](auto r) { r.setGetPerson("v-1"); });
  add([&](auto r) {
    auto c = r.initGetCompliance();
    c.setFrom(now - kHour);
    c.setTo(now + kHour);
  });
  add([](auto r) { r.setListOnSite(); });
  add([](auto r) {
    auto v = r.initRegisterVehicle();
    v.setPlate("B-AB 1234");
    v.setDescription("white tanker");
    v.setKind(wire::PassKind::VISITOR);
    v.setHost("host-1");
  });
  return seeds;
}

}  // namespace

TEST_CASE("access wire: the schema's enumerants and the core's have the same names",
          "[access][wire]") {
  for (PassKind k : {PassKind::kVisitor, PassKind::kContractor, PassKind::kStaff}) {
    auto e = capnp::Schema::from<wire::PassKind>().getEnumerants()[static_cast<unsigned>(k)];
    CHECK(std::string(e.getProto().getName().cStr()) == PassKindName(k));
  }
  for (WatchAction a :
       {WatchAction::kDeny, WatchAction::kAdmitWithSupervisor, WatchAction::kAdmitAndNotify}) {
    auto e = capnp::Schema::from<wire::WatchAction>().getEnumerants()[static_cast<unsigned>(a)];
    CHECK(std::string(e.getProto().getName().cStr()) == WatchActionName(a));
  }
  auto errors = capnp::Schema::from<wire::AccessError>().getEnumerants();
  for (uint8_t n = 1; n <= static_cast<uint8_t>(CommandError::kValidityTooLong); ++n) {
    // The core's names are snake_case; the schema's lowerCamel of the same words.
    std::string core(CommandErrorName(static_cast<CommandError>(n)));
    std::string camel;
    for (size_t i = 0; i < core.size(); ++i)
      camel += core[i] == '_' ? static_cast<char>(std::toupper(core[++i])) : core[i];
    CHECK(std::string(errors[n].getProto().getName().cStr()) == camel);
  }
}

TEST_CASE("access wire: a terminal that names no gate gets the gate of its post",
          "[access][wire]") {
  AccessConfig c = testing::SiteConfig();  // north (post-1), south (post-2), depot
  CHECK(ResolveGate(c, "post-1", "") == "north");
  CHECK(ResolveGate(c, "depot", "") == "depot");           // a gate id as the post
  CHECK(ResolveGate(c, "post-1", "south") == "south");     // named: as named
  CHECK(ResolveGate(c, "post-9", "") == "post-9");         // nothing: unknown_gate
  c.gates.push_back({"north-2", "post-1", std::nullopt});  // two gates on one post
  CHECK(ResolveGate(c, "post-1", "") == "post-1");
}

TEST_CASE("access requests: 50000 mutated frames are refused or applied, never a crash",
          "[access][fuzz]") {
  World w;
  w.AddVisitorWithPass("v-1", "Vera Visitor", "P-1", w.now - kHour, w.now + 2 * kHour);
  auto seeds = RequestSeeds(w.now);
  std::mt19937_64 rng(20261128);
  int commands = 0, refused_by_decoder = 0, applied = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string frame = MutateFrame(seeds[i % seeds.size()], rng);
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    if (!msg) continue;
    ReadSafely<wire::AccessRequest>(
        *msg,
        [&](wire::AccessRequest::Reader request) {
          wire::AccessError code = wire::AccessError::NONE;
          std::string message;
          auto command = ToCommand(request, &code, &message);
          if (!command) {
            ++refused_by_decoder;
            CHECK_FALSE(message.empty());
            return;
          }
          CommandResult r = w.access.OnCommand(*command, w.state, w.now);
          if (r.reply.ok() && !IsQuery(*command)) ++applied;
          if (!r.reply.ok()) CHECK_FALSE(r.reply.message.empty());
          (void)EncodeReply(r.reply);
          ++commands;
        },
        &error);
  }
  // The mutations must reach the core, or this proves nothing.
  CHECK(commands > 5000);
  CHECK(refused_by_decoder > 0);
  CHECK(applied > 0);
}

TEST_CASE("access scans: 50000 mutated scan events convert and are judged, or are refused",
          "[access][fuzz]") {
  World w;
  w.AddVisitorWithPass("v-1", "Vera Visitor", "P-1", w.now - kHour, w.now + 2 * kHour);
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setType("terminal.pass_scanned");
  e.setProducer("post-1-terminal");
  e.setActor("guard-7");
  e.setObservedAt(w.now);
  auto body = e.getBody().initAs<wire::PassScanned>();
  body.setPost("post-1");
  body.setPassCode("P-1");
  body.setDirection(wire::Direction::IN);
  std::string seed = Encode(b);
  std::mt19937_64 rng(28);
  int judged = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string frame = MutateFrame(seed, rng);
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    if (!msg) continue;
    ReadSafely<wire::Event>(
        *msg,
        [&](wire::Event::Reader event) {
          auto scan_body = event.getBody().getAs<wire::PassScanned>();
          scan_body.totalSize();
          std::string why;
          auto scan = ToPassScanned(w.config, event, scan_body, &why);
          if (!scan) {
            CHECK_FALSE(why.empty());
            return;
          }
          Effects fx = w.access.OnPassScanned(*scan, w.state);
          capnp::MallocMessageBuilder out;
          for (const auto& ev : fx.events) FillEvent(out.initRoot<wire::Event>(), ev, 1);
          ++judged;
        },
        &error);
  }
  CHECK(judged > 5000);
}

}  // namespace picket::access
