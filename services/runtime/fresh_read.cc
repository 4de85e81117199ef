#include "runtime/fresh_read.h"

#include <capnp/message.h>

#include "picket/schemas/bus.capnp.h"
#include "runtime/command_client.h"
#include "runtime/service_host.h"
#include "wire/codec.h"

namespace picket {
namespace {

using Steady = std::chrono::steady_clock;

// How long, after the head was not reached in time, the loop gets to judge what it has.
constexpr auto kJudgeApplied = std::chrono::seconds(1);

}  // namespace

std::optional<uint64_t> QueryBusHead(zmq::context_t& context, const std::string& endpoint,
                                     Steady::time_point deadline, std::string* error) {
  capnp::MallocMessageBuilder request;
  request.initRoot<wire::BusRequest>().setStatus();
  std::optional<std::string> reply;
  try {
    reply = RequestOnce(context, endpoint, Encode(request), deadline);
  } catch (const zmq::error_t& e) {
    *error = "bus endpoint " + endpoint + ": " + e.what();
    return std::nullopt;
  }
  if (!reply) {
    *error = "no status answer from the bus at " + endpoint;
    return std::nullopt;
  }
  std::string why;
  auto msg = DecodedMessage::Decode(*reply, &why);
  std::optional<uint64_t> head;
  bool ok = msg && ReadSafely<wire::BusReply>(
                       *msg,
                       [&](wire::BusReply::Reader r) {
                         if (r.isStatus()) head = r.getStatus().getHeadSeq();
                       },
                       &why);
  if (!ok || !head) *error = "the bus's status answer is unreadable or not a status: " + why;
  return head;
}

FreshRead::Outcome FreshRead::Judge(const Predicate& predicate, Steady::duration within) {
  const auto deadline = Steady::now() + within;
  std::optional<uint64_t> judged_at;  // the head the last kTrue was given at
  for (int round = 0; round < kRounds; ++round) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return Outcome::kStopping;
    }
    std::string error;
    auto head = QueryBusHead(host_.context(), host_.site().bus.replay, deadline, &error);
    if (!head) break;                                             // judged below on what is applied
    if (judged_at && *head == *judged_at) return Outcome::kTrue;  // nothing recorded since
    auto outcome = AskLoop(*head, predicate, deadline);
    if (!outcome) break;
    if (*outcome != Outcome::kTrue) return *outcome;
    judged_at = head;
  }
  if (judged_at) return Outcome::kTrue;  // the head kept moving: the last verdict stands
  // No head, or not reached in time: what is applied may already say no.
  auto applied = AskLoop(0, predicate, Steady::now() + kJudgeApplied);
  if (applied == Outcome::kFalse || applied == Outcome::kStopping) return *applied;
  return Outcome::kUnconfirmed;
}

std::optional<FreshRead::Outcome> FreshRead::AskLoop(uint64_t head, const Predicate& predicate,
                                                     Steady::time_point deadline) {
  auto call = std::make_shared<Call>();
  host_.Post([this, call, head, predicate] {
    host_.WhenApplied(head, [this, call, predicate] {
      ReadOnlyTxn view(host_.store());
      Outcome outcome = Outcome::kUnconfirmed;
      try {
        outcome = predicate(view) ? Outcome::kTrue : Outcome::kFalse;
      } catch (const StoreError&) {
        outcome = Outcome::kUnconfirmed;
      }
      Answer(call, outcome);
    });
  });
  std::unique_lock<std::mutex> lock(mu_);
  answered_.wait_until(lock, deadline, [&] { return call->answered || stopping_; });
  if (stopping_) return Outcome::kStopping;
  if (!call->answered) return std::nullopt;
  return call->outcome;
}

void FreshRead::Answer(const std::shared_ptr<Call>& call, Outcome outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  call->answered = true;
  call->outcome = outcome;
  answered_.notify_all();
}

void FreshRead::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  answered_.notify_all();
}

}  // namespace picket
