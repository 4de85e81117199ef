// The peer cell of alert_bench: Prometheus Alertmanager, POST /api/v2/alerts -> webhook.
// One alert per POST, each with a distinct label `n`; with group_by ['...'] every alert is
// its own group, so with group_wait 0s each one is notified on its own, at once.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <unordered_map>

#include "alert_cells.h"

namespace picket::bench {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string AlertBody(const std::string& label, const std::string& n) {
  nlohmann::json alert = {
      {"labels", {{"alertname", "PicketBench"}, {"cell", label}, {"n", n}}},
      {"annotations", {{"summary", "alert benchmark"}}},
  };
  return nlohmann::json::array({alert}).dump();
}

// The alerts in one Alertmanager webhook body: (cell, n) of each.
std::vector<std::pair<std::string, std::string>> AlertsIn(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("alerts") || !j["alerts"].is_array()) return out;
  for (const auto& a : j["alerts"]) {
    if (!a.contains("labels")) continue;
    const auto& l = a["labels"];
    out.emplace_back(l.value("cell", ""), l.value("n", ""));
  }
  return out;
}

bool Post(httplib::Client& client, const std::string& body, std::string* error) {
  auto res = client.Post("/api/v2/alerts", body, "application/json");
  if (!res) {
    *error = "POST failed: " + httplib::to_string(res.error());
    return false;
  }
  if (res->status != 200) {
    *error = "POST answered " + std::to_string(res->status) + ": " + res->body;
    return false;
  }
  return true;
}

}  // namespace

nlohmann::json RunAlertmanager(const std::string& base_url, const WebhookReceiver& receiver,
                               const LoadOptions& load, int senders) {
  nlohmann::json out = {{"cell", "e2e"},     {"target", "alertmanager"}, {"label", load.label},
                        {"rate", load.rate}, {"seconds", load.seconds},  {"senders", senders},
                        {"ok", false}};
  // Warm-up, one at a time, waited for.
  {
    httplib::Client client(base_url);
    client.set_tcp_nodelay(true);
    for (int w = 0; w < load.warmup; ++w) {
      const size_t before = receiver.Count();
      std::string error;
      if (!Post(client, AlertBody(load.label, "warmup-" + std::to_string(w)), &error)) {
        out["error"] = error;
        return out;
      }
      const auto deadline = Steady::now() + std::chrono::seconds(30);
      while (receiver.Count() <= before && Steady::now() < deadline)
        std::this_thread::sleep_for(milliseconds(5));
      if (receiver.Count() <= before) {
        out["error"] = "no webhook for a warm-up alert within 30 s";
        return out;
      }
    }
  }
  const size_t webhooks_before = receiver.Count();

  const auto n = static_cast<size_t>(load.rate * load.seconds + 0.5);
  const auto period = std::chrono::duration<double>(1.0 / load.rate);
  std::vector<int64_t> sent_at(n, 0);
  std::vector<char> accepted(n, 0);
  std::vector<double> max_lag_us(senders, 0);
  std::vector<std::string> errors(senders);
  const auto start = Steady::now() + milliseconds(50);
  std::vector<std::thread> threads;
  for (int t = 0; t < senders; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client(base_url);
      client.set_keep_alive(true);
      // Without it the request's header and body go out in two writes, and Nagle holds the
      // body until the server's delayed ACK: 40 ms added to every POST.
      client.set_tcp_nodelay(true);
      for (size_t i = t; i < n; i += senders) {
        const std::string body = AlertBody(load.label, std::to_string(i));
        const auto due = start + std::chrono::duration_cast<Steady::duration>(period * i);
        std::this_thread::sleep_until(due);
        max_lag_us[t] = std::max(
            max_lag_us[t], std::chrono::duration<double, std::micro>(Steady::now() - due).count());
        sent_at[i] = WallMicros();
        std::string error;
        accepted[i] = Post(client, body, &error);
        if (!accepted[i] && errors[t].empty()) errors[t] = error;
      }
    });
  }
  for (auto& th : threads) th.join();

  // Wait for the webhooks: all of them, or until none has come for drain_timeout.
  size_t last = receiver.Count();
  auto last_growth = Steady::now();
  while (last < webhooks_before + n &&
         Steady::now() - last_growth < std::chrono::duration<double>(load.drain_timeout)) {
    std::this_thread::sleep_for(milliseconds(10));
    if (receiver.Count() != last) {
      last = receiver.Count();
      last_growth = Steady::now();
    }
  }
  std::this_thread::sleep_for(milliseconds(1000));  // late duplicates, if any

  std::unordered_map<size_t, std::vector<int64_t>> received;
  size_t foreign = 0;
  for (const ReceivedWebhook& w : receiver.Received()) {
    for (const auto& [cell, idx] : AlertsIn(w.body)) {
      if (cell != load.label || idx.empty() || idx.rfind("warmup-", 0) == 0) {
        ++foreign;
        continue;
      }
      received[std::stoul(idx)].push_back(w.received_at);
    }
  }
  LatencyHistogram total;
  size_t delivered = 0, missing = 0, duplicates = 0, refused = 0;
  int64_t first_send = INT64_MAX, last_send = 0, last_webhook = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!accepted[i]) ++refused;
    first_send = std::min(first_send, sent_at[i]);
    last_send = std::max(last_send, sent_at[i]);
    auto it = received.find(i);
    if (it == received.end()) {
      ++missing;
      continue;
    }
    ++delivered;
    duplicates += it->second.size() - 1;
    const int64_t first = *std::min_element(it->second.begin(), it->second.end());
    last_webhook = std::max(last_webhook, first);
    RecordMicros(total, first - sent_at[i]);
  }
  out["sent"] = n;
  out["refused"] = refused;
  out["delivered"] = delivered;
  out["missing"] = missing;
  out["duplicates"] = duplicates;
  out["other_alerts_in_webhooks"] = foreign;
  out["max_send_lag_us"] = *std::max_element(max_lag_us.begin(), max_lag_us.end());
  out["achieved_rate"] =
      last_send > first_send ? (n - 1) * 1e6 / static_cast<double>(last_send - first_send) : 0.0;
  out["last_webhook_after_last_send_s"] = last_webhook > 0 ? (last_webhook - last_send) / 1e6 : 0.0;
  PutQuantiles(out, "total", total);
  out["ok"] = refused == 0 && missing == 0 && duplicates == 0;
  for (const auto& e : errors)
    if (!e.empty()) {
      out["error"] = e;
      break;
    }
  return out;
}

}  // namespace picket::bench
