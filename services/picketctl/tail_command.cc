#include "picketctl/tail_command.h"

#include "picketctl/bus_status.h"
#include "picketctl/publish_command.h"
#include "wire/event_json.h"

namespace picket {

TailSession::TailSession(zmq::context_t& context, EventLoop& loop, TailOptions options,
                         std::ostream& out, std::ostream& err)
    : context_(context),
      loop_(loop),
      options_(std::move(options)),
      out_(out),
      err_(err),
      subscriber_(context, loop,
                  SubscriberOptions{.name = "",
                                    .events_endpoint = options_.events,
                                    .replay_endpoint = options_.replay,
                                    .curve = options_.curve}) {}

int TailSession::Start(bool* done) {
  *done = false;
  std::string error;
  auto status = QueryBusStatus(context_, options_.replay, options_.timeout, &error, options_.curve);
  if (!status) {
    err_ << "picketctl tail: " << error << "\n";
    return kExitNoAnswer;
  }
  uint64_t from = options_.from.value_or(status->head_seq + 1);
  if (from == 0) from = 1;
  if (options_.to && *options_.to < from) {
    err_ << "picketctl tail: --to " << *options_.to << " is before the first event shown (" << from
         << ")\n";
    return kExitUsage;
  }
  if (!options_.follow && from > status->head_seq) {
    *done = true;  // nothing recorded yet from there, and not waiting for more
    return kExitOk;
  }
  if (!options_.follow) subscriber_.SetCaughtUpHandler([this](uint64_t) { loop_.Stop(); });
  if (!subscriber_.Start(
          from, [this](wire::Event::Reader e) { return OnEvent(e); }, &error)) {
    err_ << "picketctl tail: " << error << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

bool TailSession::OnEvent(wire::Event::Reader event) {
  uint64_t seq = event.getSeq();
  if (options_.to && seq > *options_.to) {
    loop_.Stop();
    return true;
  }
  std::string_view type(event.getType().cStr(), event.getType().size());
  if (type.starts_with(options_.type_prefix)) {
    if (options_.json) {
      std::string error;
      auto line = EventToJsonLine(event, &error);
      if (line) {
        out_ << *line << "\n";
      } else {
        err_ << "#" << seq << ": cannot show as JSON: " << error << "\n";
      }
    } else {
      out_ << FormatEventLine(event) << "\n";
    }
    out_.flush();  // a pipe (| grep) sees each event as it comes
    ++printed_;
  }
  if (options_.to && seq >= *options_.to) loop_.Stop();
  return true;
}

}  // namespace picket
