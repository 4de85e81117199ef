// `picketctl audit verify`: checks the site log's hash chain (wire/event_chain.h) over the
// bus's replay: from --from (default: the oldest event the bus still has) to --to (default:
// the head when it starts), each event's prevHash must be the chain hash of the event
// before it, and the first event of a log must link to 32 zero bytes.
//
// The first broken link ends the check: "event #N-1 was changed after it was recorded, or
// the link in #N was" (exit 1). An event that cannot be read at all breaks the chain at it.
// To check the link into --from, the event before it is read too (if the bus still has it).
// Events recorded before the chain existed (no prevHash) are counted and skipped. A
// stretch the bus dropped while the check ran (retention) restarts the chain after it.
//
// What an intact chain proves: no recorded byte was changed, and no event removed or
// inserted, unless whoever did it recomputed every later link too. Signed checkpoints
// (wire/chain_checkpoint.h) close that gap: with the bus's checkpoint public key
// (--checkpoint-key FILE.verify, or [bus] checkpoint_public), every bus.checkpoint in the
// stretch must be signed by that key over the chain hash that the verifier itself computed
// for the event before it; a log rewritten with recomputed links fails at the first
// checkpoint after the change. Without the key, checkpoints are counted, not checked.
// A site that rotated its checkpoint key checks each key's stretch with --from/--to.
#pragma once

#include <zmq.hpp>

#include <optional>
#include <ostream>
#include <string>

#include "runtime/event_loop.h"
#include "runtime/subscriber.h"
#include "wire/chain_checkpoint.h"
#include "wire/event_chain.h"

namespace picket {

struct AuditOptions {
  std::string events, replay;             // bus endpoints
  CurveClientKeys curve = {};             // the keys for the bus (tool_keys.h); plain by default
  std::optional<uint64_t> from, to;       // the stretch to check (seqs, inclusive)
  Micros timeout = 5 * kMicrosPerSecond;  // for the status request
  std::optional<SigningPublicKey> checkpoint_key;  // none: checkpoints are not checked
  std::string checkpoint_key_name;                 // for messages
};

class AuditSession {
 public:
  // `context`, `loop` and the streams must outlive this.
  AuditSession(zmq::context_t& context, EventLoop& loop, AuditOptions options, std::ostream& out,
               std::ostream& err);

  // Asks for the bus status and starts reading. Non-zero: nothing to run (written to
  // `err`). 0 with *done: nothing to check (an empty log), the verdict is written.
  int Start(bool* done);
  // Once the loop has stopped: writes the verdict and returns the exit code (0 intact,
  // 1 broken, or not finished: stopped by a signal).
  int Finish();

 private:
  bool OnEvent(wire::Event::Reader event);
  void Broken(uint64_t seq, const std::string& why);
  // A bus.checkpoint whose link is intact: checks what it signed. False if broken.
  bool CheckCheckpoint(wire::Event::Reader event);

  zmq::context_t& context_;
  EventLoop& loop_;
  AuditOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  Subscriber subscriber_;
  uint64_t from_ = 0, to_ = 0;     // the stretch asked for
  uint64_t anchor_ = 0;            // the event read before from_ (0: none)
  std::optional<ChainHash> last_;  // chain hash of the last event read
  uint64_t last_seq_ = 0;          // its seq (0: none yet)
  uint64_t linked_ = 0;            // links checked
  uint64_t unchained_ = 0;         // events without prevHash
  uint64_t trimmed_before_ = 0;    // subscriber's trimmed count at the last event
  uint64_t checkpoints_ = 0;       // bus.checkpoint events seen in the stretch
  uint64_t verified_ = 0;          // of them, signatures checked with the key
  uint64_t last_covered_ = 0;      // the newest event a verified checkpoint covers
  uint64_t last_checkpoint_ = 0;   // that checkpoint's own seq
  bool broken_ = false;
  bool reached_end_ = false;
};

}  // namespace picket
