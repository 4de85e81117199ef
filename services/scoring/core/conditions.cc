// Conditions (their grammar is in scoring_config.h), and the rules' other readings of a
// Fact: labels, subjects, once/match values.
#include <charconv>
#include <limits>

#include "scoring/core/rules.h"

namespace picket::scoring {
namespace {

constexpr Micros kSecondMicros = 1'000'000;

bool IsFieldChar(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return alpha || (!first && c >= '0' && c <= '9');
}

bool IsBareChar(char c) { return IsFieldChar(c, false) || c == '.' || c == ':' || c == '-'; }

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool Fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return false;
}

// [+|-]digits as int64.
std::optional<int64_t> ParseInteger(std::string_view s) {
  const bool signed_ = !s.empty() && (s.front() == '+' || s.front() == '-');
  if (!IsDigits(s.substr(signed_ ? 1 : 0))) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);  // from_chars takes '-' only
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// digits then s, m, h or d, as µs; nullopt if not that form or out of range.
std::optional<int64_t> ParseDuration(std::string_view s, bool* overflow) {
  if (s.size() < 2 || !IsDigits(s.substr(0, s.size() - 1))) return std::nullopt;
  Micros unit = 0;
  switch (s.back()) {
    case 's':
      unit = kSecondMicros;
      break;
    case 'm':
      unit = 60 * kSecondMicros;
      break;
    case 'h':
      unit = 3600 * kSecondMicros;
      break;
    case 'd':
      unit = 86400 * kSecondMicros;
      break;
    default:
      return std::nullopt;
  }
  auto n = ParseInteger(s.substr(0, s.size() - 1));
  if (!n || *n > std::numeric_limits<int64_t>::max() / unit) {
    *overflow = true;
    return std::nullopt;
  }
  return *n * unit;
}

// "..." with \" and \\ as the only escapes; the whole of `s`.
bool ParseQuoted(std::string_view s, std::string* out, std::string* error) {
  out->clear();
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
      out->push_back(s[++i]);
    } else if (s[i] == '"') {
      if (i + 1 != s.size()) return Fail(error, "unexpected text after the quoted value");
      return true;
    } else {
      out->push_back(s[i]);
    }
  }
  return Fail(error, "the quoted value lacks its closing '\"'");
}

bool ParseValue(std::string_view s, FieldValue* out, std::string* error) {
  if (s.empty()) return Fail(error, "expected a value after the operator");
  if (s.front() == '"') {
    std::string text;
    if (!ParseQuoted(s, &text, error)) return false;
    *out = std::move(text);
    return true;
  }
  if (s == "true" || s == "false") {
    *out = (s == "true");
    return true;
  }
  if (auto n = ParseInteger(s)) {
    *out = *n;
    return true;
  }
  bool overflow = false;
  if (auto d = ParseDuration(s, &overflow)) {
    *out = *d;
    return true;
  }
  if (overflow || IsDigits(s.substr(s.front() == '-' || s.front() == '+' ? 1 : 0)))
    return Fail(error, "the number '" + std::string(s) + "' is out of range");
  for (char c : s)
    if (!IsBareChar(c))
      return Fail(error,
                  "the value must be true, false, an integer, a duration (30s, 5m, 2h, "
                  "1d), a bare word of [A-Za-z0-9_.:-] or a \"quoted\" text");
  *out = std::string(s);
  return true;
}

// The operator at the start of `s` (two-character ones first); its length in *len.
std::optional<Op> ParseOp(std::string_view s, size_t* len) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {{"==", Op::kEq}, {"!=", Op::kNe},
                                                             {"<=", Op::kLe}, {">=", Op::kGe},
                                                             {"<", Op::kLt},  {">", Op::kGt}};
  for (const auto& [text, op] : kOps)
    if (s.substr(0, text.size()) == text) {
      *len = text.size();
      return op;
    }
  return std::nullopt;
}

template <class T>
bool Compare(const T& a, Op op, const T& b) {
  switch (op) {
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    case Op::kGe:
      return a >= b;
  }
  return false;
}

}  // namespace

std::optional<Condition> ParseCondition(std::string_view text, std::string* error) {
  std::string_view s = Trim(text);
  size_t n = 0;
  while (n < s.size() && IsFieldChar(s[n], n == 0)) ++n;
  if (n == 0) {
    Fail(error, "expected <field> <op> <value>, starting with a field name");
    return std::nullopt;
  }
  Condition c;
  c.field = std::string(s.substr(0, n));
  s = Trim(s.substr(n));
  size_t op_len = 0;
  auto op = ParseOp(s, &op_len);
  if (!op) {
    Fail(error, "expected an operator (== != < <= > >=) after '" + c.field + "'");
    return std::nullopt;
  }
  c.op = *op;
  if (!ParseValue(Trim(s.substr(op_len)), &c.value, error)) return std::nullopt;
  return c;
}

bool Holds(const Condition& c, const Fact& fact) {
  const FieldValue* v = FieldOf(fact, c.field);
  if (!v || v->index() != c.value.index()) return false;
  return std::visit(
      [&](const auto& have) {
        using T = std::decay_t<decltype(have)>;
        return Compare(have, c.op, std::get<T>(c.value));
      },
      *v);
}

const FieldValue* FieldOf(const Fact& fact, std::string_view name) {
  auto it = fact.fields.find(name);
  return it == fact.fields.end() ? nullptr : &it->second;
}

std::string FormatValue(const FieldValue& v) {
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return std::get<std::string>(v);
}

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kEq:
      return "==";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
  }
  return "?";
}

std::string FormatCondition(const Condition& c) {
  std::string value = FormatValue(c.value);
  if (KindOf(c.value) == FieldKind::kText) value = "\"" + value + "\"";
  return c.field + " " + std::string(OpName(c.op)) + " " + value;
}

std::optional<std::vector<std::string>> LabelFields(std::string_view label, std::string* error) {
  std::vector<std::string> out;
  for (size_t open = label.find('{'); open != std::string_view::npos;
       open = label.find('{', open + 1)) {
    const size_t close = label.find('}', open);
    if (close == std::string_view::npos) {
      Fail(error, "a '{' in the label is not closed");
      return std::nullopt;
    }
    if (close == open + 1) {
      Fail(error, "the label has an empty {}");
      return std::nullopt;
    }
    out.emplace_back(label.substr(open + 1, close - open - 1));
    open = close;
  }
  return out;
}

std::string FillLabel(std::string_view label, const Fact& fact) {
  std::string out;
  size_t pos = 0;
  for (size_t open = label.find('{'); open != std::string_view::npos; open = label.find('{', pos)) {
    const size_t close = label.find('}', open);
    if (close == std::string_view::npos) break;  // validation refuses it; kept as written
    out.append(label.substr(pos, open - pos));
    if (const FieldValue* v = FieldOf(fact, label.substr(open + 1, close - open - 1)))
      out += FormatValue(*v);
    pos = close + 1;
  }
  out.append(label.substr(pos));
  return out;
}

std::optional<std::vector<FieldValue>> ValuesOf(const Fact& fact,
                                                const std::vector<std::string>& fields) {
  std::vector<FieldValue> out;
  for (const auto& name : fields) {
    const FieldValue* v = FieldOf(fact, name);
    if (!v) return std::nullopt;
    out.push_back(*v);
  }
  return out;
}

std::string SubjectOf(std::string_view spec, const Fact& fact) {
  if (spec.empty()) return "";
  if (spec == kActorSubject) return fact.actor;
  const FieldValue* v = FieldOf(fact, spec);
  const auto* text = v ? std::get_if<std::string>(v) : nullptr;
  return text ? *text : "";
}

}  // namespace picket::scoring
