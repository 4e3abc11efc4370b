#pragma once
// shotmap: an NHL game's shots as a density map per team (DESIGN.md section 2).

#include <chrono>
#include <optional>
#include <string>

#include "lamtool/job.h"
#include "lamtool/jobs/picture.h"
#include "lamtool/kde.h"
#include "lamtool/nhl.h"
#include "lamtool/render/shotmap.h"

namespace lamtool::jobs::shotmap {

struct Options {
  std::optional<std::string> game_id;    ///< fetched from the NHL API (cached)
  std::optional<std::string> game_file;  ///< api-web or statsapi play-by-play
  std::optional<std::string> to;         ///< default: shotmap-<id>.<ext> in the current dir
  PictureOptions picture{.format = render::Format::kPng, .width = 1200, .height = 600};
  bool only_5v5 = false;                  ///< --strength 5v5
  std::optional<int> period;              ///< --period N: shots of periods 1..N only
  kde::Options kde;                       ///< --kde, --bw
  bool allow_empty = false;               ///< draw an empty rink instead of failing on no shots
  bool tweet = false;                     ///< --tweet: post the picture to X (tweet.h)
  std::optional<std::string> tweet_text;  ///< --text; default: default_post_text()
  std::chrono::seconds max_wait{900};     ///< --max-wait for X's rate limits
};

/// --game-id, --game-file, --to, --format, --size, --strength, --period, --kde, --bw,
/// --allow-empty, --tweet, --text, --max-wait.
void declare(FlagSink& flags, Options& opts);

/// Shots kept by the filters, and the title's status and score for them.
struct Selection {
  std::vector<nhl::ShotEvent> shots;  ///< every kind, blocked included
  std::string status_text;            ///< "final", "final (OT)", "through period 2"
  int home_score = 0;
  int away_score = 0;
};

/// Applies --period and --strength. DataError when 5v5 is asked of a file that carries
/// no strength (statsapi) or --period is past the last period played.
Selection select_shots(const nhl::Game& game, const Options& opts, const std::string& source);

/// The post's text when --text is not given: "TOR 0 at MTL 1, 2024-10-09 (final): where
/// the shots came from".
std::string default_post_text(const nhl::Game& game, const Selection& sel);

/// The picture described for a reader who cannot see it (at most 1000 characters, X's
/// limit): the teams, date, status and score; which net each team shoots at and its
/// colour; per team the shots on goal, goals, missed and blocked shots, how many of its
/// located unblocked attempts came from within 20 ft of the net it attacks, from 20 to
/// 40 ft and from farther out, and the distances of its goals.
std::string alt_text(const nhl::Game& game, const Selection& sel);

/// `shotmap-2024020003.png`
std::string default_key(const nhl::Game& game, render::Format format);

/// Reads or fetches the game, estimates each team's density, renders, writes.
Manifest run(Context& ctx, const Options& opts);

}  // namespace lamtool::jobs::shotmap
