// Fetching a game by id from the NHL API, with a local cache of finished games.

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/log.h"
#include "lamtool/nhl.h"

namespace lamtool::nhl {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string default_cache_dir() {
  if (auto dir = env("LAMTOOL_CACHE_DIR"); !dir.empty()) return dir;
  if (auto xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return xdg + "/lamtool";
  if (auto home = env("HOME"); !home.empty()) return home + "/.cache/lamtool";
  return "";
}

void debug(const FetchOptions& o, const std::string& msg) {
  if (o.log) o.log->debug(msg);
}

// A cached finished game, or nullopt when there is none or it is unusable.
std::optional<FetchedGame> from_cache(const std::string& path, std::string_view id,
                                      const FetchOptions& o) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  try {
    Game game = parse_game(read_file(path), path, o.parse);
    if (game.final && game.game_id == id) return FetchedGame{std::move(game), path, true};
    debug(o, fmt::format("cached game '{}' was not final; fetching again", path));
  } catch (const Error& e) {
    debug(o, fmt::format("ignoring cache file: {}", e.what()));
  }
  return std::nullopt;
}

std::string trim_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// One line of the service's reply for an error message: short, printable.
std::string snippet(const std::string& body) {
  std::string s = body.substr(0, 120);
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

void check_status(const HttpResponse& r, std::string_view id, const std::string& url) {
  if (r.status >= 200 && r.status < 300) return;
  if (r.status == 404)
    throw ServiceError(
        fmt::format("game not found '{}': the NHL API answered 404 for {}", id, url));
  if (r.status >= 500 || r.status == 429)
    throw NetworkError(
        fmt::format("NHL API unavailable '{}': HTTP {} after retries", url, r.status));
  throw ServiceError(
      fmt::format("NHL API refused '{}': HTTP {} {}", url, r.status, snippet(r.body)));
}

}  // namespace

FetchOptions fetch_options_from_env() {
  FetchOptions o;
  if (auto url = env("LAMTOOL_NHL_API_URL"); !url.empty()) o.api_url = url;
  o.cache_dir = default_cache_dir();
  return o;
}

std::string cache_path(const std::string& cache_dir, std::string_view game_id) {
  if (cache_dir.empty()) return "";
  return fmt::format("{}/nhl/{}-play-by-play.json", cache_dir, game_id);
}

FetchedGame fetch_game(HttpClient& client, std::string_view game_id, const FetchOptions& o) {
  validate_game_id(game_id);
  std::string cached = cache_path(o.cache_dir, game_id);
  if (auto hit = from_cache(cached, game_id, o)) {
    debug(o, fmt::format("using cached game '{}'", cached));
    return std::move(*hit);
  }
  HttpRequest req;
  req.url = fmt::format("{}/v1/gamecenter/{}/play-by-play", trim_slash(o.api_url), game_id);
  req.headers.emplace_back("Accept", "application/json");
  auto on_retry = [&](int attempt, const std::string& why) {
    debug(o, fmt::format("retry {} of {}: {}", attempt, req.url, why));
  };
  HttpResponse resp = send_with_retries(client, req, o.retry, {}, on_retry);
  check_status(resp, game_id, req.url);
  Game game = parse_game(resp.body, req.url, o.parse);
  if (game.game_id != game_id)
    throw DataError(fmt::format("bad NHL play-by-play '{}': it is game {}, not {}", req.url,
                                game.game_id, game_id));
  if (game.final && !cached.empty()) {
    try {
      write_file_atomic(cached, resp.body);
    } catch (const Error& e) {
      if (o.log) o.log->warningf("cannot cache game {}: {}", game_id, e.what());
    }
  }
  return FetchedGame{std::move(game), req.url, false};
}

}  // namespace lamtool::nhl
