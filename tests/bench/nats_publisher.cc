#include "nats_publisher.h"

#include <nats/nats.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace picket::bench {
namespace {

struct ConnectionClose {
  void operator()(natsConnection* nc) const {
    natsConnection_Close(nc);
    natsConnection_Destroy(nc);
  }
};
using NatsConnection = std::unique_ptr<natsConnection, ConnectionClose>;

struct ContextDestroy {
  void operator()(jsCtx* js) const { jsCtx_Destroy(js); }
};
using JetStream = std::unique_ptr<jsCtx, ContextDestroy>;

std::string StatusText(natsStatus s) {
  std::string text = natsStatus_GetText(s);
  natsStatus last = NATS_OK;
  if (const char* detail = nats_GetLastError(&last); detail != nullptr && *detail != '\0')
    text += std::string(": ") + detail;
  return text;
}

// What the publisher thread and libnats' ack-delivery thread share.
struct AckWindow {
  explicit AckWindow(PublisherTally& t) : tally(t) {}
  std::mutex mu;  // guards outstanding and tally: acks arrive on libnats' own thread
  std::condition_variable changed;
  int outstanding = 0;
  PublisherTally& tally;
};

// libnats' jsPubAckHandler: runs on the connection's reply-delivery thread.
void OnPublishAnswer(jsCtx*, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure) {
  const Nanos now = SteadyNanos();
  auto* window = static_cast<AckWindow*>(closure);
  Nanos sent_at = now;
  if (natsMsg_GetDataLength(msg) >= static_cast<int>(sizeof sent_at))
    std::memcpy(&sent_at, natsMsg_GetData(msg), sizeof sent_at);
  {
    std::lock_guard lock(window->mu);
    if (ack != nullptr) {
      window->tally.OnAcked(sent_at, now);
    } else {
      window->tally.OnFailed("jetstream publish failed: " +
                             std::string(error && error->ErrText ? error->ErrText : "unknown"));
    }
    --window->outstanding;
    // Notify under the lock: once outstanding reaches 0 the publisher may return and
    // destroy the window, so nothing may touch it after the lock is released.
    window->changed.notify_one();
  }
  natsMsg_Destroy(msg);
}

struct OptionsDestroy {
  void operator()(natsOptions* o) const { natsOptions_Destroy(o); }
};

NatsConnection Connect(const NatsTarget& target, Nanos timeout, std::string* error) {
  natsOptions* raw = nullptr;
  if (natsStatus s = natsOptions_Create(&raw); s != NATS_OK) {
    *error = "nats options: " + StatusText(s);
    return nullptr;
  }
  std::unique_ptr<natsOptions, OptionsDestroy> options(raw);
  natsOptions_SetURL(options.get(), target.url.c_str());
  natsOptions_SetSendAsap(options.get(), target.send_asap);
  const Nanos deadline = SteadyNanos() + timeout;
  while (true) {
    natsConnection* nc = nullptr;
    const natsStatus s = natsConnection_Connect(&nc, options.get());
    if (s == NATS_OK) return NatsConnection(nc);
    if (SteadyNanos() >= deadline) {
      *error = "nats connect to " + target.url + ": " + StatusText(s);
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

bool EnsureNatsStream(const NatsTarget& target, Nanos timeout, std::string* error) {
  NatsConnection nc = Connect(target, timeout, error);
  if (!nc) return false;
  jsCtx* raw_js = nullptr;
  natsStatus s = natsConnection_JetStream(&raw_js, nc.get(), nullptr);
  if (s != NATS_OK) {
    *error = "jetstream context: " + StatusText(s);
    return false;
  }
  JetStream js(raw_js);
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = target.stream.c_str();
  const char* subjects[] = {target.subject.c_str()};
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Replicas = 1;
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  s = js_AddStream(&info, js.get(), &config, nullptr, &code);
  if (info != nullptr) jsStreamInfo_Destroy(info);
  if (s == NATS_OK || code == JSStreamNameExistErr) return true;
  *error = "create stream " + target.stream + ": " + StatusText(s);
  return false;
}

void RunNatsPublisher(const NatsTarget& target, PublisherTally& tally) {
  const RunSchedule& schedule = tally.schedule();
  // Declared first so that it is destroyed last, after the connection that calls into it.
  AckWindow window(tally);
  std::string error;
  NatsConnection nc = Connect(target, schedule.drain_timeout, &error);
  if (!nc) {
    tally.OnBroken(error);
    return;
  }
  jsOptions options;
  jsOptions_Init(&options);
  options.PublishAsync.MaxPending = schedule.in_flight + 1;
  options.PublishAsync.AckHandler = OnPublishAnswer;
  options.PublishAsync.AckHandlerClosure = &window;
  options.PublishAsync.StallWait = schedule.drain_timeout / 1'000'000;
  jsCtx* raw_js = nullptr;
  if (natsStatus s = natsConnection_JetStream(&raw_js, nc.get(), &options); s != NATS_OK) {
    tally.OnBroken("jetstream context: " + StatusText(s));
    return;
  }
  JetStream js(raw_js);

  std::string payload(std::max<size_t>(target.payload_bytes, sizeof(Nanos)), 'x');
  const auto drain = std::chrono::nanoseconds(schedule.drain_timeout);
  std::unique_lock lock(window.mu);
  while (!tally.broken() && !tally.DoneSending(SteadyNanos())) {
    if (window.outstanding >= schedule.in_flight) {
      if (!window.changed.wait_for(lock, drain,
                                   [&] { return window.outstanding < schedule.in_flight; }))
        tally.OnBroken("no jetstream ack for " + std::to_string(drain.count() / 1'000'000) + " ms");
      continue;
    }
    ++window.outstanding;
    tally.OnSent();
    lock.unlock();
    const Nanos sent_at = SteadyNanos();
    std::memcpy(payload.data(), &sent_at, sizeof sent_at);
    const natsStatus s = js_PublishAsync(js.get(), target.subject.c_str(), payload.data(),
                                         static_cast<int>(payload.size()), nullptr);
    lock.lock();
    if (s != NATS_OK) {
      --window.outstanding;
      tally.OnBroken("js_PublishAsync: " + StatusText(s));
    }
  }
  if (!window.changed.wait_for(lock, drain, [&] { return window.outstanding == 0; }))
    tally.OnBroken("jetstream acks still missing after the drain timeout");
  lock.unlock();
  // Let libnats finish its own bookkeeping of the last acks before the context goes.
  jsPubOptions wait;
  jsPubOptions_Init(&wait);
  wait.MaxWait = 1000;
  js_PublishAsyncComplete(js.get(), &wait);
}

}  // namespace picket::bench
