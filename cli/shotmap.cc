#include "lamtool/shotmap.h"

#include "commands.h"
#include "lamtool/parse.h"

namespace lamtool::cli {

void register_shotmap(CLI::App& app, Registry& r) {
  struct Flags {
    shotmap::Options opts;
    std::string format = "png";
    std::string size = "1200x600";
    std::string strength = "all";
    std::string method = "fft";
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("shotmap", "Draw an NHL game's shot-density map (PNG or SVG)");
  cmd->footer(
      "Each team's shots on goal, goals and missed shots become a Gaussian density (scipy's\n"
      "gaussian_kde semantics) drawn as contour bands on a rink to scale: home attacks right\n"
      "in reds, away left in blues, goals as stars. Blocked shots are counted, not drawn;\n"
      "shootout attempts are dropped. The default file is shotmap-<game id>.png.\n\n"
      "Examples:\n"
      "  lamtool shotmap --game-id 2024020003 --to shotmap.png\n"
      "  lamtool shotmap --game-file play-by-play.json --format svg --to maps/ --json\n"
      "  lamtool shotmap --game-id 2024020003 --period 2 --strength 5v5 --to s3://bucket/maps/\n\n"
      "Games are fetched from LAMTOOL_NHL_API_URL (default https://api-web.nhle.com) and\n"
      "cached in LAMTOOL_CACHE_DIR (default ~/.cache/lamtool). See man lamtool-shotmap.");
  auto* id = cmd->add_option("--game-id", f->opts.game_id,
                             "NHL game id, e.g. 2024020003 (season, type 01-04, game number)")
                 ->type_name("ID");
  auto* file = cmd->add_option("--game-file", f->opts.game_file,
                               "Play-by-play JSON (api-web or legacy statsapi); - for stdin")
                   ->type_name("FILE");
  id->excludes(file);
  file->excludes(id);
  cmd->add_option("--to", f->opts.to, "Destination: FILE, DIR/, -, s3://bucket/key or prefix/")
      ->type_name("DEST");
  cmd->add_option("--format", f->format, "png or svg")
      ->check(CLI::IsMember({"png", "svg"}))
      ->capture_default_str();
  cmd->add_option("--size", f->size, "Picture size WIDTHxHEIGHT in pixels")->capture_default_str();
  cmd->add_option("--strength", f->strength, "all, or 5v5 (api-web files only)")
      ->check(CLI::IsMember({"all", "5v5"}))
      ->capture_default_str();
  cmd->add_option("--period", f->opts.period, "Only shots of periods 1..N (\"through period N\")")
      ->type_name("N");
  cmd->add_option("--kde", f->method, "Density evaluator: fft (fast) or exact")
      ->check(CLI::IsMember({"fft", "exact"}))
      ->capture_default_str();
  cmd->add_option("--bw", f->opts.kde.bw,
                  "Bandwidth factor (scipy bw_method; the original used 0.2); default Scott")
      ->type_name("F");
  cmd->add_flag("--allow-empty", f->opts.allow_empty,
                "Draw an empty rink for a game with no shots instead of failing");
  add_job_flags(*cmd, r.common);
  cmd->callback([f, &r] {
    r.run = [f, &r](Context& ctx) {
      check_stdout_free(r.common, f->opts.to);
      shotmap::Options o = f->opts;
      o.format = render::parse_format(f->format);
      auto [w, h] = parse_dimensions(f->size, "--size", render::kMinWidth, render::kMaxSide);
      o.width = w;
      o.height = h;
      o.only_5v5 = f->strength == "5v5";
      o.kde.method = kde::parse_method(f->method);
      Manifest m = shotmap::run(ctx, o);
      print_manifest(r.common, m.dump());
      return 0;
    };
  });
}

}  // namespace lamtool::cli
