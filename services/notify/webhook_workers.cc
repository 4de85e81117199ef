#include "notify/webhook_workers.h"

#include "notify/webhook_client.h"

namespace picket::notify {

WebhookWorkers::WebhookWorkers(int threads, const Clock& clock, ResultFn on_result, SendFn send)
    : clock_(clock), on_result_(std::move(on_result)), send_(std::move(send)) {
  if (!send_) send_ = [this](const WebhookRequest& r) { return SendWebhook(r, clock_); };
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

WebhookWorkers::~WebhookWorkers() { Stop(); }

void WebhookWorkers::Submit(WebhookRequest request) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(request));
  }
  wake_.notify_one();
}

bool WebhookWorkers::Withdraw(const std::string& delivery_id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->delivery_id != delivery_id) continue;
    queue_.erase(it);
    return true;
  }
  return false;
}

void WebhookWorkers::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

size_t WebhookWorkers::Queued() {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WebhookWorkers::Work() {
  while (true) {
    WebhookRequest request;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      request = std::move(queue_.front());
      queue_.pop_front();
    }
    on_result_(send_(request));
  }
}

}  // namespace picket::notify
