#include "scoring/scoring_config_toml.h"

#include "runtime/config.h"
#include "runtime/config_sections.h"
#include "runtime/time_zone_names.h"
#include "scoring/wire_convert.h"

namespace picket::scoring {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kDay = 24 * 3600 * kSecond;

// "HH:MM" (00:00..23:59) as minutes after midnight, or -1.
int ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return -1;
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

class SectionParser {
 public:
  SectionParser(const toml::table& root, std::string source)
      : root_(root), source_(std::move(source)) {}

  std::optional<ScoringServiceConfig> Run(std::string* error) {
    ConfigReader top(root_, source_, "");
    ConfigReader sec = top.Table("scoring");
    const toml::node* n = root_.get("scoring");
    section_ = n ? n->as_table() : nullptr;
    RejectUnknown(
        sec, {"commands", "http", "reply_wait", "time_zone", "shifts", "squads", "posts",
              "categories", "default_rules", "points", "award_periods", "award_delay", "rules"});
    ReadServiceEndpoints(sec, &config_.commands, &config_.http);
    config_.reply_wait = sec.Duration("reply_wait", config_.reply_wait, 0, 30 * kSecond);
    ScoringConfig& s = config_.scoring;
    if (std::string zone = sec.String("time_zone", s.time_zone); zone != s.time_zone) {
      std::string why;
      if (auto rule = ResolveTimeZone(zone, &why))
        s.time_zone = *rule;
      else
        sec.Fail("time_zone", why);
    }
    for (const auto& text : sec.StringList("shifts")) {
      const int m = ParseClock(text);
      if (m < 0)
        sec.Fail("shifts", "'" + text + "' is not HH:MM (00:00..23:59)");
      else
        s.shift_starts.push_back(m);
    }
    std::sort(s.shift_starts.begin(), s.shift_starts.end());
    if (sec.Has("squads")) {
      ConfigReader squads = sec.Table("squads");
      for (const auto& name : squads.Keys()) s.squads[name] = squads.StringList(name);
    }
    s.posts = sec.StringList("posts");
    s.categories = sec.StringList("categories");
    s.default_rules = sec.Bool("default_rules", s.default_rules);
    if (sec.Has("points")) {
      ConfigReader points = sec.Table("points");
      for (const auto& name : points.Keys())
        s.points[name] = points.Int(name, 0, -kMaxRulePoints, kMaxRulePoints);
    }
    if (sec.Has("award_periods")) {
      s.award_periods.clear();
      for (const auto& name : sec.StringList("award_periods")) {
        if (auto kind = ParsePeriodKind(name))
          s.award_periods.push_back(*kind);
        else
          sec.Fail("award_periods", "unknown period '" + name + "' (shift, day, week, month)");
      }
    }
    s.award_delay = sec.Duration("award_delay", s.award_delay, 0, kDay);
    if (section_)
      ForEachTable(sec, *section_, "rules", "scoring.rules", source_, &extra_,
                   [&](ConfigReader& r, const toml::table&, size_t i) {
                     if (ReadRule(r)) rule_elements_.push_back(i);
                   });
    // The core's checks only on a section that read cleanly: they would repeat its errors.
    if (top.Errors().empty() && extra_.empty())
      for (const auto& sentence : ValidateScoringConfig(s, BuildEventCatalog())) Place(sentence);
    std::vector<std::string> errors = top.Errors();
    errors.insert(errors.end(), extra_.begin(), extra_.end());
    if (NoErrorsInFileOrder(std::move(errors), source_, error)) return std::move(config_);
    return std::nullopt;
  }

 private:
  bool ReadRule(ConfigReader& r) {
    RejectUnknown(r, {"name", "label", "event", "when", "points", "guard", "post", "squad", "once",
                      "reverses", "match"});
    Rule rule;
    rule.name = r.RequiredString("name");
    rule.label = r.String("label", "");
    rule.event = r.RequiredString("event");
    for (const auto& text : r.StringList("when")) {
      std::string why;
      if (auto c = ParseCondition(text, &why))
        rule.when.push_back(*std::move(c));
      else
        r.Fail("when", "'" + text + "': " + why);
    }
    rule.points = r.Int("points", 0, -kMaxRulePoints, kMaxRulePoints);
    // Absent guard/post: the core's defaults (a `guard`/`post` field, else @actor / none).
    rule.guard = r.String("guard", std::string(kDefaultSubject));
    rule.post = r.String("post", std::string(kDefaultSubject));
    rule.squad = r.Bool("squad", true);
    rule.once = r.StringList("once");
    rule.reverses = r.String("reverses", "");
    rule.match = r.StringList("match");
    if (rule.name.empty()) return false;
    config_.scoring.rules.push_back(std::move(rule));
    return true;
  }

  // One sentence of ValidateScoringConfig ("rule <name>: ...") at that rule's name, or at
  // the section.
  void Place(const std::string& sentence) {
    const toml::node* node = nullptr;
    std::string path = "scoring";
    const toml::node* list = section_ ? section_->get("rules") : nullptr;
    const toml::array* arr = list ? list->as_array() : nullptr;
    const auto& rules = config_.scoring.rules;
    for (size_t i = 0; arr && i < rule_elements_.size() && i < rules.size(); ++i) {
      const std::string prefix = "rule " + rules[i].name + ": ";
      if (sentence.rfind(prefix, 0) != 0 || rule_elements_[i] >= arr->size()) continue;
      node = arr->get(rule_elements_[i]);
      if (const toml::table* t = node->as_table())
        if (const toml::node* name = t->get("name")) node = name;
      path += ".rules[" + std::to_string(rule_elements_[i] + 1) + "]";
      break;
    }
    extra_.push_back(ErrorAt(source_, node, section_, path, sentence));
  }

  const toml::table& root_;
  std::string source_;
  const toml::table* section_ = nullptr;
  std::vector<size_t> rule_elements_;
  std::vector<std::string> extra_;
  ScoringServiceConfig config_;
};

}  // namespace

std::optional<ScoringServiceConfig> ReadScoringConfig(const toml::table& root,
                                                      const std::string& source_name,
                                                      std::string* error) {
  return SectionParser(root, source_name).Run(error);
}

std::optional<ScoringServiceConfig> ParseScoringConfig(std::string_view text,
                                                       const std::string& source_name,
                                                       std::string* error) {
  auto root = ParseToml(text, source_name, error);
  if (!root) return std::nullopt;
  return ReadScoringConfig(*root, source_name, error);
}

}  // namespace picket::scoring
