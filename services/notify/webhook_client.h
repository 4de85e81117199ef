// SendWebhook: one blocking HTTP POST of a webhook attempt (cpp-httplib client).
//
// Blocks for up to the request's timeout to connect and then up to the timeout for each
// read and write: call it on a worker thread, never on the service loop. Redirects are
// not followed (a 3xx is the receiver's answer, and a permanent failure). https URLs are
// verified against the system's CA store (OpenSSL default paths).
//
// Thread-safe: each call uses its own client. Never throws for network trouble: the
// result carries the status (0 = no answer) and the reason.
#pragma once

#include "notify/core/notifier.h"
#include "notify/core/webhook_request.h"
#include "runtime/clock.h"

namespace picket::notify {

// Sends `request` and reports the outcome, with finished_at from `clock`.
AttemptResult SendWebhook(const WebhookRequest& request, const Clock& clock);

}  // namespace picket::notify
