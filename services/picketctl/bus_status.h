// `picketctl status`: one BusRequest.status to the bus, and the answer for people or
// scripts.
//
//   status = C:BusRequest.status S:BusReply.status      (bus.capnp; ingest or replay)
#pragma once

#include <zmq.hpp>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "runtime/curve_keys.h"

namespace picket {

struct SubscriberLag {
  std::string name;
  uint64_t applied_seq = 0;
  uint64_t lag = 0;        // head - applied (0 if ahead)
  Micros reported_at = 0;  // bus clock
};

struct BusStatusReport {
  std::string site;
  uint64_t head_seq = 0;   // 0 = empty log
  uint64_t first_seq = 0;  // oldest retained (0 = empty log)
  Micros now = 0;          // bus clock when it answered
  std::vector<SubscriberLag> subscribers;
};

// Asks the bus at `endpoint` (its ingest or replay ROUTER) for its status over a fresh
// DEALER. Returns nullopt and sets *error if no valid answer comes within `timeout` (the
// bus is down, the endpoint is wrong) or the answer is not a status. Never blocks longer
// than `timeout`; the socket is closed with linger 0.
std::optional<BusStatusReport> QueryBusStatus(zmq::context_t& context, const std::string& endpoint,
                                              Micros timeout, std::string* error,
                                              const CurveClientKeys& curve = {});

// Decodes a BusReply frame holding a status; nullopt and *error otherwise (a nack's
// code and message are in *error).
std::optional<BusStatusReport> ParseStatusReply(std::string_view frame, std::string* error);

// For people:
//   site plant-1: head 1234, first retained 1, bus time 2026-11-25T21:03:04.123Z
//   subscriber          applied       lag  last report
//   picket-access          1230         4  2.0s ago
std::string FormatStatus(const BusStatusReport& report);

// {"site","headSeq","firstSeq","now","subscribers":[{"name","appliedSeq","lag","reportedAt"}]}
// Texts are copied byte for byte, as the answer gave them: dump with
// error_handler_t::replace, or use StatusToJsonLine.
nlohmann::ordered_json StatusToJson(const BusStatusReport& report);

// StatusToJson as one line of compact JSON (`picketctl status --json`); bytes that are not
// UTF-8 (whatever answered at the endpoint sent them) become U+FFFD. Never throws.
std::string StatusToJsonLine(const BusStatusReport& report);

}  // namespace picket
