// The embedded pages: every label they ask for exists in the message table (so both
// languages have it), and the page needs nothing the CSP forbids.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

#include "console/assets.h"
#include "console/core/i18n.h"

namespace picket::console {
namespace {

std::string AssetText(std::string_view path) {
  for (const Asset& a : EmbeddedAssets())
    if (a.path == path) return std::string(a.bytes);
  FAIL("no embedded asset " << path);
  return "";
}

std::set<std::string> Matches(const std::string& text, const std::regex& re) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    out.insert((*it)[1].str());
  return out;
}

bool HasKey(const std::string& key) { return Text(Lang::kEnglish, key) != key; }

}  // namespace

TEST_CASE("console: every label the pages ask for is in the message table") {
  std::string html = AssetText("/");
  std::string js;
  for (const char* path :
       {"/app.js", "/incidents.js", "/gates.js", "/patrols.js", "/scores.js", "/reports.js"})
    js += AssetText(path);
  std::set<std::string> keys =
      Matches(html, std::regex(R"(data-i18n(?:-placeholder)?="([^"]+)\")"));
  std::set<std::string> from_js = Matches(js, std::regex(R"(\bt\('([a-z_.A-Z-]+)'\s*[,)])"));
  keys.insert(from_js.begin(), from_js.end());
  REQUIRE(keys.size() > 40);
  // Keys the script builds from values.
  for (const char* k : {"severity.0",
                        "severity.1",
                        "severity.2",
                        "severity.3",
                        "severity.4",
                        "state.pending",
                        "state.open",
                        "state.acknowledged",
                        "state.resolved",
                        "state.cancelled",
                        "role.viewer",
                        "role.officer",
                        "role.supervisor",
                        "role.admin",
                        "action.acknowledge",
                        "action.details",
                        "action.step_done",
                        "decision.access.granted",
                        "decision.access.denied",
                        "decision.access.watchlist_hit",
                        "decision.access.unregistered_entry",
                        "direction.in",
                        "direction.out",
                        "kind.staff",
                        "kind.visitor",
                        "kind.contractor",
                        "kind.unknown",
                        "action.void",
                        "round.scheduled",
                        "round.in_progress",
                        "round.completed",
                        "round.not_started",
                        "round.cancelled",
                        "checkpoint.pending",
                        "checkpoint.on_time",
                        "checkpoint.late",
                        "checkpoint.missed",
                        "checkpoint.excused",
                        "subject.guard",
                        "subject.post",
                        "subject.squad",
                        "period.shift",
                        "period.day",
                        "period.week",
                        "period.month",
                        "report.kind.score",
                        "report.kind.round",
                        "report.kind.incident"})
    keys.insert(k);
  // Error codes the console itself answers with (escalation's own refusals are shown
  // through error.refused with their message).
  for (const char* code : {"bad_json", "bad_request", "no_session", "csrf", "forbidden",
                           "not_found", "too_large", "unsupported_media_type", "bad_credentials",
                           "locked", "rate_limited", "unavailable", "refused"})
    keys.insert(std::string("error.") + code);
  for (const std::string& key : keys) {
    INFO(key);
    CHECK(HasKey(key));
  }
}

TEST_CASE("console: the page has no inline script, handler or style") {
  std::string html = AssetText("/");
  REQUIRE_FALSE(std::regex_search(html, std::regex(R"(<script(?![^>]*\bsrc=))")));
  REQUIRE_FALSE(std::regex_search(html, std::regex(R"(\son[a-z]+\s*=)")));
  REQUIRE_FALSE(std::regex_search(html, std::regex(R"(\sstyle\s*=|<style)")));
  REQUIRE(html.find("http://") == std::string::npos);
  REQUIRE(html.find("https://") == std::string::npos);
  for (const char* path :
       {"/app.js", "/incidents.js", "/gates.js", "/patrols.js", "/scores.js", "/reports.js"}) {
    INFO(path);
    REQUIRE(html.find(std::string("<script src=\"") + path + "\" defer></script>") !=
            std::string::npos);
    std::string js = AssetText(path);
    REQUIRE(js.find("innerHTML") == std::string::npos);
    REQUIRE(js.find("eval(") == std::string::npos);
    REQUIRE(js.find("https://") == std::string::npos);
  }
}

}  // namespace picket::console
