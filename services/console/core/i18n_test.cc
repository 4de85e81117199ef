#include "console/core/i18n.h"

#include <catch2/catch.hpp>

#include "console/core/incident_model.h"
#include "wire/event_names.h"

namespace picket::console {

TEST_CASE("console: every message exists in English and zh-CN with the same placeholders") {
  auto problems = CheckMessages(MessageTable());
  for (const auto& p : problems) INFO(p);
  REQUIRE(problems.empty());
  REQUIRE(Messages(Lang::kChinese).size() == MessageTable().size());
}

TEST_CASE("console: the check catches a missing text, a duplicate and mismatched placeholders") {
  std::vector<MessageRow> rows = {
      {"a.b", "x {n}", "x {m}"}, {"a.b", "y", "y"}, {"c", "z", ""}, {"bad key", "q", "q"}};
  auto problems = CheckMessages(rows);
  REQUIRE(problems.size() == 4);
}

TEST_CASE("console: languages parse from their tags and unknown keys fall back to the key") {
  REQUIRE(ParseLang("en") == Lang::kEnglish);
  REQUIRE(ParseLang("zh-CN") == Lang::kChinese);
  REQUIRE_FALSE(ParseLang("fr"));
  REQUIRE(LangTag(Lang::kChinese) == "zh-CN");
  REQUIRE(Text(Lang::kChinese, "nav.incidents") == "事件");
  REQUIRE(Text(Lang::kEnglish, "no.such.key") == "no.such.key");
}

TEST_CASE("console: every incident event type has a history message") {
  for (auto type :
       {event_names::kIncidentOpened, event_names::kIncidentGrouped, event_names::kAlertRaised,
        event_names::kIncidentEscalated, event_names::kLevelUnstaffed,
        event_names::kIncidentAcknowledged, event_names::kIncidentUnacknowledged,
        event_names::kStepDone, event_names::kNoteAdded, event_names::kIncidentResolved,
        event_names::kIncidentReopened, event_names::kIncidentSilenced, event_names::kSilenceEnded,
        event_names::kIncidentReassigned, event_names::kIncidentCancelled}) {
    REQUIRE(IsIncidentEventType(type));
    std::string key = "history." + std::string(type);
    INFO(key);
    REQUIRE(Text(Lang::kEnglish, key) != key);
  }
}

}  // namespace picket::console
