// NHL play-by-play in both formats (api-web and statsapi, recognised by their keys).
#include "fuzz.h"
#include "lamtool/error.h"
#include "lamtool/nhl.h"

LAMTOOL_FUZZ_TARGET(nhl) {
  try {
    lamtool::nhl::ParseOptions options;
    options.allow_empty = size % 2 == 0;
    lamtool::nhl::Game g =
        lamtool::nhl::parse_game(lamtool::fuzz::as_text(data, size), "fuzz.json", options);
    (void)g.counts(lamtool::nhl::Side::kHome);
    (void)g.counts(lamtool::nhl::Side::kAway);
  } catch (const lamtool::Error&) {
  }
  return 0;
}
