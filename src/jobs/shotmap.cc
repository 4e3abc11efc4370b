#include "lamtool/jobs/shotmap.h"

#include <fmt/format.h>

#include <algorithm>

#include "lamtool/error.h"
#include "lamtool/http.h"
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

std::string default_key(const nhl::Game& game, render::Format format) {
  return fmt::format("shotmap-{}.{}", game.game_id, picture_extension(format));
}

Manifest run(Context& ctx, const Options& opts) {
  if (opts.game_id.has_value() == opts.game_file.has_value())
    throw UsageError("give exactly one of --game-id and --game-file");
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
  return m;
}

}  // namespace lamtool::jobs::shotmap
