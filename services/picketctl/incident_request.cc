#include "picketctl/incident_request.h"

#include <capnp/message.h>

#include <charconv>

#include "picket/schemas/escalation.capnp.h"
#include "picketctl/access_time.h"
#include "runtime/config.h"
#include "wire/codec.h"

namespace picket {
namespace {

bool RequireText(const std::string& value, const char* what, std::string* error) {
  if (!value.empty()) return true;
  *error = std::string(what) + " must not be empty";
  return false;
}

}  // namespace

std::string_view IncidentVerbName(IncidentVerb verb) {
  switch (verb) {
    case IncidentVerb::kAcknowledge:
      return "ack";
    case IncidentVerb::kUnacknowledge:
      return "unack";
    case IncidentVerb::kStepDone:
      return "step";
    case IncidentVerb::kNote:
      return "note";
    case IncidentVerb::kResolve:
      return "resolve";
    case IncidentVerb::kReassign:
      return "reassign";
    case IncidentVerb::kSilence:
      return "silence";
    case IncidentVerb::kCancel:
      return "cancel";
    case IncidentVerb::kList:
      return "list";
    case IncidentVerb::kShow:
      return "show";
  }
  return "?";
}

bool IsMutatingVerb(IncidentVerb verb) {
  return verb != IncidentVerb::kList && verb != IncidentVerb::kShow;
}

std::optional<std::string> ResolveActor(const std::string& flag, const char* picket_actor) {
  if (!flag.empty()) return flag;
  if (picket_actor != nullptr && *picket_actor != '\0') return std::string(picket_actor);
  return std::nullopt;
}

std::optional<uint64_t> ParseIncidentId(std::string_view text) {
  if (!text.empty() && text.front() == '#') text.remove_prefix(1);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id == 0) return std::nullopt;
  return id;
}

std::optional<std::string> BuildIncidentRequest(const IncidentArgs& args,
                                                std::string_view command_id, std::string* error) {
  if (IsMutatingVerb(args.verb) &&
      !RequireText(args.actor, "the actor (--as NAME or $PICKET_ACTOR: a person the site knows)",
                   error))
    return std::nullopt;
  uint64_t id = 0;
  if (args.verb != IncidentVerb::kList) {
    auto parsed = ParseIncidentId(args.incident);
    if (!parsed) {
      *error = "'" + args.incident + "' is not an incident id (a number from 1)";
      return std::nullopt;
    }
    id = *parsed;
  }
  capnp::MallocMessageBuilder message;
  auto req = message.initRoot<wire::EscalationRequest>();
  if (!args.actor.empty()) req.setActor(args.actor);
  switch (args.verb) {
    case IncidentVerb::kAcknowledge:
      req.initAcknowledge().setIncident(id);
      break;
    case IncidentVerb::kUnacknowledge:
      req.initUnacknowledge().setIncident(id);
      break;
    case IncidentVerb::kStepDone: {
      if (!RequireText(args.step, "STEP", error)) return std::nullopt;
      auto s = req.initMarkStepDone();
      s.setIncident(id);
      s.setStep(args.step);
      break;
    }
    case IncidentVerb::kNote: {
      if (!RequireText(args.text, "TEXT", error)) return std::nullopt;
      auto n = req.initAddNote();
      n.setIncident(id);
      n.setText(args.text);
      break;
    }
    case IncidentVerb::kResolve: {
      auto r = req.initResolve();
      r.setIncident(id);
      r.setOverrideReason(args.override_reason);
      break;
    }
    case IncidentVerb::kReassign: {
      if (!RequireText(args.to, "--to", error)) return std::nullopt;
      auto r = req.initReassign();
      r.setIncident(id);
      r.setTo(args.to);
      r.setReason(args.reason);
      break;
    }
    case IncidentVerb::kSilence: {
      auto duration = ParseDurationMicros(args.duration);
      if (!duration) {
        *error = "--for: '" + args.duration + "' is not a duration like 15m, 90s or 2h";
        return std::nullopt;
      }
      if (!RequireText(args.reason, "--reason", error)) return std::nullopt;
      auto s = req.initSilence();
      s.setIncident(id);
      s.setDuration(*duration);
      s.setReason(args.reason);
      break;
    }
    case IncidentVerb::kCancel:
      req.initCancel().setIncident(id);
      break;
    case IncidentVerb::kList: {
      if (args.opened_from.empty() && args.opened_to.empty() && args.post.empty()) {
        req.setListOpen();
        break;
      }
      if (args.opened_from.empty() || args.opened_to.empty()) {
        *error = "--from and --to go together (the range of opening times to list)";
        return std::nullopt;
      }
      std::string why;
      auto from = ParseAccessTime(args.opened_from, args.now, &why);
      if (!from) {
        *error = "--from: " + why;
        return std::nullopt;
      }
      auto to = ParseAccessTime(args.opened_to, args.now, &why);
      if (!to) {
        *error = "--to: " + why;
        return std::nullopt;
      }
      auto q = req.initListIncidents();
      q.setFrom(*from);
      q.setTo(*to);
      q.setPost(args.post);
      break;
    }
    case IncidentVerb::kShow:
      req.initGetIncident().setIncident(id);
      break;
  }
  if (IsMutatingVerb(args.verb)) {
    if (command_id.size() != 16) {
      *error = "internal: a command id must be 16 bytes";
      return std::nullopt;
    }
    req.setCommandId(
        capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(command_id.data()), 16));
  }
  return Encode(message);
}

}  // namespace picket
