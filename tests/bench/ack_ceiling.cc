// ack_ceiling: the transport's ceiling for scripts/bench-bus. A ZeroMQ ROUTER that answers
// every publish with an ack at once: it decodes the request and encodes the ack exactly as
// picket-bus does, but stores nothing. Whatever throughput bus_bench reaches against it on a
// machine is the most any bus on ZeroMQ + Cap'n Proto can reach there with the same client.
//
//   ack_ceiling --endpoint tcp://127.0.0.1:7401
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <zmq.hpp>

#include "bus/bus_replies.h"
#include "bus/frames.h"
#include "picket/schemas/bus.capnp.h"
#include "wire/codec.h"

int main(int argc, char** argv) {
  std::string endpoint;
  CLI::App app{"A ZeroMQ ingest endpoint that acks every publish without storing it"};
  app.add_option("--endpoint", endpoint, "where to bind, e.g. tcp://127.0.0.1:7401")->required();
  CLI11_PARSE(app, argc, argv);

  zmq::context_t context(1);
  zmq::socket_t router(context, zmq::socket_type::router);
  router.set(zmq::sockopt::router_mandatory, 1);
  router.set(zmq::sockopt::sndhwm, 100000);
  router.bind(endpoint);
  uint64_t seq = 0;
  while (true) {
    zmq::pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(-1));
    while (auto req = picket::ReceiveRequest(router)) {
      std::string error;
      auto msg = picket::DecodedMessage::Decode(req->body.to_string_view(), &error);
      std::optional<picket::EventId> id;
      if (msg)
        picket::ReadSafely<picket::wire::BusRequest>(
            *msg,
            [&](picket::wire::BusRequest::Reader r) {
              if (r.isPublish() && r.getPublish().hasId())
                id = picket::EventId::FromBytes(
                    {reinterpret_cast<const char*>(r.getPublish().getId().begin()),
                     r.getPublish().getId().size()});
            },
            &error);
      if (!id) continue;
      const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
      picket::SendReply(router, req->routing_id, req->envelope,
                        picket::EncodeAck(*id, {++seq, now}, false));
    }
  }
}
