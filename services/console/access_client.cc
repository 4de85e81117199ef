#include "console/access_client.h"

#include <capnp/message.h>

#include "picket/schemas/access.capnp.h"

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

}  // namespace

ApiResult AccessClient::OnSite() const {
  capnp::MallocMessageBuilder message;
  message.initRoot<wire::AccessRequest>().setListOnSite();
  return CallService<wire::AccessReply>(target_, Encode(message), 2, &Unavailable, &Convert);
}

}  // namespace picket::console
