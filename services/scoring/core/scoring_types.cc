#include "scoring/core/scoring_types.h"

namespace picket::scoring {

FieldKind KindOf(const FieldValue& v) {
  if (std::holds_alternative<bool>(v)) return FieldKind::kBool;
  if (std::holds_alternative<int64_t>(v)) return FieldKind::kInt;
  return FieldKind::kText;
}

std::string_view FieldKindName(FieldKind k) {
  switch (k) {
    case FieldKind::kBool:
      return "bool";
    case FieldKind::kInt:
      return "integer";
    case FieldKind::kText:
      return "text";
  }
  return "?";
}

std::string_view SubjectKindName(SubjectKind k) {
  switch (k) {
    case SubjectKind::kGuard:
      return "guard";
    case SubjectKind::kPost:
      return "post";
    case SubjectKind::kSquad:
      return "squad";
  }
  return "?";
}

}  // namespace picket::scoring
