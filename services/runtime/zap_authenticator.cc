#include "runtime/zap_authenticator.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "runtime/clock.h"
#include "runtime/log_limiter.h"

namespace picket {
namespace {

constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";  // fixed by RFC 27

std::string ToString(const zmq::message_t& m) { return std::string(m.to_string_view()); }

}  // namespace

ZapAuthenticator::ZapAuthenticator(zmq::context_t& context,
                                   std::map<std::string, std::string> names_by_public_key,
                                   std::string process_name)
    : socket_(context, zmq::socket_type::rep),
      names_(std::move(names_by_public_key)),
      process_(std::move(process_name)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind(kZapEndpoint);
  thread_ = std::thread([this] { Serve(); });
}

ZapAuthenticator::~ZapAuthenticator() {
  stop_ = true;
  thread_.join();
}

void ZapAuthenticator::Serve() {
  try {
    ServeUntilStopped();
  } catch (const zmq::error_t& e) {  // the context was closed under it (ETERM): done
    if (e.num() != ETERM) spdlog::error("{}: the ZAP handler stopped: {}", process_, e.what());
  }
}

void ZapAuthenticator::ServeUntilStopped() {
  LogLimiter refusals(5, 60 * kMicrosPerSecond);
  SystemClock clock;
  while (!stop_) {
    zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(100)) <= 0) continue;
    std::vector<zmq::message_t> frames;
    do {
      frames.emplace_back();
      if (!socket_.recv(frames.back(), zmq::recv_flags::none)) return;
    } while (frames.back().more());
    // version, request id, domain, address, routing id, mechanism, credentials...
    std::string status = "400", text = "unknown key", user;
    std::string key_text;
    if (frames.size() >= 7 && ToString(frames[0]) == "1.0" && ToString(frames[5]) == "CURVE" &&
        frames[6].size() == 32) {
      char z85[kZ85KeyChars + 1];
      zmq_z85_encode(z85, frames[6].data<uint8_t>(), 32);
      key_text = z85;
      if (auto it = names_.find(key_text); it != names_.end()) {
        status = "200";
        text = "OK";
        user = it->second;
      }
    } else {
      text = frames.size() >= 6 ? "mechanism " + ToString(frames[5]) + " is not CURVE"
                                : "malformed ZAP request";
    }
    if (status == "200") {
      ++admitted_;
    } else {
      ++refused_;
      uint64_t suppressed = 0;
      if (refusals.Allow(clock.Now(), &suppressed))
        spdlog::warn("{}: connection from {} refused: {}{} ({} similar lines suppressed)", process_,
                     frames.size() >= 4 ? ToString(frames[3]) : "?", text,
                     key_text.empty() ? "" : " " + key_text, suppressed);
    }
    const std::string request_id = frames.size() >= 2 ? ToString(frames[1]) : "";
    const std::string reply[] = {"1.0", request_id, status, text, user, ""};
    for (size_t i = 0; i < 6; ++i)
      socket_.send(zmq::buffer(reply[i]), i < 5 ? zmq::send_flags::sndmore : zmq::send_flags::none);
  }
}

void MakeCurveServer(zmq::socket_t& socket, const CurveKeyPair& own) {
  socket.set(zmq::sockopt::curve_server, true);
  socket.set(zmq::sockopt::curve_secretkey, own.secret_key);
  socket.set(zmq::sockopt::zap_domain, "picket");
}

void MakeCurveClient(zmq::socket_t& socket, const CurveKeyPair& own,
                     std::string_view server_public_key) {
  socket.set(zmq::sockopt::curve_serverkey, server_public_key);
  socket.set(zmq::sockopt::curve_publickey, own.public_key);
  socket.set(zmq::sockopt::curve_secretkey, own.secret_key);
}

void ApplyCurveClient(zmq::socket_t& socket, const CurveClientKeys& keys) {
  if (keys.secure()) MakeCurveClient(socket, keys.own, keys.server_public_key);
}

std::string PeerName(zmq::message_t& message) {
  const char* user = zmq_msg_gets(message.handle(), "User-Id");
  return user ? user : "";
}

}  // namespace picket
