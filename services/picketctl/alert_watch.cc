#include "picketctl/alert_watch.h"

#include <kj/exception.h>

#include <nlohmann/json.hpp>

#include "picket/schemas/escalation.capnp.h"
#include "wire/event_json.h"
#include "wire/event_names.h"

namespace picket {

namespace {

using Json = nlohmann::ordered_json;

// One output line in both forms; the caller picks one.
struct Line {
  Json json;
  std::string text;
};

std::string Str(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

int64_t TimeOf(wire::Event::Reader e) {
  return e.getRecordedAt() != 0 ? e.getRecordedAt() : e.getObservedAt();
}

// The common start of a line: "#57 2026-...Z incident 12 " and {"seq","at","type","incident"}.
template <typename Body>
Line Start(wire::Event::Reader e, Body body) {
  return {Json{{"seq", e.getSeq()},
               {"at", TimeOf(e)},
               {"type", Str(e.getType())},
               {"incident", body.getIncident()}},
          "#" + std::to_string(e.getSeq()) + " " + FormatMicrosUtc(TimeOf(e)) + " incident " +
              std::to_string(body.getIncident()) + " "};
}

std::string ByActor(wire::Event::Reader e) {
  return e.getActor().size() > 0 ? " by " + Str(e.getActor()) : "";
}

}  // namespace

std::optional<std::string> AlertWatch::OnEvent(wire::Event::Reader event) {
  std::string_view type(event.getType().cStr(), event.getType().size());
  if (!type.starts_with("escalation.")) return std::nullopt;
  try {
    return Dispatch(event, type);
  } catch (const kj::Exception&) {
    ++unreadable_;
    return std::nullopt;
  }
}

std::optional<std::string> AlertWatch::Dispatch(wire::Event::Reader e, std::string_view type) {
  auto body = e.getBody();
  if (type == event_names::kIncidentOpened) {
    auto b = body.getAs<wire::IncidentOpened>();
    Remember(b.getIncident(), Known{Str(b.getIncidentType()), Str(b.getPost())});
    return std::nullopt;
  }
  if (type == event_names::kAlertRaised) return OnAlert(e);

  std::optional<Line> line;
  if (type == event_names::kIncidentAcknowledged) {
    auto b = body.getAs<wire::IncidentAcknowledged>();
    if (!shown_.count(b.getIncident())) return std::nullopt;
    line = Start(e, b);
    line->text += "acknowledged" + ByActor(e);
  } else if (type == event_names::kIncidentUnacknowledged) {
    auto b = body.getAs<wire::IncidentUnacknowledged>();
    if (!shown_.count(b.getIncident())) return std::nullopt;
    line = Start(e, b);
    line->json["timedOut"] = b.getTimedOut();
    line->text +=
        b.getTimedOut() ? "unacknowledged (the ack timed out)" : "unacknowledged" + ByActor(e);
  } else if (type == event_names::kIncidentReassigned) {
    auto b = body.getAs<wire::IncidentReassigned>();
    if (!shown_.count(b.getIncident())) return std::nullopt;
    line = Start(e, b);
    line->json["to"] = Str(b.getTo());
    line->text += "reassigned to " + Str(b.getTo()) + ByActor(e);
  } else if (type == event_names::kIncidentResolved) {
    auto b = body.getAs<wire::IncidentResolved>();
    if (!shown_.erase(b.getIncident())) return std::nullopt;
    line = Start(e, b);
    line->json["overrideReason"] = Str(b.getOverrideReason());
    line->text += "resolved" + ByActor(e);
    if (b.getOverrideReason().size() > 0)
      line->text += " (override: " + Str(b.getOverrideReason()) + ")";
  } else if (type == event_names::kIncidentCancelled) {
    auto b = body.getAs<wire::IncidentCancelled>();
    if (!shown_.erase(b.getIncident())) return std::nullopt;
    line = Start(e, b);
    line->text += "cancelled" + ByActor(e);
  } else {
    return std::nullopt;
  }
  line->json["actor"] = Str(e.getActor());
  if (options_.json) return line->json.dump(-1, ' ', false, Json::error_handler_t::replace);
  return line->text;
}

std::optional<std::string> AlertWatch::OnAlert(wire::Event::Reader e) {
  auto b = e.getBody().getAs<wire::AlertRaised>();
  std::string person = Str(b.getPerson());
  if (!options_.person.empty() && person != options_.person) return std::nullopt;
  shown_.insert(b.getIncident());
  Trim();
  Line line = Start(e, b);
  line.json["person"] = person;
  line.json["level"] = b.getLevel();
  line.json["pass"] = b.getPass();
  line.json["fallback"] = b.getFallback();
  line.json["reason"] = Str(b.getReason());
  line.json["target"] = Str(b.getTarget());
  line.json["respondBy"] = b.getRespondBy();
  std::string level = b.getFallback() ? "fallback" : "level " + std::to_string(b.getLevel());
  if (b.getPass() > 0) level += " repeat " + std::to_string(b.getPass());
  line.text += "alert to " + person + ": " + level + ", " + Str(b.getReason()) + ", target " +
               Str(b.getTarget());
  auto it = known_.find(b.getIncident());
  if (it != known_.end()) {
    line.json["incidentType"] = it->second.incident_type;
    line.json["post"] = it->second.post;
    line.text += ", " + it->second.incident_type;
    if (!it->second.post.empty()) line.text += " at " + it->second.post;
  }
  if (options_.json) return line.json.dump(-1, ' ', false, Json::error_handler_t::replace);
  return line.text;
}

void AlertWatch::Remember(uint64_t incident, Known known) {
  known_[incident] = std::move(known);
  Trim();
}

void AlertWatch::Trim() {
  while (known_.size() > options_.max_incidents) known_.erase(known_.begin());
  while (shown_.size() > options_.max_incidents) shown_.erase(shown_.begin());
}

}  // namespace picket
