#pragma once
// `lamtool gif` and `lamtool thumbnail` (DESIGN.md section 5): weather-map frames (files,
// http(s) URLs, s3:// objects) to an optimised animated GIF, thumbnails of each frame,
// and a mail with both inline.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lamtool/image/image.h"
#include "lamtool/image/resize.h"
#include "lamtool/job.h"
#include "lamtool/mail.h"
#include "lamtool/manifest.h"

namespace lamtool::jobs {

/// The largest thumbnail side (--thumb-size, thumbnail --size, a worker's width/height).
inline constexpr int kMaxThumbSide = 4096;

/// --thumb-size / --size, --fit and --background as the two jobs share them.
struct ThumbOptions {
  int width = 200;
  int height = 200;
  image::Fit fit = image::Fit::kCover;
};

/// `--thumb-size` (or `--size`) WxH, 1 to 4096 a side; the default shown is the values
/// held when declared.
void declare_thumb_size(FlagSink& flags, const char* name, int& width, int& height);
/// --delay MS, --loop and --plays N, as gif takes them and the mediator asks for them.
void declare_animation_flags(FlagSink& flags, int& delay_ms, int& plays);

/// A picture to put in a mail, inline.
struct MailRequest {
  std::vector<std::string> to;
  std::string from;  ///< empty: LAMTOOL_SMTP_USER when it is an address, else UsageError
  std::string subject;
  std::string body;
  std::vector<MailPart> parts;
};

/// Builds the mail (mail.h) and sends it over SMTP, unless ctx.dry_run. Returns the
/// manifest's "mail" object: to, subject, bytes, parts, and dry_run when not sent.
nlohmann::json send_picture_mail(Context& ctx, MailRequest request);

namespace gif {

struct Options {
  std::vector<std::string> frames;
  std::optional<std::string> to;  ///< default: ./animation.gif
  int delay_ms = 250;
  int plays = 0;  ///< 0 forever
  int colors = 256;
  /// nullopt: keep transparency (--background none).
  std::optional<image::Color> background = image::Color{};
  /// Set by --fit: frames of another size than the first are fitted to it.
  std::optional<image::Fit> fit;
  std::optional<std::string> thumbs;  ///< a directory or S3 prefix
  ThumbOptions thumb;
  std::vector<std::string> mail_to;
  std::string mail_from;                  ///< default: LAMTOOL_SMTP_USER when it is an address
  std::string subject;                    ///< default: "Weather loop: N frames, <time>"
  std::string body;                       ///< default: a line saying what the GIF shows
  bool tweet = false;                     ///< --tweet: post the GIF to X (tweet.h)
  std::optional<std::string> tweet_text;  ///< --text; default "Weather loop: N frames, <time>"
  std::optional<std::string> alt;         ///< --alt; default: says what the loop is
  std::chrono::seconds max_wait{900};     ///< --max-wait for X's rate limits
};

/// FRAME..., --to, --delay, --loop, --plays, --colors, --background, --fit, --thumbs,
/// --thumb-size, --mail-to, --mail-from, --subject, --body, --tweet, --text, --alt,
/// --max-wait.
void declare(FlagSink& flags, Options& opts);

/// Reads every frame (URLs in parallel), checks they are pictures of one size (or fits
/// them, with --fit), writes the GIF and the thumbnails, and mails them when asked (not
/// under --dry-run). A bad frame is a DataError naming it before anything is written.
Manifest run(Context& ctx, const Options& opts);

}  // namespace gif

namespace thumbnail {

struct Options {
  std::vector<std::string> pictures;
  std::optional<std::string> to;  ///< default: the current directory
  ThumbOptions thumb;
  image::Color background{};
  bool keep_alpha = false;  ///< --background none
};

/// PICTURE..., --to, --size, --fit, --background.
void declare(FlagSink& flags, Options& opts);

/// One PNG thumbnail per picture (NAME.png below a directory or S3 prefix; a file or an
/// object for a single picture). A picture that cannot be read is reported and the
/// others are still made (exit status 65).
Manifest run(Context& ctx, const Options& opts);

}  // namespace thumbnail

}  // namespace lamtool::jobs
