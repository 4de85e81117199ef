#include "bus/replay_sessions.h"

#include <algorithm>

#include "wire/text_check.h"

namespace picket {
namespace {

Rejection OutOfRange(std::string message) {
  return Rejection{wire::ErrorCode::OUT_OF_RANGE, std::move(message)};
}

Rejection UnknownSession() {
  return Rejection{wire::ErrorCode::UNKNOWN_SESSION, "no replay session for this client"};
}

}  // namespace

std::optional<Rejection> ReplaySessions::Check(const ReplayParams& p) {
  if (p.from_seq == 0) return OutOfRange("fromSeq must be >= 1");
  if (p.to_seq != 0 && p.to_seq < p.from_seq) return OutOfRange("toSeq is before fromSeq");
  if (p.credit == 0 || p.credit > kMaxReplayCredit)
    return OutOfRange("credit must be 1.." + std::to_string(kMaxReplayCredit) + ", got " +
                      std::to_string(p.credit));
  return std::nullopt;
}

std::optional<Rejection> ReplaySessions::Start(const std::string& peer, const ReplayParams& p,
                                               Micros now) {
  if (!Has(peer) && sessions_.size() >= limits_.max_sessions)
    return Rejection{wire::ErrorCode::UNAVAILABLE,
                     "too many replay sessions (" + std::to_string(limits_.max_sessions) + ")"};
  Session s;
  s.next_seq = p.from_seq;
  s.to_seq = p.to_seq;
  s.last_sent = p.from_seq - 1;
  s.credit = p.credit;
  s.max_batch =
      p.max_batch == 0 ? limits_.default_max_batch : std::min(p.max_batch, kMaxReplayBatchEvents);
  s.credit_at = now;
  sessions_[peer] = s;
  return std::nullopt;
}

std::optional<Rejection> ReplaySessions::AddCredit(const std::string& peer, uint32_t events,
                                                   Micros now) {
  auto it = sessions_.find(peer);
  if (it == sessions_.end()) return UnknownSession();
  if (events == 0 || events > kMaxReplayCredit)
    return OutOfRange("credit must be 1.." + std::to_string(kMaxReplayCredit) + ", got " +
                      std::to_string(events));
  it->second.credit = std::min<uint64_t>(it->second.credit + events, kMaxOutstandingCredit);
  it->second.credit_at = now;
  return std::nullopt;
}

std::optional<Rejection> ReplaySessions::Cancel(const std::string& peer) {
  if (sessions_.erase(peer) == 0) return UnknownSession();
  return std::nullopt;
}

std::optional<ReplaySessions::Step> ReplaySessions::StepFor(const std::string& peer,
                                                            const Session& s,
                                                            const LogRange& log) const {
  const uint64_t from = std::max(s.next_seq, log.first_seq);
  const uint64_t last_wanted = s.to_seq == 0 ? log.head_seq : std::min(s.to_seq, log.head_seq);
  Step step;
  step.peer = peer;
  if (from > last_wanted) {
    step.kind = Step::Kind::kEnd;
    step.last_seq = s.last_sent;
    return step;
  }
  if (s.credit == 0) return std::nullopt;
  step.kind = Step::Kind::kBatch;
  step.from_seq = from;
  step.max_events =
      static_cast<uint32_t>(std::min<uint64_t>({s.max_batch, s.credit, last_wanted - from + 1}));
  return step;
}

std::optional<ReplaySessions::Step> ReplaySessions::NextStep(const LogRange& log) {
  if (sessions_.empty()) return std::nullopt;
  // Visit every session once, starting after the cursor and wrapping around.
  auto start = sessions_.upper_bound(cursor_);
  auto it = start;
  for (size_t visited = 0; visited < sessions_.size(); ++visited) {
    if (it == sessions_.end()) it = sessions_.begin();
    if (auto step = StepFor(it->first, it->second, log)) {
      cursor_ = it->first;
      return step;
    }
    ++it;
  }
  return std::nullopt;
}

void ReplaySessions::BatchSent(const std::string& peer, uint64_t last_seq, uint32_t count) {
  auto it = sessions_.find(peer);
  if (it == sessions_.end()) return;
  Session& s = it->second;
  s.next_seq = last_seq + 1;
  s.last_sent = last_seq;
  s.credit -= std::min<uint64_t>(count, s.credit);
}

void ReplaySessions::Remove(const std::string& peer) { sessions_.erase(peer); }

std::vector<std::string> ReplaySessions::ExpireIdle(Micros now) {
  std::vector<std::string> expired;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.credit == 0 && now - it->second.credit_at >= limits_.idle_timeout) {
      expired.push_back(it->first);
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

uint64_t ReplaySessions::CreditLeft(const std::string& peer) const {
  auto it = sessions_.find(peer);
  return it == sessions_.end() ? 0 : it->second.credit;
}

std::optional<Rejection> SubscriberReports::Check(const std::string& subscriber) {
  if (subscriber.empty()) return Rejection{wire::ErrorCode::MISSING_FIELD, "subscriber is empty"};
  if (subscriber.size() > 64)
    return Rejection{wire::ErrorCode::OUT_OF_RANGE, "subscriber is longer than 64 bytes"};
  // The name goes back out in every Status reply: a strict reader must be able to read it.
  if (auto fault = FindTextFault(subscriber))
    return Rejection{wire::ErrorCode::BAD_TEXT,
                     "subscriber " + DescribeTextFault(*fault, subscriber)};
  return std::nullopt;
}

void SubscriberReports::Record(const std::string& subscriber, uint64_t applied_seq, Micros now) {
  if (!reports_.count(subscriber) && reports_.size() >= max_entries_) {
    auto oldest = std::min_element(reports_.begin(), reports_.end(), [](auto& a, auto& b) {
      return a.second.reported_at < b.second.reported_at;
    });
    reports_.erase(oldest);
  }
  reports_[subscriber] = Report{subscriber, applied_seq, now};
}

std::vector<SubscriberReports::Report> SubscriberReports::All() const {
  std::vector<Report> out;
  out.reserve(reports_.size());
  for (const auto& [name, r] : reports_) out.push_back(r);
  return out;
}

}  // namespace picket
