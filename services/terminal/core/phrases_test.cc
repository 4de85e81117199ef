// The phrase book: names, the lookup order, and a phrase for every decision.
#include "terminal/core/phrases.h"

#include <catch2/catch.hpp>

#include <set>

namespace picket::terminal {

TEST_CASE("phrases: every situation has a name that parses back and a built-in phrase",
          "[terminal][phrases]") {
  const std::vector<Situation> all = AllSituations();
  CHECK(all.size() == kSituationCount);
  std::set<std::string_view> names;
  for (Situation s : all) {
    INFO(SituationName(s));
    CHECK(ParseSituation(SituationName(s)) == s);
    CHECK_FALSE(BuiltInPhrase(s).empty());
    names.insert(SituationName(s));
  }
  CHECK(names.size() == kSituationCount);
  CHECK_FALSE(ParseSituation("Granted_in"));
  CHECK_FALSE(ParseSituation(""));
}

TEST_CASE("phrases: each access deny reason has its own situation", "[terminal][phrases]") {
  std::set<Situation> seen;
  for (std::string_view reason : KnownDenyReasons()) {
    INFO(reason);
    const Situation s = SituationOfDecision(false, Direction::kIn, reason);
    CHECK(s != Situation::kDeniedOther);
    CHECK(SituationName(s) == "denied_" + std::string(reason));
    seen.insert(s);
  }
  CHECK(seen.size() == 9);  // schemas/access.capnp lists nine reasons
  CHECK(SituationOfDecision(false, Direction::kIn, "alien_reason") == Situation::kDeniedOther);
  CHECK(SituationOfDecision(false, Direction::kIn, "") == Situation::kDeniedOther);
  CHECK(SituationOfDecision(false, Direction::kIn, "other") == Situation::kDeniedOther);
  CHECK(SituationOfDecision(true, Direction::kIn, "") == Situation::kGrantedIn);
  CHECK(SituationOfDecision(true, Direction::kOut, "expired") == Situation::kGrantedOut);
}

TEST_CASE("phrases: the site's language, then the default language, then built-in English",
          "[terminal][phrases]") {
  PhraseTables tables;
  tables["fr"]["granted_in"] = "Bonjour, entrez.";
  tables["fr"]["denied_expired"] = "";  // an empty phrase is no phrase
  tables["de"]["denied_expired"] = "Ihr Ausweis ist abgelaufen.";
  tables["de"]["granted_in"] = "Guten Tag.";
  const PhraseBook book(tables, "fr", "de");

  const Phrase site = book.Lookup(Situation::kGrantedIn);
  CHECK(site.text == "Bonjour, entrez.");
  CHECK(site.language == "fr");
  const Phrase fallback = book.Lookup(Situation::kDeniedExpired);
  CHECK(fallback.text == "Ihr Ausweis ist abgelaufen.");
  CHECK(fallback.language == "de");
  const Phrase builtin = book.Lookup(Situation::kDeniedWatchlist);
  CHECK(builtin.text == BuiltInPhrase(Situation::kDeniedWatchlist));
  CHECK(builtin.language == "en (built-in)");

  // No tables at all: every situation still has words.
  const PhraseBook empty({}, "fr", "fr");
  for (Situation s : AllSituations()) CHECK_FALSE(empty.Lookup(s).text.empty());
}

}  // namespace picket::terminal
