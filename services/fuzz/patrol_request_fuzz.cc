// patrol_request: one frame on picket-patrol's command endpoint, read as the kit and the
// adapter read it (runtime/typed_commands.h, patrol/wire_convert.h): decoded, its texts
// checked (FindBadText), then ToCommand, then the core's Patrol::OnCommand on a small site
// (patrol_world.h; a copy of its state per input), then EncodeReply. Invariants: a refusal
// by the decoder has a code and a message, and its reply frame (EncodeError) reads back as
// that code and message; the decoder and the command agree on what is a query; the core's
// refusal has a message, emits nothing and changes nothing, nor does a query; an applied
// command's reply is the round it changed, as now stored; a query's rounds are what it
// asked for (ListRounds: in [from, to), matching its filters, at most kMaxRounds, by time
// then id; GetRound: that round; CurrentRounds: in progress, at that post); completion
// rows are ascending by subject; a reply frame reads back with the reply's error, message
// and counts; the effects fill wire events and name the core's timers (CheckEffects).
#include <capnp/dynamic.h>
#include <capnp/message.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>

#include "fuzz/fuzz_support.h"
#include "fuzz/patrol_world.h"
#include "patrol/core/patrol_store.h"
#include "patrol/wire_convert.h"
#include "wire/codec.h"
#include "wire/text_check.h"

namespace {

using namespace picket;
using namespace picket::patrol;

struct ReadBack {
  uint16_t error = 0;
  std::string message;
  size_t rounds = 0, completion = 0;
};

// What an encoded PatrolReply carries, or false if it does not read back.
bool ReadReply(const std::string& frame, ReadBack* out) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  if (!msg) return false;
  return ReadSafely<wire::PatrolReply>(
      *msg,
      [&](wire::PatrolReply::Reader r) {
        r.totalSize();
        out->error = static_cast<uint16_t>(r.getError());
        out->message = std::string(r.getMessage().cStr(), r.getMessage().size());
        out->rounds = r.getRounds().size();
        out->completion = r.getCompletion().size();
      },
      &why);
}

const std::string& GuardOf(const Round& r) { return r.guard.empty() ? r.assigned : r.guard; }

// The promises of a query's answer (commands.h).
void CheckQuery(const CommandBody& body, const Reply& reply) {
  if (!reply.ok()) return;
  if (const auto* q = std::get_if<ListRounds>(&body)) {
    fuzz::Require(reply.rounds.size() <= kMaxRounds, "at most kMaxRounds rounds");
    for (size_t i = 0; i < reply.rounds.size(); ++i) {
      const Round& r = reply.rounds[i];
      const Micros t = PatrolStore::TimeOf(r);
      fuzz::Require(q->from <= t && t < q->to, "a listed round's time is in [from, to)");
      fuzz::Require((q->post.empty() || r.post == q->post) &&
                        (q->route.empty() || r.route == q->route) &&
                        (q->guard.empty() || GuardOf(r) == q->guard),
                    "a listed round matches the filters");
      if (i > 0) {
        const Round& p = reply.rounds[i - 1];
        fuzz::Require(std::tuple(PatrolStore::TimeOf(p), p.id) < std::tuple(t, r.id),
                      "listed rounds ascend by time then id");
      }
    }
  } else if (const auto* q = std::get_if<GetRound>(&body)) {
    fuzz::Require(reply.rounds.size() == 1 && reply.rounds[0].id == q->round,
                  "getRound answers that round");
  } else if (const auto* q = std::get_if<CurrentRounds>(&body)) {
    for (const Round& r : reply.rounds)
      fuzz::Require(r.status == RoundStatus::kInProgress && (q->post.empty() || r.post == q->post),
                    "current rounds are in progress, at that post");
  }
  for (size_t i = 1; i < reply.completion.size(); ++i)
    fuzz::Require(reply.completion[i - 1].subject < reply.completion[i].subject,
                  "completion rows ascend by subject");
}

uint64_t RoundOf(const CommandBody& body) {
  return std::visit(
      [](const auto& c) -> uint64_t {
        if constexpr (requires { c.round; })
          return c.round;
        else
          return 0;
      },
      body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& world = fuzz::PatrolWorld::Get();
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::PatrolRequest>(
      *msg,
      [&](wire::PatrolRequest::Reader request) {
        if (FindBadText(capnp::toDynamic(request), "request")) return;  // malformed
        wire::PatrolError code = wire::PatrolError::NONE;
        std::string message;
        auto command = ToCommand(request, &code, &message);
        ReadBack back;
        if (!command) {
          fuzz::Require(code != wire::PatrolError::NONE && !message.empty(),
                        "a refusal has a code and a message");
          fuzz::Require(ReadReply(EncodeError(code, message), &back),
                        "a refusal's reply reads back");
          fuzz::Require(back.error == static_cast<uint16_t>(code) && back.message == message,
                        "a refusal's reply carries its code and message");
          return;
        }
        const bool query = IsQuery(*command);
        fuzz::Require(query == IsQuery(request), "decoder and command agree on queries");
        MemoryTxn state = world.state;
        CommandResult r = world.core.OnCommand(*command, state, fuzz::PatrolWorld::kNow);
        if (!r.reply.ok()) {
          fuzz::Require(!r.reply.message.empty(), "a refusal by the core has a message");
          fuzz::Require(
              r.effects.events.empty() && r.effects.set.empty() && r.effects.cancel.empty(),
              "a refusal emits nothing");
        }
        if (!r.reply.ok() || query)
          fuzz::Require(world.Unchanged(state), "a refusal or a query changes nothing");
        if (query) {
          fuzz::Require(
              r.effects.events.empty() && r.effects.set.empty() && r.effects.cancel.empty(),
              "a query emits nothing");
          CheckQuery(command->body, r.reply);
        } else if (r.reply.ok()) {
          const uint64_t id = RoundOf(command->body);
          fuzz::Require(r.reply.rounds.size() == 1 && r.reply.rounds[0].id == id,
                        "an applied command's reply is its round");
          fuzz::Require(PatrolStore(state).LoadRound(id) == r.reply.rounds[0],
                        "the reply's round is the round as stored");
          fuzz::Require(!r.effects.events.empty(), "an applied command emits its event");
        }
        fuzz::Require(ReadReply(EncodeReply(r.reply), &back), "a reply reads back");
        fuzz::Require(back.error == static_cast<uint16_t>(r.reply.error) &&
                          back.message == r.reply.message && back.rounds == r.reply.rounds.size() &&
                          back.completion == r.reply.completion.size(),
                      "a reply carries its error, message, rounds and completion rows");
        fuzz::CheckEffects(r.effects);
      },
      &error);
  return 0;
}
