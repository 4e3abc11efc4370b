// The mediator's rules, on a state kept as JSON so it can live in a file or an object:
//
//   {"images": {IMAGE_ID: {"frames": [{"validTime", "location", "thumbnail"?}, ...],
//                          "lastGif": {"minValidTime", "maxValidTime", "location"?}}},
//    "handled": [{"id", "out": [...]}, ...]}
//
// Frames are kept sorted by validTime; those older than the last GIF's first frame are
// dropped (nothing will ask for them again).

#include <fmt/format.h>

#include <algorithm>

#include "lamtool/dataflow.h"
#include "lamtool/error.h"

namespace lamtool::dataflow {

namespace {

using nlohmann::json;

// A string field of a message for a report, "?" when it is missing or not a string
// (json::value() would throw a type error the mediator does not catch).
// A field that only goes into a message: its text, any other JSON as written, '?' if absent.
std::string text_or_unknown(const json& message, const char* field) {
  auto it = message.find(field);
  if (it == message.end()) return "?";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

json& image_state(json& state, const std::string& image_id) {
  json& images = state["images"];
  if (!images.is_object()) images = json::object();
  json& img = images[image_id];
  if (!img.is_object()) img = json::object();
  if (!img["frames"].is_array()) img["frames"] = json::array();
  return img;
}

json* find_frame(json& frames, std::int64_t t) {
  for (auto& f : frames)
    if (f["validTime"].get<std::int64_t>() == t) return &f;
  return nullptr;
}

// The identity of a message for "seen before": its type and what it is about.
std::string message_id(const json& m, const std::string& type) {
  std::string id = type;
  for (const char* f : {"imageId", "validTime", "minValidTime", "maxValidTime"})
    if (auto it = m.find(f); it != m.end()) id += "|" + it->dump();
  return id;
}

json please(const std::string& type, std::int64_t now_ms) {
  return {{"type", type}, {"dateCreated", now_ms}};
}

std::vector<json> on_fetched(json& state, const json& m, const MediatorConfig& c,
                             std::int64_t now) {
  std::string image_id = string_field(m, "imageId");
  std::int64_t t = time_field(m, "validTime");
  Location loc = parse_location(m.contains("location") ? m["location"] : json(), "location");
  json& img = image_state(state, image_id);
  json& frames = img["frames"];
  std::vector<json> out;
  if (json* f = find_frame(frames, t)) {
    (*f)["location"] = location_json(loc);  // fetched again: the newer copy
    return out;
  }
  json frame = {{"validTime", t}, {"location", location_json(loc)}};
  auto pos = std::find_if(frames.begin(), frames.end(),
                          [t](const json& f) { return f["validTime"].get<std::int64_t>() > t; });
  frames.insert(pos, frame);

  json thumb = please("please-create-thumbnail", now);
  thumb["imageId"] = image_id;
  thumb["validTime"] = t;
  thumb["location"] = location_json(loc);
  thumb["width"] = c.thumb_width;
  thumb["height"] = c.thumb_height;
  out.push_back(thumb);

  // The frames newer than the last GIF's newest: a GIF once there are enough.
  std::int64_t after = INT64_MIN;
  if (img.contains("lastGif")) after = img["lastGif"]["maxValidTime"].get<std::int64_t>();
  std::vector<const json*> fresh;
  for (const auto& f : frames)
    if (f["validTime"].get<std::int64_t>() > after) fresh.push_back(&f);
  if (static_cast<int>(fresh.size()) >= c.frames) {
    fresh.resize(static_cast<size_t>(c.frames));
    json gif = please("please-create-gif", now);
    gif["imageId"] = image_id;
    std::int64_t lo = (*fresh.front())["validTime"].get<std::int64_t>();
    std::int64_t hi = (*fresh.back())["validTime"].get<std::int64_t>();
    gif["minValidTime"] = lo;
    gif["maxValidTime"] = hi;
    json locations = json::array();
    for (const json* f : fresh) locations.push_back((*f)["location"]);
    gif["locations"] = locations;
    gif["gifDelay"] = c.gif_delay_ms;
    gif["gifLoop"] = c.plays == 0 ? json(true) : json(c.plays);
    out.push_back(gif);
    img["lastGif"] = {{"minValidTime", lo}, {"maxValidTime", hi}};
    // Older frames will not be asked for again.
    json kept = json::array();
    for (const auto& f : frames)
      if (f["validTime"].get<std::int64_t>() >= lo) kept.push_back(f);
    frames = kept;
  }
  return out;
}

std::vector<json> on_thumbnail(json& state, const json& m) {
  std::string image_id = string_field(m, "imageId");
  std::int64_t t = time_field(m, "validTime");
  Location loc = parse_location(m.contains("location") ? m["location"] : json(), "location");
  json& img = image_state(state, image_id);
  if (json* f = find_frame(img["frames"], t)) (*f)["thumbnail"] = location_json(loc);
  return {};
}

std::vector<json> on_gif(json& state, const json& m, const MediatorConfig& c, std::int64_t now) {
  std::string image_id = string_field(m, "imageId");
  std::int64_t lo = time_field(m, "minValidTime");
  std::int64_t hi = time_field(m, "maxValidTime");
  Location loc = parse_location(m.contains("location") ? m["location"] : json(), "location");
  json& img = image_state(state, image_id);
  if (img.contains("lastGif") && img["lastGif"]["maxValidTime"].get<std::int64_t>() == hi)
    img["lastGif"]["location"] = location_json(loc);
  if (c.mail_to.empty()) return {};
  json mail = please("please-send-email", now);
  mail["imageId"] = image_id;
  mail["minValidTime"] = lo;
  mail["maxValidTime"] = hi;
  mail["to"] = c.mail_to;
  if (!c.mail_from.empty()) mail["from"] = c.mail_from;
  int frames = m.contains("frames") && m["frames"].is_number_integer() ? m["frames"].get<int>() : 0;
  mail["subject"] = !c.subject.empty() ? c.subject
                                       : fmt::format("{}: the latest {} frames", image_id,
                                                     frames > 0 ? frames : c.frames);
  mail["body"] = fmt::format("The loop of {} from {} to {}, and a thumbnail of each frame.",
                             image_id, format_rfc3339(Seconds(std::chrono::seconds(lo / 1000))),
                             format_rfc3339(Seconds(std::chrono::seconds(hi / 1000))));
  json locations = json::array({location_json(loc)});
  for (const auto& f : img["frames"]) {
    std::int64_t t = f["validTime"].get<std::int64_t>();
    if (t >= lo && t <= hi && f.contains("thumbnail")) locations.push_back(f["thumbnail"]);
  }
  mail["locations"] = locations;
  return {mail};
}

}  // namespace

Outcome mediate(json& state, const json& message, const MediatorConfig& config,
                std::int64_t now_ms) {
  Outcome outcome;
  if (!state.is_object()) state = json::object();
  if (!message.is_object()) {
    outcome.problem = "message: expected a JSON object";
    outcome.bad = true;
    return outcome;
  }
  std::string type;
  try {
    type = string_field(message, "type");
  } catch (const DataError& e) {
    outcome.problem = fmt::format("message: {}", e.what());
    outcome.bad = true;
    return outcome;
  }
  std::string id = message_id(message, type);
  json& handled = state["handled"];
  if (!handled.is_array()) handled = json::array();
  for (const auto& h : handled)
    if (h["id"] == id) {
      outcome.repeated = true;
      for (const auto& o : h["out"]) outcome.out.push_back(o);
      return outcome;
    }

  // Rules run on a copy, so a message found bad midway changes nothing.
  json next = state;
  try {
    if (type == "did-fetch-image")
      outcome.out = on_fetched(next, message, config, now_ms);
    else if (type == "did-create-thumbnail")
      outcome.out = on_thumbnail(next, message);
    else if (type == "did-create-gif")
      outcome.out = on_gif(next, message, config, now_ms);
    else if (type == "did-send-email") {
      // The end of a round: nothing more to do.
    } else if (type == "did-fail") {
      outcome.problem =
          fmt::format("a worker failed '{}' for '{}': {}", text_or_unknown(message, "request"),
                      text_or_unknown(message, "imageId"), text_or_unknown(message, "error"));
    } else {
      outcome.problem = type.starts_with("please-")
                            ? fmt::format(
                                  "message '{}': a request for a worker, not a reply "
                                  "for the mediator",
                                  type)
                            : fmt::format("message '{}': unknown type", type);
      outcome.bad = true;
      return outcome;
    }
  } catch (const DataError& e) {
    outcome.problem = fmt::format("message '{}': {}", type, e.what());
    outcome.bad = true;
    outcome.out.clear();
    return outcome;
  }
  state = std::move(next);
  json& h = state["handled"];
  h.push_back({{"id", id}, {"out", outcome.out}});
  if (h.size() > config.remembered)
    h.erase(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(h.size() - config.remembered));
  return outcome;
}

}  // namespace lamtool::dataflow
