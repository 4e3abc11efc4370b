#include "commands.h"
#include "lamtool/kde_tool.h"

namespace lamtool::cli {

void register_kde(CLI::App& app, Registry& r) {
  auto opts = std::make_shared<kde::ToolOptions>();
  auto* cmd = app.add_subcommand("kde", "Gaussian kernel density of 2-D points on a grid (CSV)");
  cmd->footer(
      "Reads CSV rows x,y[,w] (an optional header line is skipped) and writes the density\n"
      "as CSV: the first row holds the x coordinates, each further row a y coordinate and\n"
      "the densities along it. scipy gaussian_kde semantics; Scott's factor unless --bw.\n\n"
      "Examples:\n"
      "  lamtool kde --in shots.csv > grid.csv\n"
      "  lamtool kde --in pts.csv --weights --grid 200x100 --extent 0,10,0,5 --to grid.csv\n\n"
      "See man lamtool-kde for details.");
  cmd->add_option("--in", opts->in, "Points CSV (x,y[,w]), or - for stdin")
      ->required()
      ->type_name("FILE");
  cmd->add_flag("--weights", opts->weights, "Weight each point by the third column");
  cmd->add_option("--grid", opts->grid, "Grid nodes NXxNY (default 400x170)")->type_name("NXxNY");
  cmd->add_option("--extent", opts->extent,
                  "Grid span x0,x1,y0,y1, nodes on the edges (default the NHL rink "
                  "-100,100,-42.5,42.5)")
      ->type_name("X0,X1,Y0,Y1");
  cmd->add_option("--bw", opts->bw, "Bandwidth factor (default Scott's, neff^(-1/6))")
      ->type_name("F");
  cmd->add_option("--method", opts->method, "Evaluator: fft (default) or exact")
      ->type_name("METHOD");
  cmd->add_option("--to", opts->to,
                  "Destination: FILE, DIR/ (kde.csv below it), s3://... "
                  "or - (default: stdout)")
      ->type_name("DEST");
  add_job_flags(*cmd, r.common);
  cmd->callback([opts, &r] {
    r.run = [opts, &r](Context& ctx) {
      opts->json = r.common.json;
      Manifest m = kde::run(ctx, *opts);
      print_manifest(r.common, m.dump());
      return 0;
    };
  });
}

}  // namespace lamtool::cli
