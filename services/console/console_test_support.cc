#include "console/console_test_support.h"

#include <capnp/message.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "console/core/password.h"
#include "picket/schemas/access.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "wire/codec.h"

namespace picket::console::test {

ScriptedRouter::ScriptedRouter(std::function<std::string(const std::string&)> answer)
    : answer_(std::move(answer)), socket_(context_, zmq::socket_type::router) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("tcp://127.0.0.1:*");
  endpoint_ = socket_.get(zmq::sockopt::last_endpoint);
  thread_ = std::thread([this] { Run(); });
}

ScriptedRouter::~ScriptedRouter() {
  stop_ = true;
  thread_.join();
}

void ScriptedRouter::Run() {
  while (!stop_) {
    zmq::pollitem_t item{static_cast<void*>(socket_), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(20));
    if (!(item.revents & ZMQ_POLLIN)) continue;
    std::vector<zmq::message_t> frames;
    do {
      zmq::message_t m;
      (void)socket_.recv(m);
      frames.push_back(std::move(m));
    } while (socket_.get(zmq::sockopt::rcvmore));
    std::string out = answer_(frames.back().to_string());
    for (size_t i = 0; i + 1 < frames.size(); ++i)
      socket_.send(frames[i], zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(out), zmq::send_flags::none);
  }
}

FakeEscalation::FakeEscalation()
    : reply_([](const ReceivedRequest& r, wire::EscalationReply::Builder b) {
        b.setIncident(r.incident);
        b.setVersion(7);
        if (r.kind == "getIncident") {
          auto d = b.initDetail();
          auto steps = d.initProcedure(2);
          steps[0].setStep("secure_gate");
          steps[0].setText("Close the gate");
          steps[0].setMandatory(true);
          steps[0].setPhrase("Stop. Security.");
          steps[1].setStep("log");
          steps[1].setText("Write it down");
        }
        if (r.kind == "listIncidents") {
          constexpr Micros kMinute = 60 * kMicrosPerSecond;
          auto list = b.initIncidents(2);
          list[0].setIncident(3);
          list[0].setIncidentType("intrusion");
          list[0].setState(wire::IncidentState::RESOLVED);
          list[0].setPost(r.step);
          list[0].setFirstOpenedAt(picket::testing::kTestTime - 30 * kMinute);
          list[0].setOpenedAt(picket::testing::kTestTime - 30 * kMinute);
          list[0].setAcknowledgedBy("otto");
          list[0].setResolvedBy("chief");
          list[1].setIncident(5);
          list[1].setIncidentType("panic");
          list[1].setState(wire::IncidentState::ACKNOWLEDGED);
          list[1].setPost(r.step);
          list[1].setFirstOpenedAt(picket::testing::kTestTime - 10 * kMinute);
          list[1].setOpenedAt(picket::testing::kTestTime - 10 * kMinute);
          list[1].setAcknowledgedBy("otto");
        }
      }),
      router_([this](const std::string& frame) { return Answer(frame); }) {}

void FakeEscalation::SetReply(ReplyFn fn) {
  std::lock_guard lock(mu_);
  reply_ = std::move(fn);
}

std::vector<ReceivedRequest> FakeEscalation::Received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::string FakeEscalation::Answer(const std::string& body) {
  std::string error;
  auto msg = DecodedMessage::Decode(body, &error);
  ReceivedRequest r;
  if (msg) {
    auto q = msg->Root<wire::EscalationRequest>();
    r.actor = q.getActor().cStr();
    r.command_id_bytes = q.getCommandId().size();
    switch (q.which()) {
      case wire::EscalationRequest::ACKNOWLEDGE:
        r.kind = "acknowledge";
        r.incident = q.getAcknowledge().getIncident();
        break;
      case wire::EscalationRequest::ADD_NOTE:
        r.kind = "note";
        r.incident = q.getAddNote().getIncident();
        r.text = q.getAddNote().getText().cStr();
        break;
      case wire::EscalationRequest::MARK_STEP_DONE:
        r.kind = "step";
        r.incident = q.getMarkStepDone().getIncident();
        r.step = q.getMarkStepDone().getStep().cStr();
        break;
      case wire::EscalationRequest::RESOLVE:
        r.kind = "resolve";
        r.incident = q.getResolve().getIncident();
        r.override_reason = q.getResolve().getOverrideReason().cStr();
        break;
      case wire::EscalationRequest::GET_INCIDENT:
        r.kind = "getIncident";
        r.incident = q.getGetIncident().getIncident();
        break;
      case wire::EscalationRequest::LIST_INCIDENTS:
        r.kind = "listIncidents";
        r.text = std::to_string(q.getListIncidents().getFrom()) + "/" +
                 std::to_string(q.getListIncidents().getTo());
        r.step = q.getListIncidents().getPost().cStr();
        break;
      default:
        r.kind = "other";
    }
  }
  capnp::MallocMessageBuilder reply;
  std::lock_guard lock(mu_);
  received_.push_back(r);
  reply_(r, reply.initRoot<wire::EscalationReply>());
  return Encode(reply);
}

FakeAccess::FakeAccess()
    : router_([this](const std::string& frame) {
        if (auto walkup = WalkUpAnswer(frame)) return *walkup;
        if (auto visits = VisitsAnswer(frame)) return *visits;
        capnp::MallocMessageBuilder reply;
        auto r = reply.initRoot<wire::AccessReply>();
        if (unavailable_) {
          r.setError(wire::AccessError::UNAVAILABLE);
          return Encode(reply);
        }
        auto list = r.initOnSite(2);
        list[0].setName("Ann Li");
        list[0].getVisit().setPerson("ann");
        list[0].getVisit().setKind(wire::PassKind::STAFF);
        list[0].getVisit().setGate("g1");
        list[0].getVisit().setCheckedInAt(picket::testing::kTestTime);
        list[1].setName("V. Isitor");
        list[1].getVisit().setPerson("visitor-7");
        list[1].getVisit().setKind(wire::PassKind::VISITOR);
        list[1].getVisit().setManual(true);
        return Encode(reply);
      }) {}

std::vector<std::pair<Micros, Micros>> FakeAccess::VisitRanges() {
  std::lock_guard lock(visits_mu_);
  return visit_ranges_;
}

std::optional<std::string> FakeAccess::VisitsAnswer(const std::string& frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) return std::nullopt;
  auto q = msg->Root<wire::AccessRequest>();
  if (q.isGetPerson()) {
    capnp::MallocMessageBuilder reply;
    auto r = reply.initRoot<wire::AccessReply>();
    const std::string person = q.getGetPerson().cStr();
    if (unavailable_) {
      r.setError(wire::AccessError::UNAVAILABLE);
    } else if (person == "vis-1") {
      auto p = r.initPerson();
      p.setPerson(person);
      p.setName("Vera Isitor");
      p.setCompany("Acme");
      p.setKind(wire::PassKind::VISITOR);
    } else if (person == "con-2") {
      auto p = r.initPerson();
      p.setPerson(person);
      p.setName("Carl Ontractor");
      p.setKind(wire::PassKind::CONTRACTOR);
    } else {
      r.setError(wire::AccessError::UNKNOWN_PERSON);
    }
    return Encode(reply);
  }
  if (!q.isListVisits()) return std::nullopt;
  {
    std::lock_guard lock(visits_mu_);
    visit_ranges_.emplace_back(q.getListVisits().getFrom(), q.getListVisits().getTo());
  }
  capnp::MallocMessageBuilder reply;
  auto r = reply.initRoot<wire::AccessReply>();
  if (unavailable_) {
    r.setError(wire::AccessError::UNAVAILABLE);
    return Encode(reply);
  }
  constexpr Micros kMinute = 60 * kMicrosPerSecond;
  auto list = r.initVisits(3);
  list[0].setVisit(11);
  list[0].setPerson("vis-1");
  list[0].setKind(wire::PassKind::VISITOR);
  list[0].setGate("g1");
  list[0].setPost("gate-1");
  list[0].setGuardIn("rita");
  list[0].setCheckedInAt(picket::testing::kTestTime - 20 * kMinute);
  list[0].setCheckedOutAt(picket::testing::kTestTime - 5 * kMinute);
  list[1].setVisit(12);
  list[1].setPerson("vis-3");
  list[1].setKind(wire::PassKind::VISITOR);
  list[1].setGate("g9");
  list[1].setPost("gate-2");
  list[1].setGuardIn("bob");
  list[1].setCheckedInAt(picket::testing::kTestTime - 15 * kMinute);
  list[2].setVisit(13);
  list[2].setPerson("con-2");
  list[2].setKind(wire::PassKind::CONTRACTOR);
  list[2].setGate("g1");
  list[2].setPost("gate-1");
  list[2].setGuardIn("rita");
  list[2].setCheckedInAt(picket::testing::kTestTime - 10 * kMinute);
  return Encode(reply);
}

std::vector<ReceivedRequest> FakeAccess::WalkUpRequests() {
  std::lock_guard lock(mu_);
  return walkups_;
}

std::optional<std::string> FakeAccess::WalkUpAnswer(const std::string& frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) return std::nullopt;
  auto q = msg->Root<wire::AccessRequest>();
  ReceivedRequest got;
  got.actor = q.getActor().cStr();
  got.command_id_bytes = q.getCommandId().size();
  switch (q.which()) {
    case wire::AccessRequest::LIST_PENDING_WALK_UPS:
      got.kind = "listPendingWalkUps";
      break;
    case wire::AccessRequest::APPROVE_WALK_UP:
      got.kind = "approveWalkUp";
      got.text = q.getApproveWalkUp().getPerson().cStr();
      got.step = q.getApproveWalkUp().getBy().cStr();
      break;
    case wire::AccessRequest::DENY_WALK_UP:
      got.kind = "denyWalkUp";
      got.text = q.getDenyWalkUp().getPerson().cStr();
      got.step = q.getDenyWalkUp().getBy().cStr();
      got.override_reason = q.getDenyWalkUp().getReason().cStr();
      break;
    default:
      return std::nullopt;
  }
  capnp::MallocMessageBuilder reply;
  auto r = reply.initRoot<wire::AccessReply>();
  std::lock_guard lock(mu_);
  walkups_.push_back(got);
  if (unavailable_) {
    r.setError(wire::AccessError::UNAVAILABLE);
    return Encode(reply);
  }
  if (got.kind == "listPendingWalkUps") {
    auto list = r.initPendingWalkUps(static_cast<unsigned>(queue_.size()));
    for (unsigned i = 0; i < queue_.size(); ++i) {
      const bool walt = queue_[i] == "w-1";
      list[i].setPerson(queue_[i]);
      list[i].setName(walt ? "Walt Walker" : "Wanda");
      list[i].setCompany(walt ? "Acme" : "");
      list[i].setHost("host-1");
      list[i].setGate(walt ? "north" : "");
      list[i].setPost(walt ? "gate-1" : "");
      list[i].setRequestedBy("guard-7");
      list[i].setRequestedAt(picket::testing::kTestTime + (walt ? 0 : 60 * kMicrosPerSecond));
    }
    return Encode(reply);
  }
  if (walkup_error_ != 0) {
    r.setError(static_cast<wire::AccessError>(walkup_error_.load()));
    r.setMessage("scripted refusal");
    return Encode(reply);
  }
  auto it = std::find(queue_.begin(), queue_.end(), got.text);
  if (it == queue_.end()) {
    r.setError(wire::AccessError::NOT_PENDING);
    r.setMessage("no walk-up request is waiting for '" + got.text + "'");
    return Encode(reply);
  }
  queue_.erase(it);
  return Encode(reply);
}

FakeScoring::FakeScoring() : router_([this](const std::string& frame) { return Answer(frame); }) {}

std::vector<ReceivedRequest> FakeScoring::Received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::string FakeScoring::Answer(const std::string& frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  ReceivedRequest got;
  capnp::MallocMessageBuilder reply;
  auto r = reply.initRoot<wire::ScoringReply>();
  if (msg) {
    auto q = msg->Root<wire::ScoringRequest>();
    got.actor = q.getActor().cStr();
    got.command_id_bytes = q.getCommandId().size();
    switch (q.which()) {
      case wire::ScoringRequest::LEADERBOARD: {
        got.kind = "leaderboard";
        got.text = std::to_string(static_cast<int>(q.getLeaderboard().getPeriod())) + "/" +
                   std::to_string(static_cast<int>(q.getLeaderboard().getSubjects()));
        const Micros at = q.getLeaderboard().getAt();
        auto st = r.initStandings(2);
        st[0].setRank(1);
        st[0].setSubject("ann");
        st[0].initTotals().setPoints(12);
        st[1].setRank(2);
        st[1].setSubject("bob");
        st[1].initTotals().setPoints(-3);
        if (at == 0) {
          r.initPeriod().setLabel("2025-11-24");
          break;
        }
        // A time given: the hour holding it is the period, and ann's points are its hour of
        // the day, so that a test can tell the periods apart.
        got.text += "@" + std::to_string(at);
        constexpr Micros kHour = 3600 * kMicrosPerSecond;
        auto period = r.initPeriod();
        period.setStart(at / kHour * kHour);
        period.setEnd(at / kHour * kHour + kHour);
        period.setLabel("h" + std::to_string(at / kHour % 24));
        st[0].getTotals().setPoints(at / kHour % 24);
        break;
      }
      case wire::ScoringRequest::EXPLAIN: {
        got.kind = "explain";
        got.text = q.getExplain().getSubject().cStr();
        auto e = r.initEntries(1);
        e[0].setEntry(41);
        e[0].setLabel("round completed on time");
        e[0].setPoints(5);
        e[0].setGuard("ann");
        e[0].setAt(picket::testing::kTestTime - 60 * kMicrosPerSecond);
        r.initTotals().setPoints(5);
        auto period = r.initPeriod();
        period.setStart(picket::testing::kTestTime - 3600 * kMicrosPerSecond);
        period.setEnd(picket::testing::kTestTime + 3600 * kMicrosPerSecond);
        period.setLabel("2025-11-24 14:00");
        break;
      }
      case wire::ScoringRequest::AWARDS:
        got.kind = "awards";
        r.initAwards(1)[0].setPost("gate-1");
        break;
      case wire::ScoringRequest::VOID_ENTRY:
        got.kind = "void";
        got.incident = q.getVoidEntry().getEntry();
        got.text = q.getVoidEntry().getReason().cStr();
        break;
      case wire::ScoringRequest::COMMEND:
        got.kind = "commend";
        got.text = q.getCommend().getReason().cStr();
        r.setId(41);
        break;
      case wire::ScoringRequest::INSPECT:
        got.kind = "inspect";
        got.text = std::to_string(q.getInspect().getFindings().size());
        r.setId(41);
        break;
      default:
        got.kind = "other";
    }
  }
  if (error_ != 0) {
    capnp::MallocMessageBuilder refusal;
    auto e = refusal.initRoot<wire::ScoringReply>();
    e.setError(static_cast<wire::ScoringError>(error_.load()));
    e.setMessage("refused");
    std::lock_guard lock(mu_);
    received_.push_back(got);
    return Encode(refusal);
  }
  std::lock_guard lock(mu_);
  received_.push_back(got);
  return Encode(reply);
}

FakePatrol::FakePatrol() : router_([this](const std::string& frame) { return Answer(frame); }) {}

std::vector<ReceivedRequest> FakePatrol::Received() {
  std::lock_guard lock(mu_);
  return received_;
}

std::string FakePatrol::Answer(const std::string& frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  ReceivedRequest got;
  if (msg) {
    auto q = msg->Root<wire::PatrolRequest>();
    if (q.isListRounds()) {
      got.kind = "listRounds";
      got.incident = static_cast<uint64_t>(q.getListRounds().getFrom());
      got.text = std::to_string(q.getListRounds().getTo());
      got.step = q.getListRounds().getPost().cStr();
    } else if (q.isCurrentRounds()) {
      got.kind = "currentRounds";
      got.step = q.getCurrentRounds().cStr();
    }
  }
  {
    std::lock_guard lock(mu_);
    received_.push_back(got);
  }
  capnp::MallocMessageBuilder reply;
  auto r = reply.initRoot<wire::PatrolReply>();
  if (unavailable_) {
    r.setError(wire::PatrolError::UNAVAILABLE);
    return Encode(reply);
  }
  auto round = r.initRounds(1)[0];
  round.setRound(3);
  round.setRoute("night");
  round.setPost("gate-1");
  round.setStatus("in_progress");
  round.setGuard("ann");
  auto cps = round.initCheckpoints(2);
  cps[0].setTag("north-fence");
  cps[0].setState("on_time");
  cps[1].setTag("east-gate");
  cps[1].setState("pending");
  return Encode(reply);
}

ConsoleConfig TestConfig(const std::string& escalation_endpoint) {
  ConsoleConfig c;
  c.listen = "127.0.0.1:0";
  c.escalation_commands = escalation_endpoint;
  c.command_timeout = 3 * kMicrosPerSecond;
  struct Who {
    const char* login;
    Role role;
  };
  for (Who w : {Who{"ann", Role::kOfficer}, Who{"val", Role::kViewer},
                Who{"sue", Role::kSupervisor}, Who{"adm", Role::kAdmin}}) {
    Account a;
    a.login = w.login;
    a.role = w.role;
    a.hash = *HashPassword(std::string("pw-") + w.login, HashCost::kMinimum);
    c.accounts.Add(a);
  }
  return c;
}

ConsoleFixture::ConsoleFixture(std::function<void(ConsoleConfig&)> adjust)
    : config_(TestConfig(escalation_.endpoint())) {
  config_.access_commands = access_.endpoint();
  config_.scoring_commands = scoring_.endpoint();
  config_.patrol_commands = patrol_.endpoint();
  if (adjust) adjust(config_);
  ServiceHostOptions options;
  options.name = "console";
  options.tables = ConsoleService::Tables();
  harness_ = std::make_unique<testing::ServiceHarness>(options);
  service_ = std::make_unique<ConsoleService>(harness_->host(), config_);
  REQUIRE(harness_->Start());
  std::string error;
  REQUIRE(service_->Start(&error));
}

ConsoleFixture::~ConsoleFixture() { service_->Stop(); }

int ConsoleFixture::port() const {
  const std::string& bound = service_->http_bound();
  return std::stoi(bound.substr(bound.rfind(':') + 1));
}

httplib::Client ConsoleFixture::Client() const {
  httplib::Client cli("127.0.0.1", port());
  cli.set_read_timeout(10);
  return cli;
}

void ConsoleFixture::Settle() { REQUIRE(harness_->Settle()); }

uint64_t ConsoleFixture::Open(uint64_t id, wire::Severity severity, const std::string& post) {
  return Publish(event_types::kIncidentOpened, [&](wire::IncidentOpened::Builder b) {
    b.setIncident(id);
    b.setVersion(1);
    b.setIncidentType("intrusion");
    b.setSeverity(severity);
    b.setPost(post);
    b.setGroupKey(post);
    b.setPolicy("standard");
    b.setTriggerType("terminal.incident_reported");
  });
}

httplib::Headers Officer::Headers(bool with_csrf) const {
  httplib::Headers h{{"Cookie", cookie}};
  if (with_csrf) h.emplace("X-CSRF-Token", csrf);
  return h;
}

std::optional<Officer> Login(httplib::Client& cli, const std::string& login,
                             const std::string& password) {
  nlohmann::json body = {{"login", login}, {"password", password}};
  auto r = cli.Post("/api/login", body.dump(), "application/json");
  if (!r || r->status != 200) {
    UNSCOPED_INFO("login of " << login << " failed: " << (r ? r->body : "no answer"));
    return std::nullopt;
  }
  Officer o;
  std::string set_cookie = r->get_header_value("Set-Cookie");
  o.cookie = set_cookie.substr(0, set_cookie.find(';'));
  o.csrf = nlohmann::json::parse(r->body)["csrf"].get<std::string>();
  return o;
}

httplib::Result PostJson(httplib::Client& cli, const std::string& path, const std::string& body,
                         const Officer& officer) {
  return cli.Post(path, officer.Headers(), body, "application/json");
}

std::string ErrorCode(const httplib::Result& r) {
  if (!r) return "<no answer>";
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return "";
  return j["error"]["code"].get<std::string>();
}

}  // namespace picket::console::test
