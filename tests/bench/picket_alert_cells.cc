// The picket cells of alert_bench: end-to-end latency (a) and step precision (b). The
// client publishes with the raw bus client of tests/support (bus_probe.h) and reads what
// the services did back from the bus log by replay, which never drops an event (the PUB
// endpoint may).
#include <capnp/message.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "alert_cells.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_probe.h"
#include "wire/codec.h"

namespace picket::bench {
namespace {

using testing::EventSpec;
using testing::LoggedEvent;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Publishes events on one DEALER without waiting for each ack; matches acks by id.
class Publisher {
 public:
  struct Sent {
    int64_t sent_at = 0;  // WallMicros() just before the frame was handed to ZeroMQ
    uint64_t seq = 0;     // 0 until acked
    bool nacked = false;
  };

  Publisher(zmq::context_t& ctx, const PicketBus& bus) : probe_(ctx, bus.ingest), site_(bus.site) {}

  // Sends `spec` (its site is set here); returns its index.
  size_t Send(EventSpec spec) {
    spec.site = site_;
    spec.observed_at = WallMicros();
    const std::string frame = testing::PublishFrame(spec);
    index_[spec.id] = sent_.size();
    sent_.push_back(Sent{.sent_at = WallMicros()});
    probe_.Send(frame);
    return sent_.size() - 1;
  }

  // Reads the acks that have arrived, waiting up to `timeout` for the first of them.
  void ReadAnswers(milliseconds timeout) {
    for (auto frame = probe_.Receive(timeout); frame; frame = probe_.Receive(milliseconds(0))) {
      const testing::Reply reply = testing::ParseReply(*frame);
      auto it = index_.find(reply.id);
      if (it == index_.end()) continue;
      Sent& s = sent_[it->second];
      if (s.seq != 0 || s.nacked) continue;
      ++answered_;
      if (reply.kind == testing::Reply::kAck) {
        s.seq = reply.seq;
      } else {
        s.nacked = true;
        if (first_error_.empty()) first_error_ = reply.code + ": " + reply.message;
      }
    }
  }

  // Waits until every event sent has an answer or `timeout` passes; true if all have one.
  bool WaitAllAnswered(milliseconds timeout) {
    const auto deadline = Steady::now() + timeout;
    while (in_flight() > 0 && Steady::now() < deadline) ReadAnswers(milliseconds(50));
    return in_flight() == 0;
  }

  size_t in_flight() const { return sent_.size() - answered_; }
  const std::vector<Sent>& sent() const { return sent_; }
  const std::string& first_error() const { return first_error_; }

 private:
  testing::IngestProbe probe_;
  std::string site_;
  std::map<EventId, size_t> index_;
  std::vector<Sent> sent_;
  size_t answered_ = 0;
  std::string first_error_;
};

EventSpec ShiftStarted(const std::string& person, const std::string& role) {
  EventSpec spec;
  spec.type = "shift.started";
  spec.producer = "console";
  spec.actor = person;
  spec.body = [=](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::ShiftStarted>();
    s.setPerson(person);
    s.setPost("hq");
    s.setRole(role);
  };
  return spec;
}

// A report with its own post, so that it opens its own incident (key "{post}").
EventSpec Report(const std::string& post) {
  EventSpec spec;
  spec.type = "terminal.incident_reported";
  spec.producer = "terminal-bench";
  spec.actor = "guard-bench";
  spec.body = [=](capnp::AnyPointer::Builder b) {
    auto r = b.initAs<wire::IncidentReported>();
    r.setPost(post);
    r.setKind("bench");
    r.setNote("alert benchmark");
  };
  return spec;
}

// What the escalation service wrote to the log, by incident.
struct Alert {
  int64_t recorded_at = 0, respond_by = 0;
};
struct Escalated {
  int64_t recorded_at = 0, lateness = 0;
};
struct EscalationLog {
  std::unordered_map<uint64_t, int64_t> recorded_at;               // seq -> recordedAt, every event
  std::unordered_map<uint64_t, uint64_t> incident_of;              // trigger seq -> incident opened
  std::unordered_map<uint64_t, std::vector<Alert>> opened_alerts;  // reason "opened"
  std::unordered_map<uint64_t, std::vector<Escalated>> escalations;
  uint64_t head = 0;
  bool complete = false;
  std::string error;
};

// Replays the log from `from` and keeps what the cells need. The bus keeps every event, so
// a replay after the run sees all of them, in order.
EscalationLog ReadEscalationLog(zmq::context_t& ctx, const PicketBus& bus, uint64_t from,
                                milliseconds timeout) {
  EscalationLog out;
  auto log = testing::ReplayAll(ctx, bus.replay, from, timeout);
  if (!log) {
    out.error = "replay did not finish in time";
    return out;
  }
  for (const LoggedEvent& le : *log) {
    out.head = std::max(out.head, le.seq);
    out.recorded_at[le.seq] = le.recorded_at;
    const bool opened = le.type == "escalation.incident_opened";
    const bool alert = le.type == "escalation.alert_raised";
    const bool escalated = le.type == "escalation.incident_escalated";
    if (!opened && !alert && !escalated) continue;
    std::string error;
    auto msg = DecodedMessage::Decode(le.event, &error);
    if (!msg) {
      out.error = "undecodable event at seq " + std::to_string(le.seq) + ": " + error;
      continue;
    }
    ReadSafely<wire::Event>(
        *msg,
        [&](wire::Event::Reader e) {
          auto body = e.getBody();
          if (opened) {
            auto o = body.getAs<wire::IncidentOpened>();
            out.incident_of[o.getTriggerSeq()] = o.getIncident();
          } else if (alert) {
            auto a = body.getAs<wire::AlertRaised>();
            if (std::string_view(a.getReason().cStr()) == "opened")
              out.opened_alerts[a.getIncident()].push_back(
                  Alert{.recorded_at = le.recorded_at, .respond_by = a.getRespondBy()});
          } else {
            auto x = body.getAs<wire::IncidentEscalated>();
            out.escalations[x.getIncident()].push_back(
                Escalated{.recorded_at = le.recorded_at, .lateness = x.getLateness()});
          }
        },
        &error);
  }
  out.complete = true;
  return out;
}

// Waits until `count()` reaches `target`, or until it has not grown for `idle`.
template <typename CountFn>
void WaitForCount(CountFn count, size_t target, std::chrono::duration<double> idle) {
  size_t last = count();
  auto last_growth = Steady::now();
  while (last < target && Steady::now() - last_growth < idle) {
    std::this_thread::sleep_for(milliseconds(10));
    const size_t now = count();
    if (now != last) {
      last = now;
      last_growth = Steady::now();
    }
  }
}

std::optional<uint64_t> HeadSeq(zmq::context_t& ctx, const PicketBus& bus) {
  auto status = testing::QueryStatus(ctx, bus.ingest, milliseconds(5000));
  if (!status) return std::nullopt;
  return status->head_seq;
}

}  // namespace

nlohmann::json RunPicketEndToEnd(zmq::context_t& ctx, const PicketBus& bus,
                                 const WebhookReceiver& receiver, const LoadOptions& load) {
  nlohmann::json out = {{"cell", "e2e"},     {"target", "picket"},      {"label", load.label},
                        {"rate", load.rate}, {"seconds", load.seconds}, {"ok", false}};
  Publisher pub(ctx, bus);
  pub.Send(ShiftStarted("ann", "duty_officer"));
  if (!pub.WaitAllAnswered(milliseconds(10000)) || !pub.first_error().empty()) {
    out["error"] = "shift.started not acked: " + pub.first_error();
    return out;
  }
  // Warm-up, one at a time: connections made, caches warm, every service caught up.
  for (int w = 0; w < load.warmup; ++w) {
    const size_t before = receiver.Count();
    pub.Send(Report(load.label + "-warmup-" + std::to_string(w)));
    WaitForCount([&] { return receiver.Count(); }, before + 1, std::chrono::seconds(30));
    if (receiver.Count() <= before) {
      out["error"] = "no webhook for a warm-up report within 30 s";
      return out;
    }
  }
  pub.WaitAllAnswered(milliseconds(10000));
  const size_t first = pub.sent().size();
  const size_t webhooks_before = receiver.Count();

  const auto n = static_cast<size_t>(load.rate * load.seconds + 0.5);
  const auto period = std::chrono::duration<double>(1.0 / load.rate);
  const auto start = Steady::now() + milliseconds(10);
  std::chrono::duration<double> max_lag{0};
  for (size_t i = 0; i < n; ++i) {
    const auto due = start + std::chrono::duration_cast<Steady::duration>(period * i);
    pub.ReadAnswers(milliseconds(0));
    while (pub.in_flight() >= load.max_in_flight) pub.ReadAnswers(milliseconds(1));
    std::this_thread::sleep_until(due);
    max_lag = std::max<std::chrono::duration<double>>(max_lag, Steady::now() - due);
    pub.Send(Report(load.label + "-" + std::to_string(i)));
  }
  const bool all_answered = pub.WaitAllAnswered(milliseconds(30000));
  WaitForCount([&] { return receiver.Count(); }, webhooks_before + n,
               std::chrono::duration<double>(load.drain_timeout));
  // Anything sent twice would come right after the first: give it a moment to show up.
  std::this_thread::sleep_for(milliseconds(1000));

  const auto& sent = pub.sent();
  uint64_t first_seq = UINT64_MAX;
  std::unordered_map<uint64_t, size_t> report_of_seq;
  size_t acked = 0, nacked = 0;
  for (size_t i = first; i < sent.size(); ++i) {
    if (sent[i].nacked) ++nacked;
    if (sent[i].seq == 0) continue;
    ++acked;
    first_seq = std::min(first_seq, sent[i].seq);
    report_of_seq[sent[i].seq] = i;
  }
  if (acked == 0) {
    out["error"] = "no report was acked: " + pub.first_error();
    return out;
  }
  EscalationLog log = ReadEscalationLog(ctx, bus, first_seq, milliseconds(300000));
  if (!log.complete) {
    out["error"] = log.error;
    return out;
  }

  // Webhooks by incident (the body's "incident").
  std::unordered_map<uint64_t, std::vector<int64_t>> webhooks;
  size_t unreadable = 0;
  for (const ReceivedWebhook& w : receiver.Received()) {
    auto body = nlohmann::json::parse(w.body, nullptr, false);
    if (!body.is_object() || !body.contains("incident")) {
      ++unreadable;
      continue;
    }
    webhooks[body["incident"].get<uint64_t>()].push_back(w.received_at);
  }

  LatencyHistogram ingest, to_alert, to_webhook, total;
  size_t opened = 0, alerted = 0, delivered = 0, missing = 0, duplicates = 0;
  int64_t last_send = 0, first_send = 0, last_webhook = 0;
  for (const auto& [seq, i] : report_of_seq) {
    const Publisher::Sent& s = sent[i];
    first_send = first_send == 0 ? s.sent_at : std::min(first_send, s.sent_at);
    last_send = std::max(last_send, s.sent_at);
    RecordMicros(ingest, log.recorded_at[seq] - s.sent_at);
    auto inc = log.incident_of.find(seq);
    if (inc == log.incident_of.end()) {
      ++missing;
      continue;
    }
    ++opened;
    auto alert = log.opened_alerts.find(inc->second);
    const bool has_alert = alert != log.opened_alerts.end() && !alert->second.empty();
    if (has_alert) {
      ++alerted;
      RecordMicros(to_alert, alert->second.front().recorded_at - s.sent_at);
    }
    auto hooks = webhooks.find(inc->second);
    if (hooks == webhooks.end() || hooks->second.empty()) {
      ++missing;
      continue;
    }
    ++delivered;
    duplicates += hooks->second.size() - 1;
    const int64_t received = *std::min_element(hooks->second.begin(), hooks->second.end());
    last_webhook = std::max(last_webhook, received);
    RecordMicros(total, received - s.sent_at);
    if (has_alert) RecordMicros(to_webhook, received - alert->second.front().recorded_at);
  }
  out["sent"] = n;
  out["acked"] = acked;
  out["nacked"] = nacked;
  out["opened"] = opened;
  out["alerted"] = alerted;
  out["delivered"] = delivered;
  out["missing"] = missing + (n - acked);
  out["duplicates"] = duplicates;
  out["unreadable_webhooks"] = unreadable;
  out["max_send_lag_us"] = max_lag.count() * 1e6;
  out["achieved_rate"] = last_send > first_send
                             ? (acked - 1) * 1e6 / static_cast<double>(last_send - first_send)
                             : 0.0;
  out["last_webhook_after_last_send_s"] = last_webhook > 0 ? (last_webhook - last_send) / 1e6 : 0.0;
  PutQuantiles(out, "ingest", ingest);
  PutQuantiles(out, "to_alert", to_alert);
  PutQuantiles(out, "to_webhook", to_webhook);
  PutQuantiles(out, "total", total);
  out["ok"] = all_answered && nacked == 0 && out["missing"] == 0 && duplicates == 0;
  if (!pub.first_error().empty()) out["error"] = pub.first_error();
  return out;
}

nlohmann::json RunStepPrecision(zmq::context_t& ctx, const PicketBus& bus,
                                const StepOptions& options) {
  nlohmann::json out = {{"cell", "steps"},
                        {"target", "picket"},
                        {"label", options.label},
                        {"incidents", options.incidents},
                        {"wait_s", options.wait_seconds},
                        {"ok", false}};
  const auto deadline = Steady::now() + std::chrono::duration_cast<Steady::duration>(
                                            std::chrono::duration<double>(options.timeout));
  Publisher pub(ctx, bus);
  for (uint64_t i = 0; i < options.incidents; ++i) {
    pub.ReadAnswers(milliseconds(0));
    while (pub.in_flight() >= options.max_in_flight) pub.ReadAnswers(milliseconds(5));
    pub.Send(Report(options.label + "-" + std::to_string(i)));
  }
  if (!pub.WaitAllAnswered(milliseconds(60000)) || !pub.first_error().empty()) {
    out["error"] = "not every report was acked: " + pub.first_error();
    return out;
  }
  const int64_t first_send = pub.sent().front().sent_at;
  const int64_t last_send = pub.sent().back().sent_at;
  uint64_t first_seq = UINT64_MAX;
  for (const auto& s : pub.sent()) first_seq = std::min(first_seq, s.seq);

  // Every report adds an incident_opened and an alert_raised; every step an
  // incident_escalated and the next level's alert_raised: 5 events per incident.
  auto wait_for_head = [&](uint64_t target, Steady::time_point until) {
    uint64_t head = 0;
    while (Steady::now() < until) {
      if (auto h = HeadSeq(ctx, bus)) head = *h;
      if (head >= target) break;
      std::this_thread::sleep_for(milliseconds(200));
    }
    return head;
  };
  const uint64_t opened_head = first_seq - 1 + 3 * options.incidents;
  if (wait_for_head(opened_head, deadline) < opened_head) {
    out["error"] = "the incidents were not all opened before the cell's timeout";
    return out;
  }
  // Every step is due by now + wait; give the service fire_timeout more to fire them all.
  const auto give_up =
      std::min(deadline, Steady::now() + std::chrono::seconds(options.wait_seconds) +
                             std::chrono::duration_cast<Steady::duration>(
                                 std::chrono::duration<double>(options.fire_timeout)));
  const uint64_t expected_head = first_seq - 1 + 5 * options.incidents;
  const uint64_t head = wait_for_head(expected_head, give_up);
  const int64_t stopped_at = WallMicros();
  EscalationLog log = ReadEscalationLog(ctx, bus, first_seq, milliseconds(600000));
  if (!log.complete) {
    out["error"] = log.error;
    return out;
  }

  LatencyHistogram lateness, bus_lateness, bus_lateness_from_alert;
  uint64_t opened = 0, escalated = 0, missing = 0, duplicates = 0, unfired = 0;
  int64_t last_unfired_due = 0, last_open_alert = 0, first_due = INT64_MAX, last_due = 0,
          first_fire = INT64_MAX, last_fire = 0, max_fire_gap_after_due = 0;
  for (const auto& s : pub.sent()) {
    auto inc = log.incident_of.find(s.seq);
    if (inc == log.incident_of.end()) {
      ++missing;
      continue;
    }
    ++opened;
    auto alert = log.opened_alerts.find(inc->second);
    if (alert == log.opened_alerts.end()) {
      ++missing;
      continue;
    }
    const Alert& a = alert->second.front();
    last_open_alert = std::max(last_open_alert, a.recorded_at);
    first_due = std::min(first_due, a.respond_by);
    last_due = std::max(last_due, a.respond_by);
    auto steps = log.escalations.find(inc->second);
    if (steps == log.escalations.end() || steps->second.front().recorded_at > stopped_at) {
      ++unfired;
      last_unfired_due = std::max(last_unfired_due, a.respond_by);
      continue;
    }
    ++escalated;
    duplicates += steps->second.size() - 1;
    const Escalated& x = steps->second.front();
    first_fire = std::min(first_fire, x.recorded_at);
    last_fire = std::max(last_fire, x.recorded_at);
    max_fire_gap_after_due = std::max(max_fire_gap_after_due, x.recorded_at - a.respond_by);
    RecordMicros(lateness, x.lateness);
    RecordMicros(bus_lateness, x.recorded_at - a.respond_by);
    RecordMicros(bus_lateness_from_alert,
                 x.recorded_at - (a.recorded_at + options.wait_seconds * 1'000'000));
  }
  out["acked"] = pub.sent().size();
  out["opened"] = opened;
  out["escalated"] = escalated;
  out["missing"] = missing;
  out["duplicates"] = duplicates;
  // Steps not fired when the cell stopped waiting (fire_timeout after the last was due):
  // each of them is at least this late.
  out["unfired"] = unfired;
  out["unfired_late_at_least_s"] = unfired > 0 ? (stopped_at - last_unfired_due) / 1e6 : 0.0;
  out["fire_timeout_s"] = options.fire_timeout;
  out["publish_seconds"] = (last_send - first_send) / 1e6;
  out["open_seconds"] = (last_open_alert - first_send) / 1e6;
  out["open_rate"] = last_open_alert > first_send
                         ? opened * 1e6 / static_cast<double>(last_open_alert - first_send)
                         : 0.0;
  out["opening_done_before_first_due"] = last_open_alert < first_due;
  out["due_span_s"] = (last_due - first_due) / 1e6;
  out["fire_span_s"] = (last_fire - first_fire) / 1e6;
  out["last_fire_minus_last_due_us"] = last_fire - last_due;
  out["first_fire_minus_first_due_us"] = first_fire - first_due;
  out["fire_all_s"] = (last_fire - first_due) / 1e6;  // first due -> last fired (so far)
  PutQuantiles(out, "lateness", lateness);
  PutQuantiles(out, "bus_lateness", bus_lateness);
  PutQuantiles(out, "bus_lateness_from_alert", bus_lateness_from_alert);
  out["ok"] = missing == 0 && duplicates == 0 && escalated == options.incidents;
  if (head < expected_head)
    out["error"] = "not every step had fired " + nlohmann::json(options.fire_timeout).dump() +
                   " s after the last was due";
  return out;
}

}  // namespace picket::bench
