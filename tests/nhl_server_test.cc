// Fetching games through the real libcurl client from our NHL fixture server
// (tests/servers/nhl-fixture-server.py) on 127.0.0.1. Needs make_curl_http_client.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "lamtool/error.h"
#include "lamtool/nhl.h"
#include "nhl_games.h"
#include "temp_dir.h"

namespace lamtool::nhl {
namespace {

// Runs the fixture server with `args`, reads the port it prints, kills it at the end.
class FixtureServer {
 public:
  explicit FixtureServer(std::vector<std::string> args) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    args.insert(args.begin(),
                {"/usr/bin/python3", LAMTOOL_SOURCE_DIR "/tests/servers/nhl-fixture-server.py",
                 "--dir", test::project_games_dir()});
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string line;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(fds[0]);
    port_ = line.empty() ? 0 : std::stoi(line);
  }
  ~FixtureServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  FixtureServer(const FixtureServer&) = delete;
  FixtureServer& operator=(const FixtureServer&) = delete;
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

FetchOptions options(const std::string& url, const std::string& cache) {
  FetchOptions o;
  o.api_url = url;
  o.cache_dir = cache;
  o.retry.sleep = [](std::chrono::milliseconds) {};
  return o;
}

TEST(NhlServer, FetchesThroughCurlAndCaches) {
  test::TempDir dir;
  std::string log = dir / "requests.log";
  FixtureServer server({"--fail-first", "2", "--log", log});
  ASSERT_GT(server.port(), 0);
  auto http = make_curl_http_client();
  test::ProjectGame want = test::project_game("1917020901");
  FetchedGame g = fetch_game(*http, "1917020901", options(server.url(), dir.path()));
  EXPECT_FALSE(g.from_cache);
  // The generator's totals (tests/fixtures/nhl/totals.json).
  EXPECT_EQ(g.game.counts(Side::kHome).shots_on_goal,
            want.totals["home"]["shots_on_goal"].get<int>());
  EXPECT_EQ(g.game.counts(Side::kAway).shots_on_goal,
            want.totals["away"]["shots_on_goal"].get<int>());
  // Two injected 503s and the 200.
  EXPECT_EQ(test::slurp(log),
            "GET /v1/gamecenter/1917020901/play-by-play 503\n"
            "GET /v1/gamecenter/1917020901/play-by-play 503\n"
            "GET /v1/gamecenter/1917020901/play-by-play 200\n");
  FetchedGame again = fetch_game(*http, "1917020901", options(server.url(), dir.path()));
  EXPECT_TRUE(again.from_cache);
  std::string after = test::slurp(log);
  EXPECT_EQ(std::count(after.begin(), after.end(), '\n'), 3);  // no new request
}

TEST(NhlServer, UnknownGameIsNotFound) {
  test::TempDir dir;
  FixtureServer server({});
  auto http = make_curl_http_client();
  EXPECT_THROW(fetch_game(*http, "2024021300", options(server.url(), dir.path())), ServiceError);
}

TEST(NhlServer, ServerDownIsNetworkError) {
  test::TempDir dir;
  FixtureServer server({"--fail-game", "1917020901"});
  auto http = make_curl_http_client();
  EXPECT_THROW(fetch_game(*http, "1917020901", options(server.url(), dir.path())), NetworkError);
}

}  // namespace
}  // namespace lamtool::nhl
