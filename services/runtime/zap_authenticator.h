// ZapAuthenticator: who may connect to this process's CURVE endpoints (ZeroMQ's ZAP,
// RFC 27), answered from the site's list of public keys.
//
// Every CURVE server socket of a ZeroMQ context asks the context's ZAP handler whether to
// admit a client, giving the client's public key once the handshake proved the client
// holds its secret. This handler admits a key the site lists and gives the connection the
// key's name as its ZMQ "User-Id" (PeerName reads it off each message), so a process knows
// which listed identity sent what; any other key is refused (the client's handshake fails
// and nothing it sends is delivered), counted and logged at most 5 lines a minute.
//
// ORDER MATTERS: construct it before any CURVE server socket of the context binds. libzmq
// admits every client of a CURVE server whose context has no ZAP handler. Destroy it
// before closing the context (which waits for every socket, this one's too).
//
// Threads: the handler answers on its own thread; the constructor and destructor are
// called from the owner's.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <thread>

#include "runtime/curve_keys.h"

namespace picket {

class ZapAuthenticator {
 public:
  // `names_by_public_key`: Z85 public key -> the identity's name (site config). Binds the
  // context's ZAP endpoint now; throws zmq::error_t if the context has a handler already.
  ZapAuthenticator(zmq::context_t& context, std::map<std::string, std::string> names_by_public_key,
                   std::string process_name);
  ~ZapAuthenticator();
  ZapAuthenticator(const ZapAuthenticator&) = delete;
  ZapAuthenticator& operator=(const ZapAuthenticator&) = delete;

  uint64_t admitted() const { return admitted_.load(); }
  uint64_t refused() const { return refused_.load(); }

 private:
  void Serve();
  void ServeUntilStopped();

  zmq::socket_t socket_;
  std::map<std::string, std::string> names_;
  std::string process_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> admitted_{0};
  std::atomic<uint64_t> refused_{0};
  std::thread thread_;
};

// Makes `socket` a CURVE server with this process's key pair (before bind).
void MakeCurveServer(zmq::socket_t& socket, const CurveKeyPair& own);
// Makes `socket` a CURVE client of the server whose public key is `server_public_key`,
// with this process's key pair (before connect).
void MakeCurveClient(zmq::socket_t& socket, const CurveKeyPair& own,
                     std::string_view server_public_key);

// ApplyCurveClient: MakeCurveClient for secure keys, nothing for plain ones.
void ApplyCurveClient(zmq::socket_t& socket, const CurveClientKeys& keys);

// The name the ZAP handler gave the peer that sent `message` (its User-Id), or "" if the
// socket is not a CURVE server.
std::string PeerName(zmq::message_t& message);

}  // namespace picket
