// console_api: what picket-console decodes from outside or from its own store
// (console/core/api_json.h, incident_model.h, gate_feed.h, activity_report.h). The first
// byte picks the decoder, the rest is its input:
//   0  a request body: ParseObject, then StringMember "text" (required, <= 2000 bytes)
//   1  a path segment: ParseId and IsStepId
//   2  a stored incident row: DecodeIncident
//   3  a stored history line: DecodeHistoryLine
//   4  a stored gate decision: DecodeGateEvent
//   5  a report cell: CsvCell
// Invariants: a refusal has an error code and a 4xx status; an accepted body is an
// object; an accepted member is 1..2000 bytes without control characters other than tab
// and newline; an id is 1..2^63; a decoded row encodes to bytes that decode and encode to
// the same bytes again, and its JSON view dumps; a CSV cell with a comma, a quote or a
// line break is quoted, and none but a whole number starts with a formula character.
#include <cstddef>
#include <cstdint>
#include <string>

#include "console/core/activity_report.h"
#include "console/core/api_json.h"
#include "console/core/gate_feed.h"
#include "console/core/incident_model.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace picket;
using namespace picket::console;

// Decode -> Encode is a fixed point after one round.
template <typename Decode, typename Encode, typename View>
void RoundTrip(std::string_view bytes, Decode decode, Encode encode, View view) {
  auto first = decode(bytes);
  if (!first) return;
  const std::string once = encode(*first);
  auto second = decode(once);
  fuzz::Require(second.has_value(), "an encoded row decodes");
  fuzz::Require(encode(*second) == once, "encoding a decoded row is stable");
  DumpJson(view(*second));  // must not throw
}

// "-12", "7": a number a spreadsheet may read as one (CsvCell leaves it as it is).
bool IsWholeNumber(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in = fuzz::Bytes(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      ApiError error;
      auto object = ParseObject(in, &error);
      if (!object) {
        fuzz::Require(!error.code.empty() && error.status >= 400 && error.status < 500,
                      "a refused body has a 4xx code");
        return 0;
      }
      fuzz::Require(object->is_object(), "an accepted body is an object");
      auto text = StringMember(*object, "text", true, 2000, &error);
      if (text) {
        fuzz::Require(!text->empty() && text->size() <= 2000, "a member is 1..2000 bytes");
        for (unsigned char c : *text)
          fuzz::Require(c >= 0x20 || c == '\t' || c == '\n', "no control characters");
      } else {
        fuzz::Require(error.code == "bad_request", "a bad member is bad_request");
      }
      DumpJson(*object);
      return 0;
    }
    case 1: {
      if (auto id = ParseId(in)) fuzz::Require(*id >= 1 && *id <= (1ULL << 63), "an id in range");
      if (IsStepId(in)) fuzz::Require(!in.empty() && in.size() <= 64, "a step id is 1..64");
      return 0;
    }
    case 2:
      RoundTrip(in, DecodeIncident, EncodeIncident,
                [](const IncidentView& v) { return IncidentJson(v); });
      return 0;
    case 3:
      RoundTrip(in, DecodeHistoryLine, EncodeHistoryLine,
                [](const HistoryLine& l) { return HistoryJson(l); });
      return 0;
    case 4:
      RoundTrip(in, DecodeGateEvent, EncodeGateEvent,
                [](const GateEvent& e) { return GateEventJson(e); });
      return 0;
    default: {
      const std::string cell = CsvCell(std::string(in));
      if (in.find_first_of(",\"\r\n") != std::string_view::npos)
        fuzz::Require(cell.size() >= 2 && cell.front() == '"' && cell.back() == '"',
                      "a cell with a comma, quote or line break is quoted");
      const size_t first = cell.empty() ? 0 : (cell[0] == '"' ? 1 : 0);
      if (cell.size() > first && !IsWholeNumber(in))
        fuzz::Require(std::string_view("=+-@").find(cell[first]) == std::string_view::npos,
                      "no cell but a number starts with a formula character");
      return 0;
    }
  }
}
