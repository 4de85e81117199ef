#include "access/access_config_toml.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "runtime/config.h"
#include "runtime/config_sections.h"
#include "runtime/time_zone_names.h"

namespace picket::access {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kDay = 86400 * kSecond;

const toml::table* SubTable(const toml::table* t, std::string_view key) {
  if (!t) return nullptr;
  const toml::node* n = t->get(key);
  return n ? n->as_table() : nullptr;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Reads one `[access]` section. Element tables of `[[access.gates]]` get their own
// ConfigReader (ConfigReader has no array-of-tables reader); their errors, and the core
// validation's, are gathered in extra_.
class SectionParser {
 public:
  SectionParser(const toml::table& root, std::string source)
      : root_(root), source_(std::move(source)) {}

  std::optional<AccessServiceConfig> Run(std::string* error) {
    ConfigReader top(root_, source_, "");
    ConfigReader acc = top.Table("access");
    section_ = SubTable(&root_, "access");
    RejectUnknown(acc, {"commands", "http", "reply_wait", "time_zone", "overstay_grace",
                        "overstay_repeat", "walkups_need_approval", "officers", "gates", "kinds"});
    ReadServiceEndpoints(acc, &config_.commands, &config_.http);
    config_.reply_wait = acc.Duration("reply_wait", config_.reply_wait, 0, 30 * kSecond);

    AccessConfig& a = config_.access;
    // A zone name ("Europe/Berlin") becomes its POSIX rule here, once (time_zone_names.h).
    if (std::string zone = acc.String("time_zone", a.time_zone); zone != a.time_zone) {
      std::string why;
      if (auto rule = ResolveTimeZone(zone, &why))
        a.time_zone = *rule;
      else
        acc.Fail("time_zone", why);
    }
    a.overstay_grace = acc.Duration("overstay_grace", a.overstay_grace, 0, 30 * kDay);
    // 0 = once only; between 0 and 1 minute is refused by the core's validation below.
    a.overstay_repeat = acc.Duration("overstay_repeat", a.overstay_repeat, 0, 7 * kDay);
    a.walkups_need_approval = acc.Bool("walkups_need_approval", a.walkups_need_approval);
    a.officers = acc.StringList("officers");
    if (section_)
      ForEachElement(acc, *section_, "gates", "access.gates",
                     [&](ConfigReader& r, const toml::table& t, size_t i) { ReadGate(r, t, i); });
    ReadKinds(acc.Table("kinds"), SubTable(section_, "kinds"));

    // The core's own checks, each sentence placed at the key it is about.
    for (const auto& sentence : ValidateAccessConfig(&a)) Place(sentence);

    std::vector<std::string> errors = top.Errors();
    errors.insert(errors.end(), extra_.begin(), extra_.end());
    if (NoErrorsInFileOrder(std::move(errors), source_, error)) return std::move(config_);
    return std::nullopt;
  }

 private:
  // Each table of the array `key` of `t` with its index (ForEachTable).
  void ForEachElement(ConfigReader& parent, const toml::table& t, const std::string& key,
                      const std::string& path,
                      const std::function<void(ConfigReader&, const toml::table&, size_t)>& fn) {
    ForEachTable(parent, t, key, path, source_, &extra_, fn);
  }

  // The string at `key`, or nullopt if it is absent or not a string (then reported).
  static std::optional<std::string> OptionalString(ConfigReader& r, const toml::table& t,
                                                   const std::string& key) {
    const toml::node* n = t.get(key);
    std::string value = r.String(key, "");
    if (!n || !n->is_string()) return std::nullopt;
    return value;
  }

  static std::optional<DailyHours> ReadHours(ConfigReader& r, const toml::table& t,
                                             const std::string& key) {
    auto text = OptionalString(r, t, key);
    if (!text) return std::nullopt;
    std::string why;
    auto hours = DailyHours::Parse(*text, &why);
    if (!hours) r.Fail(key, why);
    return hours;
  }

  void ReadGate(ConfigReader& r, const toml::table& t, size_t element) {
    RejectUnknown(r, {"id", "post", "hours"});
    GateConfig gate;
    gate.id = r.RequiredString("id");
    if (auto post = OptionalString(r, t, "post")) {
      gate.post = *post;
      if (post->empty()) r.Fail("post", "must not be empty (leave it out for the gate id)");
    }
    gate.hours = ReadHours(r, t, "hours");
    // A gate without an id has been reported; leaving it out keeps the core's checks from
    // repeating that.
    if (gate.id.empty()) return;
    config_.access.gates.push_back(std::move(gate));
    gate_elements_.push_back(element);
  }

  void ReadKinds(ConfigReader kinds, const toml::table* t) {
    for (const auto& name : kinds.Keys()) {
      auto kind = ParsePassKind(name);
      if (!kind) {
        kinds.Fail(name, "unknown pass kind '" + name + "' (kinds: visitor, contractor, staff)");
        continue;
      }
      ConfigReader r = kinds.Table(name);  // reports a value that is not a table
      const toml::table* kt = SubTable(t, name);
      if (!kt) continue;
      RejectUnknown(r, {"default_gates", "default_hours", "max_validity", "tracks_visits"});
      // Starts from the kind's defaults: keys not given keep them.
      PassKindRules& rules = config_.access.kinds[*kind];
      if (r.Has("default_gates")) rules.default_gates = r.StringList("default_gates");
      if (r.Has("default_hours")) rules.default_hours = ReadHours(r, *kt, "default_hours");
      rules.max_validity = r.Duration("max_validity", rules.max_validity, kMinute, 3660 * kDay);
      rules.tracks_visits = r.Bool("tracks_visits", rules.tracks_visits);
    }
  }

  std::string At(const toml::node* node, const std::string& path, const std::string& message) {
    return ErrorAt(source_, node, section_, path, message);
  }

  // One sentence of ValidateAccessConfig ("gates[1]: duplicate id 'north'") as an error
  // line at the key it is about: the core counts gates from 0 (of those read), the file
  // from 1 (of those written).
  void Place(const std::string& sentence) {
    const size_t colon = sentence.find(": ");
    const std::string where = colon == std::string::npos ? "" : sentence.substr(0, colon);
    const std::string message = colon == std::string::npos ? sentence : sentence.substr(colon + 2);
    const toml::node* node = nullptr;
    std::string path = "access" + (where.empty() ? "" : "." + where);
    std::string key;  // the key of the table at `node` the message is about
    if (StartsWith(where, "gates[")) {
      const size_t i = std::strtoul(where.c_str() + 6, nullptr, 10);
      const toml::node* gates = section_ ? section_->get("gates") : nullptr;
      const toml::array* arr = gates ? gates->as_array() : nullptr;
      if (arr && i < gate_elements_.size() && gate_elements_[i] < arr->size()) {
        node = arr->get(gate_elements_[i]);
        path = "access.gates[" + std::to_string(gate_elements_[i] + 1) + "]";
        if (StartsWith(message, "id ") || StartsWith(message, "duplicate id "))
          key = "id";
        else if (StartsWith(message, "post "))
          key = "post";
      }
    } else if (StartsWith(where, "kinds.")) {
      node = SubTable(SubTable(section_, "kinds"), where.substr(6));
      if (message.find("default gate") != std::string::npos)
        key = "default_gates";
      else if (message.find("max_validity") != std::string::npos)
        key = "max_validity";
    } else if (section_ && !where.empty() && section_->get(where)) {
      node = section_->get(where);
    }
    std::string text = message;
    if (const toml::table* t = node ? node->as_table() : nullptr;
        t && !key.empty() && t->get(key)) {
      node = t->get(key);
      path += "." + key;
    }
    extra_.push_back(At(node, path, text));
  }

  const toml::table& root_;
  std::string source_;
  const toml::table* section_ = nullptr;  // root["access"] if it is a table
  std::vector<size_t> gate_elements_;     // config_.access.gates[i] is element [i] of the file
  std::vector<std::string> extra_;
  AccessServiceConfig config_;
};

}  // namespace

std::optional<AccessServiceConfig> ReadAccessConfig(const toml::table& root,
                                                    const std::string& source_name,
                                                    std::string* error) {
  return SectionParser(root, source_name).Run(error);
}

std::optional<AccessServiceConfig> ParseAccessConfig(std::string_view text,
                                                     const std::string& source_name,
                                                     std::string* error) {
  auto root = ParseToml(text, source_name, error);
  if (!root) return std::nullopt;
  return ReadAccessConfig(*root, source_name, error);
}

}  // namespace picket::access
