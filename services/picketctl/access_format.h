// What `picketctl access ...` prints: one line per command result, a page for one pass or
// one person, the compliance figures, the tables of visits, people on site (and the
// roll call as CSV) and the watchlist; from the request sent and picket-access's reply
// (schemas/access.capnp readers). Times as RFC 3339 (access_time.h), enums by their schema
// names. Pure: `now` is passed in; nothing reads a clock or a socket.
//
// The readers may throw kj::Exception on a malformed reply: call these inside ReadSafely.
#pragma once

#include <string>

#include "base/clock.h"
#include "picket/schemas/access.capnp.h"

namespace picket {

// The one line for a successful command, without a newline, e.g.
//   pass PASS-1 issued to p1, valid 2026-11-28T08:00:00Z .. 2026-11-29T08:00:00Z
//   watchlist entry 3 added: deny name "John Doe": seen stealing copper
std::string FormatAccessResult(wire::AccessRequest::Reader request,
                               wire::AccessReply::Reader reply);

// The refusal for stderr (after "picketctl access <verb>: "), with a newline:
//   alreadyRevoked: pass PASS-1 is already revoked
std::string FormatAccessRefusal(wire::AccessReply::Reader reply);

// A query's answer for stdout (`request` is a query), ending in a newline. `csv` applies
// to listOnSite only (FormatOnSiteCsv).
std::string FormatAccessQuery(wire::AccessRequest::Reader request, wire::AccessReply::Reader reply,
                              Micros now, bool csv);

// One pass in full: holder, kind, validity and whether it is valid now, gates, hours,
// host, who issued it, extensions, revocation.
std::string FormatPass(wire::PassInfo::Reader pass, Micros now);

// One person in full: name, kind, aliases, company, host, registration, the open visit
// and every pass (one line each).
std::string FormatPerson(wire::PersonInfo::Reader person, Micros now);

// Registration compliance over [from, to) of `post` ("" = every post).
std::string FormatCompliance(wire::ComplianceRequest::Reader asked,
                             wire::ComplianceInfo::Reader info);

// "valid now", "expired", "not yet valid" or "revoked".
std::string PassStatus(wire::PassInfo::Reader pass, Micros now);

}  // namespace picket
