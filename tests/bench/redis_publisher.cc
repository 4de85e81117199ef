#include "redis_publisher.h"

#include <hiredis/hiredis.h>

#include <deque>
#include <memory>

namespace picket::bench {
namespace {

struct RedisContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
using RedisConnection = std::unique_ptr<redisContext, RedisContextFree>;

struct ReplyFree {
  void operator()(void* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

timeval ToTimeval(Nanos n) {
  return timeval{static_cast<time_t>(n / 1'000'000'000),
                 static_cast<suseconds_t>(n % 1'000'000'000 / 1000)};
}

// Accounts one reply against the oldest command in flight.
void HandleReply(const Reply& reply, std::deque<Nanos>& in_flight, Nanos now,
                 PublisherTally& tally) {
  const Nanos sent_at = in_flight.front();
  in_flight.pop_front();
  if (reply->type == REDIS_REPLY_ERROR) {
    tally.OnFailed("XADD error: " + std::string(reply->str, reply->len));
  } else {
    tally.OnAcked(sent_at, now);
  }
}

}  // namespace

void RunRedisPublisher(const RedisTarget& target, PublisherTally& tally) {
  const Nanos timeout = tally.schedule().drain_timeout;
  RedisConnection c(redisConnectWithTimeout(target.host.c_str(), target.port, ToTimeval(timeout)));
  if (!c || c->err) {
    tally.OnBroken("redis connect: " + std::string(c ? c->errstr : "out of memory"));
    return;
  }
  // Replies that do not come within the timeout fail the read instead of blocking forever.
  redisSetTimeout(c.get(), ToTimeval(timeout));

  std::string payload(target.field_bytes, 'x');
  std::deque<Nanos> in_flight;
  while (true) {
    Nanos now = SteadyNanos();
    bool appended = false;
    while (tally.MaySend(now, static_cast<int>(in_flight.size()))) {
      if (redisAppendCommand(c.get(), "XADD %s * d %b", target.stream.c_str(), payload.data(),
                             payload.size()) != REDIS_OK) {
        tally.OnBroken("redis append: " + std::string(c->errstr));
        return;
      }
      in_flight.push_back(SteadyNanos());
      tally.OnSent();
      appended = true;
    }
    if (appended) {
      int done = 0;
      do {
        if (redisBufferWrite(c.get(), &done) != REDIS_OK) {
          tally.OnBroken("redis write: " + std::string(c->errstr));
          return;
        }
      } while (!done);
    }
    if (in_flight.empty()) {
      if (tally.DoneSending(SteadyNanos())) return;
      continue;
    }
    // Block for one reply, then take every reply already read without blocking again.
    void* raw = nullptr;
    if (redisGetReply(c.get(), &raw) != REDIS_OK) {
      tally.OnBroken("redis read: " + std::string(c->errstr));
      return;
    }
    now = SteadyNanos();
    HandleReply(Reply(static_cast<redisReply*>(raw)), in_flight, now, tally);
    while (!in_flight.empty()) {
      raw = nullptr;
      if (redisReaderGetReply(c->reader, &raw) != REDIS_OK) {
        tally.OnBroken("redis protocol error");
        return;
      }
      if (raw == nullptr) break;
      HandleReply(Reply(static_cast<redisReply*>(raw)), in_flight, now, tally);
    }
  }
}

}  // namespace picket::bench
