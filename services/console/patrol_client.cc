#include "console/patrol_client.h"

#include <capnp/message.h>

#include "picket/schemas/patrol.capnp.h"

namespace picket::console {
namespace {

nlohmann::json RoundJson(wire::RoundInfo::Reader r) {
  nlohmann::json checkpoints = nlohmann::json::array();
  for (auto c : r.getCheckpoints())
    checkpoints.push_back({{"tag", c.getTag().cStr()},
                           {"state", c.getState().cStr()},
                           {"scanned_at", c.getScannedAt()},
                           {"deadline", c.getDeadline()},
                           {"withdrawn", c.getWithdrawn()}});
  return {{"round", r.getRound()},
          {"route", r.getRoute().cStr()},
          {"post", r.getPost().cStr()},
          {"schedule", r.getSchedule().cStr()},
          {"assigned", r.getAssigned().cStr()},
          {"due", r.getDue()},
          {"status", r.getStatus().cStr()},
          {"guard", r.getGuard().cStr()},
          {"started_at", r.getStartedAt()},
          {"ended_at", r.getEndedAt()},
          {"started_late", r.getStartedLate()},
          {"ended_early", r.getEndedEarly()},
          {"checkpoints", checkpoints}};
}

ApiResult Convert(wire::PatrolReply::Reader r) {
  auto fail = [&](int status, const char* code) {
    return ApiResult{status, {{"error", {{"code", code}, {"message", r.getMessage().cStr()}}}}};
  };
  switch (r.getError()) {
    case wire::PatrolError::NONE:
      break;
    case wire::PatrolError::INVALID_ARGUMENT:
      return fail(400, "invalid_argument");
    case wire::PatrolError::UNAVAILABLE:
      return fail(503, "unavailable");
    default:
      return fail(502, "bad_gateway");
  }
  nlohmann::json rounds = nlohmann::json::array();
  for (auto round : r.getRounds()) rounds.push_back(RoundJson(round));
  return {200, {{"rounds", rounds}, {"truncated", r.getTruncated()}}};
}

bool Unavailable(wire::PatrolReply::Reader r) {
  return r.getError() == wire::PatrolError::UNAVAILABLE;
}

}  // namespace

ApiResult PatrolClient::Rounds(Micros from, Micros to, const std::string& post) const {
  capnp::MallocMessageBuilder message;
  auto q = message.initRoot<wire::PatrolRequest>().initListRounds();
  q.setFrom(from);
  q.setTo(to);
  q.setPost(post);
  return CallService<wire::PatrolReply>(target_, Encode(message), 2, &Unavailable, &Convert);
}

ApiResult PatrolClient::Current(const std::string& post) const {
  capnp::MallocMessageBuilder message;
  message.initRoot<wire::PatrolRequest>().setCurrentRounds(post);
  return CallService<wire::PatrolReply>(target_, Encode(message), 2, &Unavailable, &Convert);
}

}  // namespace picket::console
