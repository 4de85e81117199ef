// What one attempt of a delivery sends: the JSON body, the signature and the headers.
//
// Signature scheme (docs/notify.md has the receiver's recipe):
//   X-Picket-Timestamp: <t>            unix seconds when the request was built, decimal
//   X-Picket-Signature: sha256=<hex>   HMAC-SHA256(key = the channel's secret bytes,
//                                      message = <t> + "." + <body bytes>), lower-case hex
//   Idempotency-Key: <delivery id hex> the same for every attempt of one delivery
// The timestamp is signed with the body so a receiver can refuse replays of old requests.
//
// Pure: time comes in as `now`. Uses libsodium's HMAC-SHA256 and nlohmann::json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "notify/core/delivery.h"
#include "notify/core/notify_config.h"

namespace picket::notify {

struct WebhookRequest {
  std::string delivery_id;  // 16 bytes
  uint32_t attempt = 0;
  std::string origin;  // "http://host:port" (WebhookUrl::Origin)
  std::string path;    // path and query
  Micros timeout = 0;  // connect timeout, and read timeout
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // signature etc., then extras
};

// The JSON body of attempt d.attempts of `d` on the bus of `site` (fields: docs/notify.md).
// Text that is not valid UTF-8 is replaced (U+FFFD), never an error.
std::string PayloadJson(const Delivery& d, std::string_view site);

// "sha256=" + hex HMAC-SHA256(secret, decimal(timestamp) + "." + body).
std::string Signature(std::string_view secret, int64_t timestamp_seconds, std::string_view body);

// The request for the current attempt (d.attempts) of `d` to `channel`, built at `now`.
WebhookRequest BuildWebhookRequest(const Delivery& d, const Channel& channel, std::string_view site,
                                   Micros now);

}  // namespace picket::notify
