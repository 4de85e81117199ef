#include "picketctl/audit_command.h"

#include <kj/exception.h>

#include <algorithm>

#include "picket/schemas/bus.capnp.h"
#include "picketctl/bus_status.h"
#include "picketctl/publish_command.h"
#include "wire/event_names.h"

namespace picket {
namespace {

template <size_t N>
std::optional<std::array<uint8_t, N>> BytesOf(capnp::Data::Reader data) {
  if (data.size() != N) return std::nullopt;
  std::array<uint8_t, N> out{};
  std::copy(data.begin(), data.end(), out.begin());
  return out;
}

}  // namespace

AuditSession::AuditSession(zmq::context_t& context, EventLoop& loop, AuditOptions options,
                           std::ostream& out, std::ostream& err)
    : context_(context),
      loop_(loop),
      options_(std::move(options)),
      out_(out),
      err_(err),
      subscriber_(context, loop,
                  SubscriberOptions{.name = "",
                                    .events_endpoint = options_.events,
                                    .replay_endpoint = options_.replay,
                                    .curve = options_.curve}) {}

int AuditSession::Start(bool* done) {
  *done = false;
  std::string error;
  auto status = QueryBusStatus(context_, options_.replay, options_.timeout, &error, options_.curve);
  if (!status) {
    err_ << "picketctl audit verify: " << error << "\n";
    return kExitNoAnswer;
  }
  if (status->head_seq == 0) {
    out_ << "the log of site " << status->site << " is empty: nothing to verify\n";
    *done = true;
    return kExitOk;
  }
  from_ = std::max(options_.from.value_or(status->first_seq), status->first_seq);
  to_ = std::min(options_.to.value_or(status->head_seq), status->head_seq);
  if (from_ > to_) {
    err_ << "picketctl audit verify: nothing to check from #" << from_ << " to #" << to_
         << " (the bus has #" << status->first_seq << " to #" << status->head_seq << ")\n";
    return kExitUsage;
  }
  if (from_ > status->first_seq) anchor_ = from_ - 1;  // to check the link into from_
  subscriber_.SetCaughtUpHandler([this](uint64_t) {
    reached_end_ = true;
    loop_.Stop();
  });
  if (!subscriber_.Start(
          anchor_ > 0 ? anchor_ : from_, [this](wire::Event::Reader e) { return OnEvent(e); },
          &error)) {
    err_ << "picketctl audit verify: " << error << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

void AuditSession::Broken(uint64_t seq, const std::string& why) {
  broken_ = true;
  out_ << "BROKEN at #" << seq << ": " << why << "\n";
  loop_.Stop();
}

bool AuditSession::OnEvent(wire::Event::Reader event) {
  if (broken_) return true;
  const uint64_t seq = event.getSeq();
  if (seq > to_) {
    reached_end_ = true;
    loop_.Stop();
    return true;
  }
  const uint64_t trimmed = subscriber_.stats().trimmed;
  if (last_seq_ != 0 && seq != last_seq_ + 1) {
    if (trimmed == trimmed_before_) {
      Broken(last_seq_ + 1, "events #" + std::to_string(last_seq_ + 1) + " to #" +
                                std::to_string(seq - 1) + " could not be read");
      return true;
    }
    out_ << "#" << last_seq_ + 1 << " to #" << seq - 1
         << " were dropped by retention while checking: the chain is checked again from #" << seq
         << "\n";
    last_.reset();
  }
  trimmed_before_ = trimmed;
  ChainHash hash{};
  std::optional<ChainHash> prev;
  try {
    hash = ChainHashOf(event);
    prev = PrevHashOf(event);
  } catch (const kj::Exception& e) {
    Broken(seq, "the event cannot be read: " + std::string(e.getDescription().cStr()));
    return true;
  }
  if (!prev) {
    ++unchained_;  // recorded before the chain existed
  } else if (seq == 1 && *prev != kChainGenesis) {
    Broken(1, "the first event of the log does not link to the start (32 zero bytes) but to " +
                  ChainHex(*prev));
    return true;
  } else if (last_ && *prev != *last_) {
    Broken(seq, "its prevHash " + ChainHex(*prev) + " is not the chain hash of #" +
                    std::to_string(seq - 1) + " (" + ChainHex(*last_) + "): event #" +
                    std::to_string(seq - 1) +
                    " was changed after it was recorded, or the link in #" + std::to_string(seq) +
                    " was");
    return true;
  } else if (last_ || seq == 1) {
    ++linked_;
  }
  if (seq >= from_ && std::string_view(event.getType().cStr()) == event_names::kBusCheckpoint &&
      !CheckCheckpoint(event))
    return true;
  last_ = hash;
  last_seq_ = seq;
  if (seq >= to_) {
    reached_end_ = true;
    loop_.Stop();
  }
  return true;
}

bool AuditSession::CheckCheckpoint(wire::Event::Reader event) {
  const uint64_t seq = event.getSeq();
  ++checkpoints_;
  if (!options_.checkpoint_key) return true;
  if (std::string_view(event.getProducer().cStr()) != "bus") {
    Broken(seq, "a bus.checkpoint not recorded by the bus (producer '" +
                    std::string(event.getProducer().cStr()) + "')");
    return false;
  }
  uint64_t up_to = 0;
  std::optional<ChainHash> tip;
  std::optional<SigningPublicKey> key;
  std::optional<CheckpointSignature> signature;
  try {
    auto body = event.getBody().getAs<wire::ChainCheckpoint>();
    up_to = body.getUpTo();
    tip = BytesOf<32>(body.getTipHash());
    key = BytesOf<32>(body.getKey());
    signature = BytesOf<64>(body.getSignature());
  } catch (const kj::Exception& e) {
    Broken(seq, "the checkpoint cannot be read: " + std::string(e.getDescription().cStr()));
    return false;
  }
  if (!tip || !key || !signature) {
    Broken(seq, "the checkpoint's tipHash, key or signature has the wrong size");
    return false;
  }
  if (*key != *options_.checkpoint_key) {
    Broken(seq, "the checkpoint is signed by key " + Hex(*key) + ", not by the checkpoint key '" +
                    options_.checkpoint_key_name +
                    "': a forged checkpoint, or one from before a key rotation (check that "
                    "stretch with its own key, --from/--to)");
    return false;
  }
  if (!CheckpointSignatureValid(*key, event.getSite().cStr(), up_to, *tip, *signature)) {
    Broken(seq, "the checkpoint's signature does not verify with '" + options_.checkpoint_key_name +
                    "': it was changed after it was signed");
    return false;
  }
  if (!last_) return true;  // the oldest event of the stretch: what it covers is not here
  if (up_to != last_seq_) {
    Broken(seq, "the checkpoint covers #" + std::to_string(up_to) + " but follows #" +
                    std::to_string(last_seq_));
    return false;
  }
  if (*tip != *last_) {
    Broken(seq, "the checkpoint signed the chain hash " + ChainHex(*tip) + " for #" +
                    std::to_string(up_to) + ", but the log as it is now gives " + ChainHex(*last_) +
                    ": the log was rewritten at or before #" + std::to_string(up_to) +
                    " and its links recomputed");
    return false;
  }
  ++verified_;
  last_covered_ = up_to;
  last_checkpoint_ = seq;
  return true;
}

int AuditSession::Finish() {
  if (broken_) return kExitFailed;
  if (!reached_end_) {
    err_ << "picketctl audit verify: stopped at #" << last_seq_ << " before #" << to_ << "\n";
    return kExitFailed;
  }
  out_ << "chain intact from #" << from_ << " to #" << to_ << ": " << linked_ << " links checked";
  if (unchained_ > 0) out_ << ", " << unchained_ << " events recorded before the chain";
  if (anchor_ > 0)
    out_ << " (the link into #" << from_ << " from #" << anchor_ << " included)";
  else if (from_ > 1)
    out_ << " (#" << from_ << " is the oldest event the bus has: its own link is not checked)";
  out_ << "\n";
  if (!options_.checkpoint_key) {
    if (checkpoints_ > 0)
      out_ << checkpoints_
           << " signed checkpoints not checked (no checkpoint key: --checkpoint-key or [bus] "
              "checkpoint_public)\n";
  } else if (verified_ == 0) {
    out_ << "no signed checkpoint in this stretch: it is protected by the chain alone\n";
  } else {
    out_ << verified_ << " signed checkpoints verified with '" << options_.checkpoint_key_name
         << "', the last covering #" << last_covered_;
    if (last_checkpoint_ < last_seq_)
      out_ << " (#" << last_checkpoint_ + 1 << " to #" << last_seq_
           << " are protected by the chain alone until the next checkpoint)";
    out_ << "\n";
  }
  return kExitOk;
}

}  // namespace picket
