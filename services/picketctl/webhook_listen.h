// `picketctl webhook listen`: a webhook receiver for checking a picket-notify channel (or
// for the demo's pager): prints one line per delivery, with whether its signature is
// valid, and answers 200 (or 503 for the first --fail-first requests, to watch retries).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <optional>

#include "runtime/event_loop.h"

namespace picket {

struct WebhookListenOptions {
  std::string host = "127.0.0.1";
  int port = 7490;
  std::string path = "/hook";
  std::string secret;       // the channel's secret; empty = do not check signatures
  std::string secret_file;  // or read from this file (its first line), kept out of `ps`
  int fail_first = 0;       // answer 503 to this many requests first
  bool json = false;        // print one JSON object per delivery instead (JsonLine)
};

// The verdict on one request, and the line to print for it. Pure.
struct HookVerdict {
  bool signature_ok = false;  // false also when no secret was given
  // "ok", "bad", "stale" (more than 300 s off), "no_timestamp", or "unchecked" (no secret)
  std::string signature;
  std::string line;
};
// The --json line of a delivery: {"signature": verdict.signature, "idempotency_key": ...,
// "body": the body as JSON (a string if it is not JSON)}.
std::string JsonLine(const HookVerdict& verdict, std::string_view body,
                     std::string_view idempotency_key);
// The secret in `path`: its first line, without the line end. Nullopt and *error if the
// file cannot be read or the line is empty.
std::optional<std::string> ReadSecretFile(const std::string& path, std::string* error);
// `now_seconds` is the receiver's clock (a timestamp more than 300 s away is "stale").
HookVerdict CheckHook(std::string_view body, std::string_view timestamp, std::string_view signature,
                      std::string_view idempotency_key, std::string_view secret,
                      int64_t now_seconds);

// Serves until the loop stops (Ctrl-C). Returns an exit code: 0, or 2 if it cannot bind or
// read the secret file.
int RunWebhookListen(EventLoop& loop, WebhookListenOptions options);

}  // namespace picket
