#include "runtime/refusal_record.h"

#include <string>

#include "picket/schemas/bus.capnp.h"

namespace picket {

void FillRefusal(wire::Event::Builder event, const RefusalRecord& refusal) {
  const std::string identity(refusal.identity);
  event.setActor(identity);
  auto body = event.getBody().initAs<wire::Refused>();
  body.setIdentity(identity);
  body.setRole(refusal.who ? std::string(RoleName(refusal.who->role)) : "");
  body.setWhat(std::string(refusal.what));
  body.setAsWhom(std::string(refusal.as_whom));
  body.setReason(std::string(refusal.reason));
  body.setUnrecorded(refusal.unrecorded);
}

}  // namespace picket
