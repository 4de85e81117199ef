#include "runtime/head_probe.h"

#include <capnp/message.h>
#include <spdlog/spdlog.h>

#include "picket/schemas/bus.capnp.h"
#include "runtime/zap_authenticator.h"
#include "wire/codec.h"

namespace picket {

HeadProbe::HeadProbe(zmq::context_t& context, EventLoop& loop, SteadyTimers& timers,
                     std::string endpoint, std::chrono::milliseconds timeout, CurveClientKeys curve)
    : context_(context),
      loop_(loop),
      timers_(timers),
      endpoint_(std::move(endpoint)),
      timeout_(timeout),
      curve_(std::move(curve)) {
  Open();
}

HeadProbe::~HeadProbe() {
  timers_.Cancel(timeout_timer_);
  loop_.RemoveSocket(*socket_);
}

void HeadProbe::Open() {
  if (socket_) loop_.RemoveSocket(*socket_);
  socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 0);
  ApplyCurveClient(*socket_, curve_);
  socket_->connect(endpoint_);
  loop_.AddSocket(*socket_, [this] { OnReadable(); });
}

void HeadProbe::Ask(Answer answer) {
  if (in_flight_) {
    waiting_.push_back(std::move(answer));
    return;
  }
  asked_.push_back(std::move(answer));
  Send();
}

void HeadProbe::Send() {
  capnp::MallocMessageBuilder request;
  request.initRoot<wire::BusRequest>().setStatus();
  std::string frame = Encode(request);
  in_flight_ = true;
  ++queries_;
  timeout_timer_ = timers_.After(timeout_, [this] {
    timeout_timer_ = 0;
    spdlog::debug("no status answer from the bus at {} within {} ms", endpoint_, timeout_.count());
    Open();  // a late answer must not be taken for the next query's
    Finish(std::nullopt);
  });
  // A DEALER queues the frame while connecting (HWM permitting); the timeout covers a bus
  // that is down.
  if (!socket_->send(zmq::buffer(frame), zmq::send_flags::dontwait))
    spdlog::debug("status query to {} not queued (high-water mark)", endpoint_);
}

void HeadProbe::OnReadable() {
  zmq::message_t frame;
  while (socket_->recv(frame, zmq::recv_flags::dontwait)) {
    if (!in_flight_) continue;  // nothing asked: not ours to read
    std::string why;
    auto msg = DecodedMessage::Decode(
        std::string_view(static_cast<const char*>(frame.data()), frame.size()), &why);
    std::optional<uint64_t> head;
    if (msg)
      ReadSafely<wire::BusReply>(
          *msg,
          [&](wire::BusReply::Reader r) {
            if (r.isStatus()) head = r.getStatus().getHeadSeq();
          },
          &why);
    if (!head) {
      spdlog::warn("the bus at {} answered a status query with something else: {}", endpoint_,
                   why.empty() ? "not a status" : why);
      continue;  // the timeout ends this query
    }
    timers_.Cancel(timeout_timer_);
    timeout_timer_ = 0;
    Finish(head);
  }
}

void HeadProbe::Finish(std::optional<uint64_t> head) {
  std::vector<Answer> answered;
  answered.swap(asked_);
  in_flight_ = false;
  if (!waiting_.empty()) {  // their query is sent before anyone is answered
    asked_.swap(waiting_);
    Send();
  }
  for (auto& answer : answered) answer(head);
}

}  // namespace picket
