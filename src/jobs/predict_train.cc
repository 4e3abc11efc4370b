#include "lamtool/jobs/predict_train.h"

#include <fmt/format.h>

#include <chrono>

#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/parse.h"

namespace lamtool::jobs::predict_train {

namespace {

nlohmann::json metrics_json(const lamtool::predict::Metrics& m) {
  return {{"rmse", m.rmse}, {"r2", m.r2}, {"rows", m.rows}};
}

}  // namespace

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--csv",
                .help = "Training data: CSV with columns timestamp,cnt,t1,t2,hum,weather_code "
                        "(london_merged.csv)",
                .value_name = "FILE",
                .required = true},
               [&opts](const std::string& v) { opts.csv = v; });
  flags.option({.names = "--to",
                .help = "Destination: FILE, DIR/ (model.json below it), s3://... or - "
                        "(default: ./model.json)",
                .value_name = "DEST"},
               [&opts](const std::string& v) { opts.to = v; });
  flags.option({.names = "--rounds",
                .help = "Boosting rounds (trees), 1..100000",
                .value_name = "N",
                .default_text = std::to_string(lamtool::predict::TrainOptions{}.rounds)},
               [&opts](const std::string& v) {
                 long long n = parse_int(v, "--rounds");
                 if (n < 1 || n > 100000)
                   throw UsageError(fmt::format("--rounds '{}': expected 1..100000", v));
                 opts.training.rounds = static_cast<int>(n);
               });
  flags.option({.names = "--learning-rate",
                .help = "Shrinkage of each tree, in (0, 1]",
                .value_name = "X",
                .default_text = fmt::format("{}", lamtool::predict::TrainOptions{}.learning_rate)},
               [&opts](const std::string& v) {
                 double x = parse_double(v, "--learning-rate");
                 if (!(x > 0 && x <= 1))
                   throw UsageError(fmt::format("--learning-rate '{}': expected (0, 1]", v));
                 opts.training.learning_rate = x;
               });
  flags.option({.names = "--name",
                .help = "The model's name, echoed in every prediction",
                .value_name = "NAME",
                .default_text = lamtool::predict::TrainOptions{}.name},
               [&opts](const std::string& v) {
                 if (v.empty()) throw UsageError("--name '': expected a name");
                 opts.training.name = v;
               });
  flags.option({.names = "--model-version",
                .help = "The model's version, echoed in every prediction",
                .value_name = "VER",
                .default_text = lamtool::predict::TrainOptions{}.version},
               [&opts](const std::string& v) { opts.training.version = v; });
}

Manifest run(Context& ctx, const Options& opts) {
  // Flags first, so a usage error never waits on training.
  if (opts.csv.empty()) throw UsageError("--csv: expected the training CSV");
  Destination dest = require_stdout_free(ctx, Destination::parse(opts.to));

  lamtool::predict::TrainingSet data = lamtool::predict::read_training_csv(opts.csv);
  auto start = std::chrono::steady_clock::now();
  lamtool::predict::TrainResult r = lamtool::predict::train(data, opts.training);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  ctx.log.debugf("predict train: {} rows, {} trees in {:.2f} s", data.size(), opts.training.rounds,
                 took.count());

  OutputRecord out = write_output(ctx, dest, kDefaultKey, r.model.to_file_text(), kContentType);
  if (!ctx.json)
    ctx.log.infof(
        "predict train: holdout R^2 {:.3f} RMSE {:.1f} (straight line {:.3f} / {:.1f}) "
        "-> {}",
        r.holdout.r2, r.holdout.rmse, r.baseline_holdout.r2, r.baseline_holdout.rmse, out.uri);

  Manifest m("predict train");
  m["model"] = {{"name", r.model.name()}, {"version", r.model.version()}};
  m["rows"] = data.size();
  m["trained_on"] = r.model.trained_on();
  m["parameters"] = r.model.parameters();
  m["train"] = metrics_json(r.train);
  m["holdout"] = metrics_json(r.holdout);
  m["baseline_train"] = metrics_json(r.baseline_train);
  m["baseline_holdout"] = metrics_json(r.baseline_holdout);
  m["holdout_rule"] = lamtool::predict::kHoldoutRule;
  m.add_output(out);
  return m;
}

}  // namespace lamtool::jobs::predict_train
