#pragma once
// The project's own NHL games, made by tests/tools/make_nhl_games.py: the test games in
// tests/fixtures/nhl/, the setup demo in data/nhl/, and the generator's own count of
// what it put in each (tests/fixtures/nhl/totals.json), a source independent of lamtool.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lamtool::test {

struct ProjectGame {
  std::string path;       ///< absolute
  nlohmann::json totals;  ///< the generator's entry: home/away counts, game facts
};

/// Every project game, sorted by path.
std::vector<ProjectGame> project_games();

/// The project game with this id; throws std::runtime_error when there is none.
ProjectGame project_game(const std::string& game_id);

/// The folder of the test games (served by tests/servers/nhl-fixture-server.py).
std::string project_games_dir();

}  // namespace lamtool::test
