#pragma once
// `lamtool tweet` (DESIGN.md section 7) and the post that shotmap --tweet and gif --tweet
// make: text and up to four pictures (or one animated GIF) with alt text, to X.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lamtool/job.h"

namespace lamtool::jobs {

/// A picture to attach.
struct PostMedia {
  std::string name = {};  ///< the file, URL or object it came from, for messages
  std::string bytes = {};
  std::string alt_text = {};  ///< empty: none
};

/// What to post, and how long to wait for a rate limit.
struct PostRequest {
  std::string text = {};
  std::vector<PostMedia> media = {};
  /// Weighted characters allowed (X counts most scripts' characters 1, others 2, URLs
  /// 23); 0 leaves the check to X.
  size_t max_length = 280;
  std::chrono::seconds max_wait{900};
};

/// Checks the post before anything is sent: text or media; at most four pictures, or
/// one animated GIF alone; PNG, JPEG, WebP or GIF (DataError naming the picture
/// otherwise); at most 5 MB a picture, 15 MB a GIF; alt text at most 1000 characters
/// (UsageError); weighted text length at most max_length (UsageError). Then, unless
/// ctx.dry_run, uploads each picture, sets its alt text and posts, with the credentials
/// of x_config_from_env() (x/client.h). Returns the manifest's "tweet" object: text,
/// weighted_length, media (name, content_type, bytes, animated, alt_text, and media_id
/// and upload once sent), and id and url, or dry_run.
nlohmann::json post_to_x(Context& ctx, const PostRequest& request);

/// What was posted (or a dry run would post), for a person: text, each picture with its
/// alt text, and the post's URL.
std::string describe_post(const nlohmann::json& tweet);
/// For a job whose stdout is its own (shotmap --tweet, gif --tweet): says on stderr
/// "posted URL", or describe_post() of a dry run.
void report_post(Context& ctx, const nlohmann::json& tweet);

/// --max-wait SECONDS, as tweet, shotmap and gif take it.
void declare_max_wait(FlagSink& flags, std::chrono::seconds& max_wait);

namespace tweet {

struct Options {
  std::string text;
  std::vector<PostMedia> media;  ///< bytes read when run
  size_t max_length = 280;
  std::chrono::seconds max_wait{900};
};

/// --text, --media (ordered), --alt (ordered: for the --media before it), --max-length,
/// --max-wait.
void declare(FlagSink& flags, Options& opts);

/// Reads the media (files, -, http(s) URLs, s3:// objects), then post_to_x(). Prints the
/// post's URL on stdout (the dry run's description without --json).
Manifest run(Context& ctx, const Options& opts);

}  // namespace tweet

}  // namespace lamtool::jobs
