#include "runtime/curve_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace picket {
namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

std::string Render(const CurveKeyPair& k, bool with_secret) {
  std::string out = "# picket CURVE key pair '" + k.name + "'" +
                    (with_secret ? " (keep this file secret)\n" : " (public key)\n");
  out += "name = \"" + k.name + "\"\n";
  out += "public = \"" + k.public_key + "\"\n";
  if (with_secret) out += "secret = \"" + k.secret_key + "\"\n";
  return out;
}

}  // namespace

bool WriteNewFile(const std::filesystem::path& path, const std::string& text, unsigned mode,
                  std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    *error = path.string() + ": " +
             (errno == EEXIST ? "already exists (not overwritten)" : std::strerror(errno));
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) *error = path.string() + ": could not be written";
  return ok;
}

CurveKeyPair NewCurveKeyPair(std::string name) {
  char pub[kZ85KeyChars + 1];
  char sec[kZ85KeyChars + 1];
  if (zmq_curve_keypair(pub, sec) != 0)
    throw std::runtime_error(std::string("this libzmq cannot make CURVE keys: ") +
                             zmq_strerror(zmq_errno()));
  return {std::move(name), pub, sec};
}

bool IsZ85Key(std::string_view text) {
  if (text.size() != kZ85KeyChars) return false;
  for (char c : text)
    if (kZ85Alphabet.find(c) == std::string_view::npos) return false;
  uint8_t raw[32];
  std::string copy(text);
  return zmq_z85_decode(raw, copy.c_str()) != nullptr;
}

bool IsKeyName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) return false;
  }
  return true;
}

bool WriteKeyFiles(const std::filesystem::path& dir, const CurveKeyPair& keys, std::string* error) {
  const auto secret = dir / (keys.name + ".key");
  const auto pub = dir / (keys.name + ".pub");
  if (std::filesystem::exists(pub)) {
    *error = pub.string() + ": already exists (not overwritten)";
    return false;
  }
  if (!WriteNewFile(secret, Render(keys, true), 0600, error)) return false;
  if (!WriteNewFile(pub, Render(keys, false), 0644, error)) {
    std::filesystem::remove(secret);
    return false;
  }
  return true;
}

bool ReadKeyFileLines(const std::filesystem::path& path,
                      const std::function<bool(const std::string&, const std::string&)>& accept,
                      std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path.string() + ": cannot be read";
    return false;
  }
  std::string line;
  int n = 0;
  auto fail = [&](const std::string& why) {
    *error = path.string() + ":" + std::to_string(n) + ": " + why;
    return false;
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.size() > 300) return fail("line too long for a key file");
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find(" = \"");
    if (eq == std::string::npos || line.back() != '"')
      return fail("expected name = \"...\", public = \"...\" or secret = \"...\"");
    const std::string field = line.substr(0, eq);
    if (!accept(field, line.substr(eq + 4, line.size() - eq - 5)))
      return fail("'" + field + "' is not a field of this key file, or its value is malformed");
  }
  return true;
}

std::optional<CurveKeyPair> ReadKeyFile(const std::filesystem::path& path, bool need_secret,
                                        std::string* error) {
  CurveKeyPair k;
  const bool read = ReadKeyFileLines(
      path,
      [&](const std::string& field, const std::string& value) {
        if (field == "name" && IsKeyName(value))
          k.name = value;
        else if (field == "public" && IsZ85Key(value))
          k.public_key = value;
        else if (field == "secret" && IsZ85Key(value))
          k.secret_key = value;
        else
          return false;
        return true;
      },
      error);
  if (!read) return std::nullopt;
  if (k.name.empty() || k.public_key.empty()) {
    *error = path.string() + ": not a picket key file (no name or public key)";
    return std::nullopt;
  }
  if (need_secret) {
    if (k.secret_key.empty()) {
      *error = path.string() + ": has no secret key (a .pub file? the process needs its .key)";
      return std::nullopt;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      *error = path.string() + ": a secret key readable by group or others (chmod 600 it)";
      return std::nullopt;
    }
    char derived[kZ85KeyChars + 1];
    if (zmq_curve_public(derived, k.secret_key.c_str()) != 0 || k.public_key != derived) {
      *error = path.string() + ": the public key is not the secret key's";
      return std::nullopt;
    }
  }
  return k;
}

}  // namespace picket
