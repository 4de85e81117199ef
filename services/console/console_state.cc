#include "console/console_state.h"

#include "console/core/api_json.h"
#include "wire/event_names.h"

namespace picket::console {

ConsoleState::ConsoleState(const ConsoleConfig& config, uint64_t floor)
    : config_(config),
      sessions_(config.sessions),
      limiter_(config.login),
      board_(config.closed_kept, config.history_lines),
      board_seq_(floor),
      stream_(config.stream_ring, floor) {}

LoginOutcome ConsoleState::Login(const std::string& client, const std::string& login,
                                 const std::string& password, Micros now) {
  LoginOutcome out;
  bool known = config_.accounts.Find(login) != nullptr;
  {
    std::lock_guard lock(limiter_mu_);
    LoginVerdict v = limiter_.Attempt(client, login, known, now);
    if (!v.allowed()) {
      out.status = 429;
      out.code = v.kind == LoginVerdict::Kind::kAccountLocked ? "locked" : "rate_limited";
      out.retry_after = v.retry_after;
      return out;
    }
  }
  const Account* account = config_.accounts.Authenticate(login, password);
  if (!account) {
    if (known) {
      std::lock_guard lock(limiter_mu_);
      limiter_.Failed(login, now);
    }
    out.status = 401;
    out.code = "bad_credentials";
    return out;
  }
  {
    std::lock_guard lock(limiter_mu_);
    limiter_.Succeeded(login);
  }
  std::lock_guard lock(sessions_mu_);
  out.session =
      sessions_.Create(account->login, account->role, std::string(LangTag(account->lang)), now);
  return out;
}

std::optional<Session> ConsoleState::Touch(const std::string& token, Micros now) {
  std::lock_guard lock(sessions_mu_);
  return sessions_.Touch(token, now);
}

std::optional<Session> ConsoleState::Peek(const std::string& token, Micros now) {
  std::lock_guard lock(sessions_mu_);
  return sessions_.Peek(token, now);
}

bool ConsoleState::Logout(const std::string& token) {
  std::lock_guard lock(sessions_mu_);
  return sessions_.End(token);
}

size_t ConsoleState::LogoutEverywhere(const std::string& login) {
  std::lock_guard lock(sessions_mu_);
  return sessions_.EndAllOf(login);
}

bool ConsoleState::SetLang(const std::string& token, const std::string& lang) {
  std::lock_guard lock(sessions_mu_);
  return sessions_.SetLang(token, lang);
}

void ConsoleState::Loaded(IncidentBoard board) {
  std::lock_guard lock(board_mu_);
  board_ = std::move(board);
}

void ConsoleState::Changed(const IncidentChange& change) {
  {
    std::lock_guard lock(board_mu_);
    if (change.line.seq <= board_seq_) return;  // a repeat
    board_.Put(change.view, &change.line);
    board_seq_ = change.line.seq;
  }
  nlohmann::json data = {{"incident", IncidentJson(change.view)},
                         {"line", HistoryJson(change.line)},
                         {"alert", change.line.type == event_names::kAlertRaised}};
  stream_.Push({change.line.seq, "incident", DumpJson(data)});
}

void ConsoleState::LoadedGates(std::vector<GateEvent> decisions) {
  std::lock_guard lock(board_mu_);
  gates_.assign(decisions.begin(), decisions.end());
  while (gates_.size() > config_.gate_feed) gates_.pop_front();
}

void ConsoleState::GateChanged(const GateEvent& event) {
  {
    std::lock_guard lock(board_mu_);
    if (event.seq <= board_seq_) return;  // a repeat
    gates_.push_back(event);
    while (gates_.size() > config_.gate_feed) gates_.pop_front();
    board_seq_ = event.seq;
  }
  stream_.Push({event.seq, "gate", DumpJson(GateEventJson(event))});
}

GateSnapshot ConsoleState::Gates() const {
  std::lock_guard lock(board_mu_);
  return {board_seq_, std::vector<GateEvent>(gates_.rbegin(), gates_.rend())};
}

BoardSnapshot ConsoleState::Board() const {
  std::lock_guard lock(board_mu_);
  return {board_seq_, board_.Open(), board_.RecentlyClosed()};
}

std::optional<std::pair<IncidentView, std::vector<HistoryLine>>> ConsoleState::Incident(
    uint64_t id) const {
  std::lock_guard lock(board_mu_);
  auto v = board_.Get(id);
  if (!v) return std::nullopt;
  return std::make_pair(*v, board_.History(id));
}

}  // namespace picket::console
