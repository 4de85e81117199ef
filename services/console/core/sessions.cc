#include "console/core/sessions.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace picket::console {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string TokenKey(std::string_view token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(h, sizeof h);
}

}  // namespace

std::string RandomHex(size_t bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  return Hex(buf.data(), buf.size());
}

NewSession SessionTable::Create(const std::string& login, Role role, const std::string& lang,
                                Micros now) {
  Prune(now);
  while (CountOf(login) >= limits_.max_per_login && CountOf(login) > 0) EvictOldestOf(login);
  while (sessions_.size() >= limits_.max_sessions && !sessions_.empty()) EvictLeastRecentlyUsed();
  NewSession out;
  out.token = RandomHex(32);
  out.session = Session{login, role, lang, RandomHex(32), now, now};
  sessions_[TokenKey(out.token)] = out.session;
  return out;
}

std::optional<Session> SessionTable::Touch(std::string_view token, Micros now) {
  auto it = sessions_.find(TokenKey(token));
  if (it == sessions_.end()) return std::nullopt;
  if (Expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = std::max(it->second.last_seen, now);
  return it->second;
}

std::optional<Session> SessionTable::Peek(std::string_view token, Micros now) const {
  auto it = sessions_.find(TokenKey(token));
  if (it == sessions_.end() || Expired(it->second, now)) return std::nullopt;
  return it->second;
}

bool SessionTable::End(std::string_view token) { return sessions_.erase(TokenKey(token)) > 0; }

size_t SessionTable::EndAllOf(std::string_view login) {
  size_t n = 0;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.login == login) {
      it = sessions_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

bool SessionTable::SetLang(std::string_view token, const std::string& lang) {
  auto it = sessions_.find(TokenKey(token));
  if (it == sessions_.end()) return false;
  it->second.lang = lang;
  return true;
}

void SessionTable::Prune(Micros now) {
  for (auto it = sessions_.begin(); it != sessions_.end();)
    it = Expired(it->second, now) ? sessions_.erase(it) : std::next(it);
}

size_t SessionTable::CountOf(std::string_view login) const {
  size_t n = 0;
  for (const auto& [key, s] : sessions_) n += s.login == login ? 1 : 0;
  return n;
}

bool SessionTable::CsrfMatches(const Session& session, std::string_view presented) {
  if (presented.size() != session.csrf.size() || session.csrf.empty()) return false;
  return sodium_memcmp(presented.data(), session.csrf.data(), presented.size()) == 0;
}

bool SessionTable::Expired(const Session& s, Micros now) const {
  return now - s.last_seen >= limits_.idle || now - s.created >= limits_.lifetime;
}

void SessionTable::EvictOldestOf(const std::string& login) {
  auto oldest = sessions_.end();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
    if (it->second.login == login &&
        (oldest == sessions_.end() || it->second.created < oldest->second.created))
      oldest = it;
  if (oldest != sessions_.end()) sessions_.erase(oldest);
}

void SessionTable::EvictLeastRecentlyUsed() {
  auto lru = sessions_.begin();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
    if (it->second.last_seen < lru->second.last_seen) lru = it;
  if (lru != sessions_.end()) sessions_.erase(lru);
}

}  // namespace picket::console
