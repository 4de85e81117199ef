// The lists `picketctl access ...` prints: visits, who is on site (as a table and as the
// evacuation roll call in CSV) and the watchlist. Pure; see access_format.h. The readers
// may throw kj::Exception on a malformed reply: call these inside ReadSafely.
#pragma once

#include <capnp/list.h>

#include <string>
#include <vector>

#include "base/clock.h"
#include "picket/schemas/access.capnp.h"
#include "picketctl/text_columns.h"

namespace picket {

// A Text of the reply as a string (byte for byte), and "-" for an empty one.
std::string AccessText(capnp::Text::Reader text);
std::string DashIfEmpty(std::string s);

// One field of RFC 4180 CSV: as is, or in double quotes (quotes doubled) when it holds a
// comma, a double quote, CR or LF.
std::string CsvField(const std::string& value);

// Visits by entry time, with a header; "no visits in that period" when empty:
//   VISIT  PERSON  KIND     PASS   GATE   POST    GUARD    IN                    OUT
//   7      v1      visitor  V-1    north  gate-1  guard-7  2026-11-28T08:00:00Z  on site
std::string FormatVisits(capnp::List<wire::VisitInfo>::Reader visits);

// The roll call, by person key, with a header; "nobody is on site" when empty:
//   NAME       PERSON  GATE   POST    SINCE                 PASS    KIND
//   Ann Smith  p1      north  gate-1  2026-11-28T08:00:00Z  PASS-1  staff
// PASS is "manual" for a manual entry without a pass.
std::string FormatOnSite(capnp::List<wire::OnSiteInfo>::Reader on_site);

// The same as RFC 4180 CSV: the header "name,person,gate,post,since,pass,kind" and one
// record per person, lines ending in CRLF; always the header, even when nobody is on site.
std::string FormatOnSiteCsv(capnp::List<wire::OnSiteInfo>::Reader on_site);

// The watchlist by entry id, with a header; "the watchlist is empty" when empty:
//   ENTRY  ACTION  NAME      PERSON  REASON        ADDED BY  ADDED
std::string FormatWatchlist(capnp::List<wire::WatchlistInfo>::Reader watchlist);

// The walk-ups waiting for approval, oldest first, with a header; "no walk-ups are waiting
// for approval" when empty:
//   SINCE                 WAITING  PERSON  NAME  COMPANY  HOST    GATE   POST    GUARD
//   2026-11-28T13:48:00Z  12m00s   w1      Walt  Acme     host-1  north  gate-1  guard-7
std::string FormatPendingWalkUps(capnp::List<wire::PendingWalkUpInfo>::Reader pending, Micros now);

// The schema's name of a kind or action ("staff", "deny"; "unknown(7)" for a number this
// build does not know).
std::string KindName(wire::PassKind kind);
std::string ActionName(wire::WatchAction action);

}  // namespace picket
