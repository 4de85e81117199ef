// fuzz_seeds OUT_DIR: writes the binary seeds of the harnesses (Cap'n Proto frames and
// stored rows) as OUT_DIR/<harness>/<name>, small valid inputs libFuzzer mutates from.
// Their committed copies are tests/fuzz_corpus/ (its README says how to regenerate them);
// the text seeds there (JSON, TOML) are written by hand.
// fuzz_seeds --check DIR: runs each harness's decoder over DIR/<harness>/* and says which
// seeds it accepts, so a seed that no longer decodes (a format moved on) is seen.
#include <capnp/message.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "access/access_config_toml.h"
#include "access/core/access_types.h"
#include "access/wire_convert.h"
#include "escalation/core/incident.h"
#include "escalation/escalation_config_toml.h"
#include "escalation/wire_convert.h"
#include "fuzz/patrol_world.h"
#include "fuzz/scoring_world.h"
#include "notify/core/delivery.h"
#include "notify/notify_config_toml.h"
#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_types.h"
#include "patrol/core/schedule.h"
#include "patrol/patrol_config_toml.h"
#include "patrol/wire_convert.h"
#include "picket/schemas/access.capnp.h"
#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/scoring.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "picketctl/bus_status.h"
#include "runtime/site_config.h"
#include "scoring/core/scoring_keys.h"
#include "scoring/scoring_config_toml.h"
#include "scoring/wire_convert.h"
#include "wire/codec.h"
#include "wire/event_json.h"
#include "wire/event_names.h"

namespace picket {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kT0 = 1'764'000'000'000'000;

class SeedWriter {
 public:
  explicit SeedWriter(fs::path root) : root_(std::move(root)) {}
  void Write(const std::string& harness, const std::string& name, const std::string& bytes) {
    fs::create_directories(root_ / harness);
    std::ofstream out(root_ / harness / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
      std::fprintf(stderr, "fuzz_seeds: cannot write %s/%s\n", harness.c_str(), name.c_str());
  }

 private:
  fs::path root_;
};

capnp::Data::Reader Id16(const char* sixteen) {
  return capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(sixteen), 16);
}

void Envelope(wire::Event::Builder e, const char* type, const char* producer, const char* actor) {
  e.setId(Id16("0123456789abcdef"));
  e.setSite("fuzz-site");
  e.setType(type);
  e.setProducer(producer);
  e.setActor(actor);
  e.setObservedAt(kT0);
  e.setSeq(42);
  e.setRecordedAt(kT0 + 1000);
}

std::string EventFrame(const std::function<void(wire::Event::Builder)>& fill) {
  capnp::MallocMessageBuilder b;
  fill(b.initRoot<wire::Event>());
  return Encode(b);
}

void FillIncidentReported(wire::Event::Builder e) {
  Envelope(e, "terminal.incident_reported", "gate-1-terminal", "guard-7");
  auto body = e.getBody().initAs<wire::IncidentReported>();
  body.setPost("gate-1");
  body.setKind("intrusion");
  body.setNote("fence cut");
}

void FillAlertRaised(wire::Event::Builder e) {
  Envelope(e, "escalation.alert_raised", "picket-escalation", "");
  auto a = e.getBody().initAs<wire::AlertRaised>();
  a.setIncident(4);
  a.setVersion(3);
  a.setPerson("otto");
  a.setLevel(1);
  a.setTarget("role:duty_officer");
  a.setReason("opened");
  a.setRespondBy(kT0 + 30'000'000);
  a.setIncidentType("tailgating");
  a.setPost("gate-1");
  a.setSeverity(wire::Severity::HIGH);
  a.setNote("two people on one pass");
}

void EventSeeds(SeedWriter& w, const std::string& harness) {
  w.Write(harness, "incident_reported", EventFrame(FillIncidentReported));
  w.Write(harness, "alert_raised", EventFrame(FillAlertRaised));
  w.Write(harness, "panic_pressed", EventFrame([](wire::Event::Builder e) {
            Envelope(e, "terminal.panic_pressed", "gate-1-terminal", "guard-7");
            e.getBody().initAs<wire::PanicPressed>().setPost("gate-1");
          }));
  w.Write(harness, "shift_started", EventFrame([](wire::Event::Builder e) {
            Envelope(e, "shift.started", "picketctl", "otto");
            auto s = e.getBody().initAs<wire::ShiftStarted>();
            s.setPerson("otto");
            s.setPost("hq");
            s.setRole("duty_officer");
          }));
  w.Write(harness, "unregistered_type",
          EventFrame([](wire::Event::Builder e) { Envelope(e, "demo.tick", "demo", ""); }));
}

void BusFrameSeeds(SeedWriter& w) {
  {
    capnp::MallocMessageBuilder b;
    FillIncidentReported(b.initRoot<wire::BusRequest>().initPublish());
    w.Write("bus_frame", "publish", Encode(b));
  }
  {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::BusRequest>().initReplay();
    r.setFromSeq(5);
    r.setCredit(100);
    r.setMaxBatch(16);
    w.Write("bus_frame", "replay", Encode(b));
  }
  {
    capnp::MallocMessageBuilder b;
    auto p = b.initRoot<wire::BusRequest>().initProgress();
    p.setSubscriber("picket-escalation");
    p.setAppliedSeq(41);
    w.Write("bus_frame", "progress", Encode(b));
  }
  {
    capnp::MallocMessageBuilder b;
    auto batch = b.initRoot<wire::BusReply>().initReplayBatch();
    auto events = batch.initEvents(2);
    FillIncidentReported(events[0]);
    FillAlertRaised(events[1]);
    batch.setHeadSeq(43);
    batch.setFirstSeq(1);
    w.Write("bus_frame", "replay_batch", Encode(b));
  }
  {
    capnp::MallocMessageBuilder b;
    auto n = b.initRoot<wire::BusReply>().initNack();
    n.setEventId(Id16("0123456789abcdef"));
    n.setCode(wire::ErrorCode::WRONG_SITE);
    n.setMessage("site 'x' is not this bus's site");
    w.Write("bus_frame", "nack", Encode(b));
  }
}

void BusStatusSeeds(SeedWriter& w) {
  {
    capnp::MallocMessageBuilder b;
    auto s = b.initRoot<wire::BusReply>().initStatus();
    s.setSite("plant-1");
    s.setHeadSeq(1234);
    s.setFirstSeq(1);
    s.setNow(kT0);
    auto subs = s.initSubscribers(2);
    subs[0].setSubscriber("picket-escalation");
    subs[0].setAppliedSeq(1230);
    subs[0].setReportedAt(kT0 - 2'000'000);
    subs[1].setSubscriber("picket-notify");
    subs[1].setAppliedSeq(1240);
    subs[1].setReportedAt(kT0 - 500'000);
    w.Write("bus_status", "status", Encode(b));
  }
  {
    capnp::MallocMessageBuilder b;
    auto n = b.initRoot<wire::BusReply>().initNack();
    n.setCode(wire::ErrorCode::UNAVAILABLE);
    n.setMessage("shutting down");
    w.Write("bus_status", "nack", Encode(b));
  }
}

void RequestSeeds(SeedWriter& w) {
  auto add = [&](const char* name, const std::function<void(wire::EscalationRequest::Builder)>& f) {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::EscalationRequest>();
    r.setActor("otto");
    r.setCommandId(Id16("fedcba9876543210"));
    f(r);
    w.Write("escalation_request", name, Encode(b));
  };
  add("acknowledge", [](auto r) { r.initAcknowledge().setIncident(1); });
  add("mark_step_done", [](auto r) {
    auto s = r.initMarkStepDone();
    s.setIncident(1);
    s.setStep("secure_gate");
  });
  add("silence", [](auto r) {
    auto s = r.initSilence();
    s.setIncident(2);
    s.setDuration(600'000'000);
    s.setReason("drill");
  });
  add("reassign", [](auto r) {
    auto s = r.initReassign();
    s.setIncident(1);
    s.setTo("mia");
    s.setReason("closer");
  });
  add("resolve", [](auto r) {
    auto s = r.initResolve();
    s.setIncident(2);
    s.setOverrideReason("false alarm");
  });
  add("add_note", [](auto r) {
    auto s = r.initAddNote();
    s.setIncident(3);
    s.setText("called the police");
  });
  add("get_incident", [](auto r) { r.initGetIncident().setIncident(1); });
  add("list_open", [](auto r) { r.setListOpen(); });
  add("list_on_duty", [](auto r) { r.setListOnDuty(); });
  add("list_incidents", [](auto r) {
    auto q = r.initListIncidents();
    q.setFrom(1'764'000'000'000'000);
    q.setTo(1'764'086'400'000'000);
    q.setPost("gate-1");
  });
}

escalation::IncidentSummary Summary(uint64_t id) {
  escalation::IncidentSummary s;
  s.id = id;
  s.version = 7;
  s.type = "intrusion";
  s.severity = escalation::Severity::kHigh;
  s.state = escalation::IncidentState::kAcknowledged;
  s.post = "gate-1";
  s.group_key = "gate-1";
  s.count = 3;
  s.opened_at = kT0;
  s.level = 1;
  s.acknowledged_by = "otto";
  return s;
}

void ReplySeeds(SeedWriter& w) {
  using namespace escalation;
  Reply ack;
  ack.incident = 12;
  ack.version = 7;
  w.Write("escalation_reply", "ack", EncodeReply(ack));
  Reply refused;
  refused.error = CommandError::kMandatoryStepsMissing;
  refused.message = "2 mandatory steps are not done";
  refused.missing_steps = {"secure_gate", "call_police"};
  w.Write("escalation_reply", "mandatory_steps", EncodeReply(refused));
  Reply list;
  list.incidents = {Summary(12), Summary(13)};
  w.Write("escalation_reply", "list_open", EncodeReply(list));
  Reply detail;
  IncidentDetail d;
  d.summary = Summary(12);
  d.procedure.push_back(StepStatus{
      {"secure_gate", "Close the gate", true, "Gate closed."}, true, "otto", kT0 + 5'000'000});
  d.procedure.push_back(StepStatus{{"call_police", "Call 110", false, ""}, false, "", 0});
  d.history.push_back(HistoryEntry{kT0, "escalation.incident_opened", "", "opened", 1});
  d.history.push_back(HistoryEntry{kT0 + 9'000'000, "escalation.incident_acknowledged", "otto",
                                   "acknowledged by otto", 7});
  d.ack_deadline = kT0 + 600'000'000;
  d.note = "fence cut";
  detail.detail = d;
  w.Write("escalation_reply", "get_incident", EncodeReply(detail));
  Reply duty;
  duty.on_duty = {DutyEntry{{"lea", "gate-1", "squad_leader", kT0}, true},
                  DutyEntry{{"otto", "hq", "duty_officer", kT0}, false}};
  w.Write("escalation_reply", "list_on_duty", EncodeReply(duty));
  w.Write("escalation_reply", "malformed",
          EncodeError(wire::EscalationError::MALFORMED, "not a Cap'n Proto message"));
}

void IncidentRecordSeeds(SeedWriter& w) {
  using namespace escalation;
  Incident inc;
  inc.id = 4;
  inc.version = 3;
  inc.type = "tailgating";
  inc.severity = Severity::kHigh;
  inc.group_key = "gate-1";
  inc.post = "gate-1";
  inc.policy = "standard";
  inc.state = IncidentState::kAcknowledged;
  inc.count = 2;
  inc.first_trigger_seq = 17;
  inc.opened_at = kT0;
  inc.last_trigger_at = kT0 + 1'000'000;
  inc.level = 1;
  inc.ack_deadline = kT0 + 600'000'000;
  inc.acknowledged_by = "otto";
  inc.acknowledged_at = kT0 + 9'000'000;
  inc.steps_done.push_back(StepRecord{"secure_gate", "otto", kT0 + 5'000'000});
  inc.timer_due = inc.ack_deadline;
  inc.history_size = 4;
  inc.note = "two people on one pass";
  // Row kind: an even first byte is an incident, an odd one a history row.
  w.Write("incident_record", "incident", std::string(1, '\0') + EncodeIncident(inc));
  HistoryEntry h{kT0, "escalation.incident_acknowledged", "otto", "acknowledged by otto", 3};
  w.Write("incident_record", "history", std::string(1, '\1') + EncodeHistoryEntry(h));
}

void DeliveryRecordSeeds(SeedWriter& w) {
  using namespace notify;
  Delivery d;
  d.id = "0123456789abcdef";
  d.channel = "pager";
  d.state = DeliveryState::kScheduled;
  d.attempts = 2;
  d.next_attempt_at = kT0 + 4'000'000;
  d.created_at = kT0;
  Alert& a = d.alert;
  a.event_id = "fedcba9876543210";
  a.seq = 42;
  a.recorded_at = kT0;
  a.incident = 4;
  a.version = 3;
  a.person = "otto";
  a.level = 1;
  a.target = "role:duty_officer";
  a.reason = "opened";
  a.respond_by = kT0 + 30'000'000;
  a.incident_type = "tailgating";
  a.post = "gate-1";
  a.severity = "high";
  w.Write("delivery_record", "scheduled", EncodeDelivery(d));
  d.state = DeliveryState::kInFlight;
  d.stopped = "acknowledged";
  d.stopped_by = 50;
  w.Write("delivery_record", "in_flight_stopped", EncodeDelivery(d));
}

// The access seeds name what the harnesses' site has (access_world.h): gates north
// (post-1) and south (post-2), staff host-1 and s-1, visitor v-1 on site on pass P-1.
constexpr int64_t kAccessNow = 1'781'074'800'000'000;  // 2026-06-10 07:00 UTC
constexpr int64_t kHour = 3'600'000'000;

void AccessRequestSeeds(SeedWriter& w) {
  auto add = [&](const char* name, const std::function<void(wire::AccessRequest::Builder)>& f) {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::AccessRequest>();
    r.setActor("chief");
    r.setCommandId(Id16("fedcba9876543210"));
    f(r);
    w.Write("access_request", name, Encode(b));
  };
  add("register_person", [](auto r) {
    auto p = r.initRegisterPerson();
    p.setPerson("c-1");
    p.setName("Carl Contractor");
    p.initAliases(1).set(0, "Carlo");
    p.setKind(wire::PassKind::CONTRACTOR);
    p.setCompany("Pipes Ltd");
  });
  add("pre_register_visitor", [](auto r) {
    auto p = r.initPreRegisterVisitor();
    p.setPerson("v-2");
    p.setName("Val Visitor");
    p.setHost("host-1");
    p.setExpectedAt(kAccessNow + kHour);
  });
  add("register_walk_up", [](auto r) {
    auto p = r.initRegisterWalkUp();
    p.setPerson("v-3");
    p.setName("Wanda Walkup");
    p.setHost("host-1");
    p.setApprovedBy("host-1");
  });
  add("request_walk_up", [](auto r) {
    auto p = r.initRegisterWalkUp();
    p.setPerson("v-4");
    p.setName("Walt Waiting");
    p.setHost("host-1");
    p.setGate("north");
  });
  add("approve_walk_up", [](auto r) {
    auto d = r.initApproveWalkUp();
    d.setPerson("v-4");
    d.setBy("host-1");
  });
  add("deny_walk_up", [](auto r) {
    auto d = r.initDenyWalkUp();
    d.setPerson("v-4");
    d.setBy("chief");
    d.setReason("host not on site");
  });
  add("list_pending_walk_ups", [](auto r) { r.setListPendingWalkUps(); });
  add("issue_pass", [](auto r) {
    auto p = r.initIssuePass();
    p.setCode("P-9");
    p.setPerson("v-1");
    p.setValidFrom(kAccessNow);
    p.setValidUntil(kAccessNow + kHour);
    p.initGates(1).set(0, "north");
    p.setHours("08:00-18:00");
  });
  add("revoke_pass", [](auto r) {
    auto p = r.initRevokePass();
    p.setCode("P-1");
    p.setReason("lost");
  });
  add("extend_pass", [](auto r) {
    auto p = r.initExtendPass();
    p.setCode("P-1");
    p.setValidUntil(kAccessNow + 3 * kHour);
  });
  add("check_out", [](auto r) {
    auto c = r.initCheckOut();
    c.setPerson("v-1");
    c.setGate("south");
  });
  add("add_watchlist_entry", [](auto r) {
    auto e = r.initAddWatchlistEntry();
    e.setName("Ivan Petrov");
    e.setReason("theft");
    e.setAction(wire::WatchAction::SUPERVISOR);
  });
  add("remove_watchlist_entry", [](auto r) {
    auto e = r.initRemoveWatchlistEntry();
    e.setEntry(1);
    e.setReason("cleared");
  });
  add("register_vehicle", [](auto r) {
    auto v = r.initRegisterVehicle();
    v.setPlate("B-AB 1234");
    v.setDescription("white tanker");
    v.setKind(wire::PassKind::VISITOR);
    v.setHost("host-1");
  });
  add("get_pass", [](auto r) { r.setGetPass("P-1"); });
  add("get_person", [](auto r) { r.setGetPerson("v-1"); });
  add("list_visits", [](auto r) {
    auto t = r.initListVisits();
    t.setFrom(kAccessNow - kHour);
    t.setTo(kAccessNow + kHour);
  });
  add("list_on_site", [](auto r) { r.setListOnSite(); });
  add("get_compliance", [](auto r) {
    auto c = r.initGetCompliance();
    c.setPost("post-1");
    c.setFrom(kAccessNow - kHour);
    c.setTo(kAccessNow + kHour);
  });
  add("list_watchlist", [](auto r) { r.setListWatchlist(); });
}

void AccessEventSeeds(SeedWriter& w) {
  auto envelope = [](wire::Event::Builder e, std::string_view type) {
    Envelope(e, std::string(type).c_str(), "post-1-terminal", "guard-7");
    e.setObservedAt(kAccessNow + 60'000'000);
  };
  w.Write("access_event", "pass_scanned_out", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kPassScanned);
            auto b = e.getBody().initAs<wire::PassScanned>();
            b.setPost("post-1");
            b.setPassCode("P-1");
            b.setDirection(wire::Direction::OUT);
          }));
  w.Write("access_event", "pass_scanned_in", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kPassScanned);
            auto b = e.getBody().initAs<wire::PassScanned>();
            b.setPost("post-2");
            b.setPassCode("S-1");
            b.setDirection(wire::Direction::IN);
            b.setGate("south");
            b.setSupervisor("chief");
          }));
  w.Write("access_event", "manual_entry", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kManualEntry);
            auto b = e.getBody().initAs<wire::ManualEntry>();
            b.setPost("post-1");
            b.setPerson("Ivan Petrov");
            b.setNote("delivery driver without a pass");
          }));
  w.Write("access_event", "visitor_arrival", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kVisitorArrival);
            auto b = e.getBody().initAs<wire::VisitorArrival>();
            b.setPost("post-2");
            b.setPerson("v-1");
          }));
}

void AccessRecordSeeds(SeedWriter& w) {
  using namespace access;
  // Row kind: the first byte mod 7 (person, pass, visit, watchlist entry, arrival, person,
  // pending walk-up).
  auto row = [&](char kind, const char* name, const std::string& bytes) {
    w.Write("access_record", name, std::string(1, kind) + bytes);
  };
  Person p;
  p.id = "v-1";
  p.name = "Vera Visitor";
  p.aliases = {"Vera V"};
  p.kind = PassKind::kVisitor;
  p.company = "Acme";
  p.host = "host-1";
  p.registered_by = "chief";
  p.registered_at = kAccessNow - kHour;
  p.expected_at = kAccessNow;
  row('\0', "person", EncodePerson(p));
  Person v;
  v.id = "veh-b-ab1234";
  v.name = "white tanker";
  v.kind = PassKind::kContractor;
  v.vehicle = true;
  v.plate = "B-AB 1234";
  v.driver = "c-1";
  v.walk_up = true;
  v.approved_by = "chief";
  row('\0' + 5, "vehicle", EncodePerson(v));
  Pass pass;
  pass.code = "P-1";
  pass.person = "v-1";
  pass.valid_from = kAccessNow - kHour;
  pass.valid_until = kAccessNow + kHour;
  pass.gates = {"north", "south"};
  pass.hours = DailyHours{8 * 60, 18 * 60};
  pass.host = "host-1";
  pass.issued_by = "chief";
  pass.issued_at = kAccessNow - kHour;
  pass.revoked = true;
  pass.revoked_by = "chief";
  pass.revoked_reason = "lost";
  pass.revoked_at = kAccessNow;
  pass.extensions = 1;
  row('\1', "pass", EncodePass(pass));
  Visit visit;
  visit.id = 3;
  visit.person = "v-1";
  visit.pass_code = "P-1";
  visit.gate = "north";
  visit.post = "post-1";
  visit.guard_in = "guard-7";
  visit.arrived_at = kAccessNow - 600'000'000;
  visit.checked_in_at = kAccessNow;
  visit.waited = 600'000'000;
  visit.preregistered = true;
  visit.checked_out_at = kAccessNow + kHour;
  visit.checked_out_by = "guard-7";
  visit.exit_gate = "south";
  row('\2', "visit", EncodeVisit(visit));
  WatchlistEntry e;
  e.id = 1;
  e.name = "Ivan Petrov";
  e.reason = "theft";
  e.action = WatchAction::kAdmitWithSupervisor;
  e.added_by = "chief";
  e.added_at = kAccessNow;
  row('\3', "watchlist_entry", EncodeWatchlistEntry(e));
  row('\4', "arrival", EncodeArrival(Arrival{kAccessNow, "south"}));
  PendingWalkUp wu;
  wu.person = "v-4";
  wu.name = "Walt Waiting";
  wu.aliases = {"Walt"};
  wu.company = "Acme";
  wu.host = "host-1";
  wu.post = "post-1";
  wu.gate = "north";
  wu.requested_by = "guard-1";
  wu.requested_at = kAccessNow - 300'000'000;
  row('\6', "pending_walkup", EncodePendingWalkUp(wu));
}

// The patrol seeds name what the harnesses' site has (fuzz/patrol_world.h): routes north
// (gate-1, c1 c2 c3), yard (any order, c4 c5) and fence (yard, random); guards g-1 .. g-3;
// its rounds by id and status; its time.
using fuzz::PatrolWorld;

void PatrolRequestSeeds(SeedWriter& w) {
  auto add = [&](const char* name, const std::function<void(wire::PatrolRequest::Builder)>& f) {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::PatrolRequest>();
    r.setActor("sup-1");
    r.setCommandId(Id16("fedcba9876543210"));
    f(r);
    w.Write("patrol_request", name, Encode(b));
  };
  add("extend_deadline", [](auto r) {
    auto e = r.initExtendDeadline();
    e.setRound(PatrolWorld::kScheduledRound);
    e.setBy(10 * PatrolWorld::kMinute);
    e.setReason("called to the gate");
  });
  add("excuse_checkpoint", [](auto r) {
    auto e = r.initExcuseCheckpoint();
    e.setRound(PatrolWorld::kMissedRound);
    e.setCheckpoint("c3");
    e.setReason("ladder removed");
  });
  add("cancel_round", [](auto r) {
    auto c = r.initCancelRound();
    c.setRound(PatrolWorld::kInProgressRound);
    c.setReason("storm");
  });
  add("list_rounds", [](auto r) {
    auto q = r.initListRounds();
    q.setFrom(PatrolWorld::kDay0 - 24 * PatrolWorld::kHour);
    q.setTo(PatrolWorld::kNow + PatrolWorld::kHour);
    q.setPost("gate-1");
  });
  add("get_round", [](auto r) { r.setGetRound(PatrolWorld::kWithdrawnRound); });
  add("current_rounds", [](auto r) { r.setCurrentRounds("yard"); });
  add("get_completion", [](auto r) {
    auto q = r.initGetCompletion();
    q.setFrom(PatrolWorld::kDay0 - 24 * PatrolWorld::kHour);
    q.setTo(PatrolWorld::kNow);
    q.setByPost(true);
  });
}

void PatrolEventSeeds(SeedWriter& w) {
  constexpr int64_t kMinute = PatrolWorld::kMinute;
  auto envelope = [](wire::Event::Builder e, std::string_view type, const char* producer,
                     const char* guard, int64_t at) {
    Envelope(e, std::string(type).c_str(), producer, guard);
    e.setObservedAt(at);
    e.setRecordedAt(at + 1'000'000);
  };
  w.Write("patrol_event", "round_started", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kPatrolStart, "t-1", "g-1", PatrolWorld::kNow + kMinute);
            e.getBody().initAs<wire::PatrolStart>().setPost("gate-1");
          }));
  w.Write("patrol_event", "round_started_route", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kPatrolStart, "t-2", "g-4", PatrolWorld::kNow + kMinute);
            auto b = e.getBody().initAs<wire::PatrolStart>();
            b.setPost("yard");
            b.setRoute("fence");
            e.setPrevHash(capnp::Data::Reader(
                reinterpret_cast<const capnp::byte*>("0123456789abcdef0123456789abcdef"), 32));
          }));
  w.Write("patrol_event", "checkpoint_scanned", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kCheckpointScanned, "t-2", "g-3", PatrolWorld::kNow + kMinute);
            auto b = e.getBody().initAs<wire::CheckpointScanned>();
            b.setPost("yard");
            b.setTag("c5");  // the fence round's second checkpoint (its drawn order: c2 c5 c1)
          }));
  // Round 1's missed c3, observed before its deadline by an offline terminal.
  w.Write("patrol_event", "late_scan", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kCheckpointScanned, "t-1", "g-1",
                     PatrolWorld::kDay0 - 24 * PatrolWorld::kHour + 20 * PatrolWorld::kHour +
                         15 * kMinute);
            e.setRecordedAt(PatrolWorld::kNow);
            auto b = e.getBody().initAs<wire::CheckpointScanned>();
            b.setPost("gate-1");
            b.setTag("c3");
          }));
  w.Write("patrol_event", "round_ended", EventFrame([&](wire::Event::Builder e) {
            envelope(e, event_names::kPatrolEnd, "t-2", "g-3", PatrolWorld::kNow + kMinute);
            e.getBody().initAs<wire::PatrolEnd>().setPost("yard");
          }));
}

void PatrolRecordSeeds(SeedWriter& w) {
  using namespace patrol;
  // Row kind: the first byte mod 9 (patrol_record_fuzz.cc).
  auto row = [&](char kind, const char* name, const std::string& bytes) {
    w.Write("patrol_record", name, std::string(1, kind) + bytes);
  };
  const int64_t due = PatrolWorld::kDay0;
  const int64_t m = PatrolWorld::kMinute;
  Round r;
  r.id = PatrolWorld::kWithdrawnRound;
  r.route = "north";
  r.post = "gate-1";
  r.schedule = "night";
  r.assigned = "g-1";
  r.due = due;
  r.status = RoundStatus::kCompleted;
  r.guard = "g-1";
  r.started_at = due;
  r.ended_at = due + 21 * m;
  r.late_reported = true;
  r.extension = 10 * m;
  r.checkpoints = {{"c1", CheckpointState::kOnTime, due + 3 * m, 0, false},
                   {"c2", CheckpointState::kExcused, 0, due + 18 * m, false},
                   {"c3", CheckpointState::kOnTime, due + 9 * m, due + 21 * m, true}};
  row('\0', "round", EncodeRound(r));
  TerminalClock c{"t-1", "gate-1", due, 90'000'000, 3, -2'000'000, 1'000'000, due - 60 * m};
  row('\1', "terminal_clock", EncodeTerminalClock(c));
  Occurrence o{{2026, 6, 9}, 1440 + 120, due};  // Tuesday's window, 02:00 CEST Wednesday
  row('\2', "schedule_state", EncodeScheduleState(ScheduleState{"night", o, o.due - 15 * m, due}));
  row('\3', "occurrence", EncodeOccurrence(o));
  row('\4', "rounds_by_time_key", keys::RoundTimeKey(due, 3));
  row('\5', "open_rounds_key", keys::OpenRoundKey("gate-1", "north", due, 8));
  row('\6', "guard_rounds_key", keys::GuardRoundKey("gate-1", "g-1", due, 3));
  row('\7', "schedule_timer_id", keys::ScheduleTimerId("night"));
  // 16 mod 9 is 7 too: a round's timer id.
  row('\x10', "round_timer_id", keys::RoundTimerId(keys::RoundTimer::kLeg, 7));
  row('\x08', "counter", keys::U64(9));
}

// The scoring seeds name what the harnesses' site has (fuzz/scoring_world.h): squads north
// (gate-1, gate-2) and south (dock), post yard; guards g-1 .. g-4; its entries by id, its
// awards; its time.
using fuzz::ScoringWorld;

void ScoringRequestSeeds(SeedWriter& w) {
  auto add = [&](const char* name, const std::function<void(wire::ScoringRequest::Builder)>& f) {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::ScoringRequest>();
    r.setActor(ScoringWorld::kSupervisor);
    r.setCommandId(Id16("fedcba9876543210"));
    f(r);
    w.Write("scoring_request", name, Encode(b));
  };
  add("inspect", [](auto r) {
    auto i = r.initInspect();
    i.setPost("gate-2");
    i.setGuard("g-3");
    auto f = i.initFindings(2);
    f[0].setCategory("badge");
    f[0].setPassed(true);
    f[1].setCategory("tidy");
    f[1].setNote("cups on the desk");
  });
  add("commend", [](auto r) {
    auto c = r.initCommend();
    c.setPost("dock");
    c.setGuard("g-2");
    c.setReason("stopped a tailgater");
  });
  add("void_entry", [](auto r) {
    auto v = r.initVoidEntry();
    v.setEntry(ScoringWorld::kLastEntry);
    v.setReason("the round was a drill");
  });
  add("void_voided", [](auto r) {  // the core refuses: voided already
    auto v = r.initVoidEntry();
    v.setEntry(ScoringWorld::kWithdrawnEntry);
    v.setReason("again");
  });
  add("leaderboard", [](auto r) {
    auto q = r.initLeaderboard();
    q.setPeriod(wire::PeriodKind::DAY);
    q.setSubjects(wire::SubjectKind::POST);
  });
  add("leaderboard_week", [](auto r) {
    auto q = r.initLeaderboard();
    q.setPeriod(wire::PeriodKind::WEEK);
    q.setAt(ScoringWorld::kMonday + 3 * ScoringWorld::kDay);
    q.setSubjects(wire::SubjectKind::GUARD);
    q.setLimit(3);
  });
  add("explain", [](auto r) {
    auto q = r.initExplain();
    q.setSubjectKind(wire::SubjectKind::GUARD);
    q.setSubject("g-1");
    q.setPeriod(wire::PeriodKind::WEEK);
    q.setAt(ScoringWorld::kMonday + ScoringWorld::kDay);
  });
  add("get_entry", [](auto r) { r.setGetEntry(ScoringWorld::kWithdrawnEntry); });
  add("awards", [](auto r) { r.initAwards().setPeriod(wire::PeriodKind::DAY); });
}

void ScoringEventSeeds(SeedWriter& w) {
  constexpr int64_t kMinute = ScoringWorld::kMinute;
  auto envelope = [](wire::Event::Builder e, std::string_view type, const char* producer,
                     const char* actor) {
    Envelope(e, std::string(type).c_str(), producer, actor);
    e.setObservedAt(ScoringWorld::kNow + kMinute);
    e.setRecordedAt(ScoringWorld::kNow + kMinute + 1'000'000);
    e.setSeq(1000);
  };
  auto add = [&](const char* name, const std::function<void(wire::Event::Builder)>& f) {
    w.Write("scoring_event", name, EventFrame(f));
  };
  // A new miss of gate-1's round 7: entry 20.
  add("checkpoint_missed", [&](wire::Event::Builder e) {
    envelope(e, event_names::kCheckpointMissed, "patrol", "");
    auto b = e.getBody().initAs<wire::CheckpointMissed>();
    b.setPost("gate-1");
    b.setRoute("north");
    b.setRound(7);
    b.setCheckpoint("c2");
    b.setGuard("g-1");
    b.setDeadline(ScoringWorld::kNow);
  });
  // Round 1's missed c3 (entry 3) scanned late on time: a new entry, entry 3 reversed.
  add("missed_withdrawn", [&](wire::Event::Builder e) {
    envelope(e, event_names::kMissedWithdrawn, "patrol", "");
    auto b = e.getBody().initAs<wire::MissedReviewed>();
    b.setPost("gate-1");
    b.setRoute("north");
    b.setRound(1);
    b.setCheckpoint("c3");
    b.setGuard("g-1");
    b.setOnTime(true);
  });
  add("checkpoint_excused", [&](wire::Event::Builder e) {
    envelope(e, event_names::kCheckpointExcused, "patrol", "sup-1");
    auto b = e.getBody().initAs<wire::CheckpointExcused>();
    b.setRound(1);
    b.setRoute("north");
    b.setPost("gate-1");
    b.setCheckpoint("c3");
    b.setReason("ladder removed");
    b.setGuard("g-1");
  });
  // Round 1's c1 again: it earned already (once).
  add("accepted_replay", [&](wire::Event::Builder e) {
    envelope(e, event_names::kCheckpointAccepted, "patrol", "");
    auto b = e.getBody().initAs<wire::CheckpointAccepted>();
    b.setRound(1);
    b.setRoute("north");
    b.setPost("gate-1");
    b.setGuard("g-1");
    b.setCheckpoint("c1");
    b.setPosition(1);
    b.setOnTime(true);
  });
  add("round_not_started", [&](wire::Event::Builder e) {
    envelope(e, event_names::kRoundNotStarted, "patrol", "");
    auto b = e.getBody().initAs<wire::RoundNotStarted>();
    b.setPost("dock");
    b.setRoute("dockside");
    b.setRound(8);
    b.setGuard("g-2");
  });
  add("incident_acknowledged", [&](wire::Event::Builder e) {
    envelope(e, event_names::kIncidentAcknowledged, "escalation", "g-2");
    auto b = e.getBody().initAs<wire::IncidentAcknowledged>();
    b.setIncident(3);
    b.setVersion(2);
    b.setLevel(1);
    b.setResponseTime(20'000'000);
  });
  add("finding_recorded", [&](wire::Event::Builder e) {
    envelope(e, event_names::kFindingRecorded, ScoringWorld::kProducer, "sup-1");
    auto b = e.getBody().initAs<wire::FindingRecorded>();
    b.setInspection(2);
    b.setPost("yard");
    b.setGuard("g-2");
    b.setCategory("badge");
    b.setPassed(true);
  });
  add("commendation_recorded", [&](wire::Event::Builder e) {
    envelope(e, event_names::kCommendationRecorded, ScoringWorld::kProducer, "sup-1");
    auto b = e.getBody().initAs<wire::CommendationRecorded>();
    b.setCommendation(2);
    b.setPost("gate-2");
    b.setGuard("g-3");
    b.setReason("first aid at the gate");
  });
  // The service's own void of entry 19 back from the bus (a state rebuilt from it).
  add("entry_voided", [&](wire::Event::Builder e) {
    envelope(e, event_names::kEntryVoided, ScoringWorld::kProducer, "sup-1");
    auto b = e.getBody().initAs<wire::LedgerEntry>();
    b.setEntry(ScoringWorld::kLastEntry);
    b.setSeq(60);
    b.setEvent(std::string(event_names::kRoundCompleted));
    b.setRule("round_completed");
    b.setLabel("Round 6 completed");
    b.setPoints(10);
    b.setGuard("g-4");
    b.setPost("gate-1");
    b.setSquad("north");
    b.setAt(ScoringWorld::kDay0 + 10 * ScoringWorld::kHour);
    b.setVoided(true);
    b.setVoidReason("the round was a drill");
    b.setVoidedBy("sup-1");
    b.setVoidedAt(ScoringWorld::kNow);
  });
  // A verdict from a producer that does not own patrol.*: the service ignores it.
  add("forged_verdict", [&](wire::Event::Builder e) {
    envelope(e, event_names::kCheckpointMissed, "gate-1-terminal", "g-9");
    auto b = e.getBody().initAs<wire::CheckpointMissed>();
    b.setPost("gate-2");
    b.setRound(9);
    b.setCheckpoint("c4");
    b.setGuard("g-3");
  });
  // A type no rule scores (its fact is still read).
  add("panic_pressed", [&](wire::Event::Builder e) {
    envelope(e, event_names::kPanicPressed, "gate-1-terminal", "g-1");
    e.getBody().initAs<wire::PanicPressed>().setPost("gate-1");
  });
}

void ScoringRecordSeeds(SeedWriter& w) {
  using namespace scoring;
  // Row kind: the first byte mod 6 (scoring_record_fuzz.cc).
  auto row = [&](char kind, const char* name, const std::string& bytes) {
    w.Write("scoring_record", name, std::string(1, kind) + bytes);
  };
  const int64_t t = ScoringWorld::kMonday + ScoringWorld::kDay + 6 * ScoringWorld::kHour;
  Entry e;
  e.id = ScoringWorld::kWithdrawnEntry;
  e.seq = 9;
  e.event = "patrol.checkpoint_missed";
  e.rule = "checkpoint_missed";
  e.label = "Checkpoint c4 missed";
  e.points = -5;
  e.guard = "g-3";
  e.post = "gate-2";
  e.squad = "north";
  e.at = t;
  row('\0', "entry", keys::EncodeEntry(e));
  e.voided = true;
  e.void_reason = "reversed by missed_withdrawn";
  e.voided_by = "rule:missed_withdrawn";
  e.void_seq = 10;
  e.voided_at = t + 3 * ScoringWorld::kHour;
  row('\6', "entry_voided", keys::EncodeEntry(e));  // 6 mod 6 is 0 too
  const Totals totals{8, 13, -5, 4};
  row('\1', "totals", keys::EncodeTotals(totals));
  AwardGranted a;
  a.period =
      Period{PeriodKind::kWeek, ScoringWorld::kMonday - 2 * ScoringWorld::kHour,
             ScoringWorld::kMonday + 7 * ScoringWorld::kDay - 2 * ScoringWorld::kHour, "2026-W23"};
  a.post = "dock";
  a.totals = Totals{13, 13, 0, 3};
  a.previous = "gate-1";
  row('\2', "award", keys::EncodeAward(a));
  row('\3', "counter", keys::EncodeCounter(ScoringWorld::kNextEntry));
  row('\4', "time", keys::EncodeTime(a.period.start));
  row('\5', "subject_entries_key",
      keys::SubjectEntryKey(SubjectKind::kGuard, "g-3", t, ScoringWorld::kWithdrawnEntry));
}

// Whether `harness`'s decoder accepts `bytes` (the harnesses' first step, no invariants).
bool Accepts(const std::string& harness, const std::string& bytes, std::string& error) {
  const std::string source = "/nonexistent/fuzz/site.toml";
  auto frame = [&](auto read) {
    auto msg = DecodedMessage::Decode(bytes, &error);
    return msg && read(*msg);
  };
  if (harness == "bus_frame")
    return frame([&](DecodedMessage& m) {
      return ReadSafely<wire::BusRequest>(
                 m, [](auto) {}, &error) ||
             ReadSafely<wire::BusReply>(
                 m, [](auto) {}, &error);
    });
  if (harness == "escalation_event" || harness == "notify_alert")
    return frame([&](DecodedMessage& m) {
      return ReadSafely<wire::Event>(
          m, [](wire::Event::Reader e) { (void)escalation::ToRecordedEvent(e); }, &error);
    });
  if (harness == "escalation_request")
    return frame([&](DecodedMessage& m) {
      bool ok = false;
      ReadSafely<wire::EscalationRequest>(
          m,
          [&](wire::EscalationRequest::Reader r) {
            wire::EscalationError code;
            std::string message;
            ok = escalation::ToCommand(r, &code, &message).has_value();
          },
          &error);
      return ok;
    });
  if (harness == "escalation_reply") return escalation::DecodeReply(bytes, &error).has_value();
  if (harness == "bus_status")  // a nack is a reply it reads too
    return ParseStatusReply(bytes, &error).has_value() ||
           error.starts_with("the bus refused the status request");
  if (harness == "incident_record")
    return !bytes.empty() &&
           (bytes[0] % 2 == 0 ? escalation::DecodeIncident(bytes.substr(1)).has_value()
                              : escalation::DecodeHistoryEntry(bytes.substr(1)).has_value());
  if (harness == "delivery_record") return notify::DecodeDelivery(bytes).has_value();
  if (harness == "event_json") {
    capnp::MallocMessageBuilder b;
    return EventFromJsonText(bytes, b.initRoot<wire::Event>(), &error);
  }
  if (harness == "site_config") return ParseSiteConfig(bytes, source, &error).has_value();
  if (harness == "escalation_config")
    return escalation::ParseEscalationConfig(bytes, source, &error).has_value();
  if (harness == "notify_config")
    return notify::ParseNotifyConfig(bytes, source, &error).has_value();
  if (harness == "access_request")
    return frame([&](DecodedMessage& m) {
      bool ok = false;
      ReadSafely<wire::AccessRequest>(
          m,
          [&](wire::AccessRequest::Reader r) {
            wire::AccessError code;
            ok = access::ToCommand(r, &code, &error).has_value();
          },
          &error);
      return ok;
    });
  if (harness == "access_event")  // the body as the fact its type names
    return frame([&](DecodedMessage& m) {
      bool ok = false;
      ReadSafely<wire::Event>(
          m,
          [&](wire::Event::Reader e) {
            const access::AccessConfig config;
            std::string_view type(e.getType().cStr(), e.getType().size());
            if (type == event_names::kPassScanned)
              ok = access::ToPassScanned(config, e, e.getBody().getAs<wire::PassScanned>(), &error)
                       .has_value();
            else if (type == event_names::kManualEntry)
              ok = access::ToManualEntry(config, e, e.getBody().getAs<wire::ManualEntry>(), &error)
                       .has_value();
            else if (type == event_names::kVisitorArrival)
              ok = access::ToVisitorArrival(config, e, e.getBody().getAs<wire::VisitorArrival>(),
                                            &error)
                       .has_value();
            else
              error = "not a terminal fact picket-access takes: " + std::string(type);
          },
          &error);
      return ok;
    });
  if (harness == "access_record") {
    if (bytes.empty()) return false;
    std::string_view row = std::string_view(bytes).substr(1);
    switch (static_cast<uint8_t>(bytes[0]) % 7) {
      case 0:
      case 5:
        return access::DecodePerson(row).has_value();
      case 1:
        return access::DecodePass(row).has_value();
      case 2:
        return access::DecodeVisit(row).has_value();
      case 3:
        return access::DecodeWatchlistEntry(row).has_value();
      case 4:
        return access::DecodeArrival(row).has_value();
      default:
        return access::DecodePendingWalkUp(row).has_value();
    }
  }
  if (harness == "access_config")
    return access::ParseAccessConfig(bytes, source, &error).has_value();
  if (harness == "patrol_request")
    return frame([&](DecodedMessage& m) {
      bool ok = false;
      ReadSafely<wire::PatrolRequest>(
          m,
          [&](wire::PatrolRequest::Reader r) {
            wire::PatrolError code;
            ok = patrol::ToCommand(r, &code, &error).has_value();
          },
          &error);
      return ok;
    });
  if (harness == "patrol_event")  // the body as the fact its type names
    return frame([&](DecodedMessage& m) {
      bool ok = false;
      ReadSafely<wire::Event>(
          m,
          [&](wire::Event::Reader e) {
            std::string_view type(e.getType().cStr(), e.getType().size());
            if (type == event_names::kPatrolStart)
              ok = patrol::ToRoundStart(e, e.getBody().getAs<wire::PatrolStart>(), &error)
                       .has_value();
            else if (type == event_names::kCheckpointScanned)
              ok = patrol::ToCheckpointScan(e, e.getBody().getAs<wire::CheckpointScanned>(), &error)
                       .has_value();
            else if (type == event_names::kPatrolEnd)
              ok = patrol::ToRoundEnd(e, e.getBody().getAs<wire::PatrolEnd>(), &error).has_value();
            else
              error = "not a terminal fact picket-patrol takes: " + std::string(type);
          },
          &error);
      return ok;
    });
  if (harness == "patrol_record") {
    if (bytes.empty()) return false;
    namespace keys = patrol::keys;
    std::string_view row = std::string_view(bytes).substr(1);
    switch (static_cast<uint8_t>(bytes[0]) % 9) {
      case 0:
        return patrol::DecodeRound(row).has_value();
      case 1:
        return patrol::DecodeTerminalClock(row).has_value();
      case 2:
        return patrol::DecodeScheduleState(row).has_value();
      case 3:
        return patrol::DecodeOccurrence(row).has_value();
      case 4:
        return keys::DecodeRoundTimeKey(row).has_value();
      case 5:
        return keys::DecodeOpenRoundKey(row).has_value();
      case 6:
        return keys::DecodeGuardRoundKey(row).has_value();
      case 7:
        return keys::DecodeScheduleTimerId(row).has_value() ||
               keys::DecodeRoundTimerId(row).has_value();
      default:
        return keys::DecodeU64(row).has_value();
    }
  }
  if (harness == "patrol_config")
    return patrol::ParsePatrolConfig(bytes, source, &error).has_value();
  if (harness == "scoring_request")
    return frame([&](DecodedMessage& m) {
      bool ok = false;
      ReadSafely<wire::ScoringRequest>(
          m,
          [&](wire::ScoringRequest::Reader r) {
            wire::ScoringError code;
            ok = scoring::ToCommand(r, &code, &error).has_value();
          },
          &error);
      return ok;
    });
  if (harness == "scoring_event")  // any recorded event reads as a fact
    return frame([&](DecodedMessage& m) {
      bool ok = false;
      ReadSafely<wire::Event>(
          m, [&](wire::Event::Reader e) { ok = scoring::ToFact(e, &error).has_value(); }, &error);
      return ok;
    });
  if (harness == "scoring_record") {
    if (bytes.empty()) return false;
    namespace keys = scoring::keys;
    std::string_view row = std::string_view(bytes).substr(1);
    switch (static_cast<uint8_t>(bytes[0]) % 6) {
      case 0:
        return keys::DecodeEntry(row).has_value();
      case 1:
        return keys::DecodeTotals(row).has_value();
      case 2:
        return keys::DecodeAward(row).has_value();
      case 3:
        return keys::DecodeCounter(row).has_value();
      case 4:
        return keys::DecodeTime(row).has_value();
      default:
        return keys::EntryIdOfSubjectKey(row).has_value();
    }
  }
  if (harness == "scoring_config")
    return scoring::ParseScoringConfig(bytes, source, &error).has_value();
  std::fprintf(stderr, "fuzz_seeds: no check for %s\n", harness.c_str());
  return false;
}

int Check(const fs::path& root) {
  int refused = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(dir.path())) {
      if (file.path().filename().string().starts_with("README")) continue;
      std::ifstream in(file.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::string error;
      bool ok = Accepts(dir.path().filename().string(), bytes, error);
      if (!ok) ++refused;
      std::printf("%-8s %s\n", ok ? "accepted" : "REFUSED", file.path().c_str());
      if (!ok) std::printf("  %s\n", error.c_str());
    }
  }
  return refused == 0 ? 0 : 1;
}

}  // namespace
}  // namespace picket

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--check") return picket::Check(argv[2]);
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds OUT_DIR | fuzz_seeds --check DIR\n");
    return 2;
  }
  picket::SeedWriter w(argv[1]);
  picket::BusFrameSeeds(w);
  picket::EventSeeds(w, "escalation_event");
  picket::RequestSeeds(w);
  picket::ReplySeeds(w);
  picket::BusStatusSeeds(w);
  picket::IncidentRecordSeeds(w);
  picket::DeliveryRecordSeeds(w);
  picket::EventSeeds(w, "notify_alert");
  picket::AccessRequestSeeds(w);
  picket::AccessEventSeeds(w);
  picket::AccessRecordSeeds(w);
  picket::PatrolRequestSeeds(w);
  picket::PatrolEventSeeds(w);
  picket::PatrolRecordSeeds(w);
  picket::ScoringRequestSeeds(w);
  picket::ScoringEventSeeds(w);
  picket::ScoringRecordSeeds(w);
  return 0;
}
