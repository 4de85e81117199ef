#include "terminal/core/terminal_config.h"

#include <cctype>
#include <set>

#include "terminal/core/code_hash.h"

namespace picket::terminal {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

bool IsId(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameBytes) return false;
  for (char c : s) {
    if (!IsIdChar(c)) return false;
  }
  return true;
}

// "en", "fra", "pt-BR", "zh-Hant": 2..3 lowercase letters, then "-" + 2..8 alphanumerics.
bool IsLanguage(std::string_view s) {
  const size_t dash = s.find('-');
  const std::string_view primary = s.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3) return false;
  for (char c : primary) {
    if (c < 'a' || c > 'z') return false;
  }
  if (dash == std::string_view::npos) return true;
  const std::string_view sub = s.substr(dash + 1);
  if (sub.size() < 2 || sub.size() > 8) return false;
  for (char c : sub) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Text for the screen: the line protocol's text rule, one line at a time if `multiline`.
bool IsScreenText(std::string_view s, bool multiline) {
  size_t start = 0;
  while (true) {
    const size_t nl = multiline ? s.find('\n', start) : std::string_view::npos;
    const std::string_view line = s.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (!IsPrintableText(line)) return false;
    if (nl == std::string_view::npos) return true;
    start = nl + 1;
  }
}

struct Errors {
  std::vector<std::string> list;
  void Add(const std::string& where, const std::string& what) {
    list.push_back(where.empty() ? what : where + ": " + what);
  }
};

std::string Where(std::string_view field, size_t i, std::string_view name) {
  return std::string(field) + "[" + std::to_string(i) + "] '" + std::string(name) + "'";
}

void CheckIdentity(const TerminalConfig& c, Errors& e) {
  if (!IsId(c.terminal)) e.Add("terminal", "must be 1..64 bytes of [A-Za-z0-9._:-]");
  if (!IsId(c.post)) e.Add("post", "must be 1..64 bytes of [A-Za-z0-9._:-]");
  std::set<std::string> seen;
  for (size_t i = 0; i < c.gates.size(); ++i) {
    const std::string& g = c.gates[i];
    if (!IsId(g)) e.Add(Where("gates", i, g), "must be 1..64 bytes of [A-Za-z0-9._:-]");
    if (!seen.insert(g).second) e.Add(Where("gates", i, g), "is listed twice");
  }
}

void CheckPhrases(const TerminalConfig& c, Errors& e) {
  if (!IsLanguage(c.language)) e.Add("language", "must look like \"en\" or \"pt-BR\"");
  if (!IsLanguage(c.default_language)) {
    e.Add("default_language", "must look like \"en\" or \"pt-BR\"");
  }
  for (const auto& [lang, table] : c.phrases) {
    const std::string where = "phrases." + lang;
    if (!IsLanguage(lang)) e.Add(where, "is not a language like \"en\" or \"pt-BR\"");
    for (const auto& [name, text] : table) {
      if (!ParseSituation(name)) {
        e.Add(where + "." + name, "is not a situation (see docs/terminal.md, \"Phrases\")");
      }
      if (text.empty() || text.size() > kMaxPhraseBytes || !IsScreenText(text, false)) {
        e.Add(where + "." + name, "must be 1..400 bytes of text without control characters");
      }
    }
  }
  if (c.post_orders.empty() || c.post_orders.size() > kMaxPostOrdersBytes ||
      !IsScreenText(c.post_orders, true)) {
    e.Add("post_orders", "must be 1..4000 bytes of text (lines, no other control characters)");
  }
}

void CheckGuards(const TerminalConfig& c, Errors& e) {
  std::set<std::string> seen;
  for (size_t i = 0; i < c.guards.size(); ++i) {
    const GuardLogin& g = c.guards[i];
    const std::string where = Where("guards", i, g.person);
    if (!IsId(g.person)) e.Add(where, "person must be 1..64 bytes of [A-Za-z0-9._:-]");
    if (!seen.insert(g.person).second) e.Add(where, "is listed twice");
    if (!IsId(g.role)) e.Add(where, "role must be 1..64 bytes of [A-Za-z0-9._:-]");
    if (!IsStoredCode(g.login_code)) {
      e.Add(where, "login_code must be a stored hash \"sha256$<salt>$<digest>\"");
    }
    if (!g.duress_code.empty() && !IsStoredCode(g.duress_code)) {
      e.Add(where, "duress_code must be empty or a stored hash \"sha256$<salt>$<digest>\"");
    }
    if (!g.duress_code.empty() && g.duress_code == g.login_code) {
      e.Add(where, "duress_code is the login code");
    }
  }
}

void CheckKinds(const TerminalConfig& c, Errors& e) {
  std::set<std::string> seen;
  for (size_t i = 0; i < c.incident_kinds.size(); ++i) {
    const IncidentKind& k = c.incident_kinds[i];
    const std::string where = Where("incident_kinds", i, k.name);
    if (!IsId(k.name)) e.Add(where, "name must be 1..64 bytes of [A-Za-z0-9._:-]");
    if (!seen.insert(k.name).second) e.Add(where, "is listed twice");
    if (k.label.size() > kMaxNameBytes || !IsScreenText(k.label, false)) {
      e.Add(where, "label must be at most 64 bytes of text");
    }
    std::set<std::string> steps;
    for (size_t j = 0; j < k.steps.size(); ++j) {
      const ProcedureStep& s = k.steps[j];
      const std::string step_where = where + " " + Where("steps", j, s.id);
      if (!IsId(s.id)) e.Add(step_where, "id must be 1..64 bytes of [A-Za-z0-9._:-]");
      if (!steps.insert(s.id).second) e.Add(step_where, "is listed twice");
      if (s.text.empty() || s.text.size() > kMaxPhraseBytes || !IsScreenText(s.text, false)) {
        e.Add(step_where, "text must be 1..400 bytes of text");
      }
    }
  }
}

void CheckScansAndLimits(const TerminalConfig& c, Errors& e) {
  for (size_t i = 0; i < c.checkpoint_prefixes.size(); ++i) {
    const std::string& p = c.checkpoint_prefixes[i];
    if (p.empty() || p.front() == '/' || p.find(' ') != std::string::npos ||
        p.size() > kMaxCodeBytes || !IsScreenText(p, false)) {
      e.Add(Where("checkpoint_prefixes", i, p),
            "must be 1..128 bytes without spaces, not starting with '/'");
    }
  }
  if (c.panic_cancel_window < 0 || c.panic_cancel_window > 60 * kMicrosPerSecond) {
    e.Add("panic_cancel_window", "must be 0..60 s");
  }
  if (c.decision_timeout < kMicrosPerSecond || c.decision_timeout > 60 * kMicrosPerSecond) {
    e.Add("decision_timeout", "must be 1..60 s");
  }
  if (c.max_login_failures < 1 || c.max_login_failures > 100) {
    e.Add("max_login_failures", "must be 1..100");
  }
  if (c.login_lockout < 0 || c.login_lockout > 3600 * kMicrosPerSecond) {
    e.Add("login_lockout", "must be 0..3600 s");
  }
  if (c.max_pending_scans < 1 || c.max_pending_scans > 10000) {
    e.Add("max_pending_scans", "must be 1..10000");
  }
}

}  // namespace

const GuardLogin* TerminalConfig::FindGuard(std::string_view person) const {
  for (const GuardLogin& g : guards) {
    if (g.person == person) return &g;
  }
  return nullptr;
}

const IncidentKind* TerminalConfig::FindIncidentKind(std::string_view name) const {
  for (const IncidentKind& k : incident_kinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

bool TerminalConfig::HasGate(std::string_view gate) const {
  for (const std::string& g : gates) {
    if (g == gate) return true;
  }
  return false;
}

bool TerminalConfig::LooksLikeTag(std::string_view code) const {
  for (const std::string& p : checkpoint_prefixes) {
    if (code.substr(0, p.size()) == p) return true;
  }
  return false;
}

std::vector<std::string> ValidateTerminalConfig(const TerminalConfig& config) {
  Errors e;
  CheckIdentity(config, e);
  CheckPhrases(config, e);
  CheckGuards(config, e);
  CheckKinds(config, e);
  CheckScansAndLimits(config, e);
  return e.list;
}

}  // namespace picket::terminal
