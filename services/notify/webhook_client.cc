#include "notify/webhook_client.h"

#include <httplib.h>

namespace picket::notify {

AttemptResult SendWebhook(const WebhookRequest& request, const Clock& clock) {
  AttemptResult result;
  result.delivery_id = request.delivery_id;
  result.attempt = request.attempt;
  time_t sec = static_cast<time_t>(request.timeout / kMicrosPerSecond);
  time_t usec = static_cast<time_t>(request.timeout % kMicrosPerSecond);
  try {
    httplib::Client client(request.origin);
    client.set_connection_timeout(sec, usec);
    client.set_read_timeout(sec, usec);
    client.set_write_timeout(sec, usec);
    client.set_follow_location(false);
    client.set_keep_alive(false);
    httplib::Headers headers(request.headers.begin(), request.headers.end());
    auto res = client.Post(request.path, headers, request.body, request.content_type);
    if (res) {
      result.http_status = res->status;
    } else {
      result.error = httplib::to_string(res.error());
    }
  } catch (const std::exception& e) {
    // httplib reports by value; this is for the unexpected (e.g. bad_alloc, a bad origin).
    result.http_status = 0;
    result.error = e.what();
  }
  result.finished_at = clock.Now();
  return result;
}

}  // namespace picket::notify
