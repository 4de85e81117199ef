// The listIncidents query: incidents first opened in a time range, at a post or every post,
// oldest first, capped; found by a scan down the ids (IncidentStore::OpenedBetween) that
// tolerates a service clock that stepped back by less than kOpenedClockSlack.
#include <catch2/catch.hpp>

#include "escalation/core/escalation.h"
#include "escalation/core/incident_store.h"
#include "escalation/escalation_test_support.h"

namespace picket::escalation {
namespace {

using testing::Harness;
using testing::kT0;
using testing::Sec;
using Ids = std::vector<uint64_t>;

Ids IdsOf(const std::vector<IncidentSummary>& list) {
  Ids out;
  for (const auto& s : list) out.push_back(s.id);
  return out;
}

Reply List(Harness& h, Micros from, Micros to, const std::string& post = "") {
  Effects fx = h.Run("", ListIncidents{from, to, post});  // a query: no actor needed
  REQUIRE(fx.reply);
  CHECK(fx.events.empty());
  return *fx.reply;
}

}  // namespace

TEST_CASE("listIncidents gives the incidents first opened in the range at the post, oldest first",
          "[commands][query][list]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");  // 1 at kT0
  h.now += Sec(60);
  h.Report("gate-2");  // 2 at kT0 + 1m
  h.now += Sec(60);
  h.Event("terminal.panic_pressed", {{"post", "gate-1"}}, "guard-1");  // 3 at kT0 + 2m
  h.now += Sec(60);
  REQUIRE(h.Run("otto", Acknowledge{1}).reply->ok());
  h.now += Sec(60);
  REQUIRE(h.Run("otto", Resolve{1, "drill"}).reply->ok());
  h.now += Sec(3600);
  h.Report("gate-1");  // 4: past the reopen window of 1, a new incident
  const Micros t4 = h.now;

  Reply r = List(h, kT0, kT0 + Sec(3 * 60), "gate-1");
  REQUIRE(r.ok());
  CHECK_FALSE(r.truncated);
  CHECK(IdsOf(r.incidents) == Ids{1, 3});  // gate-2's and the later one are not listed
  const IncidentSummary& one = r.incidents[0];
  CHECK(one.state == IncidentState::kResolved);
  CHECK(one.first_opened_at == kT0);
  CHECK(one.acknowledged_by == "otto");
  CHECK(one.resolved_by == "otto");
  CHECK(one.resolved_at == kT0 + Sec(4 * 60));
  CHECK(r.incidents[1].type == "panic");
  CHECK(r.incidents[1].first_opened_at == kT0 + Sec(120));

  CHECK(IdsOf(List(h, kT0, t4 + 1).incidents) == Ids{1, 2, 3, 4});  // every post
  CHECK(IdsOf(List(h, kT0 + 1, t4).incidents) == Ids{2, 3});        // [from, to)
  CHECK(List(h, t4 + 1, t4 + Sec(60)).incidents.empty());
  CHECK(List(h, kT0 - Sec(3600), kT0).incidents.empty());
  CHECK(List(h, kT0, t4 + 1, "hq").incidents.empty());
}

TEST_CASE("listIncidents lists a reopened incident in the range it was first opened in",
          "[commands][query][list]") {
  Harness h;
  h.StaffNorth();
  h.Report("gate-1");  // 1 at kT0
  REQUIRE(h.Run("otto", Resolve{1, "drill"}).reply->ok());
  h.now += Sec(20 * 60);
  h.Report("gate-1");  // within the reopen window: incident 1 again, opened_at moves
  REQUIRE(h.Run("", GetIncident{1}).reply->detail->summary.opened_at == kT0 + Sec(20 * 60));

  Reply first = List(h, kT0, kT0 + Sec(60));
  REQUIRE(IdsOf(first.incidents) == Ids{1});
  CHECK(first.incidents[0].first_opened_at == kT0);
  CHECK(first.incidents[0].opened_at == kT0 + Sec(20 * 60));
  CHECK(first.incidents[0].state == IncidentState::kOpen);
  CHECK(List(h, kT0 + Sec(60), kT0 + Sec(3600)).incidents.empty());
}

TEST_CASE("listIncidents finds every incident when the service clock stepped back a little",
          "[commands][query][list]") {
  Harness h;
  h.StaffNorth();
  // Ids in opening order; times not monotonic: the clock stepped back 50 minutes (less than
  // kOpenedClockSlack) after incident 2.
  const std::vector<Micros> at = {kT0, kT0 + Sec(3600), kT0 + Sec(600), kT0 + Sec(4000),
                                  kT0 + Sec(7200)};
  for (size_t i = 0; i < at.size(); ++i) {
    h.now = at[i];
    h.Report("post-" + std::to_string(i));
  }
  CHECK(IdsOf(List(h, kT0, kT0 + Sec(601)).incidents) == Ids{1, 3});
  CHECK(IdsOf(List(h, kT0 + Sec(601), kT0 + Sec(4001)).incidents) == Ids{2, 4});
  CHECK(IdsOf(List(h, kT0 + Sec(3000), kT0 + Sec(3601)).incidents) == Ids{2});
  CHECK(IdsOf(List(h, kT0 + Sec(7200), kT0 + Sec(7201)).incidents) == Ids{5});
  CHECK(IdsOf(List(h, kT0 - Sec(1), kT0 + Sec(1)).incidents) == Ids{1});
}

TEST_CASE("listIncidents over many incidents finds the range by search, not from the end",
          "[commands][query][list]") {
  Harness h;
  h.StaffNorth();
  // 300 incidents, 10 minutes apart at different posts.
  for (int i = 0; i < 300; ++i) {
    h.now = kT0 + Sec(600) * i;
    h.Report("post-" + std::to_string(i));
  }
  Reply r = List(h, kT0 + Sec(600) * 100, kT0 + Sec(600) * 103);
  CHECK(IdsOf(r.incidents) == Ids{101, 102, 103});
  CHECK(IdsOf(List(h, kT0 + Sec(600) * 299, kT0 + Sec(600) * 400).incidents) == Ids{300});
  CHECK(IdsOf(List(h, kT0 - Sec(600), kT0 + 1).incidents) == Ids{1});
  CHECK(IdsOf(List(h, kT0 + Sec(600) * 50, kT0 + Sec(600) * 51, "post-50").incidents) == Ids{51});
}

TEST_CASE("listIncidents keeps the oldest when more match than the cap",
          "[commands][query][list]") {
  Harness h;
  h.StaffNorth();
  for (int i = 0; i < 6; ++i) {
    h.now = kT0 + Sec(60) * i;
    h.Report("post-" + std::to_string(i));
  }
  IncidentStore store(h.txn);
  IncidentStore::OpenedList capped = store.OpenedBetween(kT0, kT0 + Sec(3600), "", 4);
  CHECK(capped.truncated);
  Ids ids;
  for (const auto& o : capped.incidents) ids.push_back(o.incident.id);
  CHECK(ids == Ids{1, 2, 3, 4});
  IncidentStore::OpenedList all = store.OpenedBetween(kT0, kT0 + Sec(3600), "", 6);
  CHECK_FALSE(all.truncated);
  CHECK(all.incidents.size() == 6);
  CHECK(all.incidents.back().first_opened_at == kT0 + Sec(300));
}

TEST_CASE("listIncidents refuses a bad range or post as invalid_argument",
          "[commands][query][list]") {
  Harness h;
  auto refused = [&](Micros from, Micros to, std::string post, const std::string& says) {
    Reply r = List(h, from, to, std::move(post));
    CHECK(r.error == CommandError::kInvalidArgument);
    CHECK_THAT(r.message, Catch::Contains(says));
  };
  refused(kT0, kT0, "", "must be before to");
  refused(kT0 + 1, kT0, "", "must be before to");
  refused(kT0, kT0 + Sec(31LL * 24 * 3600) + 1, "", "longer than 31 days");
  refused(kT0, kT0 + 1, std::string(65, 'p'), "post is longer than 64 bytes");
  refused(-5, kT0, "", "0 .. 2^62");
  CHECK(List(h, kT0, kT0 + Sec(31LL * 24 * 3600), std::string(64, 'p')).ok());
  CHECK(List(h, kT0, kT0 + 1).incidents.empty());  // no incidents at all yet
}

}  // namespace picket::escalation
