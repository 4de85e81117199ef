#include "notify/core/webhook_request.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "notify/core/delivery_keys.h"

namespace picket::notify {

std::string PayloadJson(const Delivery& d, std::string_view site) {
  const Alert& a = d.alert;
  nlohmann::ordered_json j;
  j["site"] = site;
  j["delivery_id"] = keys::Hex(d.id);
  j["attempt"] = d.attempts;
  j["channel"] = d.channel;
  j["incident"] = a.incident;
  j["version"] = a.version;
  j["type"] = a.incident_type;
  j["severity"] = a.severity;
  j["post"] = a.post;
  j["note"] = a.note;
  j["person"] = a.person;
  j["level"] = a.level;
  j["pass"] = a.pass;
  j["fallback"] = a.fallback;
  j["target"] = a.target;
  j["reason"] = a.reason;
  j["alert_event_id"] = keys::Hex(a.event_id);
  j["alert_seq"] = a.seq;
  j["raised_at"] = a.recorded_at;
  j["respond_by"] = a.respond_by;
  j["lateness"] = a.lateness;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Signature(std::string_view secret, int64_t timestamp_seconds, std::string_view body) {
  std::string prefix = std::to_string(timestamp_seconds) + ".";
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(prefix.data()),
                                prefix.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  return "sha256=" + keys::Hex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

WebhookRequest BuildWebhookRequest(const Delivery& d, const Channel& channel, std::string_view site,
                                   Micros now) {
  WebhookRequest r;
  r.delivery_id = d.id;
  r.attempt = d.attempts;
  r.origin = channel.target.Origin();
  r.path = channel.target.path;
  r.timeout = channel.timeout;
  r.body = PayloadJson(d, site);
  int64_t t = now / kMicrosPerSecond;
  r.headers = {{"X-Picket-Timestamp", std::to_string(t)},
               {"X-Picket-Signature", Signature(channel.secret, t, r.body)},
               {"Idempotency-Key", keys::Hex(d.id)},
               {"X-Picket-Attempt", std::to_string(d.attempts)},
               {"User-Agent", "picket-notify"}};
  r.headers.insert(r.headers.end(), channel.headers.begin(), channel.headers.end());
  return r;
}

}  // namespace picket::notify
