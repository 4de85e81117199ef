// The console's side of picket-scoring's command endpoint (schemas/scoring.capnp,
// docs/scoring.md): the queries behind the Scores page (leaderboard, explain, awards) and
// the supervisors' commands (void an entry, record a commendation or an inspection), the
// officer's login as actor. Replies come back as the HTTP status and JSON body of the
// console's API (docs/console.md):
//
//   scoring says                 HTTP  code
//   none                         200   (the answer)
//   invalidArgument              400   invalid_argument
//   unknownPost / unknownEntry   404   unknown_post / unknown_entry
//   unknownCategory              400   unknown_category
//   alreadyVoided                409   already_voided
//   malformed                    502   bad_gateway
//   unavailable / no answer      503   unavailable
//
// Blocking (CallCommand): HTTP worker threads only. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "console/service_endpoint.h"

namespace picket::console {

// Period and subject kinds by name ("shift", "day", "week", "month"; "guard", "post",
// "squad"), as the API takes them; the index is the wire enum's value.
int PeriodIndex(const std::string& name);   // -1 if unknown
int SubjectIndex(const std::string& name);  // -1 if unknown

struct FindingInput {
  std::string category, note;
  bool passed = false;
};

class ScoringClient {
 public:
  explicit ScoringClient(ServiceTarget target) : target_(std::move(target)) {}

  // {"period": {...}, "standings": [{"rank", "subject", "points", "rewards", "penalties",
  // "entries"}...], "truncated"}
  ApiResult Leaderboard(int period, int subjects, Micros at, uint32_t limit) const;
  // {"period": {...}, "totals": {...}, "entries": [entry...]}
  ApiResult Explain(int subject_kind, const std::string& subject, int period, Micros at) const;
  // {"awards": [{"period": {...}, "post", "points", "previous"}...]}, latest first
  ApiResult Awards(int period, uint32_t limit) const;
  // {"entry": entry}
  ApiResult Void(const std::string& actor, uint64_t entry, const std::string& reason) const;
  // {"id": commendation id}
  ApiResult Commend(const std::string& actor, const std::string& post, const std::string& guard,
                    const std::string& reason) const;
  // {"id": inspection id}
  ApiResult Inspect(const std::string& actor, const std::string& post, const std::string& guard,
                    const std::vector<FindingInput>& findings) const;

 private:
  ApiResult Call(const std::string& request, int attempts) const;

  ServiceTarget target_;
};

}  // namespace picket::console
