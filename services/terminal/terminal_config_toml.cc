#include "terminal/terminal_config_toml.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "runtime/config.h"
#include "runtime/config_sections.h"
#include "terminal/core/code_hash.h"
#include "terminal/core/line_protocol.h"
#include "terminal/core/phrases.h"

namespace picket::terminal {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;

const toml::table* Sub(const toml::table* t, std::string_view key) {
  const toml::node* n = t ? t->get(key) : nullptr;
  return n ? n->as_table() : nullptr;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

bool IsId(std::string_view s) {
  return !s.empty() && s.size() <= kMaxNameBytes && std::all_of(s.begin(), s.end(), IsIdChar);
}

// A name from outside the files (the command line) as it may appear in a message.
std::string Shown(std::string_view name) {
  return IsId(name) ? "'" + std::string(name) + "'" : "(not a name of 1..64 bytes [A-Za-z0-9._:-])";
}

bool IsSalt(std::string_view s) {
  return s.size() >= 8 && s.size() <= 64 && s.size() % 2 == 0 &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string SituationNames() {
  std::vector<std::string> names;
  for (Situation s : AllSituations()) names.emplace_back(SituationName(s));
  return Join(names);
}

// The name the core gives an element in its sentences (terminal_config.cc, Where).
std::string CoreWhere(std::string_view field, size_t i, std::string_view name) {
  return std::string(field) + "[" + std::to_string(i) + "] '" + std::string(name) + "'";
}

// A guard's stored codes as read from the codes file.
struct StoredCodes {
  std::string login;
  std::string duress;
  const toml::node* node = nullptr;  // the guard's table
};

// Where a sentence of ValidateTerminalConfig about one element is reported.
struct Anchor {
  bool in_codes = false;  // the codes file, else site.toml
  const toml::node* node = nullptr;
  std::string path;  // the key path shown
};
using Anchors = std::map<std::string, Anchor>;  // the core's "where" -> the place

class TerminalSectionReader {
 public:
  TerminalSectionReader(const toml::table& root, std::string source, const toml::table& codes,
                        std::string codes_source)
      : root_(root),
        source_(std::move(source)),
        codes_(codes),
        codes_source_(std::move(codes_source)),
        top_(root_, source_, ""),
        codes_top_(codes_, codes_source_, "") {}

  std::optional<TerminalServiceConfig> Run(std::string_view post, std::string* error) {
    section_ = Sub(&root_, "terminal");
    ConfigReader sec = top_.Table("terminal");
    std::optional<TerminalServiceConfig> selected;
    if (!root_.contains("terminal")) {
      sec.Fail("posts",
               "the [terminal] section is missing: a terminal needs at least "
               "[terminal.posts.<post>] (docs/terminal.md)");
    } else if (section_) {
      ReadSiteWide(sec);
      ReadCodes();
      CheckRoles();
      selected = ReadPosts(sec, post);
    }
    std::vector<std::string> site = top_.Errors();
    site.insert(site.end(), extra_site_.begin(), extra_site_.end());
    std::vector<std::string> codes = codes_top_.Errors();
    codes.insert(codes.end(), extra_codes_.begin(), extra_codes_.end());
    std::string site_text, codes_text;
    const bool site_ok = NoErrorsInFileOrder(std::move(site), source_, &site_text);
    const bool codes_ok = NoErrorsInFileOrder(std::move(codes), codes_source_, &codes_text);
    if (site_ok && codes_ok && selected) return selected;
    if (site_ok && codes_ok) site_text = source_ + ": terminal: not read";  // not reached
    *error = site_text + (site_ok || codes_ok ? "" : "\n") + codes_text;
    return std::nullopt;
  }

 private:
  void ReadSiteWide(ConfigReader& sec) {
    RejectUnknown(
        sec, {"codes_file", "language", "default_language", "post_orders", "checkpoint_prefixes",
              "panic_cancel_window", "decision_timeout", "max_login_failures", "login_lockout",
              "max_pending_scans", "phrases", "roles", "incident_kinds", "posts"});
    sec.String("codes_file", std::string(kDefaultCodesFile));  // LoadTerminalConfig uses it
    TerminalConfig& c = site_;
    c.language = sec.String("language", c.language);
    c.default_language = sec.String("default_language", c.default_language);
    c.post_orders = sec.String("post_orders", "");
    c.checkpoint_prefixes = sec.StringList("checkpoint_prefixes");
    c.panic_cancel_window =
        sec.Duration("panic_cancel_window", c.panic_cancel_window, 0, 60 * kSecond);
    c.decision_timeout =
        sec.Duration("decision_timeout", c.decision_timeout, kSecond, 60 * kSecond);
    c.max_login_failures =
        static_cast<int>(sec.Int("max_login_failures", c.max_login_failures, 1, 100));
    c.login_lockout = sec.Duration("login_lockout", c.login_lockout, 0, 3600 * kSecond);
    c.max_pending_scans = static_cast<size_t>(
        sec.Int("max_pending_scans", static_cast<int64_t>(c.max_pending_scans), 1, 10000));
    for (const char* key : {"language", "default_language", "post_orders"}) {
      site_anchors_[key] = {false, section_->get(key), std::string("terminal.") + key};
    }
    const toml::node* prefixes = section_->get("checkpoint_prefixes");
    for (size_t i = 0; i < c.checkpoint_prefixes.size(); ++i) {
      const toml::node* item = prefixes->as_array()->get(i);
      site_anchors_[CoreWhere("checkpoint_prefixes", i, c.checkpoint_prefixes[i])] = {
          false, item, "terminal.checkpoint_prefixes[" + std::to_string(i + 1) + "]"};
    }
    ReadPhrases(sec.Table("phrases"), Sub(section_, "phrases"));
    ReadRoles(sec.Table("roles"), Sub(section_, "roles"));
    ReadIncidentKinds(sec.Table("incident_kinds"), Sub(section_, "incident_kinds"));
    CheckPatrolTags(sec);
  }

  void ReadPhrases(ConfigReader r, const toml::table* t) {
    for (const auto& lang : r.Keys()) {
      ConfigReader lr = r.Table(lang);
      const toml::table* lt = Sub(t, lang);
      if (!lt) continue;
      const std::string path = "terminal.phrases." + lang;
      site_anchors_["phrases." + lang] = {false, t->get(lang), path};
      for (const auto& name : lr.Keys()) {
        const std::string text = lr.String(name, "");
        if (!ParseSituation(name)) {
          lr.Fail(name, "unknown situation '" + name + "' (known: " + SituationNames() + ")");
          continue;
        }
        if (!lt->get(name)->is_string()) continue;
        site_.phrases[lang][name] = text;
        site_anchors_["phrases." + lang + "." + name] = {false, lt->get(name), path + "." + name};
      }
    }
  }

  void ReadRoles(ConfigReader r, const toml::table* t) {
    for (const auto& person : r.Keys()) {
      const std::string role = r.String(person, "guard");
      roles_[person] = {role, t->get(person)};
    }
  }

  // Whether one of escalation's rules opens an incident for a report of `kind`.
  static bool ReportedByRule(const toml::array& rules, const std::string& kind) {
    for (const toml::node& item : rules) {
      const toml::table* rule = item.as_table();
      if (!rule || (*rule)["event"].value_or(std::string()) != "terminal.incident_reported")
        continue;
      const std::optional<std::string> match = (*rule)["match"]["kind"].value<std::string>();
      if (!match || *match == kind) return true;
    }
    return false;
  }

  // [terminal.incident_kinds]: kind -> label. With incident types in [escalation], each
  // kind must be one, and takes its procedure from there (one place to edit a procedure);
  // with rules there, one must open an incident when the kind is reported. Every other
  // escalation type with steps is added as not reportable, for its procedure.
  void ReadIncidentKinds(ConfigReader r, const toml::table* t) {
    const toml::table* escalation = Sub(&root_, "escalation");
    const toml::table* types = Sub(escalation, "incident_types");
    const toml::node* rules_node = escalation ? escalation->get("rules") : nullptr;
    const toml::array* rules = rules_node ? rules_node->as_array() : nullptr;
    std::vector<std::string> defined;
    if (types) {
      for (const auto& [name, node] : *types) defined.emplace_back(name.str());
    }
    for (const auto& name : r.Keys()) {
      IncidentKind kind{name, r.String(name, ""), {}};
      if (!defined.empty() && !types->contains(name)) {
        r.Fail(name, "is not an incident type of [escalation] (defined: " + Join(defined) + ")");
        continue;
      }
      if (rules && !rules->empty() && !ReportedByRule(*rules, name)) {
        r.Fail(name,
               "no [[escalation.rules]] opens an incident when it is reported: add one "
               "with event = \"terminal.incident_reported\", match = { kind = \"" +
                   name + "\" }");
      }
      const std::string where = CoreWhere("incident_kinds", site_.incident_kinds.size(), name);
      site_anchors_[where] = {false, t->get(name), "terminal.incident_kinds." + name};
      ReadSteps(Sub(types, name), name, where, kind);
      site_.incident_kinds.push_back(std::move(kind));
    }
    // The other incident types with a procedure: not reportable here, but their steps show
    // when one opens at the post (a watchlist hit at the gate, a missed checkpoint).
    if (!types) return;
    for (const auto& [key, node] : *types) {
      const std::string name(key.str());
      if (r.Has(name)) continue;
      IncidentKind kind{name, "", {}, false};
      const std::string where = CoreWhere("incident_kinds", site_.incident_kinds.size(), name);
      site_anchors_[where] = {false, &node, "escalation.incident_types." + name};
      ReadSteps(node.as_table(), name, where, kind);
      if (!kind.steps.empty()) site_.incident_kinds.push_back(std::move(kind));
    }
  }

  // Escalation's own reader checks these steps; here only what the screen needs is taken.
  void ReadSteps(const toml::table* type, const std::string& name, const std::string& where,
                 IncidentKind& kind) {
    const toml::node* n = type ? type->get("steps") : nullptr;
    const toml::array* steps = n ? n->as_array() : nullptr;
    if (!steps) return;
    for (size_t i = 0; i < steps->size(); ++i) {
      const toml::table* s = steps->get(i)->as_table();
      if (!s) continue;
      ProcedureStep step;
      step.id = (*s)["id"].value_or(std::string());
      step.text = (*s)["text"].value_or(std::string());
      step.mandatory = (*s)["mandatory"].value_or(false);
      site_anchors_[where + " " + CoreWhere("steps", kind.steps.size(), step.id)] = {
          false, s, "escalation.incident_types." + name + ".steps[" + std::to_string(i + 1) + "]"};
      kind.steps.push_back(std::move(step));
    }
  }

  // With checkpoint prefixes, a patrol tag matching none would be sent as a pass scan.
  void CheckPatrolTags(ConfigReader& sec) {
    if (site_.checkpoint_prefixes.empty()) return;
    const toml::table* patrol = Sub(&root_, "patrol");
    const toml::node* n = patrol ? patrol->get("checkpoints") : nullptr;
    const toml::array* list = n ? n->as_array() : nullptr;
    if (!list) return;
    for (const toml::node& item : *list) {
      const toml::table* cp = item.as_table();
      const std::optional<std::string> tag = cp ? (*cp)["tag"].value<std::string>() : std::nullopt;
      if (tag && !tag->empty() && !site_.LooksLikeTag(*tag)) {
        sec.Fail("checkpoint_prefixes", "[patrol] checkpoint '" + *tag +
                                            "' starts with none of them: scanning it would "
                                            "send a pass scan, not a checkpoint");
      }
    }
  }

  // The codes file: [guards] person.login / person.duress, stored hashes only.
  void ReadCodes() {
    RejectUnknown(codes_top_, {"guards"});
    ConfigReader guards = codes_top_.Table("guards");
    const toml::table* gt = Sub(&codes_, "guards");
    for (const auto& person : guards.Keys()) {
      ConfigReader r = guards.Table(person);
      const toml::table* t = Sub(gt, person);
      if (!t) continue;
      RejectUnknown(r, {"login", "duress"});
      StoredCodes c{ReadCode(r, *t, "login", true), ReadCode(r, *t, "duress", false),
                    gt->get(person)};
      codes_by_person_[person] = std::move(c);
    }
  }

  // Never puts the value in a message: it may be a guard's real code.
  static std::string ReadCode(ConfigReader& r, const toml::table& t, const std::string& key,
                              bool required) {
    static const std::string kForm =
        "the stored hash \"sha256$<salt>$<digest>\" (docs/terminal.md, \"The codes file\")";
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) r.Fail(key, "is required: " + kForm);
      return "";
    }
    if (!n->is_string()) {
      r.Fail(key, n->is_number() ? "is a number, a plain code: store only " + kForm
                                 : "must be a string: " + kForm);
      return "";
    }
    const std::string value = *n->value<std::string>();
    if (IsStoredCode(value)) return value;
    if (value.empty()) {
      r.Fail(key, "is empty: give " + kForm + (required ? "" : ", or leave the key out"));
    } else if (value.rfind("sha256$", 0) == 0) {
      r.Fail(key,
             "is not a well-formed stored hash: \"sha256$\", 8..64 lowercase hex digits (an "
             "even number), \"$\", 64 lowercase hex digits");
    } else {
      r.Fail(key, "looks like a plain code: store only " + kForm);
    }
    return "";
  }

  // A role for someone without codes is a misspelt name: the guard would log in as "guard".
  void CheckRoles() {
    if (!codes_top_.Errors().empty()) return;
    for (const auto& [person, role] : roles_) {
      if (codes_by_person_.count(person)) continue;
      extra_site_.push_back(ErrorAt(source_, role.second, section_, "terminal.roles." + person,
                                    "no guard '" + person + "' in " + codes_source_));
    }
  }

  std::optional<TerminalServiceConfig> ReadPosts(ConfigReader& sec, std::string_view post) {
    ConfigReader posts = sec.Table("posts");
    const toml::table* pt = Sub(section_, "posts");
    std::vector<std::string> names = posts.Keys();
    if (!pt || names.empty()) {
      if (!section_->contains("posts") || pt)
        sec.Fail("posts", "no terminal is configured: add [terminal.posts.<post>] per post");
      return std::nullopt;
    }
    if (!pt->contains(post)) {
      sec.Fail("posts", "unknown post " + Shown(post) + " (configured: " + Join(names) + ")");
    }
    std::optional<TerminalServiceConfig> selected;
    for (const auto& name : names) {
      ConfigReader r = posts.Table(name);
      const toml::table* t = Sub(pt, name);
      if (!t) continue;
      auto config = ReadPost(name, r, *t);
      if (name == post) selected = std::move(config);
    }
    return selected;
  }

  TerminalServiceConfig ReadPost(const std::string& name, ConfigReader& r, const toml::table& t) {
    RejectUnknown(r, {"terminal", "gates", "direction", "post_orders", "guards", "http", "sync",
                      "bus_ingest", "bus_events", "bus_replay"});
    const std::string path = "terminal.posts." + name;
    Anchors anchors = site_anchors_;
    TerminalServiceConfig out;
    TerminalConfig& c = out.terminal;
    c = site_;
    c.post = name;
    anchors["post"] = {false, t.source().begin.line ? &t : section_->get("posts"), path};
    c.terminal = r.String("terminal", name + "-terminal");
    anchors["terminal"] = {false, t.get("terminal"), path + ".terminal"};
    c.gates = r.StringList("gates");
    for (size_t i = 0; i < c.gates.size(); ++i) {
      anchors[CoreWhere("gates", i, c.gates[i])] = {false, t.get("gates")->as_array()->get(i),
                                                    path + ".gates[" + std::to_string(i + 1) + "]"};
    }
    const std::string direction = r.String("direction", "in");
    if (direction == "out") {
      c.default_direction = Direction::kOut;
    } else if (direction != "in") {
      r.Fail("direction", "must be \"in\" or \"out\"");
    }
    if (t.contains("post_orders")) {
      c.post_orders = r.String("post_orders", "");
      anchors["post_orders"] = {false, t.get("post_orders"), path + ".post_orders"};
    } else if (c.post_orders.empty()) {
      r.Fail("post_orders", "is required, here or in [terminal]: the orders shown at login");
    }
    ReadGuards(r, t, c, anchors);
    out.http = r.String("http", "");
    if (!out.http.empty() && out.http.find(':') == std::string::npos)
      r.Fail("http", "must be host:port or empty");
    out.sync = r.Bool("sync", true);
    ReadBusLink(r, out);
    CheckAccessGates(r, c, t.contains("gates"));
    // The core's checks only on what read cleanly: they would repeat the reader's errors.
    if (top_.Errors().empty() && codes_top_.Errors().empty()) {
      for (const auto& sentence : ValidateTerminalConfig(c)) Place(sentence, anchors);
    }
    return out;
  }

  // bus_ingest, bus_events, bus_replay: this post's own way to the bus; all or none.
  static void ReadBusLink(ConfigReader& r, TerminalServiceConfig& out) {
    std::string* fields[] = {&out.bus_ingest, &out.bus_events, &out.bus_replay};
    const char* keys[] = {"bus_ingest", "bus_events", "bus_replay"};
    int given = 0;
    for (int i = 0; i < 3; ++i) {
      *fields[i] = r.String(keys[i], "");
      if (fields[i]->empty()) continue;
      ++given;
      if (!fields[i]->starts_with("tcp://") && !fields[i]->starts_with("ipc://"))
        r.Fail(keys[i], "must be a tcp:// or ipc:// endpoint");
    }
    if (given != 0 && given != 3)
      r.Fail("bus_ingest", "give bus_ingest, bus_events and bus_replay together, or none");
  }

  // The guards `guards` lists (default: every guard of the codes file), with their roles.
  void ReadGuards(ConfigReader& r, const toml::table& t, TerminalConfig& c, Anchors& anchors) {
    std::vector<std::string> persons;
    if (t.contains("guards")) {
      persons = r.StringList("guards");
    } else {
      for (const auto& [person, codes] : codes_by_person_) persons.push_back(person);
    }
    for (const auto& person : persons) {
      const auto codes = codes_by_person_.find(person);
      if (codes == codes_by_person_.end()) {
        if (codes_top_.Errors().empty())
          r.Fail("guards", "guard '" + person + "' has no codes in " + codes_source_);
        continue;
      }
      const std::string where = CoreWhere("guards", c.guards.size(), person);
      GuardLogin g{person, "guard", codes->second.login, codes->second.duress};
      anchors[where] = {true, codes->second.node, "guards." + person};
      if (const auto role = roles_.find(person); role != roles_.end()) {
        g.role = role->second.first;
        anchors[where + " role"] = {false, role->second.second, "terminal.roles." + person};
      }
      c.guards.push_back(std::move(g));
    }
    if (c.guards.empty() && top_.Errors().empty() && codes_top_.Errors().empty()) {
      r.Fail("guards", "nobody can log in at this terminal: " +
                           (codes_by_person_.empty() ? codes_source_ + " has no [guards]"
                                                     : std::string("the list is empty")));
    }
  }

  // Gates must be picket-access's; a post with several must say which this terminal serves.
  void CheckAccessGates(ConfigReader& r, const TerminalConfig& c, bool gates_given) {
    const toml::table* access = Sub(&root_, "access");
    const toml::node* n = access ? access->get("gates") : nullptr;
    const toml::array* list = n ? n->as_array() : nullptr;
    if (!list || list->empty()) return;
    std::vector<std::string> ids, of_post;
    for (const toml::node& item : *list) {
      const toml::table* g = item.as_table();
      if (!g) continue;
      const std::string id = (*g)["id"].value_or(std::string());
      ids.push_back(id);
      if ((*g)["post"].value_or(std::string()) == c.post || id == c.post) of_post.push_back(id);
    }
    for (const auto& gate : c.gates) {
      if (std::find(ids.begin(), ids.end(), gate) == ids.end())
        r.Fail("gates", "gate '" + gate + "' is not an [[access.gates]] id (" + Join(ids) + ")");
    }
    if (!gates_given && of_post.size() > 1) {
      r.Fail("gates", "post '" + c.post + "' has several [[access.gates]] (" + Join(of_post) +
                          "): list the ones this terminal serves");
    }
  }

  // One sentence of ValidateTerminalConfig at the key it is about: the longest known
  // element name it starts with, else the section.
  void Place(const std::string& sentence, const Anchors& anchors) {
    const Anchor* best = nullptr;
    size_t best_size = 0;
    for (const auto& [where, anchor] : anchors) {
      if (where.size() >= best_size && sentence.rfind(where + ": ", 0) == 0) {
        best = &anchor;
        best_size = where.size();
      }
    }
    std::string message = sentence;
    Anchor anchor{false, section_, "terminal"};
    if (best) {
      message = sentence.substr(best_size + 2);
      anchor = *best;
      // A guard's role is in site.toml, the rest of the guard in the codes file.
      if (auto role = anchors.find(sentence.substr(0, best_size) + " role");
          role != anchors.end() && message.rfind("role ", 0) == 0)
        anchor = role->second;
    }
    // At the element's key the sentence starts with ("text must be ..."), if it has one.
    if (const toml::table* t = anchor.node ? anchor.node->as_table() : nullptr) {
      if (const toml::node* key = t->get(message.substr(0, message.find(' ')))) anchor.node = key;
    }
    const std::string& source = anchor.in_codes ? codes_source_ : source_;
    const toml::node* fallback = anchor.in_codes ? static_cast<const toml::node*>(&codes_)
                                                 : static_cast<const toml::node*>(section_);
    std::string line = ErrorAt(source, anchor.node, fallback, anchor.path, message);
    if (seen_.insert(line).second) (anchor.in_codes ? extra_codes_ : extra_site_).push_back(line);
  }

  const toml::table& root_;
  std::string source_;
  const toml::table& codes_;
  std::string codes_source_;
  ConfigReader top_;
  ConfigReader codes_top_;
  const toml::table* section_ = nullptr;

  TerminalConfig site_;  // the site-wide values every post starts from
  Anchors site_anchors_;
  std::map<std::string, std::pair<std::string, const toml::node*>> roles_;
  std::map<std::string, StoredCodes> codes_by_person_;
  std::vector<std::string> extra_site_, extra_codes_;
  std::set<std::string> seen_;  // site-wide sentences come once per post
};

}  // namespace

std::optional<TerminalServiceConfig> ReadTerminalConfig(
    const toml::table& root, const std::string& source_name, std::string_view post,
    const toml::table& codes, const std::string& codes_source, std::string* error) {
  return TerminalSectionReader(root, source_name, codes, codes_source).Run(post, error);
}

std::optional<TerminalServiceConfig> ParseTerminalConfig(
    std::string_view site_text, const std::string& source_name, std::string_view post,
    std::string_view codes_text, const std::string& codes_source, std::string* error) {
  std::string site_error, codes_error;
  auto root = ParseToml(site_text, source_name, &site_error);
  auto codes = ParseToml(codes_text, codes_source, &codes_error);
  if (!root || !codes) {
    *error = site_error + (root || codes ? "" : "\n") + codes_error;
    return std::nullopt;
  }
  return ReadTerminalConfig(*root, source_name, post, *codes, codes_source, error);
}

std::string TerminalCodesPath(const toml::table& root, const std::string& site_path) {
  const toml::table* section = Sub(&root, "terminal");
  const std::string file = section
                               ? (*section)["codes_file"].value_or(std::string(kDefaultCodesFile))
                               : std::string(kDefaultCodesFile);
  const std::filesystem::path path(file);
  if (path.is_absolute()) return file;
  return (std::filesystem::path(site_path).parent_path() / path).string();
}

std::optional<toml::table> LoadCodesFile(const std::string& path, const std::string& named_by,
                                         std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    *error = path + ": cannot open the codes file (" + named_by + ")";
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = path + ": the codes file is not a regular file";
    return std::nullopt;
  }
  if ((st.st_mode & 0007) != 0) {
    *error = path +
             ": others may read or write the codes file: chmod 600 it (or 640 with "
             "the terminal's group) and change the codes it holds";
    return std::nullopt;
  }
  auto text = ReadSmallFile(path, kMaxCodesFileBytes, error);
  if (!text) return std::nullopt;
  return ParseToml(*text, path, error);
}

std::optional<TerminalServiceConfig> LoadTerminalConfig(const std::string& site_path,
                                                        std::string_view post,
                                                        const std::string& codes_path,
                                                        std::string* error) {
  auto root = LoadTomlFile(site_path, error);
  if (!root) return std::nullopt;
  const std::string path = codes_path.empty() ? TerminalCodesPath(*root, site_path) : codes_path;
  auto codes = LoadCodesFile(
      path, codes_path.empty() ? site_path + ", terminal.codes_file" : "--codes", error);
  if (!codes) return std::nullopt;
  return ReadTerminalConfig(*root, site_path, post, *codes, path, error);
}

std::optional<std::string> HashCodeLine(std::string_view guard, CodeKind kind,
                                        std::string_view code, std::string_view salt_hex,
                                        std::string* error) {
  if (!IsId(guard)) {
    *error = "the guard must be 1..64 bytes of [A-Za-z0-9._:-]";
    return std::nullopt;
  }
  if (code.empty() || code.size() > kMaxCodeBytes || !IsPrintableText(code) ||
      code.find(' ') != std::string_view::npos) {
    *error = "the code must be 1..128 bytes without spaces or control characters";
    return std::nullopt;
  }
  if (kind == CodeKind::kDuress && code.front() == '/') {
    *error = "a duress code must not start with '/': it is also typed as a scan";
    return std::nullopt;
  }
  if (!IsSalt(salt_hex)) {
    *error = "the salt must be 8..64 lowercase hex digits, an even number";
    return std::nullopt;
  }
  const bool bare = std::all_of(guard.begin(), guard.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  const std::string key = bare ? std::string(guard) : "\"" + std::string(guard) + "\"";
  return key + (kind == CodeKind::kLogin ? ".login" : ".duress") + " = \"" +
         HashCode(code, salt_hex) + "\"";
}

}  // namespace picket::terminal
