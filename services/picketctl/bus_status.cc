#include "picketctl/bus_status.h"

#include <capnp/message.h>

#include <chrono>
#include <cstdio>

#include "picket/schemas/bus.capnp.h"
#include "runtime/command_client.h"
#include "wire/codec.h"
#include "wire/event_json.h"
#include "wire/event_rules.h"

namespace picket {

std::optional<BusStatusReport> ParseStatusReply(std::string_view frame, std::string* error) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  if (!msg) {
    *error = "the bus sent an unreadable reply: " + why;
    return std::nullopt;
  }
  std::optional<BusStatusReport> out;
  bool ok = ReadSafely<wire::BusReply>(
      *msg,
      [&](wire::BusReply::Reader reply) {
        if (reply.isNack()) {
          auto nack = reply.getNack();
          why =
              "the bus refused the status request: " + std::string(ErrorCodeName(nack.getCode())) +
              ": " + nack.getMessage().cStr();
          return;
        }
        if (!reply.isStatus()) {
          why = "the bus answered with something other than a status";
          return;
        }
        auto s = reply.getStatus();
        BusStatusReport r;
        r.site = s.getSite().cStr();
        r.head_seq = s.getHeadSeq();
        r.first_seq = s.getFirstSeq();
        r.now = s.getNow();
        for (auto sub : s.getSubscribers()) {
          SubscriberLag l;
          l.name = sub.getSubscriber().cStr();
          l.applied_seq = sub.getAppliedSeq();
          l.lag = r.head_seq > l.applied_seq ? r.head_seq - l.applied_seq : 0;
          l.reported_at = sub.getReportedAt();
          r.subscribers.push_back(std::move(l));
        }
        out = std::move(r);
      },
      &why);
  if (!ok) why = "the bus sent an unreadable status: " + why;
  if (!out) *error = why;
  return out;
}

std::optional<BusStatusReport> QueryBusStatus(zmq::context_t& context, const std::string& endpoint,
                                              Micros timeout, std::string* error,
                                              const CurveClientKeys& curve) {
  try {
    capnp::MallocMessageBuilder request;
    request.initRoot<wire::BusRequest>().setStatus();
    auto reply =
        RequestOnce(context, endpoint, Encode(request),
                    std::chrono::steady_clock::now() + std::chrono::microseconds(timeout), curve);
    if (reply) return ParseStatusReply(*reply, error);
    *error = "no answer from the bus at " + endpoint + " within " +
             std::to_string(timeout / kMicrosPerMilli) + " ms (is it running?" +
             (curve.secure() ? " does the site list our key?" : "") + ")";
  } catch (const zmq::error_t& e) {
    *error = "bus endpoint " + endpoint + ": " + e.what();
  }
  return std::nullopt;
}

std::string FormatStatus(const BusStatusReport& r) {
  std::string out = "site " + r.site + ": head " + std::to_string(r.head_seq) +
                    ", first retained " + std::to_string(r.first_seq) + ", bus time " +
                    FormatMicrosUtc(r.now) + "\n";
  if (r.subscribers.empty()) return out + "no subscriber has reported progress\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %12s %10s  %s\n", "subscriber", "applied", "lag",
                "last report");
  out += line;
  for (const auto& s : r.subscribers) {
    // In doubles: both times are the answer's, any 64-bit value, and their difference
    // could overflow (found by fuzzing).
    double ago =
        (static_cast<double>(r.now) - static_cast<double>(s.reported_at)) / kMicrosPerSecond;
    std::snprintf(line, sizeof line, "%-24s %12llu %10llu  %.1fs ago\n", s.name.c_str(),
                  static_cast<unsigned long long>(s.applied_seq),
                  static_cast<unsigned long long>(s.lag), ago);
    out += line;
  }
  return out;
}

nlohmann::ordered_json StatusToJson(const BusStatusReport& r) {
  nlohmann::ordered_json j;
  j["site"] = r.site;
  j["headSeq"] = r.head_seq;
  j["firstSeq"] = r.first_seq;
  j["now"] = r.now;
  j["subscribers"] = nlohmann::ordered_json::array();
  for (const auto& s : r.subscribers) {
    nlohmann::ordered_json sub;
    sub["name"] = s.name;
    sub["appliedSeq"] = s.applied_seq;
    sub["lag"] = s.lag;
    sub["reportedAt"] = s.reported_at;
    j["subscribers"].push_back(std::move(sub));
  }
  return j;
}

std::string StatusToJsonLine(const BusStatusReport& report) {
  return StatusToJson(report).dump(-1, ' ', false,
                                   nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace picket
