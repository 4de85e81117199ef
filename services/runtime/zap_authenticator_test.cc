#include "runtime/zap_authenticator.h"

#include "runtime/signing_keys.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace picket {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct KeyDir {
  fs::path path = fs::temp_directory_path() / ("curve_keys_test." + std::to_string(getpid()));
  KeyDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~KeyDir() { fs::remove_all(path); }
};

// The first message `pull` receives within `timeout`, or nullopt.
std::optional<zmq::message_t> Receive(zmq::socket_t& pull, std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{pull.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) <= 0) return std::nullopt;
  zmq::message_t m;
  if (!pull.recv(m, zmq::recv_flags::dontwait)) return std::nullopt;
  return m;
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

}  // namespace

TEST_CASE("curve keys: a new pair is written as .key (0600) and .pub, and reads back", "[curve]") {
  KeyDir dir;
  CurveKeyPair k = NewCurveKeyPair("gate-1-terminal");
  CHECK(IsZ85Key(k.public_key));
  CHECK(IsZ85Key(k.secret_key));
  CHECK(k.public_key != k.secret_key);
  std::string error;
  REQUIRE(WriteKeyFiles(dir.path, k, &error));
  struct stat st {};
  REQUIRE(::stat((dir.path / "gate-1-terminal.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto secret = ReadKeyFile(dir.path / "gate-1-terminal.key", true, &error);
  REQUIRE(secret);
  CHECK(secret->name == "gate-1-terminal");
  CHECK(secret->public_key == k.public_key);
  CHECK(secret->secret_key == k.secret_key);
  auto pub = ReadKeyFile(dir.path / "gate-1-terminal.pub", false, &error);
  REQUIRE(pub);
  CHECK(pub->public_key == k.public_key);
  CHECK(pub->secret_key.empty());

  // Never overwritten: a second `keys new` with the same name fails and changes nothing.
  CHECK_FALSE(WriteKeyFiles(dir.path, NewCurveKeyPair("gate-1-terminal"), &error));
  CHECK_THAT(error, Catch::Contains("gate-1-terminal.pub: already exists"));
  CHECK(ReadKeyFile(dir.path / "gate-1-terminal.key", true, &error)->secret_key == k.secret_key);
}

TEST_CASE(
    "curve keys: malformed, mismatched, public-only and group-readable key files are "
    "refused with the reason",
    "[curve]") {
  KeyDir dir;
  std::string error;
  auto write = [&](const std::string& name, const std::string& text, mode_t mode = 0600) {
    fs::path p = dir.path / name;
    std::ofstream(p) << text;
    ::chmod(p.c_str(), mode);
    return p;
  };
  CurveKeyPair a = NewCurveKeyPair("a");
  CurveKeyPair b = NewCurveKeyPair("b");
  CHECK_FALSE(ReadKeyFile(dir.path / "missing.key", true, &error));
  CHECK_THAT(error, Catch::Contains("cannot be read"));
  CHECK_FALSE(ReadKeyFile(write("x.key", "name = \"a\"\npublic = \"short\"\n"), false, &error));
  CHECK_THAT(error, Catch::Contains("x.key:2:"));
  CHECK_FALSE(ReadKeyFile(write("y.key", "hello\n"), false, &error));
  CHECK_THAT(error, Catch::Contains("y.key:1: expected"));
  // a's public key with b's secret.
  auto mixed = write("m.key", "name = \"a\"\npublic = \"" + a.public_key + "\"\nsecret = \"" +
                                  b.secret_key + "\"\n");
  CHECK_FALSE(ReadKeyFile(mixed, true, &error));
  CHECK_THAT(error, Catch::Contains("is not the secret key's"));
  auto pub = write("p.pub", "name = \"a\"\npublic = \"" + a.public_key + "\"\n", 0644);
  CHECK(ReadKeyFile(pub, false, &error));
  CHECK_FALSE(ReadKeyFile(pub, true, &error));
  CHECK_THAT(error, Catch::Contains("has no secret key"));
  auto open = write(
      "o.key",
      "name = \"a\"\npublic = \"" + a.public_key + "\"\nsecret = \"" + a.secret_key + "\"\n", 0644);
  CHECK_FALSE(ReadKeyFile(open, true, &error));
  CHECK_THAT(error, Catch::Contains("chmod 600"));
  CHECK_FALSE(IsKeyName(""));
  CHECK_FALSE(IsKeyName("-a"));
  CHECK_FALSE(IsKeyName("A"));
  CHECK_FALSE(IsKeyName("a/b"));
  CHECK(IsKeyName("gate-1_terminal.2"));
  CHECK_FALSE(IsZ85Key(std::string(40, ' ')));
}

TEST_CASE(
    "zap: a listed key is admitted under its name, an unlisted key and a plain client "
    "get nothing through",
    "[curve]") {
  zmq::context_t ctx;
  CurveKeyPair server = NewCurveKeyPair("bus");
  CurveKeyPair officer = NewCurveKeyPair("otto");
  CurveKeyPair stranger = NewCurveKeyPair("stranger");
  ZapAuthenticator zap(ctx, {{officer.public_key, "otto"}}, "zap-test");

  zmq::socket_t pull(ctx, zmq::socket_type::pull);
  MakeCurveServer(pull, server);
  pull.bind("tcp://127.0.0.1:*");
  const std::string endpoint = pull.get(zmq::sockopt::last_endpoint);

  auto client = [&](const CurveKeyPair* keys) {
    zmq::socket_t push(ctx, zmq::socket_type::push);
    push.set(zmq::sockopt::linger, 0);
    if (keys) MakeCurveClient(push, *keys, server.public_key);
    push.connect(endpoint);
    return push;
  };

  // An unlisted key: refused by the handler, and its message never arrives.
  auto bad = client(&stranger);
  bad.send(zmq::str_buffer("from the stranger"), zmq::send_flags::dontwait);
  REQUIRE(WaitFor([&] { return zap.refused() >= 1; }, 10s));
  // A plain (non-CURVE) client: its handshake fails, nothing arrives.
  auto plain = client(nullptr);
  plain.send(zmq::str_buffer("in plain text"), zmq::send_flags::dontwait);
  // A listed key: admitted, and each message says who sent it.
  auto good = client(&officer);
  good.send(zmq::str_buffer("from otto"), zmq::send_flags::none);
  auto m = Receive(pull, 10s);
  REQUIRE(m);
  CHECK(m->to_string() == "from otto");
  CHECK(PeerName(*m) == "otto");
  CHECK(zap.admitted() == 1);
  // Nothing else is queued: the stranger's and the plain client's messages were dropped.
  CHECK_FALSE(Receive(pull, 300ms));
  CHECK(zap.refused() == 1);  // the plain client never reached ZAP: no CURVE handshake
}

TEST_CASE("zap: a second handler in the same context is refused", "[curve]") {
  zmq::context_t ctx;
  ZapAuthenticator first(ctx, {}, "zap-test");
  CHECK_THROWS_AS(ZapAuthenticator(ctx, {}, "zap-test"), zmq::error_t);
}

}  // namespace picket

namespace picket {

TEST_CASE("signing keys: .sign (0600) and .verify are written, read back, and refused when bad",
          "[checkpoint]") {
  KeyDir dir;
  std::string error;
  SigningKeyPair k = NewSigningKeyPair("bus-checkpoint");
  REQUIRE(WriteSigningKeyFiles(dir.path, k, &error));
  struct stat st {};
  REQUIRE(::stat((dir.path / "bus-checkpoint.sign").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto secret = ReadSigningKeyFile(dir.path / "bus-checkpoint.sign", true, &error);
  REQUIRE(secret);
  CHECK(secret->public_key == k.public_key);
  CHECK(*secret->secret_key == *k.secret_key);
  auto pub = ReadSigningKeyFile(dir.path / "bus-checkpoint.verify", false, &error);
  REQUIRE(pub);
  CHECK(pub->public_key == k.public_key);
  CHECK_FALSE(pub->secret_key);
  // A .verify where the bus needs its secret; never overwritten; group-readable refused.
  CHECK_FALSE(ReadSigningKeyFile(dir.path / "bus-checkpoint.verify", true, &error));
  CHECK_THAT(error, Catch::Contains("has no secret key"));
  CHECK_FALSE(WriteSigningKeyFiles(dir.path, NewSigningKeyPair("bus-checkpoint"), &error));
  CHECK_THAT(error, Catch::Contains("already exists"));
  ::chmod((dir.path / "bus-checkpoint.sign").c_str(), 0640);
  CHECK_FALSE(ReadSigningKeyFile(dir.path / "bus-checkpoint.sign", true, &error));
  CHECK_THAT(error, Catch::Contains("readable by group or others"));
  // Another key's public half with this secret; a CURVE key file; garbage.
  SigningKeyPair other = NewSigningKeyPair("other");
  fs::path mixed = dir.path / "mixed.sign";
  std::ofstream(mixed) << "name = \"mixed\"\npublic = \"" << Hex(other.public_key)
                       << "\"\nsecret = \"" << Hex(*k.secret_key) << "\"\n";
  ::chmod(mixed.c_str(), 0600);
  CHECK_FALSE(ReadSigningKeyFile(mixed, true, &error));
  CHECK_THAT(error, Catch::Contains("not the secret key's"));
  REQUIRE(WriteKeyFiles(dir.path, NewCurveKeyPair("curve"), &error));
  CHECK_FALSE(ReadSigningKeyFile(dir.path / "curve.key", true, &error));
  CHECK_THAT(error, Catch::Contains("malformed"));
}

}  // namespace picket
