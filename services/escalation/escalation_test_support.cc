#include "escalation/escalation_test_support.h"

#include <catch2/catch.hpp>

#include "escalation/escalation_config_toml.h"

namespace picket::escalation::testing {

const char kStandardConfig[] = R"(
[escalation]
ack_timeout = "10m"

[escalation.roster]
leader_role = "squad_leader"
squads = { north = ["gate-1", "gate-2", "hq"] }
people = { chief = ["manager"] }

[escalation.policies.standard]
repeat = 1
repeat_from = 2
fallback = ["person:chief"]
fallback_wait = "5m"
[[escalation.policies.standard.levels]]
targets = ["post_leader", "role:duty_officer"]
wait = 30
[[escalation.policies.standard.levels]]
targets = ["all:manager"]
wait = "2m"

[escalation.policies.short]
fallback = ["person:chief", "role:duty_officer"]
[[escalation.policies.short.levels]]
targets = ["role:duty_officer"]
wait = "45s"

[escalation.incident_types.intrusion]
severity = "high"
key = "{post}"
grouping_window = "10m"
reopen_window = "30m"
ack_timeout = "15m"
policy = "standard"
[[escalation.incident_types.intrusion.steps]]
id = "secure_gate"
text = "Close and lock the gate"
mandatory = true
phrase = "Stop. Security. Please stay where you are."
[[escalation.incident_types.intrusion.steps]]
id = "call_police"
text = "Call the police"
mandatory = true
[[escalation.incident_types.intrusion.steps]]
id = "photo"
text = "Take a photo"

[escalation.incident_types.panic]
severity = "critical"
cancel_window = "15s"
policy = "short"

[escalation.incident_types.watchlist]
severity = "medium"
key = "{post}/{person}"
policy = "short"

[[escalation.rules]]
event = "terminal.incident_reported"
match = { kind = "intrusion" }
incident = "intrusion"

[[escalation.rules]]
event = "terminal.panic_pressed"
incident = "panic"

[[escalation.rules]]
event = "access.denied"
match = { reason = "watchlist" }
incident = "watchlist"
)";

EscalationConfig LoadConfig(std::string_view toml) {
  std::string error;
  auto config = ParseEscalationConfig(toml, "site.toml", &error);
  INFO(error);
  REQUIRE(config.has_value());
  return std::move(*config);
}

Harness::Harness(std::string_view toml)
    : txn(Escalation::Tables()), config(LoadConfig(toml)), core(config) {}

Effects Harness::Event(const std::string& type, std::map<std::string, std::string> fields,
                       const std::string& actor) {
  RecordedEvent e;
  e.seq = next_seq++;
  e.type = type;
  e.producer = "test";
  e.actor = actor;
  e.observed_at = now;
  e.recorded_at = now;
  e.fields = std::move(fields);
  Effects fx = core.OnEvent(e, txn, now);
  Apply(fx);
  return fx;
}

Effects Harness::Report(const std::string& post, const std::string& kind) {
  return Event("terminal.incident_reported", {{"post", post}, {"kind", kind}, {"note", ""}},
               "guard-" + post);
}

Effects Harness::Shift(const std::string& person, const std::string& post,
                       const std::string& role) {
  return Event("shift.started", {{"person", person}, {"post", post}, {"role", role}}, person);
}

Effects Harness::EndShift(const std::string& person) {
  return Event("shift.ended", {{"person", person}}, person);
}

void Harness::StaffNorth() {
  Shift("lea", "hq", "squad_leader");
  Shift("otto", "hq", "duty_officer");
  Shift("mia", "hq", "manager");
}

Effects Harness::Run(const std::string& actor, CommandBody body) {
  Effects fx = core.OnCommand(Command{actor, std::move(body)}, txn, now);
  Apply(fx);
  return fx;
}

void Harness::Apply(const Effects& fx) {
  for (const auto& t : fx.cancel) timers.erase({t.due, t.incident});
  for (const auto& t : fx.set) timers[{t.due, t.incident}] = t;
  log.insert(log.end(), fx.events.begin(), fx.events.end());
}

void Harness::AdvanceTo(Micros t) {
  while (!timers.empty() && timers.begin()->first.first <= t) {
    Timer row = timers.begin()->second;
    now = std::max(now, row.due);
    Effects fx = core.OnTimer(row, txn, now);
    Apply(fx);
    // The runtime deletes a fired row even if the core did not cancel it.
    timers.erase({row.due, row.incident});
    fired.push_back(std::move(fx));
  }
  now = std::max(now, t);
}

std::vector<Effects> Harness::FireLate(Micros t) {
  now = t;
  std::vector<Effects> out;
  while (!timers.empty() && timers.begin()->first.first <= t) {
    Timer row = timers.begin()->second;
    Effects fx = core.OnTimer(row, txn, now);
    Apply(fx);
    timers.erase({row.due, row.incident});
    out.push_back(fx);
  }
  return out;
}

std::vector<std::string> Harness::Alerted(const Effects& fx) {
  std::vector<std::string> out;
  for (const auto& e : fx.events)
    if (auto* a = std::get_if<AlertRaised>(&e.body)) out.push_back(a->person);
  return out;
}

std::vector<std::string> Harness::Types(const Effects& fx) {
  std::vector<std::string> out;
  for (const auto& e : fx.events) out.emplace_back(e.type());
  return out;
}

std::vector<std::string> Harness::AlertedSinceClear() const {
  std::vector<std::string> out;
  for (const auto& e : log)
    if (auto* a = std::get_if<AlertRaised>(&e.body)) out.push_back(a->person);
  return out;
}

}  // namespace picket::escalation::testing
