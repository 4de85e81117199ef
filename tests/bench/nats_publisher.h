// The NATS JetStream backend of bus_bench: one libnats connection and JetStream context per
// publisher, js_PublishAsync with an ack handler. The publisher keeps its own window of at
// most `in_flight` unacknowledged publishes (the same bound as the other targets), and
// sets the library's PublishAsync.MaxPending just above it, so the library never stalls a
// publish while a callback is still finishing. A JetStream ack means the server stored the
// message in the stream (file storage, no per-message fsync in nats-server 2.9).
//
// Each event's payload starts with its send time (8 bytes), so the ack handler, which gets
// the original message back, can compute the latency without a lookup.
#pragma once

#include <cstddef>
#include <string>

#include "publisher_tally.h"

namespace picket::bench {

struct NatsTarget {
  std::string url = "nats://127.0.0.1:4222";
  std::string stream = "BENCH";        // the JetStream stream holding `subject`
  std::string subject = "bench.load";  // every publisher publishes here
  size_t payload_bytes = 200;          // message payload size (>= 8)
  // libnats normally hands writes to a flusher thread that batches them; with send_asap each
  // publish is written to the socket at once (natsOptions_SetSendAsap).
  bool send_asap = false;
};

// Creates the stream (file storage, one replica, subject = target.subject) unless a stream
// of that name exists. Retries connecting until `timeout`. Returns false and sets *error
// if the stream could not be made. Call after nats_Open, before the publishers start.
bool EnsureNatsStream(const NatsTarget& target, Nanos timeout, std::string* error);

// Publishes until the tally's schedule says stop, then waits for the acks still
// outstanding. A connection failure or a timeout marks the tally broken.
void RunNatsPublisher(const NatsTarget& target, PublisherTally& tally);

}  // namespace picket::bench
