#include "console/core/sessions.h"

#include <catch2/catch.hpp>

namespace picket::console {
namespace {
constexpr Micros kMin = 60 * kMicrosPerSecond;
SessionLimits Limits() {
  SessionLimits l;
  l.idle = 30 * kMin;
  l.lifetime = 12 * 60 * kMin;
  l.max_per_login = 3;
  l.max_sessions = 5;
  return l;
}
}  // namespace

TEST_CASE("console: a session is found by its token until idle or lifetime ends it") {
  SessionTable t(Limits());
  NewSession s = t.Create("ann", Role::kOfficer, "en", 0);
  REQUIRE(s.token.size() == 64);
  REQUIRE(s.session.csrf.size() == 64);
  REQUIRE(s.token != s.session.csrf);
  auto found = t.Touch(s.token, 10 * kMin);
  REQUIRE(found);
  REQUIRE(found->login == "ann");
  REQUIRE_FALSE(t.Touch("not-a-token", 10 * kMin));
  // Used every 29 minutes, it lives until the lifetime ends.
  Micros now = 10 * kMin;
  while (now + 29 * kMin < 12 * 60 * kMin) {
    now += 29 * kMin;
    REQUIRE(t.Touch(s.token, now));
  }
  REQUIRE_FALSE(t.Touch(s.token, 12 * 60 * kMin));
  REQUIRE(t.size() == 0);

  NewSession idle = t.Create("ann", Role::kOfficer, "en", 0);
  REQUIRE_FALSE(t.Touch(idle.token, 30 * kMin));
}

TEST_CASE("console: logout ends one session and logout everywhere ends all of a login") {
  SessionTable t(Limits());
  auto a1 = t.Create("ann", Role::kOfficer, "en", 0);
  auto a2 = t.Create("ann", Role::kOfficer, "en", 0);
  auto b = t.Create("bob", Role::kViewer, "en", 0);
  REQUIRE(t.End(a1.token));
  REQUIRE_FALSE(t.End(a1.token));
  REQUIRE_FALSE(t.Touch(a1.token, 1));
  REQUIRE(t.Touch(a2.token, 1));
  auto a3 = t.Create("ann", Role::kOfficer, "en", 2);
  REQUIRE(t.EndAllOf("ann") == 2);
  REQUIRE_FALSE(t.Touch(a3.token, 3));
  REQUIRE(t.Touch(b.token, 3));
}

TEST_CASE("console: sessions per login and in all are bounded, the oldest going first") {
  SessionTable t(Limits());
  auto first = t.Create("ann", Role::kOfficer, "en", 0);
  t.Create("ann", Role::kOfficer, "en", 1);
  t.Create("ann", Role::kOfficer, "en", 2);
  auto fourth = t.Create("ann", Role::kOfficer, "en", 3);
  REQUIRE(t.CountOf("ann") == 3);
  REQUIRE_FALSE(t.Touch(first.token, 4));
  REQUIRE(t.Touch(fourth.token, 4));
  t.Create("bob", Role::kViewer, "en", 5);
  t.Create("cat", Role::kViewer, "en", 6);
  t.Create("dan", Role::kViewer, "en", 7);
  REQUIRE(t.size() == 5);
}

TEST_CASE("console: the CSRF token must match exactly and the language can change") {
  SessionTable t(Limits());
  auto s = t.Create("ann", Role::kOfficer, "en", 0);
  REQUIRE(SessionTable::CsrfMatches(s.session, s.session.csrf));
  REQUIRE_FALSE(SessionTable::CsrfMatches(s.session, ""));
  REQUIRE_FALSE(SessionTable::CsrfMatches(s.session, s.session.csrf.substr(1)));
  std::string wrong = s.session.csrf;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  REQUIRE_FALSE(SessionTable::CsrfMatches(s.session, wrong));
  REQUIRE(t.SetLang(s.token, "zh-CN"));
  REQUIRE(t.Touch(s.token, 1)->lang == "zh-CN");
  REQUIRE_FALSE(t.SetLang("nope", "en"));
}

}  // namespace picket::console
