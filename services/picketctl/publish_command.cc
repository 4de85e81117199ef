#include "picketctl/publish_command.h"

#include <algorithm>

#include "wire/event_rules.h"

namespace picket {

PublishSession::PublishSession(zmq::context_t& context, EventLoop& loop, const std::string& ingest,
                               const CurveClientKeys& curve, Micros timeout, std::ostream& out,
                               std::ostream& err)
    : loop_(loop),
      ingest_(ingest),
      timeout_(timeout),
      out_(out),
      err_(err),
      publisher_(context, loop,
                 PublisherOptions{.endpoint = ingest, .name = "picketctl", .curve = curve}) {
  publisher_.SetOutcomeHandler([this](const PublishOutcome& o) { OnOutcome(o); });
}

bool PublishSession::Start(std::string* error) { return publisher_.Start(error); }

void PublishSession::Add(std::string label, std::optional<std::string> encoded, std::string error) {
  uint64_t index = first_index_ + items_.size();
  items_.emplace_back();
  items_.back().label = std::move(label);
  if (!encoded) {
    Resolve(index, "", error, kExitFailed);
    return;
  }
  std::string why;
  auto id = publisher_.Publish(*encoded, &why);
  if (!id) {
    Resolve(index, "", why, kExitFailed);
    return;
  }
  if (!index_of_.emplace(*id, index).second) {
    // The Publisher merges a re-publish of a pending id, so this input would get no
    // outcome of its own.
    Resolve(index, "",
            "event " + id->ToHex() +
                " has the same id as an earlier input still waiting for "
                "its ack; not sent twice",
            kExitFailed);
    return;
  }
  loop_.After(timeout_, [this, index, id = *id] {
    auto it = index_of_.find(id);
    if (it == index_of_.end() || it->second != index) return;  // answered in time
    index_of_.erase(it);
    Resolve(index, "",
            "no answer from the bus at " + ingest_ + " within " +
                std::to_string(timeout_ / kMicrosPerMilli) + " ms for event " + id.ToHex() +
                " (it may or may not be recorded; publishing it again with the same id is safe)",
            kExitNoAnswer);
  });
}

void PublishSession::InputDone() {
  input_done_ = true;
  Flush();
}

void PublishSession::OnOutcome(const PublishOutcome& o) {
  auto it = index_of_.find(o.id);
  if (it == index_of_.end()) return;  // already timed out
  uint64_t index = it->second;
  index_of_.erase(it);
  switch (o.kind) {
    case PublishOutcome::Kind::kAcked:
      Resolve(index, std::to_string(o.seq), "", kExitOk);
      break;
    case PublishOutcome::Kind::kDuplicate:
      Resolve(index, std::to_string(o.seq) + " duplicate", "", kExitOk);
      break;
    case PublishOutcome::Kind::kNacked:
      Resolve(index, "", "nacked: " + std::string(ErrorCodeName(o.code)) + ": " + o.message,
              kExitFailed);
      break;
  }
}

void PublishSession::Resolve(uint64_t index, std::string out_line, std::string err_line, int code) {
  Item& item = items_[index - first_index_];
  item.done = true;
  item.out_line = std::move(out_line);
  item.err_line = std::move(err_line);
  item.exit_code = code;
  Flush();
}

void PublishSession::Flush() {
  while (!items_.empty() && items_.front().done) {
    Item& item = items_.front();
    if (!item.out_line.empty()) out_ << item.out_line << "\n";
    if (!item.err_line.empty()) err_ << item.label << ": " << item.err_line << "\n";
    exit_code_ = std::max(exit_code_, item.exit_code);
    items_.pop_front();
    ++first_index_;
  }
  out_.flush();
  if (Finished()) loop_.Stop();
}

}  // namespace picket
