// Fetching games by id through a scripted HttpClient, and the local cache.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "fake_http_client.h"
#include "lamtool/error.h"
#include "lamtool/nhl.h"
#include "nhl_games.h"
#include "temp_dir.h"

namespace lamtool::nhl {
namespace {

using nlohmann::json;

// A finished api-web game made by tests/tools/make_nhl_games.py, and its totals.
const std::string kId = "1917020902";
const test::ProjectGame& game() {
  static const test::ProjectGame g = test::project_game(kId);
  return g;
}
int total(const char* side, const char* what) { return game().totals[side][what].get<int>(); }

class NhlFetch : public ::testing::Test {
 protected:
  NhlFetch() {
    options_.api_url = "http://127.0.0.1:9/";
    options_.cache_dir = dir_.path();
    options_.retry.sleep = [this](std::chrono::milliseconds d) { sleeps_.push_back(d); };
  }
  test::TempDir dir_;
  test::FakeHttpClient http_;
  FetchOptions options_;
  std::vector<std::chrono::milliseconds> sleeps_;
  std::string body_ = test::slurp(game().path);
};

TEST_F(NhlFetch, FetchesParsesAndCachesAFinishedGame) {
  http_.push(200, body_);
  FetchedGame got = fetch_game(http_, kId, options_);
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(http_.requests()[0].method, "GET");
  EXPECT_EQ(http_.requests()[0].url, "http://127.0.0.1:9/v1/gamecenter/" + kId + "/play-by-play");
  EXPECT_FALSE(got.from_cache);
  EXPECT_EQ(got.game.counts(Side::kHome).shots_on_goal, total("home", "shots_on_goal"));
  std::string cached = cache_path(dir_.path(), kId);
  EXPECT_EQ(cached, dir_.path() + "/nhl/" + kId + "-play-by-play.json");
  EXPECT_EQ(test::slurp(cached), body_);
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path() + "/nhl"),
                          std::filesystem::directory_iterator()),
            1);

  // A second run needs no network: the fake has no answers left and would throw.
  FetchedGame again = fetch_game(http_, kId, options_);
  EXPECT_TRUE(again.from_cache);
  EXPECT_EQ(again.source, cached);
  EXPECT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(again.game.counts(Side::kAway).shots_on_goal, total("away", "shots_on_goal"));
}

TEST_F(NhlFetch, LiveGameIsNotCached) {
  json live = json::parse(body_);
  live["gameState"] = "LIVE";
  http_.push(200, live.dump());
  http_.push(200, live.dump());
  EXPECT_FALSE(fetch_game(http_, kId, options_).game.final);
  EXPECT_FALSE(std::filesystem::exists(cache_path(dir_.path(), kId)));
  EXPECT_FALSE(fetch_game(http_, kId, options_).from_cache);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(NhlFetch, StaleLiveOrCorruptCacheIsFetchedAgain) {
  json live = json::parse(body_);
  live["gameState"] = "LIVE";
  std::string cached = cache_path(dir_.path(), kId);
  std::filesystem::create_directories(dir_.path() + "/nhl");
  for (const std::string& stale : {live.dump(), body_.substr(0, 1000)}) {
    test::spit(cached, stale);
    http_.push(200, body_);
    FetchedGame got = fetch_game(http_, kId, options_);
    EXPECT_FALSE(got.from_cache);
    EXPECT_TRUE(got.game.final);
    EXPECT_EQ(test::slurp(cached), body_);
  }
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(NhlFetch, CacheFileOfAnotherGameIsNotUsed) {
  std::filesystem::create_directories(dir_.path() + "/nhl");
  test::spit(cache_path(dir_.path(), "1917020901"), body_);  // holds game 1917020902
  ASSERT_EQ(test::slurp(cache_path(dir_.path(), "1917020901")), body_);
  test::ProjectGame other = test::project_game("1917020901");
  http_.push(200, test::slurp(other.path));
  FetchedGame got = fetch_game(http_, "1917020901", options_);
  EXPECT_FALSE(got.from_cache);
  EXPECT_EQ(got.game.home.abbrev, other.totals["home"]["abbrev"].get<std::string>());
}

TEST_F(NhlFetch, NotFoundIsServiceErrorSayingSo) {
  http_.push(404, R"({"message":"Not Found"})");
  try {
    fetch_game(http_, "2024021300", options_);
    FAIL() << "no error";
  } catch (const ServiceError& e) {
    EXPECT_EQ(e.exit_code(), 69);
    EXPECT_NE(std::string(e.what()).find("game not found '2024021300'"), std::string::npos);
  }
  EXPECT_EQ(http_.requests().size(), 1u);  // a 404 is not retried
}

TEST_F(NhlFetch, ServiceDownAfterRetriesIsNetworkError) {
  for (int i = 0; i < 5; ++i) http_.push(503, "unavailable");
  EXPECT_THROW(fetch_game(http_, kId, options_), NetworkError);
  EXPECT_EQ(http_.requests().size(), 5u);
  EXPECT_EQ(sleeps_.size(), 4u);
  for (int i = 0; i < 5; ++i) http_.push_network_error("connection refused");
  try {
    fetch_game(http_, kId, options_);
    FAIL() << "no error";
  } catch (const NetworkError& e) {
    EXPECT_EQ(e.exit_code(), 75);
  }
  EXPECT_FALSE(std::filesystem::exists(cache_path(dir_.path(), kId)));
}

TEST_F(NhlFetch, RetriesThenSucceeds) {
  http_.push_network_error("connection reset");
  http_.push(502, "bad gateway");
  http_.push(200, body_);
  EXPECT_EQ(fetch_game(http_, kId, options_).game.game_id, kId);
  EXPECT_EQ(http_.requests().size(), 3u);
  ASSERT_EQ(sleeps_.size(), 2u);
  // Full jitter: retry k waits at most min(cap, base * 2^(k-1)).
  EXPECT_LE(sleeps_[0], options_.retry.base);
  EXPECT_LE(sleeps_[1], options_.retry.base * 2);
}

TEST_F(NhlFetch, BadIdMakesNoRequest) {
  EXPECT_THROW(fetch_game(http_, "2024051313", options_), UsageError);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(NhlFetch, WrongOrBrokenBodyIsDataError) {
  http_.push(200, body_);
  EXPECT_THROW(fetch_game(http_, "1917020904", options_), DataError);  // body is game 902
  http_.push(200, "<html>maintenance</html>");
  try {
    fetch_game(http_, kId, options_);
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("/v1/gamecenter/" + kId + "/play-by-play"),
              std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(cache_path(dir_.path(), kId)));
}

TEST_F(NhlFetch, UnwritableCacheIsOnlyAWarning) {
  test::spit(dir_.path() + "/nhl", "a file where the folder should be");
  http_.push(200, body_);
  EXPECT_EQ(fetch_game(http_, kId, options_).game.counts(Side::kAway).goals,
            total("away", "goals"));
}

TEST(NhlFetchOptions, ComeFromTheEnvironment) {
  ::setenv("LAMTOOL_NHL_API_URL", "http://127.0.0.1:1234", 1);
  ::setenv("LAMTOOL_CACHE_DIR", "/tmp/c1", 1);
  ::setenv("XDG_CACHE_HOME", "/tmp/xdg", 1);
  ::setenv("HOME", "/tmp/home", 1);
  EXPECT_EQ(fetch_options_from_env().api_url, "http://127.0.0.1:1234");
  EXPECT_EQ(fetch_options_from_env().cache_dir, "/tmp/c1");
  ::unsetenv("LAMTOOL_CACHE_DIR");
  EXPECT_EQ(fetch_options_from_env().cache_dir, "/tmp/xdg/lamtool");
  ::unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(fetch_options_from_env().cache_dir, "/tmp/home/.cache/lamtool");
  ::unsetenv("LAMTOOL_NHL_API_URL");
  EXPECT_EQ(fetch_options_from_env().api_url, "https://api-web.nhle.com");
}

}  // namespace
}  // namespace lamtool::nhl
