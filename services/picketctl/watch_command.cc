#include "picketctl/watch_command.h"

#include <algorithm>
#include <string>

#include "picketctl/bus_status.h"
#include "picketctl/publish_command.h"

namespace picket {

WatchSession::WatchSession(zmq::context_t& context, EventLoop& loop, WatchOptions options,
                           std::ostream& out, std::ostream& err)
    : context_(context),
      loop_(loop),
      options_(std::move(options)),
      out_(out),
      err_(err),
      watch_(options_.watch),
      subscriber_(context, loop,
                  SubscriberOptions{.name = "",
                                    .events_endpoint = options_.events,
                                    .replay_endpoint = options_.replay,
                                    .curve = options_.curve}) {}

int WatchSession::Start() {
  std::string error;
  auto status = QueryBusStatus(context_, options_.replay, options_.timeout, &error, options_.curve);
  if (!status) {
    err_ << "picketctl incident watch: " << error << "\n";
    return kExitNoAnswer;
  }
  uint64_t from = options_.from.value_or(status->head_seq + 1);
  if (from == 0) from = 1;
  subscriber_.SetCaughtUpHandler([this](uint64_t next) {
    if (announced_) return;
    announced_ = true;
    const std::string& person = options_.watch.person;
    err_ << "picketctl incident watch: watching alerts for "
         << (person.empty() ? std::string("everyone") : person) << ", live from #" << next
         << " (Ctrl-C stops)\n";
    err_.flush();
  });
  if (!subscriber_.Start(
          from, [this](wire::Event::Reader e) { return OnEvent(e); }, &error)) {
    err_ << "picketctl incident watch: " << error << "\n";
    return kExitUsage;
  }
  started_ = loop_.clock().Now();
  loop_.Every(kMicrosPerSecond / 4, [this] { CheckHeard(); });
  return kExitOk;
}

void WatchSession::CheckHeard() {
  const Micros now = loop_.clock().Now();
  const Micros heard = std::max(subscriber_.last_heard(), started_);
  auto secs = [](Micros us) {
    return std::to_string((us + kMicrosPerSecond / 2) / kMicrosPerSecond);
  };
  if (quiet_since_ == 0 && now - heard >= options_.quiet_after) {
    quiet_since_ = heard;
    err_ << "picketctl incident watch: no word from the bus for " << secs(now - heard)
         << " s (down or unreachable?); waiting\n";
    err_.flush();
  } else if (quiet_since_ != 0 && subscriber_.last_heard() > quiet_since_ &&
             now - subscriber_.last_heard() < options_.quiet_after) {
    err_ << "picketctl incident watch: the bus is back after "
         << secs(subscriber_.last_heard() - quiet_since_) << " s\n";
    err_.flush();
    quiet_since_ = 0;
  }
}

bool WatchSession::OnEvent(wire::Event::Reader event) {
  if (auto line = watch_.OnEvent(event)) {
    out_ << *line << "\n";
    out_.flush();  // a pipe (| grep) sees each alert as it comes
  }
  return true;
}

}  // namespace picket
