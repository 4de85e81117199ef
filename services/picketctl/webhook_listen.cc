#include "picketctl/webhook_listen.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "notify/core/webhook_request.h"

namespace picket {

HookVerdict CheckHook(std::string_view body, std::string_view timestamp, std::string_view signature,
                      std::string_view idempotency_key, std::string_view secret,
                      int64_t now_seconds) {
  HookVerdict v;
  std::string check = "no secret given";
  if (!secret.empty()) {
    int64_t t = 0;
    bool numeric = !timestamp.empty() && timestamp.size() <= 18 &&
                   timestamp.find_first_not_of("0123456789") == std::string_view::npos;
    if (numeric) t = std::stoll(std::string(timestamp));
    if (!numeric) {
      check = "signature BAD (no timestamp)";
    } else if (notify::Signature(secret, t, body) != signature) {
      check = "signature BAD";
    } else if (t < now_seconds - 300 || t > now_seconds + 300) {
      check = "signature ok but STALE timestamp";
    } else {
      v.signature_ok = true;
      check = "signature ok";
    }
  }
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) {
    v.line = "webhook: not a JSON object (" + std::to_string(body.size()) + " bytes), " + check;
    return v;
  }
  auto text = [&](const char* k) { return j.contains(k) ? j[k].dump() : std::string("?"); };
  std::string person = j.value("person", std::string("?"));
  std::string where = j.value("fallback", false) ? "fallback" : "level " + text("level");
  v.line = "webhook: incident " + text("incident") + " for " + person + " (" + where + ", " +
           j.value("target", std::string("?")) + ", " + j.value("reason", std::string("?")) +
           ") attempt " + text("attempt") + ", key " + std::string(idempotency_key.substr(0, 8)) +
           ", " + check;
  return v;
}

int RunWebhookListen(EventLoop& loop, const WebhookListenOptions& options) {
  httplib::Server server;
  std::mutex out_mu;
  std::atomic<int> failures_left{options.fail_first};
  server.Post(options.path, [&](const httplib::Request& req, httplib::Response& res) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    HookVerdict v = CheckHook(req.body, req.get_header_value("X-Picket-Timestamp"),
                              req.get_header_value("X-Picket-Signature"),
                              req.get_header_value("Idempotency-Key"), options.secret, now);
    bool fail = failures_left.fetch_sub(1) > 0;
    {
      std::lock_guard<std::mutex> lock(out_mu);
      if (options.json)
        std::cout << req.body << "\n";
      else
        std::cout << v.line << (fail ? " -> answered 503" : "") << "\n";
      std::cout.flush();
    }
    if (!options.secret.empty() && !v.signature_ok) {
      res.status = 401;
      return;
    }
    res.status = fail ? 503 : 200;
  });
  if (!server.bind_to_port(options.host, options.port)) {
    std::cerr << "picketctl webhook listen: cannot bind " << options.host << ":" << options.port
              << "\n";
    return 2;
  }
  std::cerr << "listening on http://" << options.host << ":" << options.port << options.path
            << "\n";
  std::thread thread([&] { server.listen_after_bind(); });
  loop.Run();
  server.stop();
  thread.join();
  return 0;
}

}  // namespace picket
