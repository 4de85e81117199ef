#include "escalation/core/events.h"
#include "base/overloaded.h"
#include "wire/event_names.h"

namespace picket::escalation {
namespace {

std::string Seconds(Micros d) {
  // Whole seconds with millisecond precision: "12.345s".
  std::string ms = std::to_string((d % kMicrosPerSecond) / kMicrosPerMilli);
  return std::to_string(d / kMicrosPerSecond) + "." + std::string(3 - ms.size(), '0') + ms + "s";
}

std::string Late(Micros lateness) { return lateness > 0 ? ", " + Seconds(lateness) + " late" : ""; }

std::string LevelName(uint32_t level, bool fallback) {
  return fallback ? "fallback" : "level " + std::to_string(level);
}

std::string By(const std::string& actor) { return actor.empty() ? "" : " by " + actor; }

}  // namespace

std::string_view EventTypeName(const EventBody& body) {
  // DO NOT CHANGE: the bus types of escalation's events.
  return std::visit(
      Overloaded{
          [](const IncidentOpened&) { return event_names::kIncidentOpened; },
          [](const IncidentGrouped&) { return event_names::kIncidentGrouped; },
          [](const AlertRaised&) { return event_names::kAlertRaised; },
          [](const IncidentEscalated&) { return event_names::kIncidentEscalated; },
          [](const LevelUnstaffed&) { return event_names::kLevelUnstaffed; },
          [](const IncidentAcknowledged&) { return event_names::kIncidentAcknowledged; },
          [](const IncidentUnacknowledged&) { return event_names::kIncidentUnacknowledged; },
          [](const StepDone&) { return event_names::kStepDone; },
          [](const NoteAdded&) { return event_names::kNoteAdded; },
          [](const IncidentResolved&) { return event_names::kIncidentResolved; },
          [](const IncidentReopened&) { return event_names::kIncidentReopened; },
          [](const IncidentSilenced&) { return event_names::kIncidentSilenced; },
          [](const SilenceEnded&) { return event_names::kSilenceEnded; },
          [](const IncidentReassigned&) { return event_names::kIncidentReassigned; },
          [](const IncidentCancelled&) { return event_names::kIncidentCancelled; },
      },
      body);
}

std::string_view OutgoingEvent::type() const { return EventTypeName(body); }

std::string Describe(const OutgoingEvent& e) {
  const std::string by = By(e.actor);
  return std::visit(
      Overloaded{
          [&](const IncidentOpened& b) {
            return "opened: " + b.incident_type + " (" + std::string(SeverityName(b.severity)) +
                   ") at '" + b.group_key + "' from " + b.trigger_type + " #" +
                   std::to_string(b.trigger_seq) +
                   (b.cancel_window_until > 0 ? ", waiting for the cancel window" : "");
          },
          [&](const IncidentGrouped& b) {
            return "grouped: " + b.trigger_type + " #" + std::to_string(b.trigger_seq) +
                   " (count " + std::to_string(b.count) + ")";
          },
          [&](const AlertRaised& b) {
            return "alert raised to " + b.person + " (" + LevelName(b.level, b.fallback) + ", " +
                   b.target + ", " + b.reason + Late(b.lateness) + ")";
          },
          [&](const IncidentEscalated& b) {
            std::string from = b.from_level == 0 ? "cancel window" : LevelName(b.from_level, false);
            return "escalated from " + from + " to " + LevelName(b.to_level, b.to_fallback) + " (" +
                   b.reason + Late(b.lateness) + ")";
          },
          [&](const LevelUnstaffed& b) {
            std::string targets;
            for (const auto& t : b.targets) targets += (targets.empty() ? "" : ", ") + t;
            return "level " + std::to_string(b.level) + " has nobody to alert (" + targets + ")";
          },
          [&](const IncidentAcknowledged& b) {
            return "acknowledged" + by + " after " + Seconds(b.response_time);
          },
          [&](const IncidentUnacknowledged& b) {
            return std::string(b.timed_out ? "acknowledgement timed out" : "unacknowledged") + by +
                   Late(b.lateness);
          },
          [&](const StepDone& b) {
            return "step " + b.step + " done" + by + (b.mandatory ? " (mandatory)" : "");
          },
          [&](const NoteAdded& b) { return "note" + by + ": " + b.text; },
          [&](const IncidentResolved& b) {
            return "resolved" + by +
                   (b.override_reason.empty() ? "" : " (override: " + b.override_reason + ")");
          },
          [&](const IncidentReopened& b) {
            return "reopened by " + b.trigger_type + " #" + std::to_string(b.trigger_seq) +
                   " (count " + std::to_string(b.count) + ")";
          },
          [&](const IncidentSilenced& b) { return "silenced" + by + ": " + b.reason; },
          [&](const SilenceEnded& b) { return "silence ended" + Late(b.lateness); },
          [&](const IncidentReassigned& b) {
            return "reassigned to " + b.to + by + (b.reason.empty() ? "" : ": " + b.reason);
          },
          [&](const IncidentCancelled&) { return "cancelled" + by; },
      },
      e.body);
}

}  // namespace picket::escalation
