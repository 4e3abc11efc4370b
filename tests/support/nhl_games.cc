#include "nhl_games.h"

#include <stdexcept>

#include "temp_dir.h"

namespace lamtool::test {

std::string project_games_dir() { return LAMTOOL_SOURCE_DIR "/tests/fixtures/nhl"; }

std::vector<ProjectGame> project_games() {
  nlohmann::json all = nlohmann::json::parse(slurp(project_games_dir() + "/totals.json"));
  std::vector<ProjectGame> out;
  for (const auto& [relative, totals] : all.items())
    out.push_back({std::string(LAMTOOL_SOURCE_DIR) + "/" + relative, totals});
  return out;
}

ProjectGame project_game(const std::string& game_id) {
  for (ProjectGame& g : project_games())
    if (g.totals["game_id"] == game_id) return g;
  throw std::runtime_error("no project game " + game_id + " in tests/fixtures/nhl/totals.json");
}

}  // namespace lamtool::test
