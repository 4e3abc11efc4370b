#include "lamtool/jobs/tweet.h"

#include <fmt/format.h>

#include "lamtool/content_type.h"
#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/http.h"
#include "lamtool/image/codec.h"
#include "lamtool/parse.h"
#include "lamtool/sources.h"
#include "lamtool/x/client.h"

namespace lamtool::jobs {

namespace {

// What X is told a picture is, and whether it needs the chunked GIF upload.
struct MediaKind {
  std::string content_type;
  bool animated = false;
};

MediaKind media_kind(const PostMedia& m) {
  std::string type = detect_content_type(m.bytes, "");
  if (type != "image/png" && type != "image/jpeg" && type != "image/gif" && type != "image/webp")
    throw DataError(fmt::format("media '{}': {} is not a picture X takes (PNG, JPEG, GIF, WebP)",
                                m.name, type));
  MediaKind k{type, false};
  if (type == "image/gif") {
    int frames = 0;
    image::decode_gif_frames(m.bytes, m.name, [&frames](const image::Image&, int) { ++frames; });
    k.animated = frames > 1;
  } else if (type != "image/webp") {
    image::decode(m.bytes, m.name);  // a truncated or broken picture fails here, named
  }
  size_t limit = k.animated ? x::kMaxGifBytes : x::kMaxImageBytes;
  if (m.bytes.size() > limit)
    throw DataError(fmt::format("media '{}': {} bytes; X takes at most {} for {}", m.name,
                                m.bytes.size(), limit,
                                k.animated ? "an animated GIF" : "a picture"));
  return k;
}

}  // namespace

void declare_max_wait(FlagSink& flags, std::chrono::seconds& max_wait) {
  flags.option({.names = "--max-wait",
                .help = "Longest wait for X's rate-limit window to reset before giving up "
                        "(exit 75)",
                .value_name = "SECONDS",
                .default_text = std::to_string(max_wait.count())},
               [&max_wait](const std::string& v) {
                 max_wait = std::chrono::seconds(parse_int_in(v, "--max-wait", 0, 86400));
               });
}

nlohmann::json post_to_x(Context& ctx, const PostRequest& request) {
  if (request.text.empty() && request.media.empty())
    throw UsageError("nothing to post: give --text, --media or both");
  if (request.text.find('\0') != std::string::npos) throw UsageError("--text: holds a NUL byte");
  // X would refuse it, after the media are uploaded; say so first, and where.
  if (size_t at = 0; !utf8_valid(request.text, &at))
    throw UsageError(fmt::format("--text: not UTF-8 (byte {})", at + 1));
  size_t length = x::weighted_length(request.text);
  if (request.max_length > 0 && length > request.max_length)
    throw UsageError(fmt::format(
        "--text: {} characters as X counts them (URLs 23, most non-Latin characters 2), more "
        "than {} (--max-length; 0 leaves the check to X)",
        length, request.max_length));
  std::vector<MediaKind> kinds;
  for (const auto& m : request.media) {
    if (size_t at = 0; !utf8_valid(m.alt_text, &at))
      throw UsageError(fmt::format("--alt for '{}': not UTF-8 (byte {})", m.name, at + 1));
    if (utf8_length(m.alt_text) > x::kMaxAltTextChars)
      throw UsageError(fmt::format("--alt for '{}': {} characters, more than X's {}", m.name,
                                   utf8_length(m.alt_text), x::kMaxAltTextChars));
    kinds.push_back(media_kind(m));
  }
  bool any_animated = std::any_of(kinds.begin(), kinds.end(), [](auto& k) { return k.animated; });
  if (request.media.size() > x::kMaxMediaPerPost)
    throw UsageError(fmt::format("{} pictures: X takes at most {} in a post", request.media.size(),
                                 x::kMaxMediaPerPost));
  if (any_animated && request.media.size() > 1)
    throw UsageError("an animated GIF goes alone in a post: X takes one, with no other picture");

  nlohmann::json out = {{"text", request.text}, {"weighted_length", length}};
  nlohmann::json media = nlohmann::json::array();
  for (size_t i = 0; i < request.media.size(); ++i) {
    const auto& m = request.media[i];
    nlohmann::json item = {{"name", m.name},
                           {"content_type", kinds[i].content_type},
                           {"bytes", m.bytes.size()},
                           {"animated", kinds[i].animated}};
    if (!m.alt_text.empty()) item["alt_text"] = m.alt_text;
    media.push_back(std::move(item));
  }
  out["media"] = media;
  if (ctx.dry_run) {
    out["dry_run"] = true;
    return out;
  }
  if (!ctx.http) throw ConfigError("X: no network access in this context");
  x::XClientOptions options;
  options.max_rate_limit_wait = request.max_wait;
  x::XClient client(ctx.http(), x::x_config_from_env(), ctx.log, options);
  std::vector<std::string> ids;
  for (size_t i = 0; i < request.media.size(); ++i) {
    const auto& m = request.media[i];
    x::UploadedMedia up =
        client.upload_media(m.bytes, kinds[i].content_type, kinds[i].animated, m.name);
    ctx.log.debugf("uploaded '{}' to X as media {}", m.name, up.media_id);
    if (!m.alt_text.empty()) client.set_alt_text(up.media_id, m.alt_text);
    auto& item = out["media"][i];
    item["media_id"] = up.media_id;
    item["upload"] = up.chunked ? "chunked" : "simple";
    if (up.chunked) {
      item["segments"] = up.segments;
      item["status_polls"] = up.status_polls;
    }
    ids.push_back(up.media_id);
  }
  x::PostedTweet t = client.post(request.text, ids);
  out["id"] = t.id;
  out["url"] = t.url;
  return out;
}

std::string describe_post(const nlohmann::json& tweet) {
  std::string s =
      fmt::format("{} to X:\n", tweet.value("dry_run", false) ? "Would post" : "Posted");
  s += fmt::format("  text ({} of X's weighted characters): {}\n",
                   tweet.value("weighted_length", 0), tweet.value("text", ""));
  int i = 0;
  for (const auto& m : tweet["media"]) {
    s += fmt::format("  media {}: {} ({}, {} bytes{})\n", ++i, m.value("name", ""),
                     m.value("content_type", ""), m.value("bytes", 0),
                     m.value("animated", false) ? ", animated" : "");
    s += fmt::format("    alt text: {}\n", m.value("alt_text", "(none)"));
  }
  if (tweet.contains("url")) s += fmt::format("  {}\n", tweet["url"].get<std::string>());
  return s;
}

void report_post(Context& ctx, const nlohmann::json& tweet) {
  if (tweet.contains("url")) {
    ctx.log.infof("posted {}", tweet["url"].get<std::string>());
    return;
  }
  std::string text = describe_post(tweet);
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    ctx.log.info(std::string_view(text).substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
}

namespace tweet {

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--text", .help = "The post's text (UTF-8)", .value_name = "TEXT"},
               [&opts](const std::string& v) { opts.text = v; });
  flags.option({.names = "--media",
                .help = "A picture to attach (PNG, JPEG, WebP or GIF): FILE, -, an http(s) URL "
                        "or s3://bucket/key; up to 4, or one animated GIF",
                .value_name = "SRC",
                .repeated = true,
                .ordered = true},
               [&opts](const std::string& v) {
                 if (v.empty())
                   throw UsageError("--media '': expected a file, URL or s3:// object");
                 opts.media.push_back({.name = v});
               });
  flags.option(
      {.names = "--alt",
       .help = "Alt text of the --media before it, for readers who cannot see it "
               "(up to 1000 characters)",
       .value_name = "TEXT",
       .repeated = true,
       .ordered = true},
      [&opts](const std::string& v) {
        if (opts.media.empty()) throw UsageError("--alt: give it after the --media it describes");
        if (!opts.media.back().alt_text.empty())
          throw UsageError(fmt::format("--alt: '{}' already has alt text", opts.media.back().name));
        if (v.empty()) throw UsageError("--alt: empty");
        opts.media.back().alt_text = v;
      });
  flags.option({.names = "--max-length",
                .help = "Longest text, in X's weighted characters (0: let X decide, for "
                        "accounts allowed longer posts)",
                .value_name = "N",
                .default_text = "280"},
               [&opts](const std::string& v) {
                 opts.max_length = static_cast<size_t>(parse_int_in(v, "--max-length", 0, 100000));
               });
  declare_max_wait(flags, opts.max_wait);
}

Manifest run(Context& ctx, const Options& opts) {
  PostRequest request{.text = opts.text,
                      .media = opts.media,
                      .max_length = opts.max_length,
                      .max_wait = opts.max_wait};
  std::vector<std::string> names;
  for (const auto& m : opts.media) names.push_back(m.name);
  if (!names.empty()) {
    FetchOptions fetch;
    fetch.label = "media";
    fetch.max_bytes = x::kMaxGifBytes + 1;
    std::vector<std::string> bytes = read_sources(ctx, names, fetch);
    for (size_t i = 0; i < bytes.size(); ++i) request.media[i].bytes = std::move(bytes[i]);
  }
  nlohmann::json tweet = post_to_x(ctx, request);
  Manifest m("tweet");
  m["tweet"] = tweet;
  if (tweet.contains("url"))
    m.add_output({.uri = tweet["url"], .bytes = 0, .content_type = "text/html"});
  if (!ctx.json)
    write_stdout(tweet.contains("url") ? tweet["url"].get<std::string>() + "\n"
                                       : describe_post(tweet));
  return m;
}

}  // namespace tweet

}  // namespace lamtool::jobs
