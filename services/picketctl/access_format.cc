#include "picketctl/access_format.h"

#include "picketctl/access_lists.h"
#include "picketctl/access_time.h"
#include "picketctl/incident_format.h"
#include "wire/enum_names.h"

namespace picket {
namespace {

using wire::AccessRequest;

std::string Str(capnp::Text::Reader text) { return AccessText(text); }

std::string Joined(capnp::List<capnp::Text>::Reader list, const std::string& if_empty) {
  if (list.size() == 0) return if_empty;
  std::string out;
  for (unsigned i = 0; i < list.size(); ++i) out += (i == 0 ? "" : ", ") + Str(list[i]);
  return out;
}

std::string Validity(Micros from, Micros until) {
  return FormatAccessTime(from) + " .. " + FormatAccessTime(until);
}

// "  label        value" lines, labels padded to one width.
std::string Facts(const std::vector<std::pair<std::string, std::string>>& facts) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [label, value] : facts) rows.push_back({"  " + label, value});
  return Columns(rows);
}

std::string PassLine(wire::PassInfo::Reader p, Micros now) {
  return Str(p.getCode()) + "  " + Validity(p.getValidFrom(), p.getValidUntil()) + "  " +
         PassStatus(p, now);
}

}  // namespace

std::string PassStatus(wire::PassInfo::Reader pass, Micros now) {
  if (pass.getRevoked()) return "revoked";
  if (now < pass.getValidFrom()) return "not yet valid";
  if (now >= pass.getValidUntil()) return "expired";
  return "valid now";
}

std::string FormatAccessResult(AccessRequest::Reader request, wire::AccessReply::Reader reply) {
  switch (request.which()) {
    case AccessRequest::REGISTER_PERSON: {
      auto p = request.getRegisterPerson();
      return "person " + Str(p.getPerson()) + " registered: " + Str(p.getName()) + " (" +
             KindName(p.getKind()) + ")";
    }
    case AccessRequest::PRE_REGISTER_VISITOR: {
      auto p = request.getPreRegisterVisitor();
      return "visitor " + Str(p.getPerson()) + " pre-registered: " + Str(p.getName()) + ", host " +
             Str(p.getHost()) + ", expected " + FormatAccessTime(p.getExpectedAt());
    }
    case AccessRequest::REGISTER_WALK_UP: {
      auto p = request.getRegisterWalkUp();
      if (reply.getPending())
        return "walk-up visitor " + Str(p.getPerson()) +
               " waiting for approval: " + Str(p.getName()) + ", host " + Str(p.getHost()) +
               " (picketctl access approve " + Str(p.getPerson()) + " --by HOST-OR-OFFICER)";
      std::string line = "walk-up visitor " + Str(p.getPerson()) +
                         " registered: " + Str(p.getName()) + ", host " + Str(p.getHost());
      if (p.getApprovedBy().size() > 0) line += ", approved by " + Str(p.getApprovedBy());
      return line;
    }
    case AccessRequest::REGISTER_VEHICLE: {
      auto v = request.getRegisterVehicle();
      return "vehicle " + Str(v.getPlate()) + " registered: " + Str(v.getDescription()) + " (" +
             KindName(v.getKind()) + ")";
    }
    case AccessRequest::ISSUE_PASS: {
      auto p = request.getIssuePass();
      return "pass " + Str(p.getCode()) + " issued to " + Str(p.getPerson()) + ", valid " +
             Validity(p.getValidFrom(), p.getValidUntil());
    }
    case AccessRequest::REVOKE_PASS: {
      auto r = request.getRevokePass();
      return "pass " + Str(r.getCode()) + " revoked: " + Str(r.getReason());
    }
    case AccessRequest::EXTEND_PASS: {
      auto e = request.getExtendPass();
      return "pass " + Str(e.getCode()) + " extended, valid until " +
             FormatAccessTime(e.getValidUntil());
    }
    case AccessRequest::CHECK_OUT: {
      auto c = request.getCheckOut();
      std::string line = Str(c.getPerson()) + " checked out";
      if (c.getGate().size() > 0) line += " at " + Str(c.getGate());
      return line;
    }
    case AccessRequest::ADD_WATCHLIST_ENTRY: {
      auto w = request.getAddWatchlistEntry();
      std::string whom;
      if (w.getName().size() > 0) whom += " name \"" + Str(w.getName()) + "\"";
      if (w.getPerson().size() > 0)
        whom += (whom.empty() ? " person " : ", person ") + Str(w.getPerson());
      return "watchlist entry " + std::to_string(reply.getEntry()) +
             " added: " + ActionName(w.getAction()) + whom + ": " + Str(w.getReason());
    }
    case AccessRequest::APPROVE_WALK_UP: {
      auto d = request.getApproveWalkUp();
      return "walk-up visitor " + Str(d.getPerson()) + " approved by " + Str(d.getBy()) +
             ": registered";
    }
    case AccessRequest::DENY_WALK_UP: {
      auto d = request.getDenyWalkUp();
      return "walk-up visitor " + Str(d.getPerson()) + " denied by " + Str(d.getBy()) + ": " +
             Str(d.getReason());
    }
    case AccessRequest::REMOVE_WATCHLIST_ENTRY: {
      auto r = request.getRemoveWatchlistEntry();
      return "watchlist entry " + std::to_string(r.getEntry()) + " removed: " + Str(r.getReason());
    }
    default:
      return "done";
  }
}

std::string FormatAccessRefusal(wire::AccessReply::Reader reply) {
  std::string name =
      wire::SchemaEnumerantName<wire::AccessError>(static_cast<uint16_t>(reply.getError()));
  std::string message = Str(reply.getMessage());
  return name + ": " + (message.empty() ? "(no message)" : message) + "\n";
}

std::string FormatPass(wire::PassInfo::Reader p, Micros now) {
  std::string out = "pass " + Str(p.getCode()) + ": " + Str(p.getPerson()) + " (" +
                    KindName(p.getKind()) + "), valid " +
                    Validity(p.getValidFrom(), p.getValidUntil()) + ", " + PassStatus(p, now) +
                    "\n";
  std::vector<std::pair<std::string, std::string>> facts = {
      {"gates", Joined(p.getGates(), "the kind's default")},
      {"hours", p.getHours().size() > 0 ? Str(p.getHours()) : "the kind's default"},
      {"host", DashIfEmpty(Str(p.getHost()))},
      {"issued", FormatAccessTime(p.getIssuedAt()) + " by " + DashIfEmpty(Str(p.getIssuedBy()))},
      {"extensions", std::to_string(p.getExtensions())}};
  if (p.getRevoked())
    facts.push_back({"revoked", FormatAccessTime(p.getRevokedAt()) + " by " +
                                    DashIfEmpty(Str(p.getRevokedBy())) + ": " +
                                    Str(p.getRevokedReason())});
  return out + Facts(facts);
}

std::string FormatPerson(wire::PersonInfo::Reader p, Micros now) {
  std::string out = "person " + Str(p.getPerson()) + ": " + Str(p.getName()) + " (" +
                    KindName(p.getKind()) + ")\n";
  std::vector<std::pair<std::string, std::string>> facts = {
      {"aliases", Joined(p.getAliases(), "-")},
      {"company", DashIfEmpty(Str(p.getCompany()))},
      {"host", DashIfEmpty(Str(p.getHost()))},
      {"registered",
       FormatAccessTime(p.getRegisteredAt()) + " by " + DashIfEmpty(Str(p.getRegisteredBy()))}};
  if (p.getExpectedAt() != 0) facts.push_back({"expected", FormatAccessTime(p.getExpectedAt())});
  if (p.getWalkUp())
    facts.push_back({"walk-up", "approved by " + DashIfEmpty(Str(p.getApprovedBy()))});
  if (p.getVehicle())
    facts.push_back(
        {"vehicle", "plate " + Str(p.getPlate()) + ", driver " + DashIfEmpty(Str(p.getDriver()))});
  std::string on_site = "no";
  if (p.hasOnSite()) {
    auto v = p.getOnSite();
    on_site = "since " + FormatAccessTime(v.getCheckedInAt()) + " at " +
              DashIfEmpty(Str(v.getGate())) + " (" + DashIfEmpty(Str(v.getPost())) + "), " +
              (v.getManual() ? std::string("manual entry") : "pass " + Str(v.getPassCode()));
  }
  facts.push_back({"on site", on_site});
  out += Facts(facts);
  if (p.getPasses().size() == 0) return out + "passes: none\n";
  out += "passes:\n";
  for (auto pass : p.getPasses()) out += "  " + PassLine(pass, now) + "\n";
  return out;
}

std::string FormatCompliance(wire::ComplianceRequest::Reader asked,
                             wire::ComplianceInfo::Reader c) {
  std::string where = asked.getPost().size() > 0 ? Str(asked.getPost()) : "every post";
  uint32_t permille = c.getRegisteredPermille();
  std::string percent = std::to_string(permille / 10) + "." + std::to_string(permille % 10) + "%";
  std::string out = "compliance of " + where + ", " + Validity(asked.getFrom(), asked.getTo()) +
                    ": " + percent + " registered\n";
  return out + Facts({{"entries", std::to_string(c.getEntries()) + ": " +
                                      std::to_string(c.getWithPass()) + " with a pass, " +
                                      std::to_string(c.getUnregistered()) + " unregistered"},
                      {"visitors", std::to_string(c.getVisitors()) + ": " +
                                       std::to_string(c.getPreregistered()) + " pre-registered, " +
                                       std::to_string(c.getAnnounced()) + " announced at the gate"},
                      {"wait at gate", "mean " + FormatAge(c.getMeanWait()) + ", max " +
                                           FormatAge(c.getMaxWait())}});
}

std::string FormatAccessQuery(AccessRequest::Reader request, wire::AccessReply::Reader reply,
                              Micros now, bool csv) {
  switch (request.which()) {
    case AccessRequest::GET_PASS:
      return reply.hasPass() ? FormatPass(reply.getPass(), now) : "no such pass\n";
    case AccessRequest::GET_PERSON:
      return reply.hasPerson() ? FormatPerson(reply.getPerson(), now) : "no such person\n";
    case AccessRequest::LIST_VISITS:
      return FormatVisits(reply.getVisits());
    case AccessRequest::LIST_ON_SITE:
      return csv ? FormatOnSiteCsv(reply.getOnSite()) : FormatOnSite(reply.getOnSite());
    case AccessRequest::GET_COMPLIANCE:
      return FormatCompliance(request.getGetCompliance(), reply.getCompliance());
    case AccessRequest::LIST_WATCHLIST:
      return FormatWatchlist(reply.getWatchlist());
    case AccessRequest::LIST_PENDING_WALK_UPS:
      return FormatPendingWalkUps(reply.getPendingWalkUps(), now);
    default:
      return FormatAccessResult(request, reply) + "\n";
  }
}

}  // namespace picket
