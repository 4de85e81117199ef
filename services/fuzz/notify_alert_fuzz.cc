// notify_alert: one recorded event frame as picket-notify reads an alert from it
// (notify/wire_convert.h, AlertFromWire; the host hands it the decoded AlertRaised body),
// then stores it in a delivery row (notify/core/delivery.h). Invariants: an accepted alert
// has a 16-byte id, a person and texts within their limits, a known severity name or "",
// clean texts cut from clean texts stay clean; its delivery row decodes to the same value.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "notify/core/delivery.h"
#include "notify/wire_convert.h"
#include "wire/codec.h"
#include "wire/text_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::notify;
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        if (!event.getBody().isStruct()) return;  // the host refuses it before
        auto body = event.getBody().getAs<wire::AlertRaised>();
        std::string why;
        auto alert = AlertFromWire(event, body, &why);
        if (!alert) {
          fuzz::Require(!why.empty(), "a refused alert says why");
          return;
        }
        fuzz::Require(alert->event_id.size() == 16, "a 16-byte id");
        fuzz::Require(!alert->person.empty() && alert->person.size() <= kMaxAlertTextBytes,
                      "a person within the limit");
        fuzz::Require(alert->target.size() <= kMaxAlertTextBytes &&
                          alert->reason.size() <= kMaxAlertTextBytes &&
                          alert->incident_type.size() <= kMaxAlertTextBytes &&
                          alert->post.size() <= kMaxAlertTextBytes &&
                          alert->note.size() <= kMaxAlertNoteBytes,
                      "texts within their limits");
        const std::string& s = alert->severity;
        fuzz::Require(s.empty() || s == "low" || s == "medium" || s == "high" || s == "critical",
                      "a known severity or none");
        auto clean_cut = [](capnp::Text::Reader from, const std::string& cut) {
          return !IsCleanText(std::string_view(from.cStr())) || IsCleanText(cut);
        };
        fuzz::Require(clean_cut(body.getIncidentType(), alert->incident_type) &&
                          clean_cut(body.getPost(), alert->post) &&
                          clean_cut(body.getNote(), alert->note),
                      "clean text cut stays clean");
        Delivery d;
        d.id = "0123456789abcdef";
        d.channel = "pager";
        d.alert = *alert;
        auto row = DecodeDelivery(EncodeDelivery(d));
        fuzz::Require(row.has_value() && *row == d, "the alert's delivery row round-trips");
      },
      &error);
  return 0;
}
