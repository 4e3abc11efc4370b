// The mediator's rules and its local state store. The worker and whole rounds are
// tested end to end in tests/cli/gif-dataflow-round.sh and aws-mediator-s3-concurrent.sh.

#include "lamtool/dataflow.h"

#include <gtest/gtest.h>

#include <thread>

#include "lamtool/error.h"
#include "temp_dir.h"

namespace lamtool::dataflow {
namespace {

using nlohmann::json;

constexpr std::int64_t kT0 = 1405746600000;  // 2014-07-19T05:10:00Z
constexpr std::int64_t kStep = 600000;       // ten minutes

json fetched(int i, const std::string& id = "radar") {
  return {{"type", "did-fetch-image"},
          {"imageId", id},
          {"validTime", kT0 + i * kStep},
          {"location", {{"Bucket", "b"}, {"Key", "images/" + std::to_string(i) + ".png"}}}};
}

std::vector<std::string> gif_keys(const json& please_gif) {
  std::vector<std::string> keys;
  for (const auto& l : please_gif["locations"]) keys.push_back(l["Key"]);
  return keys;
}

std::vector<json> of_type(const std::vector<json>& out, const std::string& type) {
  std::vector<json> r;
  for (const auto& m : out)
    if (m["type"] == type) r.push_back(m);
  return r;
}

TEST(Mediator, ThumbnailPerImageAndGifOnceNFramesArrivedInTimeOrder) {
  MediatorConfig c;
  c.frames = 5;
  json state;
  std::vector<json> all;
  // Out of order, as parallel fetches finish.
  for (int i : {2, 0, 4, 1}) {
    Outcome o = mediate(state, fetched(i), c, 1);
    ASSERT_TRUE(o.problem.empty()) << o.problem;
    ASSERT_EQ(o.out.size(), 1u);
    EXPECT_EQ(o.out[0]["type"], "please-create-thumbnail");
    EXPECT_EQ(o.out[0]["validTime"], kT0 + i * kStep);
    EXPECT_EQ(o.out[0]["location"]["Key"], "images/" + std::to_string(i) + ".png");
    EXPECT_EQ(o.out[0]["width"], 200);
  }
  Outcome o = mediate(state, fetched(3), c, 1);
  auto gifs = of_type(o.out, "please-create-gif");
  ASSERT_EQ(gifs.size(), 1u);
  EXPECT_EQ(gif_keys(gifs[0]),
            (std::vector<std::string>{"images/0.png", "images/1.png", "images/2.png",
                                      "images/3.png", "images/4.png"}));
  EXPECT_EQ(gifs[0]["minValidTime"], kT0);
  EXPECT_EQ(gifs[0]["maxValidTime"], kT0 + 4 * kStep);
  EXPECT_EQ(gifs[0]["gifDelay"], 250);
  EXPECT_EQ(gifs[0]["gifLoop"], true);
}

// The original's query took the frames "since" the last GIF inclusively, so each GIF began
// with the previous one's last frame; here the next GIF starts after it.
TEST(Mediator, NextGifDoesNotReuseThePreviousGifsLastFrame) {
  MediatorConfig c;
  c.frames = 3;
  json state;
  std::vector<json> gifs;
  for (int i = 0; i < 9; ++i)
    for (const auto& m : of_type(mediate(state, fetched(i), c, 1).out, "please-create-gif"))
      gifs.push_back(m);
  ASSERT_EQ(gifs.size(), 3u);
  EXPECT_EQ(gif_keys(gifs[1]),
            (std::vector<std::string>{"images/3.png", "images/4.png", "images/5.png"}));
  EXPECT_EQ(gif_keys(gifs[2]),
            (std::vector<std::string>{"images/6.png", "images/7.png", "images/8.png"}));
}

TEST(Mediator, LateFrameOlderThanTheLastGifGetsAThumbnailButNoGif) {
  MediatorConfig c;
  c.frames = 2;
  json state;
  mediate(state, fetched(5), c, 1);
  ASSERT_EQ(of_type(mediate(state, fetched(6), c, 1).out, "please-create-gif").size(), 1u);
  Outcome late = mediate(state, fetched(1), c, 1);
  ASSERT_EQ(late.out.size(), 1u);
  EXPECT_EQ(late.out[0]["type"], "please-create-thumbnail");
  auto next = of_type(mediate(state, fetched(7), c, 1).out, "please-create-gif");
  EXPECT_TRUE(next.empty());
  next = of_type(mediate(state, fetched(8), c, 1).out, "please-create-gif");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(gif_keys(next[0]), (std::vector<std::string>{"images/7.png", "images/8.png"}));
}

TEST(Mediator, MessageDeliveredAgainCausesTheSameMessagesAgainAndChangesNothing) {
  MediatorConfig c;
  c.frames = 2;
  json state;
  mediate(state, fetched(0), c, 1);
  Outcome first = mediate(state, fetched(1), c, 2);
  json before = state;
  Outcome again = mediate(state, fetched(1), c, 3);
  EXPECT_TRUE(again.repeated);
  EXPECT_EQ(again.out, first.out);
  EXPECT_EQ(state, before);
}

TEST(Mediator, MailAfterGifWithTheGifAndTheThumbnailsOfItsFrames) {
  MediatorConfig c;
  c.frames = 2;
  c.mail_to = {"ops@example.com"};
  c.mail_from = "radar@example.com";
  json state;
  mediate(state, fetched(0), c, 1);
  json gif = of_type(mediate(state, fetched(1), c, 1).out, "please-create-gif").at(0);
  for (int i : {0, 1})
    mediate(state,
            {{"type", "did-create-thumbnail"},
             {"imageId", "radar"},
             {"validTime", kT0 + i * kStep},
             {"location", {{"Key", "thumbs/" + std::to_string(i) + ".png"}}}},
            c, 1);
  Outcome o = mediate(state,
                      {{"type", "did-create-gif"},
                       {"imageId", "radar"},
                       {"minValidTime", gif["minValidTime"]},
                       {"maxValidTime", gif["maxValidTime"]},
                       {"frames", 2},
                       {"location", {{"Key", "gifs/a.gif"}}}},
                      c, 1);
  ASSERT_EQ(o.out.size(), 1u);
  const json& mail = o.out[0];
  EXPECT_EQ(mail["type"], "please-send-email");
  EXPECT_EQ(mail["to"], json::array({"ops@example.com"}));
  EXPECT_EQ(mail["from"], "radar@example.com");
  ASSERT_EQ(mail["locations"].size(), 3u);
  EXPECT_EQ(mail["locations"][0]["Key"], "gifs/a.gif");
  EXPECT_EQ(mail["locations"][2]["Key"], "thumbs/1.png");
  EXPECT_TRUE(mediate(state, {{"type", "did-send-email"}, {"imageId", "radar"}}, c, 1).out.empty());
}

TEST(Mediator, BadMessagesChangeNothingAndAreReported) {
  MediatorConfig c;
  json state;
  mediate(state, fetched(0), c, 1);
  json before = state;
  json no_id = fetched(1);
  no_id.erase("imageId");
  json bad_time = fetched(1);
  bad_time["validTime"] = "yesterday";
  json bad_location = fetched(1);
  bad_location["location"] = {{"Bucket", "b"}};
  for (const json& m : {no_id, bad_time, bad_location, json{{"type", "please-create-gif"}},
                        json{{"type", "did-something"}}, json{{"no", "type"}}}) {
    Outcome o = mediate(state, m, c, 1);
    EXPECT_TRUE(o.bad) << m;
    EXPECT_FALSE(o.problem.empty());
    EXPECT_TRUE(o.out.empty());
    EXPECT_EQ(state, before) << m;
  }
  Outcome o = mediate(state, bad_time, c, 1);
  EXPECT_NE(o.problem.find("validTime"), std::string::npos) << o.problem;
  Outcome failed = mediate(
      state, {{"type", "did-fail"}, {"request", "please-fetch-image"}, {"error", "HTTP 404"}}, c,
      1);
  EXPECT_FALSE(failed.bad);
  EXPECT_NE(failed.problem.find("HTTP 404"), std::string::npos);
}

// Found by fuzzing (tests/fuzz/regressions/dataflow): a did-fail whose fields are not
// strings is still reported, not an internal error.
TEST(Mediator, DidFailWithFieldsOfOtherTypes) {
  json state = json::object();
  Outcome o = mediate(state, {{"type", "did-fail"}, {"request", 7}, {"error", {{"code", 3}}}},
                      MediatorConfig{}, 1);
  EXPECT_FALSE(o.bad);
  EXPECT_EQ(o.problem, "a worker failed '7' for '?': {\"code\":3}");
}

TEST(Messages, LocationsAndTimes) {
  EXPECT_EQ(location_uri(parse_location(json{{"Bucket", "bkt"}, {"Key", "k/x.png"}}, "l")),
            "s3://bkt/k/x.png");
  EXPECT_EQ(location_uri(parse_location(json{{"Key", "out/x.png"}}, "l")), "out/x.png");
  EXPECT_EQ(location_uri(parse_location(json("s3://bkt/k"), "l")), "s3://bkt/k");
  EXPECT_THROW(parse_location(json(42), "l"), DataError);
  EXPECT_EQ(location_json(location_of_uri("s3://bkt/a/b.gif")),
            (json{{"Bucket", "bkt"}, {"Key", "a/b.gif"}}));
  EXPECT_EQ(time_field(json{{"t", "2014-07-19T05:10:00Z"}}, "t"), kT0);
  EXPECT_EQ(time_field(json{{"t", kT0}}, "t"), kT0);
  EXPECT_THROW(time_field(json{{"t", true}}, "t"), DataError);
  EXPECT_THROW(time_field(json::object(), "t"), DataError);
}

// Two writers at once (threads here; processes take the same lock) lose no update.
TEST(StateFile, ConcurrentTransactionsLoseNoUpdate) {
  test::TempDir dir;
  Logger log{Verbosity::kQuiet};
  FixedClock clock{Seconds{}};
  Context ctx{log, clock};
  auto a = open_state(ctx, dir / "state.json");
  auto b = open_state(ctx, dir / "state.json");
  auto bump = [](StateStore& s) {
    for (int i = 0; i < 100; ++i) s.transact([](json& st) { st["n"] = st.value("n", 0) + 1; });
  };
  std::thread t([&] { bump(*a); });
  bump(*b);
  t.join();
  EXPECT_EQ(json::parse(test::slurp(dir / "state.json"))["n"], 200);
}

TEST(StateFile, CorruptStateIsADataErrorAndIsLeftAlone) {
  test::TempDir dir;
  Logger log{Verbosity::kQuiet};
  FixedClock clock{Seconds{}};
  Context ctx{log, clock};
  test::spit(dir / "state.json", "{not json");
  auto s = open_state(ctx, dir / "state.json");
  EXPECT_THROW(s->transact([](json&) {}), DataError);
  EXPECT_EQ(test::slurp(dir / "state.json"), "{not json");
  EXPECT_THROW(open_state(ctx, "dir/"), UsageError);
}

}  // namespace
}  // namespace lamtool::dataflow
