#include "access/core/access_types.h"

#include <cctype>

#include "domain/record_codec.h"

namespace picket::access {
namespace {

using record::RecordReader;
using record::RecordWriter;

// The first byte of every record. DO NOT CHANGE: stored.
constexpr uint8_t kFormat = 1;

std::optional<PassKind> KindFromByte(uint8_t b) {
  if (b < 1 || b > 3) return std::nullopt;
  return static_cast<PassKind>(b);
}

void WriteHours(RecordWriter& w, const std::optional<DailyHours>& h) {
  w.Bool(h.has_value());
  w.U32(h ? static_cast<uint32_t>(h->open_minute) : 0);
  w.U32(h ? static_cast<uint32_t>(h->close_minute) : 0);
}

std::optional<DailyHours> ReadHours(RecordReader& r, bool* ok) {
  bool has = r.Bool();
  uint32_t open = r.U32(), close = r.U32();
  if (!has) return std::nullopt;
  if (open >= 1440 || close > 1440) *ok = false;
  return DailyHours{static_cast<int>(open), static_cast<int>(close)};
}

// True if the reader read a well-formed record to its end (extra bytes = newer fields).
bool Finished(const RecordReader& r, bool ok) { return ok && r.ok(); }

}  // namespace

std::string_view PassKindName(PassKind k) {
  switch (k) {
    case PassKind::kVisitor:
      return "visitor";
    case PassKind::kContractor:
      return "contractor";
    case PassKind::kStaff:
      return "staff";
  }
  return "?";
}

std::optional<PassKind> ParsePassKind(std::string_view name) {
  for (PassKind k : {PassKind::kVisitor, PassKind::kContractor, PassKind::kStaff})
    if (PassKindName(k) == name) return k;
  return std::nullopt;
}

std::string_view DirectionName(Direction d) { return d == Direction::kIn ? "in" : "out"; }

std::string_view WatchActionName(WatchAction a) {
  switch (a) {
    case WatchAction::kDeny:
      return "deny";
    case WatchAction::kAdmitWithSupervisor:
      return "supervisor";
    case WatchAction::kAdmitAndNotify:
      return "notify";
  }
  return "?";
}

std::optional<WatchAction> ParseWatchAction(std::string_view name) {
  for (WatchAction a :
       {WatchAction::kDeny, WatchAction::kAdmitWithSupervisor, WatchAction::kAdmitAndNotify})
    if (WatchActionName(a) == name) return a;
  return std::nullopt;
}

std::string NormalizeName(std::string_view name) {
  std::string out;
  bool pending_space = false;
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x80 ? static_cast<char>(std::tolower(u)) : c);
  }
  return out;
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '@' &&
        c != '-')
      return false;
  return true;
}

std::string NormalizePlate(std::string_view plate) {
  std::string out;
  for (char c : plate) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= '0' && u <= '9') {
      out.push_back(c);
    } else if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) {
      out.push_back(static_cast<char>(std::toupper(u)));
    } else if (u == ' ' || (u >= '\t' && u <= '\r') || (u > ' ' && u < 0x7f)) {
      continue;  // whitespace and punctuation: separators
    } else {
      return "";  // other control characters, DEL, bytes >= 0x80
    }
    if (out.size() > kMaxPlateChars) return "";
  }
  return out;
}

std::string VehicleId(std::string_view plate) {
  std::string normalized = NormalizePlate(plate);
  return normalized.empty() ? "" : "veh." + normalized;
}

bool IsVehicleId(std::string_view id) {
  if (id.size() < 4) return false;
  return std::tolower(static_cast<unsigned char>(id[0])) == 'v' &&
         std::tolower(static_cast<unsigned char>(id[1])) == 'e' &&
         std::tolower(static_cast<unsigned char>(id[2])) == 'h' && id[3] == '.';
}

bool IsValidPassCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code)
    if (c <= ' ' || c > '~') return false;
  return true;
}

std::string EncodePerson(const Person& p) {
  RecordWriter w;
  w.U8(kFormat).String(p.id).String(p.name).StringList(p.aliases).U8(static_cast<uint8_t>(p.kind));
  w.String(p.company).String(p.host).String(p.registered_by).I64(p.registered_at);
  w.I64(p.expected_at).Bool(p.walk_up).String(p.approved_by);
  w.Bool(p.vehicle).String(p.plate).String(p.driver);  // appended: vehicles
  return w.Take();
}

std::optional<Person> DecodePerson(std::string_view bytes) {
  RecordReader r(bytes);
  Person p;
  bool ok = r.U8() == kFormat;
  p.id = r.String();
  p.name = r.String();
  p.aliases = r.StringList();
  auto kind = KindFromByte(r.U8());
  p.company = r.String();
  p.host = r.String();
  p.registered_by = r.String();
  p.registered_at = r.I64();
  p.expected_at = r.I64();
  p.walk_up = r.Bool();
  p.approved_by = r.String();
  if (!r.AtEnd()) {  // appended for vehicles; absent in records written before
    p.vehicle = r.Bool();
    p.plate = r.String();
    if (!r.AtEnd()) p.driver = r.String();
  }
  if (!Finished(r, ok) || !kind) return std::nullopt;
  p.kind = *kind;
  return p;
}

std::string EncodePass(const Pass& p) {
  RecordWriter w;
  w.U8(kFormat).String(p.code).String(p.person).U8(static_cast<uint8_t>(p.kind));
  w.I64(p.valid_from).I64(p.valid_until).StringList(p.gates);
  WriteHours(w, p.hours);
  w.String(p.host).String(p.issued_by).I64(p.issued_at);
  w.Bool(p.revoked).String(p.revoked_by).String(p.revoked_reason).I64(p.revoked_at);
  w.U32(p.extensions);
  return w.Take();
}

std::optional<Pass> DecodePass(std::string_view bytes) {
  RecordReader r(bytes);
  Pass p;
  bool ok = r.U8() == kFormat;
  p.code = r.String();
  p.person = r.String();
  auto kind = KindFromByte(r.U8());
  p.valid_from = r.I64();
  p.valid_until = r.I64();
  p.gates = r.StringList();
  p.hours = ReadHours(r, &ok);
  p.host = r.String();
  p.issued_by = r.String();
  p.issued_at = r.I64();
  p.revoked = r.Bool();
  p.revoked_by = r.String();
  p.revoked_reason = r.String();
  p.revoked_at = r.I64();
  p.extensions = r.U32();
  if (!Finished(r, ok) || !kind) return std::nullopt;
  p.kind = *kind;
  return p;
}

std::string EncodeWatchlistEntry(const WatchlistEntry& e) {
  RecordWriter w;
  w.U8(kFormat).U64(e.id).String(e.name).String(e.person).String(e.reason);
  w.U8(static_cast<uint8_t>(e.action)).String(e.added_by).I64(e.added_at);
  return w.Take();
}

std::optional<WatchlistEntry> DecodeWatchlistEntry(std::string_view bytes) {
  RecordReader r(bytes);
  WatchlistEntry e;
  bool ok = r.U8() == kFormat;
  e.id = r.U64();
  e.name = r.String();
  e.person = r.String();
  e.reason = r.String();
  uint8_t action = r.U8();
  e.added_by = r.String();
  e.added_at = r.I64();
  if (!Finished(r, ok) || action < 1 || action > 3) return std::nullopt;
  e.action = static_cast<WatchAction>(action);
  return e;
}

std::string EncodeVisit(const Visit& v) {
  RecordWriter w;
  w.U8(kFormat).U64(v.id).String(v.person).String(v.pass_code).U8(static_cast<uint8_t>(v.kind));
  w.String(v.gate).String(v.post).String(v.guard_in).I64(v.arrived_at).I64(v.checked_in_at);
  w.I64(v.waited).Bool(v.manual).Bool(v.preregistered).String(v.note).I64(v.checked_out_at);
  w.String(v.checked_out_by).String(v.exit_gate);
  return w.Take();
}

std::optional<Visit> DecodeVisit(std::string_view bytes) {
  RecordReader r(bytes);
  Visit v;
  bool ok = r.U8() == kFormat;
  v.id = r.U64();
  v.person = r.String();
  v.pass_code = r.String();
  auto kind = KindFromByte(r.U8());
  v.gate = r.String();
  v.post = r.String();
  v.guard_in = r.String();
  v.arrived_at = r.I64();
  v.checked_in_at = r.I64();
  v.waited = r.I64();
  v.manual = r.Bool();
  v.preregistered = r.Bool();
  v.note = r.String();
  v.checked_out_at = r.I64();
  v.checked_out_by = r.String();
  v.exit_gate = r.String();
  if (!Finished(r, ok) || !kind) return std::nullopt;
  v.kind = *kind;
  return v;
}

std::string EncodeArrival(const Arrival& a) {
  RecordWriter w;
  w.U8(kFormat).I64(a.at).String(a.gate);
  return w.Take();
}

std::optional<Arrival> DecodeArrival(std::string_view bytes) {
  RecordReader r(bytes);
  Arrival a;
  bool ok = r.U8() == kFormat;
  a.at = r.I64();
  a.gate = r.String();
  if (!Finished(r, ok)) return std::nullopt;
  return a;
}

std::string EncodePendingWalkUp(const PendingWalkUp& w) {
  RecordWriter rw;
  rw.U8(kFormat).String(w.person).String(w.name).StringList(w.aliases).String(w.company);
  rw.String(w.host).String(w.post).String(w.gate).String(w.requested_by).I64(w.requested_at);
  return rw.Take();
}

std::optional<PendingWalkUp> DecodePendingWalkUp(std::string_view bytes) {
  RecordReader r(bytes);
  PendingWalkUp w;
  bool ok = r.U8() == kFormat;
  w.person = r.String();
  w.name = r.String();
  w.aliases = r.StringList();
  w.company = r.String();
  w.host = r.String();
  w.post = r.String();
  w.gate = r.String();
  w.requested_by = r.String();
  w.requested_at = r.I64();
  if (!Finished(r, ok)) return std::nullopt;
  return w;
}

}  // namespace picket::access
