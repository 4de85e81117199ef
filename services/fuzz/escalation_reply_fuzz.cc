// escalation_reply: one EscalationReply frame as picketctl decodes it
// (escalation::DecodeReply), and prints it for people and as JSON (incident_format.h).
// Invariant: a decoded reply encodes (EncodeReply) to a frame that decodes to a reply
// encoding to the very same bytes (decode -> encode is a fixed point after one round).
#include <cstddef>
#include <cstdint>
#include <string>

#include "escalation/wire_convert.h"
#include "fuzz/fuzz_support.h"
#include "picketctl/incident_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::escalation;
  std::string error;
  auto reply = DecodeReply(fuzz::Bytes(data, size), &error);
  if (!reply) {
    fuzz::Require(!error.empty(), "an unreadable reply has a message");
    return 0;
  }
  // What picketctl prints for people, relative to its clock.
  constexpr Micros kNow = 1'764'000'000'000'000;
  if (!reply->ok()) (void)FormatRefusal(*reply);
  (void)FormatIncidentTable(reply->incidents, kNow);
  if (reply->detail) (void)FormatIncidentDetails(*reply->detail, kNow);
  (void)FormatDutyTable(reply->on_duty, kNow);
  (void)SchemaName(reply->error);
  for (const auto& s : reply->incidents) {
    (void)IncidentSummaryToJson(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    (void)SchemaName(s.severity);
    (void)SchemaName(s.state);
  }
  if (reply->detail)
    (void)IncidentDetailsToJson(*reply->detail)
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  (void)DutyListToJson(reply->on_duty)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string frame = EncodeReply(*reply);
  auto again = DecodeReply(frame, &error);
  fuzz::Require(again.has_value(), "an encoded reply decodes");
  fuzz::Require(EncodeReply(*again) == frame, "decode -> encode -> decode -> encode is stable");
  return 0;
}
