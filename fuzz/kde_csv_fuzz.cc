// The kde command's points (CSV x,y[,w]), with and without weights, then validated as
// the estimate does.
#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/kde.h"

LAMTOOL_FUZZ_TARGET(kde_csv) {
  std::string_view text = lamtool::fuzz::as_text(data, size);
  for (bool weights : {false, true}) {
    try {
      auto points = lamtool::kde::parse_points_csv(text, "fuzz.csv", weights);
      lamtool::kde::validate(points);
      (void)lamtool::kde::normalised_weights(points);
    } catch (const lamtool::Error&) {
    }
  }
  return 0;
}
