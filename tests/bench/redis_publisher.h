// The Redis Streams backend of bus_bench: one hiredis connection per publisher, XADD of a
// `field_bytes` payload to one stream, pipelined with at most `in_flight` commands
// unanswered (Redis answers a connection's commands in order). With `appendonly yes`, Redis
// replies only after the command is in the AOF (and fsynced with `appendfsync always`), so a
// reply is an ack of the same durability as the server is configured for.
#pragma once

#include <cstddef>
#include <string>

#include "publisher_tally.h"

namespace picket::bench {

struct RedisTarget {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string stream = "bench";  // the stream key every publisher appends to
  size_t field_bytes = 200;      // size of the one field value of each entry
};

// Publishes until the tally's schedule says stop, then drains
// the replies still outstanding. A connection failure or timeout marks the tally broken.
void RunRedisPublisher(const RedisTarget& target, PublisherTally& tally);

}  // namespace picket::bench
