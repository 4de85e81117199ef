#include "console/access_client.h"

#include <capnp/message.h>

#include "picket/schemas/access.capnp.h"
#include "wire/event_id.h"

namespace picket::console {
namespace {

ApiResult Error(int status, const std::string& code, const std::string& message) {
  return {status, {{"error", {{"code", code}, {"message", message}}}}};
}

const char* KindName(wire::PassKind k) {
  switch (k) {
    case wire::PassKind::VISITOR:
      return "visitor";
    case wire::PassKind::CONTRACTOR:
      return "contractor";
    case wire::PassKind::STAFF:
      return "staff";
    default:
      return "unknown";
  }
}

bool Unavailable(wire::AccessReply::Reader r) {
  return r.getError() == wire::AccessError::UNAVAILABLE;
}

ApiResult Convert(wire::AccessReply::Reader r) {
  if (r.getError() == wire::AccessError::UNAVAILABLE)
    return Error(503, "unavailable", r.getMessage().cStr());
  if (r.getError() != wire::AccessError::NONE)
    return Error(502, "bad_gateway", r.getMessage().cStr());
  nlohmann::json list = nlohmann::json::array();
  for (auto o : r.getOnSite()) {
    auto v = o.getVisit();
    list.push_back({{"person", v.getPerson().cStr()},
                    {"name", o.getName().cStr()},
                    {"kind", KindName(v.getKind())},
                    {"gate", v.getGate().cStr()},
                    {"post", v.getPost().cStr()},
                    {"since", v.getCheckedInAt()},
                    {"manual", v.getManual()},
                    {"pass_code", v.getPassCode().cStr()},
                    {"guard_in", v.getGuardIn().cStr()}});
  }
  return {200, {{"on_site", list}}};
}

ApiResult ConvertPending(wire::AccessReply::Reader r) {
  if (r.getError() == wire::AccessError::UNAVAILABLE)
    return Error(503, "unavailable", r.getMessage().cStr());
  if (r.getError() != wire::AccessError::NONE)
    return Error(502, "bad_gateway", r.getMessage().cStr());
  nlohmann::json list = nlohmann::json::array();
  for (auto w : r.getPendingWalkUps())
    list.push_back({{"person", w.getPerson().cStr()},
                    {"name", w.getName().cStr()},
                    {"company", w.getCompany().cStr()},
                    {"host", w.getHost().cStr()},
                    {"gate", w.getGate().cStr()},
                    {"post", w.getPost().cStr()},
                    {"requested_by", w.getRequestedBy().cStr()},
                    {"requested_at", w.getRequestedAt()}});
  return {200, {{"walkups", list}}};
}

// A walk-up decision's refusal as the API's status and code.
ApiResult DecisionRefusal(wire::AccessReply::Reader r) {
  const std::string message = r.getMessage().cStr();
  switch (r.getError()) {
    case wire::AccessError::INVALID_ARGUMENT:
      return Error(400, "invalid_argument", message);
    case wire::AccessError::NOT_AUTHORIZED:
      return Error(403, "not_authorized", message);
    case wire::AccessError::NOT_PENDING:
      return Error(404, "not_pending", message);
    case wire::AccessError::UNKNOWN_PERSON:
      return Error(404, "unknown_person", message);
    case wire::AccessError::ALREADY_EXISTS:
      return Error(409, "already_exists", message);
    case wire::AccessError::UNKNOWN_HOST:
      return Error(409, "unknown_host", message);
    case wire::AccessError::ALREADY_PENDING:
      return Error(409, "already_pending", message);
    case wire::AccessError::UNAVAILABLE:
      return Error(503, "unavailable", message);
    default:
      return Error(502, "bad_gateway",
                   "picket-access answered " + std::to_string(static_cast<int>(r.getError())) +
                       ": " + message);
  }
}

// A listVisits reply as {"visits": [...]}.
ApiResult ConvertVisits(wire::AccessReply::Reader r) {
  if (r.getError() == wire::AccessError::UNAVAILABLE)
    return Error(503, "unavailable", r.getMessage().cStr());
  if (r.getError() == wire::AccessError::INVALID_ARGUMENT)
    return Error(400, "invalid_argument", r.getMessage().cStr());
  if (r.getError() != wire::AccessError::NONE)
    return Error(502, "bad_gateway", r.getMessage().cStr());
  nlohmann::json list = nlohmann::json::array();
  for (auto v : r.getVisits())
    list.push_back({{"visit", v.getVisit()},
                    {"person", v.getPerson().cStr()},
                    {"kind", KindName(v.getKind())},
                    {"gate", v.getGate().cStr()},
                    {"post", v.getPost().cStr()},
                    {"pass_code", v.getPassCode().cStr()},
                    {"guard_in", v.getGuardIn().cStr()},
                    {"checked_in_at", v.getCheckedInAt()},
                    {"checked_out_at", v.getCheckedOutAt()},
                    {"checked_out_by", v.getCheckedOutBy().cStr()},
                    {"exit_gate", v.getExitGate().cStr()},
                    {"manual", v.getManual()},
                    {"preregistered", v.getPreregistered()},
                    {"note", v.getNote().cStr()}});
  return {200, {{"visits", list}}};
}

// A getPerson reply as {"person", "name", "company", "kind"}.
ApiResult ConvertPerson(wire::AccessReply::Reader r) {
  if (r.getError() == wire::AccessError::UNAVAILABLE)
    return Error(503, "unavailable", r.getMessage().cStr());
  if (r.getError() == wire::AccessError::UNKNOWN_PERSON)
    return Error(404, "unknown_person", r.getMessage().cStr());
  if (r.getError() != wire::AccessError::NONE || !r.hasPerson())
    return Error(502, "bad_gateway", r.getMessage().cStr());
  auto p = r.getPerson();
  return {200,
          {{"person", p.getPerson().cStr()},
           {"name", p.getName().cStr()},
           {"company", p.getCompany().cStr()},
           {"kind", KindName(p.getKind())}}};
}

}  // namespace

ApiResult AccessClient::PendingWalkUps() const {
  capnp::MallocMessageBuilder message;
  message.initRoot<wire::AccessRequest>().setListPendingWalkUps();
  return CallService<wire::AccessReply>(target_, Encode(message), 2, &Unavailable, &ConvertPending);
}

ApiResult AccessClient::DecideWalkUp(const std::string& actor, const std::string& person,
                                     bool approve, const std::string& reason) const {
  capnp::MallocMessageBuilder message;
  auto req = message.initRoot<wire::AccessRequest>();
  req.setActor(actor);
  auto d = approve ? req.initApproveWalkUp() : req.initDenyWalkUp();
  d.setPerson(person);
  d.setBy(actor);
  if (!approve) d.setReason(reason);
  EventId id = EventId::Random();  // one per decision; its retries reuse it
  req.setCommandId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  const char* done = approve ? "approved" : "denied";
  return CallService<wire::AccessReply>(
      target_, Encode(message), 3, &Unavailable, [&](wire::AccessReply::Reader r) -> ApiResult {
        if (r.getError() != wire::AccessError::NONE) return DecisionRefusal(r);
        return {200, {{"person", person}, {done, true}, {"unpublished", r.getUnpublished()}}};
      });
}

ApiResult AccessClient::OnSite() const {
  capnp::MallocMessageBuilder message;
  message.initRoot<wire::AccessRequest>().setListOnSite();
  return CallService<wire::AccessReply>(target_, Encode(message), 2, &Unavailable, &Convert);
}

ApiResult AccessClient::Visits(Micros from, Micros to) const {
  capnp::MallocMessageBuilder message;
  auto q = message.initRoot<wire::AccessRequest>().initListVisits();
  q.setFrom(from);
  q.setTo(to);
  return CallService<wire::AccessReply>(target_, Encode(message), 2, &Unavailable, &ConvertVisits);
}

ApiResult AccessClient::Person(const std::string& person) const {
  capnp::MallocMessageBuilder message;
  message.initRoot<wire::AccessRequest>().setGetPerson(person);
  return CallService<wire::AccessReply>(target_, Encode(message), 2, &Unavailable, &ConvertPerson);
}

}  // namespace picket::console
