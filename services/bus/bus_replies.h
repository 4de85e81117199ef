// Encoders for everything the bus sends (BusReply variants and heartbeats), shared by the
// ingest and replay endpoints. Each returns one frame (flat Cap'n Proto message).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bus/log_store.h"
#include "bus/replay_sessions.h"
#include "bus/sequencer.h"
#include "picket/schemas/bus.capnp.h"
#include "wire/event_id.h"

namespace picket {

// firstSeq as the wire reports it: 0 when the log holds no event.
inline uint64_t ReportedFirstSeq(const LogRange& log) {
  return log.first_seq > log.head_seq ? 0 : log.first_seq;
}

std::string EncodeAck(const EventId& id, const RecordedAt& at, bool duplicate);
// `event_id` is the refused event's id bytes, or empty. `message` must be clean text
// (text_check.h); it is cut to 1024 bytes at a UTF-8 boundary.
std::string EncodeNack(std::string_view event_id, wire::ErrorCode code, std::string_view message);
std::string EncodeStatus(std::string_view site, const LogRange& log,
                         const std::vector<SubscriberReports::Report>& subscribers, Micros now);
std::string EncodeReplayEnd(uint64_t last_seq, const LogRange& log);
std::string EncodeHeartbeat(std::string_view site, uint64_t head_seq, Micros now);

// A ReplayBatch of `events` (stored by this bus). Returns false and sets *error if a stored
// event cannot be decoded (a corrupt log).
bool EncodeReplayBatch(const std::vector<StoredEvent>& events, const LogRange& log,
                       std::string* frame, std::string* error);

}  // namespace picket
