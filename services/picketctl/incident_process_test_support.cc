#include "picketctl/incident_process_test_support.h"

#include <sys/wait.h>

#include <capnp/message.h>
#include <zmq_addon.hpp>

#include <chrono>

#include "runtime/zap_authenticator.h"
#include "wire/codec.h"

namespace picket::testing {
FakeEscalation::FakeEscalation(Script script, const CurveKeyPair* server_key)
    : script_(std::move(script)), router_(context_, zmq::socket_type::router) {
  router_.set(zmq::sockopt::linger, 0);
  if (server_key) MakeCurveServer(router_, *server_key);
  router_.set(zmq::sockopt::router_mandatory, 1);
  router_.bind("tcp://127.0.0.1:*");
  endpoint_ = router_.get(zmq::sockopt::last_endpoint);
  thread_ = std::thread([this] { Serve(); });
}

FakeEscalation::~FakeEscalation() {
  stop_ = true;
  thread_.join();
}

std::vector<SeenRequest> FakeEscalation::Seen() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_;
}

void FakeEscalation::Serve() {
  while (!stop_) {
    zmq::pollitem_t item{router_.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(20));
    if (!(item.revents & ZMQ_POLLIN)) continue;
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(router_, std::back_inserter(frames), zmq::recv_flags::dontwait))
      continue;
    if (frames.size() < 2) continue;
    SeenRequest seen{"<malformed>", "", ""};
    std::optional<std::string> reply;
    std::string error;
    auto msg = DecodedMessage::Decode(frames.back().to_string_view(), &error);
    size_t index = Seen().size();
    if (msg) {
      ReadSafely<wire::EscalationRequest>(
          *msg,
          [&](wire::EscalationRequest::Reader r) {
            seen.text = kj::str(r).cStr();
            seen.actor = r.getActor().cStr();
            auto id = r.getCommandId();
            seen.command_id.assign(reinterpret_cast<const char*>(id.begin()), id.size());
            reply = script_(index, r);
          },
          &error);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(seen);
    }
    if (!reply) continue;
    // Echo every frame before the request (the routing id, a REQ delimiter), then reply.
    try {
      for (size_t i = 0; i + 1 < frames.size(); ++i)
        router_.send(std::move(frames[i]), zmq::send_flags::sndmore);
      router_.send(zmq::buffer(*reply), zmq::send_flags::none);
    } catch (const zmq::error_t&) {
      // The client gave up and closed its socket (router_mandatory: EHOSTUNREACH).
    }
  }
}

std::string OkReply(uint64_t incident, uint64_t version) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::EscalationReply>();
  r.setIncident(incident);
  r.setVersion(version);
  return Encode(b);
}

}  // namespace picket::testing
