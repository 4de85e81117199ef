#include "picketctl/access_lists.h"

#include <algorithm>

#include "picketctl/access_time.h"
#include "picketctl/incident_format.h"
#include "wire/enum_names.h"

namespace picket {
namespace {

std::string Str(capnp::Text::Reader text) { return AccessText(text); }

std::string PassOf(wire::VisitInfo::Reader v) {
  return v.getManual() || v.getPassCode().size() == 0 ? "manual" : Str(v.getPassCode());
}

// The cells of one roll-call line, in the order of the header.
std::vector<std::string> OnSiteCells(wire::OnSiteInfo::Reader o) {
  auto v = o.getVisit();
  return {Str(o.getName()),
          Str(v.getPerson()),
          Str(v.getGate()),
          Str(v.getPost()),
          FormatAccessTime(v.getCheckedInAt()),
          PassOf(v),
          KindName(v.getKind())};
}

}  // namespace

std::string AccessText(capnp::Text::Reader text) { return std::string(text.begin(), text.size()); }

std::string DashIfEmpty(std::string s) { return s.empty() ? "-" : s; }

std::string KindName(wire::PassKind kind) {
  return wire::SchemaEnumerantName<wire::PassKind>(static_cast<uint16_t>(kind));
}

std::string ActionName(wire::WatchAction action) {
  return wire::SchemaEnumerantName<wire::WatchAction>(static_cast<uint16_t>(action));
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string FormatVisits(capnp::List<wire::VisitInfo>::Reader visits) {
  if (visits.size() == 0) return "no visits in that period\n";
  std::vector<std::vector<std::string>> rows = {
      {"VISIT", "PERSON", "KIND", "PASS", "GATE", "POST", "GUARD", "IN", "OUT", "WAITED"}};
  for (auto v : visits) {
    std::string out = v.getCheckedOutAt() == 0 ? "on site" : FormatAccessTime(v.getCheckedOutAt());
    std::string waited = v.getArrivedAt() == 0 ? "-" : FormatAge(v.getWaited());
    rows.push_back({std::to_string(v.getVisit()), Str(v.getPerson()), KindName(v.getKind()),
                    PassOf(v), DashIfEmpty(Str(v.getGate())), DashIfEmpty(Str(v.getPost())),
                    DashIfEmpty(Str(v.getGuardIn())), FormatAccessTime(v.getCheckedInAt()), out,
                    waited});
  }
  return Columns(rows);
}

std::string FormatOnSite(capnp::List<wire::OnSiteInfo>::Reader on_site) {
  if (on_site.size() == 0) return "nobody is on site\n";
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "PERSON", "GATE", "POST", "SINCE", "PASS", "KIND"}};
  for (auto o : on_site) {
    auto cells = OnSiteCells(o);
    for (auto& c : cells) c = DashIfEmpty(std::move(c));
    rows.push_back(std::move(cells));
  }
  return Columns(rows);
}

std::string FormatOnSiteCsv(capnp::List<wire::OnSiteInfo>::Reader on_site) {
  std::string out = "name,person,gate,post,since,pass,kind\r\n";
  for (auto o : on_site) {
    auto cells = OnSiteCells(o);
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvField(cells[i]);
    out += "\r\n";
  }
  return out;
}

std::string FormatWatchlist(capnp::List<wire::WatchlistInfo>::Reader watchlist) {
  if (watchlist.size() == 0) return "the watchlist is empty\n";
  std::vector<std::vector<std::string>> rows = {
      {"ENTRY", "ACTION", "NAME", "PERSON", "REASON", "ADDED BY", "ADDED"}};
  for (auto w : watchlist) {
    rows.push_back({std::to_string(w.getEntry()), ActionName(w.getAction()),
                    DashIfEmpty(Str(w.getName())), DashIfEmpty(Str(w.getPerson())),
                    Str(w.getReason()), DashIfEmpty(Str(w.getAddedBy())),
                    FormatAccessTime(w.getAddedAt())});
  }
  return Columns(rows);
}

std::string FormatPendingWalkUps(capnp::List<wire::PendingWalkUpInfo>::Reader pending, Micros now) {
  if (pending.size() == 0) return "no walk-ups are waiting for approval\n";
  std::vector<std::vector<std::string>> rows = {
      {"SINCE", "WAITING", "PERSON", "NAME", "COMPANY", "HOST", "GATE", "POST", "GUARD"}};
  for (auto w : pending) {
    rows.push_back({FormatAccessTime(w.getRequestedAt()),
                    FormatAge(std::max<Micros>(0, now - w.getRequestedAt())), Str(w.getPerson()),
                    Str(w.getName()), DashIfEmpty(Str(w.getCompany())), Str(w.getHost()),
                    DashIfEmpty(Str(w.getGate())), DashIfEmpty(Str(w.getPost())),
                    DashIfEmpty(Str(w.getRequestedBy()))});
  }
  return Columns(rows);
}

}  // namespace picket
