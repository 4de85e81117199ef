#include "testing/scripted_bus.h"

#include <capnp/message.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "picket/schemas/bus.capnp.h"
#include "runtime/clock.h"
#include "wire/codec.h"

namespace picket::testing {
namespace {

capnp::Data::Reader DataOf(const EventId& id) {
  return capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()),
                             EventId::kSize);
}

std::string Bind(zmq::socket_t& s, const std::string& ipc_dir, const char* name) {
  s.set(zmq::sockopt::linger, 0);
  s.bind(ipc_dir.empty() ? std::string("tcp://127.0.0.1:*") : "ipc://" + ipc_dir + "/" + name);
  return s.get(zmq::sockopt::last_endpoint);
}

// Receives one [routing id][frame] message without blocking.
bool RecvRouted(zmq::socket_t& s, std::string* routing_id, std::string* frame) {
  zmq::message_t id, body;
  if (!s.recv(id, zmq::recv_flags::dontwait)) return false;
  *routing_id = id.to_string();
  frame->clear();
  bool more = id.more();
  while (more) {  // the last part is the request; a REQ delimiter may come before it
    if (!s.recv(body, zmq::recv_flags::dontwait)) break;
    *frame = body.to_string();
    more = body.more();
  }
  return true;
}

}  // namespace

ScratchDir::ScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr ? tmp : "/tmp") + "/picket-rt-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool RunUntil(EventLoop& loop, const std::function<bool()>& done, std::chrono::milliseconds timeout,
              const std::function<void()>& pump) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (pump) pump();
    loop.RunOnce(2);
  }
  return true;
}

std::string MakeEvent(const EventId& id, const std::string& type, const std::string& producer) {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setId(DataOf(id));
  e.setSite("test-site");
  e.setType(type);
  e.setProducer(producer);
  e.setObservedAt(kTestTime);
  return Encode(b);
}

ScriptedBus::ScriptedBus(zmq::context_t& context, const std::string& ipc_dir)
    : context_(context), ipc_dir_(ipc_dir) {
  Open();
}

void ScriptedBus::Open() {
  ingest_ = zmq::socket_t(context_, zmq::socket_type::router);
  events_ = zmq::socket_t(context_, zmq::socket_type::pub);
  replay_ = zmq::socket_t(context_, zmq::socket_type::router);
  ingest_.set(zmq::sockopt::router_mandatory, 1);
  replay_.set(zmq::sockopt::router_mandatory, 1);
  ingest_endpoint = Bind(ingest_, ipc_dir_, "ingest");
  events_endpoint = Bind(events_, ipc_dir_, "events");
  replay_endpoint = Bind(replay_, ipc_dir_, "replay");
}

void ScriptedBus::Restart() {
  if (ipc_dir_.empty()) throw std::logic_error("ScriptedBus::Restart needs ipc endpoints");
  ingest_.close();
  events_.close();
  replay_.close();
  sessions_.clear();
  Open();
}

uint64_t ScriptedBus::Record(const EventId& id, const std::string& type) {
  uint64_t seq = head() + 1;
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setId(DataOf(id));
  e.setSite("test-site");
  e.setType(type);
  e.setProducer("probe");
  e.setObservedAt(kTestTime);
  e.setSeq(seq);
  e.setRecordedAt(kTestTime + static_cast<Micros>(seq));
  log_.push_back(Encode(b));
  ids_[id] = seq;
  return seq;
}

uint64_t ScriptedBus::RecordEvent(const std::string& event) {
  std::string error;
  auto msg = DecodedMessage::Decode(event, &error);
  if (!msg) throw std::runtime_error("scripted bus: undecodable event: " + error);
  auto in = msg->Root<wire::Event>();
  auto id =
      EventId::FromBytes({reinterpret_cast<const char*>(in.getId().begin()), in.getId().size()});
  if (!id) throw std::runtime_error("scripted bus: an event without a 16-byte id");
  uint64_t seq = head() + 1;
  capnp::MallocMessageBuilder b;
  b.setRoot(in);
  auto e = b.getRoot<wire::Event>();
  e.setSeq(seq);
  e.setRecordedAt(kTestTime + static_cast<Micros>(seq));
  log_.push_back(Encode(b));
  ids_[*id] = seq;
  return seq;
}

void ScriptedBus::Trim(uint64_t first) {
  while (first_seq_ < first && !log_.empty()) {
    log_.erase(log_.begin());
    ++first_seq_;
  }
}

void ScriptedBus::PublishLive(uint64_t seq) {
  events_.send(zmq::str_buffer("test.tick"), zmq::send_flags::sndmore);
  events_.send(zmq::buffer(EventFrame(seq)), zmq::send_flags::none);
}

void ScriptedBus::Heartbeat() {
  capnp::MallocMessageBuilder b;
  auto hb = b.initRoot<wire::Heartbeat>();
  hb.setSite("test-site");
  hb.setHeadSeq(head());
  hb.setSentAt(kTestTime);
  events_.send(zmq::str_buffer("_hb"), zmq::send_flags::sndmore);
  events_.send(zmq::buffer(Encode(b)), zmq::send_flags::none);
}

void ScriptedBus::SendTo(zmq::socket_t& socket, const std::string& routing_id,
                         const std::string& frame) {
  try {
    socket.send(zmq::buffer(routing_id), zmq::send_flags::sndmore);
    socket.send(zmq::buffer(frame), zmq::send_flags::none);
  } catch (const zmq::error_t&) {
    // EHOSTUNREACH: the client replaced its socket; like the bus, forget it.
  }
}

void ScriptedBus::Ack(const Publish& p) {
  bool duplicate = ids_.count(p.id) > 0;
  uint64_t seq = duplicate          ? ids_[p.id]
                 : !p.event.empty() ? RecordEvent(p.event)
                                    : Record(p.id, p.type.empty() ? "test.tick" : p.type);
  capnp::MallocMessageBuilder b;
  auto ack = b.initRoot<wire::BusReply>().initAck();
  ack.setEventId(DataOf(p.id));
  ack.setSeq(seq);
  ack.setRecordedAt(kTestTime + static_cast<Micros>(seq));
  ack.setDuplicate(duplicate);
  SendTo(ingest_, p.routing_id, Encode(b));
}

void ScriptedBus::Nack(const Publish& p, uint16_t code, const std::string& message) {
  capnp::MallocMessageBuilder b;
  auto nack = b.initRoot<wire::BusReply>().initNack();
  nack.setEventId(DataOf(p.id));
  nack.setCode(static_cast<wire::ErrorCode>(code));
  nack.setMessage(message);
  SendTo(ingest_, p.routing_id, Encode(b));
}

void ScriptedBus::OnIngest(const std::string& routing_id, std::string_view frame) {
  ++publishes_received;
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) throw std::runtime_error("scripted bus: undecodable publish: " + error);
  auto req = msg->Root<wire::BusRequest>();
  if (!req.isPublish()) throw std::runtime_error("scripted bus: not a publish");
  auto data = req.getPublish().getId();
  auto id = EventId::FromBytes({reinterpret_cast<const char*>(data.begin()), data.size()});
  if (!id) throw std::runtime_error("scripted bus: publish without a 16-byte id");
  if (req.getPublish().getSeq() != 0) throw std::runtime_error("scripted bus: seq set");
  capnp::MallocMessageBuilder copy;
  copy.setRoot(req.getPublish());
  Publish p{routing_id, *id, req.getPublish().getType().cStr(), Encode(copy)};
  switch (ingest_mode) {
    case IngestMode::kAck:
      return Ack(p);
    case IngestMode::kHold:
      held.push_back(p);
      return;
    case IngestMode::kDrop:
      return;
  }
}

void ScriptedBus::OnReplay(const std::string& routing_id, std::string_view frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) throw std::runtime_error("scripted bus: undecodable replay request: " + error);
  auto req = msg->Root<wire::BusRequest>();
  switch (req.which()) {
    case wire::BusRequest::REPLAY: {
      ++replay_requests;
      if (ignore_replay_requests > 0) {
        --ignore_replay_requests;
        return;
      }
      auto r = req.getReplay();
      Session s;
      s.next = std::max(r.getFromSeq(), first_seq_);
      s.to = r.getToSeq();
      s.credit = r.getCredit();
      s.granted = r.getCredit();
      s.max_batch = r.getMaxBatch() == 0 ? 256 : r.getMaxBatch();
      max_outstanding_credit = std::max(max_outstanding_credit, s.credit);
      sessions_[routing_id] = s;
      return;
    }
    case wire::BusRequest::CREDIT: {
      auto it = sessions_.find(routing_id);
      if (it == sessions_.end()) return;
      it->second.credit += req.getCredit().getEvents();
      it->second.granted += req.getCredit().getEvents();
      max_outstanding_credit = std::max(max_outstanding_credit, it->second.credit);
      return;
    }
    case wire::BusRequest::CANCEL:
      sessions_.erase(routing_id);
      return;
    case wire::BusRequest::PROGRESS:
      progress.emplace_back(req.getProgress().getSubscriber(), req.getProgress().getAppliedSeq());
      return;
    case wire::BusRequest::STATUS:
      ++status_requests;
      status_waiting_.push_back(routing_id);
      if (answer_status) AnswerStatus();
      return;
    default:
      throw std::runtime_error("scripted bus: unexpected replay request");
  }
}

void ScriptedBus::AnswerStatus() {
  capnp::MallocMessageBuilder b;
  auto st = b.initRoot<wire::BusReply>().initStatus();
  st.setSite("test-site");
  st.setHeadSeq(head());
  st.setFirstSeq(log_.empty() ? 0 : first_seq_);
  st.setNow(kTestTime);
  const std::string frame = Encode(b);
  for (const auto& routing_id : status_waiting_) SendTo(replay_, routing_id, frame);
  status_waiting_.clear();
}

void ScriptedBus::ServeSession(const std::string& routing_id, Session& s) {
  uint64_t end = s.to == 0 ? head() : std::min(s.to, head());
  capnp::MallocMessageBuilder b;
  auto reply = b.initRoot<wire::BusReply>();
  if (s.next > end) {
    auto e = reply.initReplayEnd();
    e.setLastSeq(s.next - 1);
    e.setHeadSeq(head());
    e.setFirstSeq(log_.empty() ? 0 : first_seq_);
    SendTo(replay_, routing_id, Encode(b));
    sessions_.erase(routing_id);
    return;
  }
  uint64_t n = std::min<uint64_t>({end - s.next + 1, s.credit, s.max_batch});
  if (n == 0) return;  // out of credit: wait for more
  auto batch = reply.initReplayBatch();
  auto list = batch.initEvents(static_cast<unsigned>(n));
  for (uint64_t i = 0; i < n; ++i) {
    std::string error;
    auto m = DecodedMessage::Decode(EventFrame(s.next + i), &error);
    list.setWithCaveats(static_cast<unsigned>(i), m->Root<wire::Event>());
  }
  batch.setHeadSeq(head());
  batch.setFirstSeq(first_seq_);
  s.next += n;
  s.credit -= static_cast<uint32_t>(n);
  s.sent += n;
  if (s.sent > s.granted) credit_violated = true;
  SendTo(replay_, routing_id, Encode(b));
}

void ScriptedBus::Pump() {
  std::string routing_id, frame;
  while (RecvRouted(ingest_, &routing_id, &frame)) OnIngest(routing_id, frame);
  while (RecvRouted(replay_, &routing_id, &frame)) OnReplay(routing_id, frame);
  std::vector<std::string> ids;
  for (auto& [id, s] : sessions_) ids.push_back(id);
  for (auto& id : ids) {
    auto it = sessions_.find(id);
    if (it != sessions_.end()) ServeSession(id, it->second);
  }
}

}  // namespace picket::testing
