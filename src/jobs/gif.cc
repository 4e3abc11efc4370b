#include "lamtool/jobs/gif.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/image/codec.h"
#include "lamtool/image/gif.h"
#include "lamtool/jobs/tweet.h"
#include "lamtool/parse.h"
#include "lamtool/sources.h"

namespace lamtool::jobs {

namespace {

// The stem of a picture's name for its thumbnail ("IDR703.T.201407190510"), made safe as
// a file name and key; `index` names a picture without one.
std::string thumb_stem(const std::string& source, size_t index) {
  std::string base = source_base_name(source);
  if (size_t dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  std::string out;
  for (char c : base) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_';
    out += keep ? c : '-';
  }
  if (out.empty() || out == "." || out == "..") out = fmt::format("frame-{:02}", index);
  return out;
}

// Keys not used yet in this run: two frames may share a name.
std::string unique_stem(std::map<std::string, int>& used, const std::string& stem) {
  int n = ++used[stem];
  return n == 1 ? stem : fmt::format("{}-{}", stem, n);
}

// A thumbnail of `img` as PNG bytes: flattened on `background` unless it is nullopt.
std::string thumbnail_png(const image::Image& img, const ThumbOptions& t,
                          const std::optional<image::Color>& background) {
  image::Image thumb = image::thumbnail(img, t.width, t.height, t.fit);
  if (background) image::flatten(thumb, *background);
  return image::encode_png(thumb);
}

// Pictures read and decoded on request, fitted to one canvas: the GIF's frames. Decoding
// again in the encoder's second pass costs less than keeping every frame's pixels.
class Frames final : public image::FrameSource {
 public:
  Frames(const std::vector<std::string>& names, const std::vector<std::string>& bytes,
         const gif::Options& opts, image::Dimensions canvas)
      : names_(names), bytes_(bytes), opts_(opts), canvas_(canvas), seen_(names.size()) {}

  /// Told each frame as decoded (before fitting and flattening), the first time only.
  std::function<void(size_t, const image::Image&)> on_first_decode;

  size_t count() const override { return names_.size(); }
  int delay_ms(size_t) const override { return opts_.delay_ms; }

  image::Image frame(size_t i) override {
    image::Image img = image::decode(bytes_[i], names_[i]);
    if (!seen_[i]) {
      seen_[i] = true;
      if (on_first_decode) on_first_decode(i, img);
    }
    if (img.width != canvas_.width || img.height != canvas_.height) img = fit(img);
    if (opts_.background)
      image::flatten(img, *opts_.background);
    else
      image::binarize_alpha(img);
    return img;
  }

 private:
  // Only with --fit (sizes were checked before): cover and fill fill the canvas; contain
  // centres the picture on the background (transparent with --background none).
  image::Image fit(const image::Image& img) const {
    image::Image scaled = image::thumbnail(img, canvas_.width, canvas_.height, *opts_.fit);
    if (scaled.width == canvas_.width && scaled.height == canvas_.height) return scaled;
    image::Image out(canvas_.width, canvas_.height, names_[0]);
    if (opts_.background) {
      for (size_t p = 0; p < out.rgba.size(); p += 4) {
        out.rgba[p] = opts_.background->r;
        out.rgba[p + 1] = opts_.background->g;
        out.rgba[p + 2] = opts_.background->b;
        out.rgba[p + 3] = 255;
      }
    }
    int x0 = (canvas_.width - scaled.width) / 2, y0 = (canvas_.height - scaled.height) / 2;
    for (int y = 0; y < scaled.height; ++y)
      std::copy_n(scaled.at(0, y), static_cast<size_t>(scaled.width) * 4, out.at(x0, y0 + y));
    return out;
  }

  const std::vector<std::string>& names_;
  const std::vector<std::string>& bytes_;
  const gif::Options& opts_;
  image::Dimensions canvas_;
  std::vector<bool> seen_;
};

std::string default_from() {
  const char* user = std::getenv("LAMTOOL_SMTP_USER");
  if (user != nullptr && std::string_view(user).find('@') != std::string_view::npos) return user;
  throw UsageError("--mail-from is needed: LAMTOOL_SMTP_USER is not a mail address to send from");
}

}  // namespace

void declare_thumb_size(FlagSink& flags, const char* name, int& width, int& height) {
  flags.option({.names = name,
                .help = "Thumbnail box WIDTHxHEIGHT in pixels",
                .value_name = "WxH",
                .default_text = fmt::format("{}x{}", width, height)},
               [&width, &height, name](const std::string& v) {
                 std::tie(width, height) = parse_dimensions(v, name, 1, kMaxThumbSide);
               });
}

void declare_animation_flags(FlagSink& flags, int& delay_ms, int& plays) {
  flags.option({.names = "--delay",
                .help = "Time each frame shows, in milliseconds (stored in hundredths of a "
                        "second, at least 20 ms)",
                .value_name = "MS",
                .default_text = fmt::format("{}", delay_ms)},
               [&delay_ms](const std::string& v) {
                 delay_ms = parse_int_in(v, "--delay", 1, 655350, "ms");
               });
  flags.flag({.names = "--loop", .help = "Play forever (the default)", .excludes = {"--plays"}},
             [&plays] { plays = 0; });
  flags.option({.names = "--plays",
                .help = "Play N times in all, then stop on the last frame (1: no loop block)",
                .value_name = "N"},
               [&plays](const std::string& v) { plays = parse_int_in(v, "--plays", 1, 65536); });
}

nlohmann::json send_picture_mail(Context& ctx, MailRequest request) {
  // A dry run shows the mail it would send even where no sender is configured yet.
  if (request.from.empty()) request.from = ctx.dry_run ? "lamtool@localhost" : default_from();
  Mail mail;
  mail.from = request.from;
  mail.to = request.to;
  mail.subject = request.subject;
  mail.text = request.body;
  mail.date = format_rfc3339(ctx.clock.now());
  mail.inline_parts = std::move(request.parts);
  std::string mime = build_mime(mail);
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : mail.inline_parts)
    parts.push_back({{"filename", p.filename},
                     {"content_type", p.content_type},
                     {"content_id", p.content_id},
                     {"bytes", p.bytes.size()}});
  nlohmann::json out = {{"to", mail.to},
                        {"from", mail.from},
                        {"subject", mail.subject},
                        {"bytes", mime.size()},
                        {"parts", parts}};
  if (ctx.dry_run) {
    out["dry_run"] = true;
    return out;
  }
  send_mail(smtp_config_from_env(), mail.from, mail.to, mime, ctx.log);
  out["sent"] = true;
  return out;
}

namespace gif {

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "frames",
                .help = "Frames in order: PNG, JPEG or GIF files, http(s) URLs, s3://bucket/key",
                .value_name = "FRAME",
                .required = true,
                .repeated = true},
               [&opts](const std::string& v) {
                 if (v.empty()) throw UsageError("frame '': expected a file, URL or s3:// object");
                 opts.frames.push_back(v);
               });
  flags.option({.names = "--to",
                .help = "The GIF: FILE, DIR/ (animation.gif below it), -, s3://bucket/key or "
                        "s3://bucket/prefix/",
                .value_name = "DEST",
                .default_text = "./animation.gif"},
               [&opts](const std::string& v) {
                 Destination::parse(v);
                 opts.to = v;
               });
  declare_animation_flags(flags, opts.delay_ms, opts.plays);
  flags.option(
      {.names = "--colors",
       .help = "Most colours in the palette (exact colours when the frames have no more)",
       .value_name = "N",
       .default_text = "256"},
      [&opts](const std::string& v) { opts.colors = parse_int_in(v, "--colors", 2, 256); });
  flags.option({.names = "--background",
                .help = "Colour behind transparent pixels (name, #rrggbb), or none to keep "
                        "them transparent",
                .value_name = "COLOR",
                .default_text = "white"},
               [&opts](const std::string& v) { opts.background = image::parse_background(v); });
  flags.option({.names = "--fit",
                .help = "How thumbnails fill their box, and how frames of another size than "
                        "the first are fitted to it (without --fit they are an error)",
                .value_name = "FIT",
                .choices = {"cover", "contain", "fill"},
                .default_text = "cover for thumbnails"},
               [&opts](const std::string& v) {
                 opts.fit = image::parse_fit(v);
                 opts.thumb.fit = *opts.fit;
               });
  flags.option({.names = "--thumbs",
                .help = "Also write a PNG thumbnail of each frame here: DIR/ or "
                        "s3://bucket/prefix/ (NAME.png, NAME the frame's file name)",
                .value_name = "DEST"},
               [&opts](const std::string& v) {
                 Destination d = Destination::parse(v);
                 if (!d.is_container())
                   throw UsageError(fmt::format(
                       "--thumbs '{}': expected a directory (DIR/) or s3://bucket/prefix/", v));
                 opts.thumbs = v;
               });
  declare_thumb_size(flags, "--thumb-size", opts.thumb.width, opts.thumb.height);
  flags.option({.names = "--mail-to",
                .help = "Mail the GIF and thumbnails inline to this address (over "
                        "LAMTOOL_SMTP_URL)",
                .value_name = "ADDR",
                .repeated = true},
               [&opts](const std::string& v) {
                 check_address(v, "--mail-to");
                 opts.mail_to.push_back(v);
               });
  flags.option({.names = "--mail-from",
                .help = "Sender address",
                .value_name = "ADDR",
                .default_text = "LAMTOOL_SMTP_USER"},
               [&opts](const std::string& v) {
                 check_address(v, "--mail-from");
                 opts.mail_from = v;
               });
  flags.option({.names = "--subject", .help = "Mail subject", .value_name = "TEXT"},
               [&opts](const std::string& v) { opts.subject = v; });
  flags.option({.names = "--body", .help = "Mail text", .value_name = "TEXT"},
               [&opts](const std::string& v) { opts.body = v; });
  flags.flag({.names = "--tweet",
              .help = "Also post the GIF to X (X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, "
                      "X_ACCESS_TOKEN_SECRET)"},
             [&opts] { opts.tweet = true; });
  flags.option({.names = "--text",
                .help = "The post's text with --tweet",
                .value_name = "TEXT",
                .default_text = "\"Weather loop: N frames, TIME\""},
               [&opts](const std::string& v) { opts.tweet_text = v; });
  flags.option({.names = "--alt",
                .help = "The GIF's alt text in the post, for readers who cannot see it",
                .value_name = "TEXT",
                .default_text = "frames, delay and loop"},
               [&opts](const std::string& v) { opts.alt = v; });
  declare_max_wait(flags, opts.max_wait);
}

Manifest run(Context& ctx, const Options& opts) {
  if (opts.frames.empty()) throw UsageError("no frames: give at least one FRAME");
  Destination dest = opts.to ? Destination::parse(*opts.to) : Destination::current_directory();
  require_stdout_free(ctx, dest);
  std::optional<Destination> thumbs_dest;
  if (opts.thumbs) thumbs_dest = Destination::parse(*opts.thumbs);
  if (!opts.mail_to.empty() && opts.mail_from.empty() && !ctx.dry_run) default_from();
  if ((opts.tweet_text || opts.alt) && !opts.tweet)
    throw UsageError(fmt::format("{}: the post's text and alt text need --tweet",
                                 opts.tweet_text ? "--text" : "--alt"));

  FetchOptions fetch;
  fetch.label = "frames";
  std::vector<std::string> bytes = read_sources(ctx, opts.frames, fetch);

  // Every frame's size from its header, before any pixel is decoded.
  image::Dimensions canvas = image::read_dimensions(bytes[0], opts.frames[0]);
  image::check_dimensions(canvas.width, canvas.height, opts.frames[0]);
  for (size_t i = 1; i < bytes.size(); ++i) {
    image::Dimensions d = image::read_dimensions(bytes[i], opts.frames[i]);
    image::check_dimensions(d.width, d.height, opts.frames[i]);
    if (!opts.fit && (d.width != canvas.width || d.height != canvas.height))
      throw DataError(fmt::format(
          "frame '{}': {}x{} pixels, but the first frame is {}x{} (give --fit to fit it)",
          opts.frames[i], d.width, d.height, canvas.width, canvas.height));
  }

  Frames frames(opts.frames, bytes, opts, canvas);
  std::vector<std::string> thumb_png(bytes.size());
  if (thumbs_dest || !opts.mail_to.empty())
    frames.on_first_decode = [&](size_t i, const image::Image& img) {
      thumb_png[i] = thumbnail_png(img, opts.thumb, opts.background);
    };

  image::GifOptions gif_opts;
  gif_opts.colors = opts.colors;
  gif_opts.plays = opts.plays;
  gif_opts.transparency = !opts.background;
  std::string gif;
  image::GifStats stats =
      image::encode_gif(frames, gif_opts, [&gif](std::string_view b) { gif.append(b); });

  Manifest m("gif");
  OutputRecord gif_out = write_output(ctx, dest, "animation.gif", gif, "image/gif");
  m.add_output(gif_out);
  m["frames"] = stats.frames;
  m["width"] = canvas.width;
  m["height"] = canvas.height;
  m["delay_ms"] = image::delay_centiseconds(opts.delay_ms) * 10;
  m["plays"] = opts.plays == 0 ? nlohmann::json("forever") : nlohmann::json(opts.plays);
  m["palette_colors"] = stats.palette_colors;
  m["exact_colors"] = stats.exact;

  std::vector<std::string> stems;
  std::map<std::string, int> used;
  for (size_t i = 0; i < opts.frames.size(); ++i)
    stems.push_back(unique_stem(used, thumb_stem(opts.frames[i], i)));
  if (thumbs_dest) {
    for (size_t i = 0; i < thumb_png.size(); ++i)
      m.add_output(write_output(ctx, *thumbs_dest, stems[i] + ".png", thumb_png[i], "image/png"));
    m["thumbnails"] = thumb_png.size();
  }

  if (opts.tweet) {
    int delay = image::delay_centiseconds(opts.delay_ms) * 10;
    PostMedia media{.name = gif_out.uri, .bytes = gif};
    media.alt_text = opts.alt.value_or(
        fmt::format("Animated weather map of {} frames, {} ms apart, {}.", stats.frames, delay,
                    opts.plays == 0   ? "looping"
                    : opts.plays == 1 ? "playing once"
                                      : fmt::format("playing {} times", opts.plays)));
    std::string text = opts.tweet_text.value_or(
        fmt::format("Weather loop: {} frames, {}", stats.frames, format_rfc3339(ctx.clock.now())));
    m["tweet"] = post_to_x(
        ctx, {.text = std::move(text), .media = {std::move(media)}, .max_wait = opts.max_wait});
    report_post(ctx, m["tweet"]);
  }

  if (!opts.mail_to.empty()) {
    MailRequest mail{.to = opts.mail_to,
                     .from = opts.mail_from,
                     .subject = opts.subject,
                     .body = opts.body,
                     .parts = {}};
    std::string when = format_rfc3339(ctx.clock.now());
    if (mail.subject.empty())
      mail.subject = fmt::format("Weather loop: {} frames, {}", stats.frames, when);
    if (mail.body.empty())
      mail.body = fmt::format(
          "The latest {} frames as a loop ({} ms a frame), and each frame "
          "as a thumbnail.",
          stats.frames, opts.delay_ms);
    std::string gif_name = source_base_name(gif_out.uri);
    if (gif_name.empty() || gif_name == "-") gif_name = "animation.gif";
    mail.parts.push_back({.filename = gif_name,
                          .content_type = "image/gif",
                          .content_id = "animation@lamtool",
                          .bytes = std::move(gif)});
    for (size_t i = 0; i < thumb_png.size(); ++i)
      mail.parts.push_back({.filename = stems[i] + ".png",
                            .content_type = "image/png",
                            .content_id = fmt::format("thumb-{}@lamtool", i),
                            .bytes = thumb_png[i]});
    m["mail"] = send_picture_mail(ctx, std::move(mail));
  }
  return m;
}

}  // namespace gif

namespace thumbnail {

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "pictures",
                .help = "PNG, JPEG or GIF files, http(s) URLs, s3://bucket/key",
                .value_name = "PICTURE",
                .required = true,
                .repeated = true},
               [&opts](const std::string& v) {
                 if (v.empty())
                   throw UsageError("picture '': expected a file, URL or s3:// object");
                 opts.pictures.push_back(v);
               });
  flags.option({.names = "--to",
                .help = "DIR/ or s3://bucket/prefix/ (NAME.png below it); FILE, - or "
                        "s3://bucket/key for one picture",
                .value_name = "DEST",
                .default_text = "./"},
               [&opts](const std::string& v) {
                 Destination::parse(v);
                 opts.to = v;
               });
  declare_thumb_size(flags, "--size", opts.thumb.width, opts.thumb.height);
  flags.option({.names = "--fit",
                .help = "cover: fill the box, cropping the middle; contain: all of the picture "
                        "inside the box; fill: stretch to the box",
                .value_name = "FIT",
                .choices = {"cover", "contain", "fill"},
                .default_text = "cover"},
               [&opts](const std::string& v) { opts.thumb.fit = image::parse_fit(v); });
  flags.option({.names = "--background",
                .help = "Colour behind transparent pixels, or none to keep them",
                .value_name = "COLOR",
                .default_text = "white"},
               [&opts](const std::string& v) {
                 auto c = image::parse_background(v);
                 opts.keep_alpha = !c;
                 if (c) opts.background = *c;
               });
}

Manifest run(Context& ctx, const Options& opts) {
  if (opts.pictures.empty()) throw UsageError("no pictures: give at least one PICTURE");
  Destination dest = opts.to ? Destination::parse(*opts.to) : Destination::current_directory();
  require_stdout_free(ctx, dest);
  if (!dest.is_container() && opts.pictures.size() > 1)
    throw UsageError(
        fmt::format("--to '{}': {} pictures need a directory (DIR/) or s3://bucket/prefix/",
                    dest.uri(), opts.pictures.size()));
  FetchOptions fetch;
  fetch.label = "pictures";
  std::vector<std::string> bytes = read_sources(ctx, opts.pictures, fetch);
  std::optional<image::Color> background;
  if (!opts.keep_alpha) background = opts.background;

  Manifest m("thumbnail");
  std::map<std::string, int> used;
  nlohmann::json errors = nlohmann::json::array();
  size_t made = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string png;
    try {
      png = thumbnail_png(image::decode(bytes[i], opts.pictures[i]), opts.thumb, background);
    } catch (const DataError& e) {
      ctx.log.error(e.what());
      errors.push_back({{"picture", opts.pictures[i]}, {"error", e.what()}});
      m.set_exit_code(exit_code::kDataErr);
      continue;
    }
    std::string stem = unique_stem(used, thumb_stem(opts.pictures[i], i));
    m.add_output(write_output(ctx, dest, stem + ".png", png, "image/png"));
    ++made;
  }
  m["thumbnails"] = made;
  m["width"] = opts.thumb.width;
  m["height"] = opts.thumb.height;
  m["failed"] = errors.size();
  if (!errors.empty()) m["errors"] = errors;
  return m;
}

}  // namespace thumbnail

}  // namespace lamtool::jobs
