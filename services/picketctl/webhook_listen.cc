#include "picketctl/webhook_listen.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
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
  v.signature = "unchecked";
  std::string check = "no secret given";
  if (!secret.empty()) {
    int64_t t = 0;
    bool numeric = !timestamp.empty() && timestamp.size() <= 18 &&
                   timestamp.find_first_not_of("0123456789") == std::string_view::npos;
    if (numeric) t = std::stoll(std::string(timestamp));
    if (!numeric) {
      check = "signature BAD (no timestamp)";
      v.signature = "no_timestamp";
    } else if (notify::Signature(secret, t, body) != signature) {
      check = "signature BAD";
      v.signature = "bad";
    } else if (t < now_seconds - 300 || t > now_seconds + 300) {
      check = "signature ok but STALE timestamp";
      v.signature = "stale";
    } else {
      v.signature_ok = true;
      v.signature = "ok";
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

std::string JsonLine(const HookVerdict& verdict, std::string_view body,
                     std::string_view idempotency_key) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  nlohmann::ordered_json j = {
      {"signature", verdict.signature},
      {"idempotency_key", idempotency_key},
      {"body", parsed.is_discarded() ? nlohmann::json(std::string(body)) : parsed}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::string> ReadSecretFile(const std::string& path, std::string* error) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    *error = "cannot read the secret file " + path;
    return std::nullopt;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) {
    *error = "the secret file " + path + " starts with an empty line";
    return std::nullopt;
  }
  return line;
}

int RunWebhookListen(EventLoop& loop, WebhookListenOptions options) {
  if (!options.secret_file.empty()) {
    std::string error;
    auto secret = ReadSecretFile(options.secret_file, &error);
    if (!secret) {
      std::cerr << "picketctl webhook listen: --secret-file: " << error << "\n";
      return 2;
    }
    options.secret = *secret;
  }
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
        std::cout << JsonLine(v, req.body, req.get_header_value("Idempotency-Key")) << "\n";
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
