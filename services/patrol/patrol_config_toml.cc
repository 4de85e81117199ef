#include "patrol/patrol_config_toml.h"

#include <cstdlib>
#include <functional>

#include "runtime/config.h"
#include "runtime/config_sections.h"
#include "runtime/time_zone_names.h"

namespace picket::patrol {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kDay = 24 * kHour;

// "HH:MM" (00:00..23:59) as minutes after midnight, or -1.
int ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return -1;
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

int ParseDay(std::string_view s) {
  static constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int i = 0; i < 7; ++i)
    if (s == kDays[i]) return i;
  return -1;
}

// Reads one `[patrol]` section. Element tables get their own ConfigReader; their errors and
// the core validation's are gathered in extra_.
class SectionParser {
 public:
  SectionParser(const toml::table& root, std::string source)
      : root_(root), source_(std::move(source)) {}

  std::optional<PatrolServiceConfig> Run(std::string* error) {
    ConfigReader top(root_, source_, "");
    ConfigReader sec = top.Table("patrol");
    const toml::node* n = root_.get("patrol");
    section_ = n ? n->as_table() : nullptr;
    RejectUnknown(sec, {"commands", "http", "reply_wait", "time_zone", "skew_limit", "skew_window",
                        "checkpoints", "routes", "schedules"});
    ReadServiceEndpoints(sec, &config_.commands, &config_.http);
    config_.reply_wait = sec.Duration("reply_wait", config_.reply_wait, 0, 30 * kSecond);
    PatrolConfig& p = config_.patrol;
    if (std::string zone = sec.String("time_zone", p.time_zone); zone != p.time_zone) {
      std::string why;
      if (auto rule = ResolveTimeZone(zone, &why))
        p.time_zone = *rule;
      else
        sec.Fail("time_zone", why);
    }
    p.skew_limit = sec.Duration("skew_limit", p.skew_limit, kSecond, kDay);
    p.skew_window = sec.Duration("skew_window", p.skew_window, kMinute, kDay);
    if (section_) {
      Each(sec, "checkpoints", &checkpoint_elements_,
           [&](ConfigReader& r, const toml::table&) { return ReadCheckpoint(r); });
      Each(sec, "routes", &route_elements_,
           [&](ConfigReader& r, const toml::table&) { return ReadRoute(r); });
      Each(sec, "schedules", &schedule_elements_,
           [&](ConfigReader& r, const toml::table& t) { return ReadSchedule(r, t); });
    }
    // The core's checks only on a section that read cleanly: they would repeat its errors.
    if (top.Errors().empty() && extra_.empty())
      for (const auto& sentence : ValidatePatrolConfig(p)) Place(sentence);
    std::vector<std::string> errors = top.Errors();
    errors.insert(errors.end(), extra_.begin(), extra_.end());
    if (NoErrorsInFileOrder(std::move(errors), source_, error)) return std::move(config_);
    return std::nullopt;
  }

 private:
  // Reads each table of the array `key`; `read` returns false for an element it dropped.
  void Each(ConfigReader& sec, const std::string& key, std::vector<size_t>* elements,
            const std::function<bool(ConfigReader&, const toml::table&)>& read) {
    ForEachTable(sec, *section_, key, "patrol." + key, source_, &extra_,
                 [&](ConfigReader& r, const toml::table& t, size_t i) {
                   if (read(r, t)) elements->push_back(i);
                 });
  }

  bool ReadCheckpoint(ConfigReader& r) {
    RejectUnknown(r, {"tag", "name", "location"});
    Checkpoint c{r.RequiredString("tag"), r.RequiredString("name"), r.String("location", "")};
    if (c.tag.empty()) return false;
    config_.patrol.checkpoints.push_back(std::move(c));
    return true;
  }

  bool ReadRoute(ConfigReader& r) {
    RejectUnknown(
        r, {"id", "name", "post", "order", "checkpoints", "leg_min", "leg_max", "grace", "early"});
    Route route;
    route.id = r.RequiredString("id");
    route.name = r.String("name", "");
    route.post = r.RequiredString("post");
    const std::string order = r.String("order", "ordered");
    if (auto o = ParseRouteOrder(order))
      route.order = *o;
    else
      r.Fail("order", "unknown order '" + order + "' (ordered, any, random)");
    route.checkpoints = r.StringList("checkpoints");
    if (!r.Has("checkpoints")) r.Fail("checkpoints", "required: the route's checkpoint tags");
    route.leg_min = r.Duration("leg_min", route.leg_min, 0, kDay);
    route.leg_max = r.Duration("leg_max", route.leg_max, kSecond, kDay);
    route.grace = r.Duration("grace", route.grace, 0, kDay);
    route.early = r.Duration("early", route.early, 0, kDay);
    if (route.id.empty()) return false;
    config_.patrol.routes.push_back(std::move(route));
    return true;
  }

  bool ReadSchedule(ConfigReader& r, const toml::table& t) {
    RejectUnknown(r, {"id", "route", "at", "every", "from", "to", "days", "post", "guard"});
    Schedule s;
    s.id = r.RequiredString("id");
    s.route = r.RequiredString("route");
    s.post = r.String("post", "");
    s.guard = r.String("guard", "");
    const bool has_every = t.contains("every") || t.contains("from") || t.contains("to");
    if (has_every == t.contains("at")) {
      r.Fail(has_every ? "at" : "id",
             "give either `at` (a list of HH:MM) or `every` with `from` and `to`");
    } else if (has_every) {
      const Micros every = r.Duration("every", 0, 5 * kMinute, kDay);
      const std::string from = r.RequiredString("from"), to = r.RequiredString("to");
      const int f = ParseClock(from), e = ParseClock(to);
      if (!from.empty() && f < 0) r.Fail("from", "expected HH:MM (00:00..23:59)");
      if (!to.empty() && e < 0) r.Fail("to", "expected HH:MM (00:00..23:59)");
      if (every > 0 && f >= 0 && e >= 0) {
        std::string why;
        auto times = ExpandEvery(static_cast<int>(every / kMinute), f, e, &why);
        if (times)
          s.start_minutes = *times;
        else
          r.Fail("every", why);
      }
    } else {
      for (const auto& text : r.StringList("at")) {
        const int m = ParseClock(text);
        if (m < 0)
          r.Fail("at", "'" + text + "' is not HH:MM (00:00..23:59)");
        else
          s.start_minutes.push_back(m);
      }
      std::sort(s.start_minutes.begin(), s.start_minutes.end());
      if (std::adjacent_find(s.start_minutes.begin(), s.start_minutes.end()) !=
          s.start_minutes.end())
        r.Fail("at", "a time is listed twice");
    }
    if (r.Has("days")) {
      s.days.fill(false);
      for (const auto& name : r.StringList("days")) {
        const int d = ParseDay(name);
        if (d < 0)
          r.Fail("days", "unknown day '" + name + "' (sun mon tue wed thu fri sat)");
        else
          s.days[static_cast<size_t>(d)] = true;
      }
    }
    if (s.id.empty()) return false;
    config_.patrol.schedules.push_back(std::move(s));
    return true;
  }

  std::string At(const toml::node* node, const std::string& path, const std::string& message) {
    return ErrorAt(source_, node, section_, path, message);
  }

  // One sentence of ValidatePatrolConfig ("routes[1]: ...", "schedules[0] 'night': ...")
  // at the element it is about: the core counts from 0 over what was read, the file from 1
  // over what was written.
  void Place(const std::string& sentence) {
    const size_t colon = sentence.find(": ");
    const std::string where = colon == std::string::npos ? "" : sentence.substr(0, colon);
    const std::string message = colon == std::string::npos ? sentence : sentence.substr(colon + 2);
    const toml::node* node = nullptr;
    std::string path = "patrol";
    for (auto [key, elements] :
         {std::pair{"checkpoints", &checkpoint_elements_}, std::pair{"routes", &route_elements_},
          std::pair{"schedules", &schedule_elements_}}) {
      const std::string prefix = std::string(key) + "[";
      if (where.rfind(prefix, 0) != 0) continue;
      const size_t i = std::strtoul(where.c_str() + prefix.size(), nullptr, 10);
      const toml::node* list = section_ ? section_->get(key) : nullptr;
      const toml::array* arr = list ? list->as_array() : nullptr;
      if (arr && i < elements->size() && (*elements)[i] < arr->size()) {
        node = arr->get((*elements)[i]);
        // At the element's id (its tag for a checkpoint): the line a reader looks for.
        if (const toml::table* t = node->as_table())
          if (const toml::node* id = t->get(key == std::string_view("checkpoints") ? "tag" : "id"))
            node = id;
        path += "." + std::string(key) + "[" + std::to_string((*elements)[i] + 1) + "]";
        // The core names the element after its index ("routes[0] 'night'"): keep the name.
        if (size_t close = where.find(']'); close != std::string::npos)
          path += where.substr(close + 1);
      }
    }
    if (!node && section_ && !where.empty() && section_->get(where)) {
      node = section_->get(where);
      path += "." + where;
    }
    extra_.push_back(At(node, path, message));
  }

  const toml::table& root_;
  std::string source_;
  const toml::table* section_ = nullptr;
  std::vector<size_t> checkpoint_elements_, route_elements_, schedule_elements_;
  std::vector<std::string> extra_;
  PatrolServiceConfig config_;
};

}  // namespace

std::optional<PatrolServiceConfig> ReadPatrolConfig(const toml::table& root,
                                                    const std::string& source_name,
                                                    std::string* error) {
  return SectionParser(root, source_name).Run(error);
}

std::optional<PatrolServiceConfig> ParsePatrolConfig(std::string_view text,
                                                     const std::string& source_name,
                                                     std::string* error) {
  auto root = ParseToml(text, source_name, error);
  if (!root) return std::nullopt;
  return ReadPatrolConfig(*root, source_name, error);
}

}  // namespace picket::patrol
