#include "lamtool/jobs/shotmap.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "lamtool/error.h"
#include "lamtool/http.h"
#include "lamtool/jobs/tweet.h"
#include "lamtool/parse.h"

namespace lamtool::jobs::shotmap {

namespace {

using nhl::ShotKind;
using nhl::Side;
using Scene = render::ShotMapScene;

std::string final_status(const nhl::Game& g) {
  switch (g.last_period_type) {
    case nhl::PeriodType::kOvertime:
      return "final (OT)";
    case nhl::PeriodType::kShootout:
      return "final (SO)";
    case nhl::PeriodType::kRegular:
      break;
  }
  return "final";
}

bool drawn(ShotKind k) { return k != ShotKind::kBlocked; }

Scene::Shot::Kind scene_kind(ShotKind k) {
  switch (k) {
    case ShotKind::kGoal:
      return Scene::Shot::kGoal;
    case ShotKind::kMissed:
      return Scene::Shot::kMissed;
    default:
      return Scene::Shot::kShot;
  }
}

Scene::Counts scene_counts(const nhl::TeamCounts& c) {
  return {
      .shots_on_goal = c.shots_on_goal, .goals = c.goals, .missed = c.missed, .blocked = c.blocked};
}

nlohmann::json counts_json(const nhl::Team& team, const nhl::TeamCounts& c) {
  return {{"abbrev", team.abbrev}, {"name", team.name},    {"shots_on_goal", c.shots_on_goal},
          {"missed", c.missed},    {"blocked", c.blocked}, {"goals", c.goals},
          {"unplaced", c.unplaced}};
}

// One team's density over the rink from its drawn, placed shots.
struct TeamDensity {
  Scene::Density density;
  nlohmann::json info;
};

TeamDensity team_density(const std::vector<nhl::ShotEvent>& shots, Side side,
                         const kde::Options& kopts) {
  std::vector<double> xs, ys;
  for (const auto& s : shots) {
    if (s.team != side || !s.placed || !drawn(s.kind)) continue;
    xs.push_back(s.x);
    ys.push_back(s.y);
  }
  kde::Points pts;
  pts.x = Eigen::Map<Eigen::VectorXd>(xs.data(), static_cast<Eigen::Index>(xs.size()));
  pts.y = Eigen::Map<Eigen::VectorXd>(ys.data(), static_cast<Eigen::Index>(ys.size()));
  kde::GridSpec grid;  // the rink, 400 x 170
  kde::Result r = kde::estimate(pts, grid, kopts);
  // A density from fewer than three shots or a degenerate sample says nothing: the
  // picture shows the points alone.
  bool valid = r.flags() == 0 || r.flags() == kde::kDirectSum;
  TeamDensity out;
  out.density = {.grid = std::move(r.density),
                 .x0 = grid.extent.x0,
                 .x1 = grid.extent.x1,
                 .y0 = grid.extent.y0,
                 .y1 = grid.extent.y1,
                 .valid = valid && xs.size() >= 3};
  out.info = {{"points", xs.size()},
              {"factor", r.bandwidth.factor},
              {"drawn", out.density.valid},
              {"flags", r.flag_names()}};
  if (xs.size() < 3 && xs.size() > 0) out.info["flags"].push_back("too_few_points");
  return out;
}

// The picture credits where its data came from: the NHL API, or the file it was read from
// (a project-made game must not be passed off as the NHL's).
std::string credit(const Options& opts) {
  if (!opts.game_file) return "Data: NHL \u00b7 lamtool";
  if (*opts.game_file == "-") return "lamtool";
  std::string_view name = *opts.game_file;
  name = name.substr(name.rfind('/') + 1);
  return fmt::format("Data: {} \u00b7 lamtool", name);
}

nhl::Game load_game(Context& ctx, const Options& opts, std::string& source) {
  nhl::ParseOptions popts{.allow_empty = opts.allow_empty};
  if (opts.game_file) {
    source = *opts.game_file;
    return nhl::read_game_file(*opts.game_file, popts);
  }
  nhl::validate_game_id(*opts.game_id);
  if (!ctx.http) throw ConfigError("cannot fetch an NHL game: no HTTP client");
  nhl::FetchOptions fopts = nhl::fetch_options_from_env();
  fopts.parse = popts;
  fopts.log = &ctx.log;
  nhl::FetchedGame fetched = nhl::fetch_game(ctx.http(), *opts.game_id, fopts);
  source = fetched.source;
  ctx.log.debugf("game {} from {}", *opts.game_id, fetched.from_cache ? "the cache" : source);
  return std::move(fetched.game);
}

}  // namespace

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--game-id",
                .help = "NHL game id, e.g. 2024020003 (season, type 01-04, game number)",
                .value_name = "ID",
                .excludes = {"--game-file"}},
               [&opts](const std::string& v) { opts.game_id = v; });
  flags.option({.names = "--game-file",
                .help = "Play-by-play JSON (api-web or legacy statsapi); - for stdin",
                .value_name = "FILE",
                .excludes = {"--game-id"}},
               [&opts](const std::string& v) { opts.game_file = v; });
  flags.option({.names = "--to",
                .help = "Destination: FILE, DIR/, -, s3://bucket/key or prefix/",
                .value_name = "DEST"},
               [&opts](const std::string& v) { opts.to = v; });
  declare_picture_flags(flags, opts.picture);
  flags.option({.names = "--strength",
                .help = "Which shots: all, or 5v5 only (api-web files)",
                .value_name = "WHICH",
                .choices = {"all", "5v5"},
                .default_text = "all"},
               [&opts](const std::string& v) { opts.only_5v5 = v == "5v5"; });
  flags.option({.names = "--period",
                .help = "Only shots of periods 1..N (\"through period N\")",
                .value_name = "N"},
               [&opts](const std::string& v) { opts.period = parse_int(v, "--period"); });
  flags.option({.names = "--kde",
                .help = "Density evaluator: fft is fast, exact matches scipy to 1e-9",
                .value_name = "METHOD",
                .choices = {"fft", "exact"},
                .default_text = "fft"},
               [&opts](const std::string& v) { opts.kde.method = kde::parse_method(v); });
  flags.option({.names = "--bw",
                .help = "Bandwidth factor (scipy bw_method; the original used 0.2); default Scott",
                .value_name = "F"},
               [&opts](const std::string& v) { opts.kde.bw = parse_double(v, "--bw"); });
  flags.flag({.names = "--allow-empty",
              .help = "Draw an empty rink for a game with no shots instead of failing"},
             [&opts] { opts.allow_empty = true; });
  flags.flag({.names = "--tweet",
              .help = "Also post the picture to X, with alt text made from the game (X_API_KEY, "
                      "X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET)"},
             [&opts] { opts.tweet = true; });
  flags.option({.names = "--text",
                .help = "The post's text with --tweet",
                .value_name = "TEXT",
                .default_text = "\"AWAY n at HOME n, DATE (STATUS): where the shots came from\""},
               [&opts](const std::string& v) { opts.tweet_text = v; });
  declare_max_wait(flags, opts.max_wait);
}

Selection select_shots(const nhl::Game& game, const Options& opts, const std::string& source) {
  if (opts.only_5v5 && game.format == nhl::SourceFormat::kStatsApi)
    throw DataError(fmt::format(
        "'{}': --strength 5v5 needs each shot's strength, which statsapi files do not carry",
        source));
  if (opts.period && (*opts.period < 1 || *opts.period > std::max(game.last_period, 1)))
    throw DataError(fmt::format("'{}': --period {}: the game has {} period(s)", source,
                                *opts.period, game.last_period));
  Selection sel;
  for (const auto& s : game.shots) {
    if (opts.period && s.period > *opts.period) continue;
    if (opts.only_5v5 && !(s.strength && s.strength->is_5v5())) continue;
    sel.shots.push_back(s);
  }
  bool whole_game = !opts.period || *opts.period >= game.last_period;
  if (whole_game && game.final) {
    sel.status_text = final_status(game);
    sel.home_score = game.home_score;
    sel.away_score = game.away_score;
  } else {
    int through = opts.period ? *opts.period : game.last_period;
    sel.status_text = fmt::format("through period {}", through);
    // Score through the chosen period: every goal counts, whatever the strength filter.
    for (const auto& s : game.shots) {
      if (s.kind != ShotKind::kGoal || s.period > through) continue;
      ++(s.team == Side::kHome ? sel.home_score : sel.away_score);
    }
  }
  if (opts.only_5v5) sel.status_text += ", 5v5 shots";
  return sel;
}

std::string default_post_text(const nhl::Game& game, const Selection& sel) {
  return fmt::format("{} {} at {} {}, {} ({}): where the shots came from", game.away.abbrev,
                     sel.away_score, game.home.abbrev, sel.home_score, game.date, sel.status_text);
}

namespace {

// "Canadiens (MTL)", or the abbreviation alone when the file has no name.
std::string team_label(const nhl::Team& t) {
  if (t.name.empty()) return t.abbrev;
  if (t.abbrev.empty()) return t.name;
  return fmt::format("{} ({})", t.name, t.abbrev);
}

std::string plural(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// One team's sentence: counts, then where its unblocked attempts came from, measured to
// the net it attacks (home attacks +x, the goal line at x = 89 ft).
std::string team_sentence(const nhl::Team& team, Side side, const Selection& sel) {
  nhl::TeamCounts c = nhl::count_shots(sel.shots, side);
  std::string s =
      fmt::format("{}: {} on goal, {}, {}, {}.", team.name.empty() ? team.abbrev : team.name,
                  plural(c.shots_on_goal, "shot", "shots"), plural(c.goals, "goal", "goals"),
                  plural(c.missed, "missed shot", "missed shots"),
                  plural(c.blocked, "blocked shot", "blocked shots"));
  const double goal_x = side == Side::kHome ? 89.0 : -89.0;
  int near = 0, mid = 0, far = 0;
  std::vector<int> goal_feet;
  for (const auto& shot : sel.shots) {
    if (shot.team != side || !shot.placed || shot.kind == ShotKind::kBlocked) continue;
    double d = std::hypot(shot.x - goal_x, shot.y);
    (d < 20 ? near : d < 40 ? mid : far)++;
    if (shot.kind == ShotKind::kGoal) goal_feet.push_back(static_cast<int>(std::lround(d)));
  }
  int located = near + mid + far;
  if (located == 0) return s + " None of its shots has a location.";
  s += fmt::format(
      " Of {} located unblocked attempts, {} came from within 20 feet of the net, {} "
      "from 20 to 40 feet and {} from farther out",
      located, near, mid, far);
  // "most" only for more than half; else the largest share, when one bin leads.
  if (2 * near > located)
    s += ", most of them close in";
  else if (2 * far > located)
    s += ", most of them from distance";
  else if (near > mid && near > far)
    s += ", the largest share close in";
  else if (far > near && far > mid)
    s += ", the largest share from distance";
  s += '.';
  if (!goal_feet.empty()) {
    std::sort(goal_feet.begin(), goal_feet.end());
    std::string feet = std::to_string(goal_feet.back());
    if (goal_feet.size() > 1)
      feet =
          fmt::format("{} and {}", fmt::join(goal_feet.begin(), goal_feet.end() - 1, ", "), feet);
    s += fmt::format(" {} from {} feet.", goal_feet.size() == 1 ? "The goal came" : "Goals came",
                     feet);
  }
  return s;
}

}  // namespace

std::string alt_text(const nhl::Game& game, const Selection& sel) {
  std::string s = fmt::format(
      "Shot map of {} at {}, {}, {}: {} {}, {} {}. The rink is seen from above; {} shoot at the "
      "right-hand net, in red, and {} at the left-hand net, in blue. Shaded areas show where "
      "each team shot from most; goals are marked. ",
      team_label(game.away), team_label(game.home), game.date, sel.status_text, game.away.abbrev,
      sel.away_score, game.home.abbrev, sel.home_score,
      game.home.name.empty() ? game.home.abbrev : game.home.name,
      game.away.name.empty() ? game.away.abbrev : game.away.name);
  s += team_sentence(game.home, Side::kHome, sel) + ' ';
  s += team_sentence(game.away, Side::kAway, sel);
  // X takes 1000 characters; cut at the last sentence that fits.
  if (s.size() > 1000) {
    size_t cut = s.rfind(". ", 998);
    s.resize(cut == std::string::npos ? 999 : cut + 1);
  }
  return s;
}

std::string default_key(const nhl::Game& game, render::Format format) {
  return fmt::format("shotmap-{}.{}", game.game_id, picture_extension(format));
}

Manifest run(Context& ctx, const Options& opts) {
  if (opts.game_id.has_value() == opts.game_file.has_value())
    throw UsageError("give exactly one of --game-id and --game-file");
  if (opts.tweet_text && !opts.tweet) throw UsageError("--text: the post's text needs --tweet");
  Destination dest = require_stdout_free(
      ctx, opts.to ? Destination::parse(*opts.to) : Destination::current_directory());
  // 1. The game and the shots the filters keep.
  std::string source;
  nhl::Game game = load_game(ctx, opts, source);
  Selection sel = select_shots(game, opts, source);

  // 2. A density per team.
  TeamDensity home = team_density(sel.shots, Side::kHome, opts.kde);
  TeamDensity away = team_density(sel.shots, Side::kAway, opts.kde);

  // 3. The picture.
  nhl::TeamCounts hc = nhl::count_shots(sel.shots, Side::kHome);
  nhl::TeamCounts ac = nhl::count_shots(sel.shots, Side::kAway);
  Scene scene;
  scene.home_abbrev = game.home.abbrev;
  scene.away_abbrev = game.away.abbrev;
  scene.home_name = game.home.name;
  scene.away_name = game.away.name;
  scene.home_score = sel.home_score;
  scene.away_score = sel.away_score;
  scene.date = game.date;
  scene.status_text = sel.status_text;
  scene.credit = credit(opts);
  for (const auto& s : sel.shots)
    if (s.placed && drawn(s.kind))
      scene.shots.push_back(
          {.x = s.x, .y = s.y, .kind = scene_kind(s.kind), .home = s.team == Side::kHome});
  scene.home_density = std::move(home.density);
  scene.away_density = std::move(away.density);
  scene.home_counts = scene_counts(hc);
  scene.away_counts = scene_counts(ac);
  std::string bytes =
      render::render_shotmap(scene, opts.picture.format, opts.picture.width, opts.picture.height);

  // 4. Write it and say what was done.
  OutputRecord out = write_output(ctx, dest, default_key(game, opts.picture.format), bytes,
                                  picture_content_type(opts.picture.format));
  Manifest m("shotmap");
  m["game_id"] = game.game_id;
  m["date"] = game.date;
  m["status"] = sel.status_text;
  m["home"] = counts_json(game.home, hc);
  m["away"] = counts_json(game.away, ac);
  m["home"]["score"] = sel.home_score;
  m["away"]["score"] = sel.away_score;
  m["kde"] = {
      {"method", kde::method_name(opts.kde.method)}, {"home", home.info}, {"away", away.info}};
  m.add_output(out);

  // 5. Post it, when asked.
  if (opts.tweet) {
    PostMedia media{.name = out.uri, .alt_text = alt_text(game, sel)};
    // X takes no SVG: an SVG map is posted as a PNG of the same size.
    media.bytes = opts.picture.format == render::Format::kPng
                      ? std::move(bytes)
                      : render::render_shotmap(scene, render::Format::kPng, opts.picture.width,
                                               opts.picture.height);
    nlohmann::json tweet =
        post_to_x(ctx, {.text = opts.tweet_text.value_or(default_post_text(game, sel)),
                        .media = {std::move(media)},
                        .max_wait = opts.max_wait});
    report_post(ctx, tweet);
    m["tweet"] = std::move(tweet);
  }
  return m;
}

}  // namespace lamtool::jobs::shotmap
