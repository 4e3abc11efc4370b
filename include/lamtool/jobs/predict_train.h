#pragma once
// `lamtool predict train`: fits the bike-demand model on the London bike-sharing CSV and
// writes the model file that `lamtool predict` reads (DESIGN section 3).

#include <string>

#include "lamtool/job.h"
#include "lamtool/predict/train.h"

namespace lamtool::jobs::predict_train {

inline constexpr const char* kDefaultKey = "model.json";
inline constexpr const char* kContentType = "application/json";

struct Options {
  std::string csv;                          ///< --csv, required: training data is explicit
  std::string to = "./";                    ///< --to; the current directory by default
  lamtool::predict::TrainOptions training;  ///< --rounds, --learning-rate, --name, --model-version
};

/// --csv, --to, --rounds, --learning-rate, --name, --model-version.
void declare(FlagSink& flags, Options& opts);

/// Reads the CSV, trains, writes the model; one summary line on stderr (unless --json or
/// --quiet); returns the manifest (outputs, rows, metrics, baseline, parameters).
Manifest run(Context& ctx, const Options& opts);

}  // namespace lamtool::jobs::predict_train
