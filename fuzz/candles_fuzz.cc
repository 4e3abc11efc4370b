// plot-candles' price input: CSV bars, CSV ticks and JSON Lines ticks, read as a
// stream (candles/input.h), then rolled into weekly bars and written as CSV.
#include "fuzz.h"
#include "lamtool/candles/bars.h"
#include "lamtool/candles/input.h"
#include "lamtool/error.h"

LAMTOOL_FUZZ_TARGET(candles) {
  lamtool::fuzz::MemoryFile file(data, size);
  try {
    lamtool::candles::Series s = lamtool::candles::read_prices(file.path());
    auto weekly = lamtool::candles::weekly_bars(s.daily, lamtool::candles::WeekAnchor{});
    (void)lamtool::candles::bars_csv(weekly);
  } catch (const lamtool::Error&) {
  }
  return 0;
}
