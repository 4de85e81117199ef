#include "picketctl/event_input.h"

#include <capnp/message.h>
#include <kj/exception.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "wire/codec.h"
#include "wire/event_id.h"
#include "wire/event_json.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

using Json = nlohmann::ordered_json;

void SetDefaults(wire::Event::Builder e, const EventDefaults& d) {
  EventId id = EventId::Random();
  e.setId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  e.setSite(d.site);
  e.setProducer(d.producer);
  e.setObservedAt(d.now);
}

// The local check: the bus's own rules, so a mistake is reported before any round trip.
// The site is checked against the event's own: only the bus knows its site for sure.
std::optional<std::string> CheckAndEncode(capnp::MallocMessageBuilder& builder,
                                          std::string* error) {
  auto e = builder.getRoot<wire::Event>().asReader();
  try {
    std::string_view site(e.getSite().cStr(), e.getSite().size());
    if (auto r = CheckPublishable(e, site)) {
      *error = std::string(ErrorCodeName(r->code)) + ": " + r->message;
      if (r->message.starts_with("site is empty"))
        *error += " (give --config or --site, or \"site\" in the JSON)";
      return std::nullopt;
    }
  } catch (const kj::Exception& ex) {
    *error = ex.getDescription().cStr();
    return std::nullopt;
  }
  return Encode(builder);
}

}  // namespace

std::optional<std::string> EncodeEventFromJson(std::string_view text, const EventDefaults& defaults,
                                               std::string* error) {
  capnp::MallocMessageBuilder builder;
  auto e = builder.initRoot<wire::Event>();
  SetDefaults(e, defaults);
  if (!EventFromJsonText(text, e, error)) return std::nullopt;
  return CheckAndEncode(builder, error);
}

std::optional<std::string> EncodeEventFromFlags(const EventFlags& flags,
                                                const EventDefaults& defaults, std::string* error) {
  Json j;
  j["type"] = flags.type;
  if (flags.producer) j["producer"] = *flags.producer;
  if (flags.actor) j["actor"] = *flags.actor;
  if (flags.id) j["id"] = *flags.id;
  if (flags.observed_at) j["observedAt"] = *flags.observed_at;
  if (flags.body) {
    try {
      j["body"] = Json::parse(*flags.body);
    } catch (const Json::exception& ex) {
      *error = std::string("--body: not valid JSON: ") + ex.what();
      return std::nullopt;
    }
  }
  capnp::MallocMessageBuilder builder;
  auto e = builder.initRoot<wire::Event>();
  SetDefaults(e, defaults);
  if (!EventFromJson(j, e, error)) return std::nullopt;
  return CheckAndEncode(builder, error);
}

std::optional<std::vector<std::string>> SplitJsonEvents(std::string_view content,
                                                        std::string* error) {
  std::vector<std::string> events;
  Json whole = Json::parse(content.begin(), content.end(), nullptr, /*allow_exceptions=*/false);
  if (!whole.is_discarded()) {
    if (whole.is_object()) return std::vector<std::string>{std::string(content)};
    if (whole.is_array()) {
      for (const auto& item : whole) events.push_back(item.dump());
      return events;
    }
    *error = std::string("expected a JSON object, an array of objects or JSON lines, got ") +
             whole.type_name();
    return std::nullopt;
  }
  std::istringstream in{std::string(content)};
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (!Json::accept(line)) {
      *error =
          "line " + std::to_string(number) + ": not valid JSON (expected one JSON object per line)";
      return std::nullopt;
    }
    events.push_back(line);
  }
  return events;
}

}  // namespace picket
