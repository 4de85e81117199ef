// The escalation core driven by commands: acknowledge (and its race with a step timer),
// ack timeout, unacknowledge, procedure steps, resolve, reopen, silence, reassign, notes,
// queries, and the refusals.
#include <catch2/catch.hpp>

#include "escalation/core/escalation.h"
#include "escalation/escalation_test_support.h"

namespace picket::escalation {
namespace {

using testing::Harness;
using testing::kT0;
using testing::Sec;
using Names = std::vector<std::string>;

// An intrusion at gate-1 with the north squad on shift: incident 1, level 1 alerted.
void OpenIntrusion(Harness& h) {
  h.StaffNorth();
  h.Report("gate-1");
  h.log.clear();
}

IncidentSummary Summary(Harness& h, uint64_t id) {
  Effects fx = h.Run("viewer", GetIncident{id});
  REQUIRE(fx.reply->ok());
  return fx.reply->detail->summary;
}

}  // namespace

TEST_CASE("Acknowledge stops escalation and the reply carries the version", "[commands]") {
  Harness h;
  OpenIntrusion(h);
  h.now += Sec(12);
  Effects fx = h.Run("otto", Acknowledge{1});
  REQUIRE(fx.reply->ok());
  CHECK(fx.reply->version == 2);
  CHECK(Harness::Types(fx) == Names{"escalation.incident_acknowledged"});
  CHECK(fx.events[0].actor == "otto");
  const auto& ack = std::get<IncidentAcknowledged>(fx.events[0].body);
  CHECK(ack.level == 1);
  CHECK(ack.response_time == Sec(12));
  CHECK(ack.ack_deadline == kT0 + Sec(12 + 15 * 60));
  // The step timer is cancelled in the same Effects and replaced by the ack timeout.
  CHECK(fx.cancel == std::vector<Timer>{{kT0 + Sec(30), 1, 0}});
  CHECK(fx.set == std::vector<Timer>{{kT0 + Sec(12 + 15 * 60), 1, 2}});
  h.AdvanceTo(kT0 + Sec(14 * 60));
  CHECK(h.AlertedSinceClear().empty());
  CHECK(Summary(h, 1).state == IncidentState::kAcknowledged);
  CHECK(Summary(h, 1).acknowledged_by == "otto");
}

TEST_CASE("A command in the name of someone the site does not know is refused, nothing changes",
          "[commands]") {
  Harness h;
  OpenIntrusion(h);
  Effects fx = h.Run("mallory", Acknowledge{1});
  REQUIRE(fx.reply);
  CHECK(fx.reply->error == CommandError::kUnauthorized);
  CHECK(fx.reply->message.find("'mallory' is not a person of this site") != std::string::npos);
  CHECK(fx.events.empty());
  CHECK(Summary(h, 1).state == IncidentState::kOpen);
  // Reassigning to an unknown person is refused the same way.
  CHECK(h.Run("otto", Reassign{1, "nobody", ""}).reply->error == CommandError::kUnauthorized);
  // Someone with a standing role (chief, a manager) or on duty (otto) may act.
  CHECK(h.Run("chief", AddNote{1, "on my way"}).reply->ok());
  CHECK(h.Run("otto", Acknowledge{1}).reply->ok());
}

TEST_CASE("Ack racing a step: a step timer that fires after the ack raises nothing",
          "[commands][race]") {
  Harness h;
  OpenIntrusion(h);
  // The loop read the due row (version 1) before it applied the ack; then it fires it.
  Timer step_row = h.timers.begin()->second;
  h.now = kT0 + Sec(30);
  REQUIRE(h.Run("otto", Acknowledge{1}).reply->ok());
  Effects late = h.core.OnTimer(step_row, h.txn, kT0 + Sec(30));
  CHECK(late.events.empty());
  CHECK(late.set.empty());
  CHECK(late.cancel == std::vector<Timer>{{step_row.due, 1, 0}});
  CHECK(Summary(h, 1).state == IncidentState::kAcknowledged);
  CHECK(Summary(h, 1).level == 1);
}

TEST_CASE("Ack racing a step: a step handled before the ack alerts, then the ack holds",
          "[commands][race]") {
  Harness h;
  OpenIntrusion(h);
  h.AdvanceTo(kT0 + Sec(30));
  CHECK(h.AlertedSinceClear() == Names{"mia", "chief"});
  Effects ack = h.Run("mia", Acknowledge{1});
  REQUIRE(ack.reply->ok());
  CHECK(std::get<IncidentAcknowledged>(ack.events[0].body).level == 2);
  h.log.clear();
  h.AdvanceTo(kT0 + Sec(10 * 60));
  CHECK(h.AlertedSinceClear().empty());
}

TEST_CASE("Ack timeout: the ack lapses and escalation resumes at the same level", "[commands]") {
  Harness h;
  OpenIntrusion(h);
  h.Run("otto", Acknowledge{1});
  h.AdvanceTo(kT0 + Sec(15 * 60));
  REQUIRE(h.fired.size() == 1);
  CHECK(Harness::Types(h.fired[0]) == Names{"escalation.incident_unacknowledged",
                                            "escalation.alert_raised", "escalation.alert_raised"});
  CHECK(std::get<IncidentUnacknowledged>(h.fired[0].events[0].body).timed_out);
  CHECK(Harness::Alerted(h.fired[0]) == Names{"lea", "otto"});
  CHECK(std::get<AlertRaised>(h.fired[0].events[1].body).reason == "resumed");
  CHECK(Summary(h, 1).state == IncidentState::kOpen);
  // And the chain goes on from there.
  h.AdvanceTo(kT0 + Sec(15 * 60 + 30));
  CHECK(Harness::Alerted(h.fired.back()) == Names{"mia", "chief"});
}

TEST_CASE("An ack timeout handled late says how late", "[commands]") {
  Harness h;
  OpenIntrusion(h);
  h.Run("otto", Acknowledge{1});
  auto fired = h.FireLate(kT0 + Sec(15 * 60 + 4));
  REQUIRE(fired.size() == 1);
  CHECK(std::get<IncidentUnacknowledged>(fired[0].events[0].body).lateness == Sec(4));
}

TEST_CASE("Unacknowledge gives the incident back to the chain", "[commands]") {
  Harness h;
  OpenIntrusion(h);
  CHECK(h.Run("otto", Unacknowledge{1}).reply->error == CommandError::kNotAcknowledged);
  h.Run("otto", Acknowledge{1});
  h.now += Sec(60);
  Effects fx = h.Run("otto", Unacknowledge{1});
  REQUIRE(fx.reply->ok());
  CHECK(Harness::Types(fx)[0] == "escalation.incident_unacknowledged");
  CHECK_FALSE(std::get<IncidentUnacknowledged>(fx.events[0].body).timed_out);
  CHECK(Harness::Alerted(fx) == Names{"lea", "otto"});
  CHECK(fx.set == std::vector<Timer>{{h.now + Sec(30), 1, fx.reply->version}});
}

TEST_CASE("Acknowledge refusals are values", "[commands]") {
  Harness h;
  OpenIntrusion(h);
  Effects unknown = h.Run("otto", Acknowledge{77});
  CHECK(unknown.reply->error == CommandError::kUnknownIncident);
  CHECK(unknown.reply->message == "no incident 77");
  CHECK(unknown.events.empty());
  CHECK(h.Run("", Acknowledge{1}).reply->error == CommandError::kInvalidArgument);
  // Queries change nothing and may go without an actor.
  CHECK(h.Run("", ListOpen{}).reply->incidents.size() == 1);
  CHECK(h.Run("", GetIncident{1}).reply->ok());
  h.Run("otto", Acknowledge{1});
  Effects twice = h.Run("lea", Acknowledge{1});
  CHECK(twice.reply->error == CommandError::kAlreadyAcknowledged);
  CHECK(twice.reply->message == "incident 1 is already acknowledged by otto");
  h.Run("otto", Resolve{1, "false alarm"});
  Effects resolved = h.Run("otto", Acknowledge{1});
  CHECK(resolved.reply->error == CommandError::kAlreadyResolved);
  CHECK(resolved.events.empty());
  CHECK(resolved.set.empty());
}

TEST_CASE("Procedure steps are marked done once, by whom", "[commands][procedure]") {
  Harness h;
  OpenIntrusion(h);
  Effects fx = h.Run("lea", MarkStepDone{1, "secure_gate"});
  REQUIRE(fx.reply->ok());
  const auto& done = std::get<StepDone>(fx.events[0].body);
  CHECK(done.step == "secure_gate");
  CHECK(done.mandatory);
  CHECK(fx.events[0].actor == "lea");
  // Marking a step does not move the chain: the step timer's row stays as it is.
  CHECK(fx.set.empty());
  CHECK(fx.cancel.empty());
  CHECK(h.timers.count({kT0 + Sec(30), 1}) == 1);
  Effects again = h.Run("otto", MarkStepDone{1, "secure_gate"});
  CHECK(again.reply->error == CommandError::kStepAlreadyDone);
  CHECK(again.reply->message == "step 'secure_gate' was done by lea");
  auto unknown = *h.Run("lea", MarkStepDone{1, "dance"}).reply;
  CHECK(unknown.error == CommandError::kUnknownStep);
  CHECK(unknown.message ==
        "'dance' is not a step of the intrusion procedure (its steps: secure_gate, call_police, "
        "photo)");
  auto detail = *h.Run("lea", GetIncident{1}).reply->detail;
  REQUIRE(detail.procedure.size() == 3);
  CHECK(detail.procedure[0].done);
  CHECK(detail.procedure[0].by == "lea");
  CHECK_FALSE(detail.procedure[1].done);
  CHECK(detail.procedure[0].step.phrase == "Stop. Security. Please stay where you are.");
}

TEST_CASE("Resolve needs every mandatory step", "[commands][resolve]") {
  Harness h;
  OpenIntrusion(h);
  h.Run("lea", MarkStepDone{1, "secure_gate"});
  int writes = h.txn.writes();
  Effects refused = h.Run("otto", Resolve{1, ""});
  CHECK(refused.reply->error == CommandError::kMandatoryStepsMissing);
  CHECK(refused.reply->missing_steps == Names{"call_police"});
  CHECK(refused.events.empty());
  CHECK(h.txn.writes() == writes);  // nothing changed
  h.Run("lea", MarkStepDone{1, "call_police"});
  h.now += Sec(20);
  Effects fx = h.Run("otto", Resolve{1, ""});
  REQUIRE(fx.reply->ok());
  const auto& r = std::get<IncidentResolved>(fx.events[0].body);
  CHECK(r.override_reason.empty());
  CHECK(r.missing_steps.empty());
  CHECK(r.open_for == Sec(20));
  CHECK(fx.cancel.size() == 1);
  CHECK(fx.set.empty());
  CHECK(h.timers.empty());
  CHECK(h.Run("otto", ListOpen{}).reply->incidents.empty());
  CHECK(h.Run("otto", Resolve{1, ""}).reply->error == CommandError::kAlreadyResolved);
}

TEST_CASE("Resolve with an override records the reason and the missing steps",
          "[commands][resolve]") {
  Harness h;
  OpenIntrusion(h);
  Effects fx = h.Run("otto", Resolve{1, "the police were already on site"});
  REQUIRE(fx.reply->ok());
  const auto& r = std::get<IncidentResolved>(fx.events[0].body);
  CHECK(r.override_reason == "the police were already on site");
  CHECK(r.missing_steps == Names{"secure_gate", "call_police"});
  auto detail = *h.Run("otto", GetIncident{1}).reply->detail;
  CHECK(detail.summary.state == IncidentState::kResolved);
  CHECK(detail.resolved_by == "otto");
  CHECK(detail.override_reason == "the police were already on site");
}

TEST_CASE("A trigger within the reopen window reopens the incident", "[commands][reopen]") {
  Harness h;
  OpenIntrusion(h);
  h.Run("otto", Resolve{1, "drill"});
  h.now += Sec(29 * 60);
  Effects fx = h.Report("gate-1");
  CHECK(Harness::Types(fx) == Names{"escalation.incident_reopened", "escalation.alert_raised",
                                    "escalation.alert_raised"});
  const auto& re = std::get<IncidentReopened>(fx.events[0].body);
  CHECK(re.count == 2);
  CHECK(re.resolved_at == kT0);
  CHECK(fx.events[0].incident == 1);
  auto s = Summary(h, 1);
  CHECK(s.state == IncidentState::kOpen);
  CHECK(s.level == 1);
  // The procedure is followed again for the new occurrence.
  CHECK(h.Run("otto", Resolve{1, ""}).reply->error == CommandError::kMandatoryStepsMissing);
}

TEST_CASE("A trigger after the reopen window opens a new incident", "[commands][reopen]") {
  Harness h;
  OpenIntrusion(h);
  h.Run("otto", Resolve{1, "drill"});
  h.now += Sec(30 * 60) + 1;
  Effects fx = h.Report("gate-1");
  CHECK(fx.events[0].type() == "escalation.incident_opened");
  CHECK(fx.events[0].incident == 2);
}

TEST_CASE("Silence: no alerts until it ends, then the current level again", "[commands][silence]") {
  Harness h;
  OpenIntrusion(h);
  h.now += Sec(10);
  Effects fx = h.Run("otto", Silence{1, Sec(600), "sensor being repaired"});
  REQUIRE(fx.reply->ok());
  const auto& s = std::get<IncidentSilenced>(fx.events[0].body);
  CHECK(s.until == kT0 + Sec(610));
  CHECK(s.reason == "sensor being repaired");
  CHECK(fx.set == std::vector<Timer>{{kT0 + Sec(610), 1, 2}});
  // Triggers during a silence still count, and raise nothing.
  Effects grouped = h.Report("gate-1");
  CHECK(Harness::Types(grouped) == Names{"escalation.incident_grouped"});
  h.log.clear();
  h.AdvanceTo(kT0 + Sec(609));
  CHECK(h.AlertedSinceClear().empty());
  h.AdvanceTo(kT0 + Sec(610));
  REQUIRE(h.fired.size() == 1);
  CHECK(Harness::Types(h.fired[0]) ==
        Names{"escalation.silence_ended", "escalation.alert_raised", "escalation.alert_raised"});
  CHECK(Harness::Alerted(h.fired[0]) == Names{"lea", "otto"});
}

TEST_CASE("Silence of an acknowledged incident outlasts the ack timeout quietly",
          "[commands][silence]") {
  Harness h;
  OpenIntrusion(h);
  h.Run("otto", Acknowledge{1});
  h.Run("otto", Silence{1, Sec(20 * 60), "waiting for the contractor"});
  h.AdvanceTo(kT0 + Sec(15 * 60));  // the ack lapses, but the incident is silenced
  REQUIRE(h.fired.size() == 1);
  CHECK(Harness::Types(h.fired[0]) == Names{"escalation.incident_unacknowledged"});
  h.AdvanceTo(kT0 + Sec(20 * 60));  // silence over: alerts resume
  REQUIRE(h.fired.size() == 2);
  CHECK(Harness::Alerted(h.fired[1]) == Names{"lea", "otto"});
}

TEST_CASE("Silence refusals", "[commands][silence]") {
  Harness h;
  OpenIntrusion(h);
  CHECK(h.Run("otto", Silence{1, 0, "x"}).reply->error == CommandError::kInvalidArgument);
  CHECK(h.Run("otto", Silence{1, kMaxSilence + 1, "x"}).reply->error ==
        CommandError::kInvalidArgument);
  CHECK(h.Run("otto", Silence{1, Sec(60), ""}).reply->error == CommandError::kInvalidArgument);
  h.Event("terminal.panic_pressed", {{"post", "gate-2"}}, "guard-2");
  CHECK(h.Run("otto", Silence{2, Sec(60), "x"}).reply->error == CommandError::kWrongState);
}

TEST_CASE("Reassign drops the ack, alerts the assignee and keeps them in the chain",
          "[commands][reassign]") {
  Harness h;
  OpenIntrusion(h);
  h.Shift("rita", "gate-1", "guard");  // a person the site knows: on duty
  h.Run("otto", Acknowledge{1});
  h.now += Sec(5);
  Effects fx = h.Run("otto", Reassign{1, "rita", "she is at gate-1"});
  REQUIRE(fx.reply->ok());
  CHECK(Harness::Types(fx) == Names{"escalation.incident_reassigned", "escalation.alert_raised"});
  const auto& r = std::get<IncidentReassigned>(fx.events[0].body);
  CHECK(r.to == "rita");
  CHECK(r.dropped_ack_by == "otto");
  CHECK(Harness::Alerted(fx) == Names{"rita"});
  CHECK(Summary(h, 1).state == IncidentState::kOpen);
  CHECK(Summary(h, 1).assignee == "rita");
  h.AdvanceTo(kT0 + Sec(5 + 30));  // rita did not ack: level 2, and rita again
  CHECK(Harness::Alerted(h.fired.back()) == Names{"mia", "chief", "rita"});
  CHECK(h.Run("otto", Reassign{1, "", ""}).reply->error == CommandError::kInvalidArgument);
}

TEST_CASE("Notes can be added in any state, never empty", "[commands]") {
  Harness h;
  OpenIntrusion(h);
  CHECK(h.Run("otto", AddNote{1, "gate found open"}).reply->ok());
  h.Run("otto", Resolve{1, "drill"});
  Effects fx = h.Run("otto", AddNote{1, "debrief done"});
  REQUIRE(fx.reply->ok());
  CHECK(std::get<NoteAdded>(fx.events[0].body).text == "debrief done");
  CHECK(fx.set.empty());
  CHECK(h.Run("otto", AddNote{1, ""}).reply->error == CommandError::kInvalidArgument);
  CHECK(h.Run("otto", AddNote{1, std::string(kMaxTextBytes + 1, 'x')}).reply->error ==
        CommandError::kInvalidArgument);
  CHECK(h.Run("otto", AddNote{9, "x"}).reply->error == CommandError::kUnknownIncident);
}

TEST_CASE("One incident with its whole history, in order", "[commands][query]") {
  Harness h;
  OpenIntrusion(h);
  h.now += Sec(3);
  h.Report("gate-1");
  h.Run("otto", Acknowledge{1});
  h.Run("lea", MarkStepDone{1, "secure_gate"});
  h.Run("lea", AddNote{1, "all quiet"});
  h.Run("otto", Resolve{1, "police not needed"});
  Effects fx = h.Run("otto", GetIncident{1});
  REQUIRE(fx.reply->ok());
  CHECK(fx.events.empty());
  std::vector<std::string> types, texts;
  for (const auto& e : fx.reply->detail->history) types.push_back(e.type), texts.push_back(e.text);
  CHECK(types == Names{"escalation.incident_opened", "escalation.alert_raised",
                       "escalation.alert_raised", "escalation.incident_grouped",
                       "escalation.incident_acknowledged", "escalation.step_done",
                       "escalation.note_added", "escalation.incident_resolved"});
  CHECK(texts[1] == "alert raised to lea (level 1, post_leader, opened)");
  CHECK(texts[4] == "acknowledged by otto after 3.000s");
  CHECK(texts[7] == "resolved by otto (override: police not needed)");
  CHECK(fx.reply->detail->history.back().version == fx.reply->version);
  CHECK(h.Run("otto", GetIncident{5}).reply->error == CommandError::kUnknownIncident);
}

TEST_CASE("List open incidents shows pending, open and acknowledged ones", "[commands][query]") {
  Harness h;
  OpenIntrusion(h);
  h.Report("gate-2");
  h.Event("terminal.panic_pressed", {{"post", "hq"}}, "guard-hq");
  h.Run("otto", Acknowledge{2});
  auto list = h.Run("otto", ListOpen{}).reply->incidents;
  REQUIRE(list.size() == 3);
  CHECK(list[0].state == IncidentState::kOpen);
  CHECK(list[1].state == IncidentState::kAcknowledged);
  CHECK(list[2].state == IncidentState::kPending);
  CHECK(list[2].severity == Severity::kCritical);
  CHECK(list[2].level == 0);
}

TEST_CASE("Who is on duty: by post, role and start, with the post's leader marked",
          "[commands][roster]") {
  Harness h;
  CHECK(h.Run("", ListOnDuty{}).reply->on_duty.empty());
  h.StaffNorth();  // lea (squad_leader), otto (duty_officer), mia (manager): all at hq
  h.now += Sec(60);
  h.Shift("rita", "gate-1", "guard");
  h.now += Sec(1);
  h.Shift("bob", "gate-1", "guard");     // later than rita: listed after her
  Effects fx = h.Run("", ListOnDuty{});  // a query: needs no actor, changes nothing
  REQUIRE(fx.reply->ok());
  CHECK(fx.events.empty());
  std::vector<std::string> rows;
  for (const auto& e : fx.reply->on_duty)
    rows.push_back(e.duty.post + " " + e.duty.role + " " + e.duty.person +
                   (e.leads_post ? " leads" : ""));
  // gate-1 has no squad leader of its own: lea leads it from hq, but is listed at hq.
  CHECK(rows == Names{"gate-1 guard rita", "gate-1 guard bob", "hq duty_officer otto",
                      "hq manager mia", "hq squad_leader lea leads"});
  CHECK(fx.reply->on_duty[0].duty.since < fx.reply->on_duty[1].duty.since);
  h.EndShift("rita");
  CHECK(h.Run("", ListOnDuty{}).reply->on_duty.size() == 4);
}

}  // namespace picket::escalation
