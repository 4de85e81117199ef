#include "support/bus_probe.h"

#include <capnp/message.h>

#include <nlohmann/json.hpp>

#include "picket/schemas/bus.capnp.h"
#include "support/process.h"
#include "wire/codec.h"
#include "wire/event_rules.h"

namespace picket::testing {

void SecureClient(zmq::socket_t& socket, const CurveClientKeys& curve) {
  if (!curve.secure()) return;
  socket.set(zmq::sockopt::curve_serverkey, curve.server_public_key);
  socket.set(zmq::sockopt::curve_publickey, curve.own.public_key);
  socket.set(zmq::sockopt::curve_secretkey, curve.own.secret_key);
}

std::optional<BusEndpoints> ReadBusReady(const std::string& data_dir) {
  std::string text = ReadFile(data_dir + "/ready");
  if (text.empty()) return std::nullopt;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  BusEndpoints e;
  e.ingest = j.value("ingest", "");
  e.events = j.value("events", "");
  e.replay = j.value("replay", "");
  e.http = j.value("http", "");
  e.pid = j.value("pid", 0);
  if (e.ingest.empty() || e.events.empty() || e.replay.empty()) return std::nullopt;
  return e;
}

std::string WriteSiteConfig(const std::string& dir, const std::string& site, bool sync,
                            const std::string& bus_extra) {
  std::string path = dir + "/site.toml";
  WriteFile(path, "[site]\nid = \"" + site + "\"\ndata_root = \"" + dir + "/data\"\n" +
                      "services = [\"bus\"]\n\n[bus]\n" + "ingest = \"ipc://" + dir +
                      "/ingest.sock\"\n" + "events = \"ipc://" + dir + "/events.sock\"\n" +
                      "replay = \"ipc://" + dir + "/replay.sock\"\n" + "http = \"127.0.0.1:0\"\n" +
                      "sync = " + (sync ? "true" : "false") + "\n" + bus_extra + "\n");
  return path;
}

std::string PublishFrame(const EventSpec& spec) {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::BusRequest>().initPublish();
  e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(spec.id.Bytes().data()), 16));
  e.setSite(spec.site);
  e.setType(spec.type);
  e.setProducer(spec.producer);
  e.setActor(spec.actor);
  e.setObservedAt(spec.observed_at);
  if (spec.body) spec.body(e.getBody());
  return Encode(b);
}

Reply ParseReply(const std::string& frame) {
  Reply r;
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) return r;
  ReadSafely<wire::BusReply>(
      *msg,
      [&](wire::BusReply::Reader reply) {
        auto id_of = [](capnp::Data::Reader d) {
          return EventId::FromBytes(
                     std::string_view(reinterpret_cast<const char*>(d.begin()), d.size()))
              .value_or(EventId());
        };
        if (reply.isAck()) {
          r.kind = Reply::kAck;
          r.id = id_of(reply.getAck().getEventId());
          r.seq = reply.getAck().getSeq();
          r.duplicate = reply.getAck().getDuplicate();
        } else if (reply.isNack()) {
          r.kind = Reply::kNack;
          r.id = id_of(reply.getNack().getEventId());
          r.code = std::string(ErrorCodeName(reply.getNack().getCode()));
          r.message = reply.getNack().getMessage().cStr();
        }
      },
      &error);
  return r;
}

IngestProbe::IngestProbe(zmq::context_t& ctx, const std::string& endpoint,
                         const CurveClientKeys& curve)
    : socket_(ctx, zmq::socket_type::dealer) {
  socket_.set(zmq::sockopt::linger, 0);
  SecureClient(socket_, curve);
  socket_.connect(endpoint);
}

void IngestProbe::Send(const std::string& frame) {
  socket_.send(zmq::buffer(frame), zmq::send_flags::none);
}

void IngestProbe::SendMultipart(const std::vector<std::string>& frames) {
  for (size_t i = 0; i < frames.size(); ++i)
    socket_.send(zmq::buffer(frames[i]),
                 i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
}

std::optional<std::string> IngestProbe::Receive(std::chrono::milliseconds timeout) {
  auto frames = ReceiveFrames(timeout);
  if (!frames) return std::nullopt;
  return frames->back();
}

std::optional<std::vector<std::string>> IngestProbe::ReceiveFrames(
    std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) <= 0) return std::nullopt;
  std::vector<std::string> frames;
  zmq::message_t m;
  do {
    if (!socket_.recv(m, zmq::recv_flags::none)) return std::nullopt;
    frames.push_back(m.to_string());
  } while (m.more());
  return frames;
}

std::optional<Reply> IngestProbe::Publish(const EventSpec& spec,
                                          std::chrono::milliseconds timeout) {
  Send(PublishFrame(spec));
  auto frame = Receive(timeout);
  if (!frame) return std::nullopt;
  return ParseReply(*frame);
}

std::optional<std::vector<LoggedEvent>> ReplayAll(zmq::context_t& ctx,
                                                  const std::string& replay_endpoint, uint64_t from,
                                                  std::chrono::milliseconds timeout,
                                                  const CurveClientKeys& curve) {
  zmq::socket_t s(ctx, zmq::socket_type::dealer);
  s.set(zmq::sockopt::linger, 0);
  SecureClient(s, curve);
  s.connect(replay_endpoint);
  constexpr uint32_t kCredit = 1000;
  {
    capnp::MallocMessageBuilder b;
    auto req = b.initRoot<wire::BusRequest>().initReplay();
    req.setFromSeq(from);
    req.setToSeq(0);
    req.setCredit(kCredit);
    std::string frame = Encode(b);
    s.send(zmq::buffer(frame), zmq::send_flags::none);
  }
  std::vector<LoggedEvent> out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    zmq::pollitem_t item{s.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(100)) <= 0) continue;
    zmq::message_t m;
    if (!s.recv(m, zmq::recv_flags::none)) continue;
    std::string frame = m.to_string();
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    if (!msg) return std::nullopt;
    bool ended = false;
    uint32_t consumed = 0;
    bool ok = ReadSafely<wire::BusReply>(
        *msg,
        [&](wire::BusReply::Reader reply) {
          if (reply.isReplayEnd()) {
            ended = true;
            return;
          }
          if (!reply.isReplayBatch()) return;
          for (auto e : reply.getReplayBatch().getEvents()) {
            LoggedEvent le;
            le.seq = e.getSeq();
            le.id = EventId::FromBytes(
                        std::string_view(reinterpret_cast<const char*>(e.getId().begin()),
                                         e.getId().size()))
                        .value_or(EventId());
            le.type = e.getType().cStr();
            le.producer = e.getProducer().cStr();
            le.recorded_at = e.getRecordedAt();
            capnp::MallocMessageBuilder copy;
            copy.setRoot(e);
            le.event = Encode(copy);
            out.push_back(le);
            ++consumed;
          }
        },
        &error);
    if (!ok) return std::nullopt;
    if (ended) return out;
    if (consumed > 0) {
      capnp::MallocMessageBuilder b;
      b.initRoot<wire::BusRequest>().initCredit().setEvents(consumed);
      std::string credit = Encode(b);
      s.send(zmq::buffer(credit), zmq::send_flags::none);
    }
  }
  return std::nullopt;
}

std::optional<BusStatus> QueryStatus(zmq::context_t& ctx, const std::string& endpoint,
                                     std::chrono::milliseconds timeout,
                                     const CurveClientKeys& curve) {
  IngestProbe probe(ctx, endpoint, curve);
  capnp::MallocMessageBuilder b;
  b.initRoot<wire::BusRequest>().setStatus();
  probe.Send(Encode(b));
  auto frame = probe.Receive(timeout);
  if (!frame) return std::nullopt;
  std::string error;
  auto msg = DecodedMessage::Decode(*frame, &error);
  if (!msg) return std::nullopt;
  std::optional<BusStatus> out;
  ReadSafely<wire::BusReply>(
      *msg,
      [&](wire::BusReply::Reader reply) {
        if (!reply.isStatus()) return;
        BusStatus st;
        st.head_seq = reply.getStatus().getHeadSeq();
        st.first_seq = reply.getStatus().getFirstSeq();
        for (auto s : reply.getStatus().getSubscribers())
          st.applied[s.getSubscriber().cStr()] = s.getAppliedSeq();
        out = st;
      },
      &error);
  return out;
}

std::optional<std::string> CallEndpoint(zmq::context_t& ctx, const std::string& endpoint,
                                        const std::string& frame, std::chrono::milliseconds timeout,
                                        const CurveClientKeys& curve) {
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  SecureClient(dealer, curve);
  dealer.set(zmq::sockopt::rcvtimeo, static_cast<int>(timeout.count()));
  dealer.connect(endpoint);
  dealer.send(zmq::buffer(frame), zmq::send_flags::none);
  zmq::message_t m;
  if (!dealer.recv(m)) return std::nullopt;
  return m.to_string();
}

}  // namespace picket::testing
