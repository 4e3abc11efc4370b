// OAuth 1.0a on the published examples (RFC 5849, X's "Creating a signature"), the X
// client's handling of X's answers (scripted), X's weighted text length, and the shot
// map's alt text. The client against a server that checks signatures independently is
// in tests/cli/tweet-x-api.sh.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <sstream>

#include "fake_http_client.h"
#include "lamtool/error.h"
#include "lamtool/jobs/shotmap.h"
#include "lamtool/log.h"
#include "lamtool/nhl.h"
#include "lamtool/x/client.h"
#include "lamtool/x/oauth1.h"

namespace lamtool::x {
namespace {

using namespace std::chrono_literals;

// X's documentation, "Creating a signature" (developer.x.com, the api.twitter.com page).
const OAuthCredentials kXDoc{.consumer_key = "xvz1evFS4wEEPTGEFPHBog",
                             .consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                             .token = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                             .token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"};

TEST(OAuth1, XDocumentationExample) {
  ParamList body =
      parse_form("status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21");
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0].second, "Hello Ladies + Gentlemen, a signed OAuth request!");
  OAuthSigned s =
      sign("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", body,
           kXDoc, "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", "1318622958");
  // The published signature base string and signature.
  EXPECT_EQ(s.base_string,
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%"
            "3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
            "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%"
            "26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
            "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%"
            "2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
  EXPECT_EQ(s.signature, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
  EXPECT_NE(s.authorization.find("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""),
            std::string::npos)
      << s.authorization;
  EXPECT_EQ(s.authorization.rfind("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", ", 0), 0u);
}

TEST(OAuth1, Rfc5849BaseStringExample) {
  // RFC 5849 section 3.4.1.1: query and form parameters, repeated names, '+' as space in
  // the form body, a value-less pair, and encoded names.
  ParamList oauth = {{"oauth_consumer_key", "9djdj82h48djs9d2"},
                     {"oauth_token", "kkk9d7dh3k39sjv7"},
                     {"oauth_signature_method", "HMAC-SHA1"},
                     {"oauth_timestamp", "137131201"},
                     {"oauth_nonce", "7d8f3e4a"}};
  std::string base =
      signature_base_string("post", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
                            parse_form("c2&a3=2+q"), oauth);
  EXPECT_EQ(base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%"
            "253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_"
            "nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%"
            "26oauth_token%3Dkkk9d7dh3k39sjv7");
}

TEST(OAuth1, Rfc5849PhotosExample) {
  // RFC 5849 section 1.2: the signed photos request (oauth_version is left out there).
  ParamList oauth = {{"oauth_consumer_key", "dpf43f3p2l4k3l03"},
                     {"oauth_token", "nnch734d00sl2jdk"},
                     {"oauth_signature_method", "HMAC-SHA1"},
                     {"oauth_timestamp", "137131202"},
                     {"oauth_nonce", "chapoH"}};
  std::string base = signature_base_string(
      "GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", {}, oauth);
  EXPECT_EQ(hmac_sha1_signature(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00"),
            "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

TEST(OAuth1, BaseStringUri) {
  // RFC 5849 section 3.4.1.2's examples: default ports dropped, others kept, case folded.
  EXPECT_EQ(base_string_uri("HTTP://EXAMPLE.COM:80/r%20v/X?id=123"), "http://example.com/r%20v/X");
  EXPECT_EQ(base_string_uri("https://www.example.net:8080/?q=1"), "https://www.example.net:8080/");
  EXPECT_EQ(base_string_uri("https://api.x.com:443/2/tweets"), "https://api.x.com/2/tweets");
  EXPECT_EQ(base_string_uri("http://127.0.0.1:4000"), "http://127.0.0.1:4000/");
  EXPECT_THROW(base_string_uri("ftp://example.com/"), ConfigError);
}

TEST(OAuth1, NormalizedParametersSortEncodedNamesThenValues) {
  EXPECT_EQ(normalized_parameters({{"b", "2"}, {"a", "z"}, {"a", "1"}, {"a b", "~!*"}}),
            "a=1&a=z&a%20b=~%21%2A&b=2");
  EXPECT_EQ(normalized_parameters({{"x", "ü"}}), "x=%C3%BC");
}

TEST(OAuth1, SignRequestSignsFormBodiesOnly) {
  auto auth_of = [](HttpRequest r) {
    return sign_request(r, kXDoc, Seconds(1700000000s)).base_string;
  };
  HttpRequest form;
  form.method = "POST";
  form.url = "https://api.x.com/x?q=1";
  form.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  form.body = "status=a+b";
  EXPECT_NE(auth_of(form).find("status%3Da%2520b"), std::string::npos);
  HttpRequest json = form;
  json.headers = {{"Content-Type", "application/json"}};
  EXPECT_EQ(auth_of(json).find("status"), std::string::npos);
  HttpRequest multipart = form;
  multipart.headers = {{"Content-Type", "multipart/form-data; boundary=z"}};
  EXPECT_EQ(auth_of(multipart).find("status"), std::string::npos);
}

TEST(OAuth1, EachSigningHasAFreshNonceAndOneAuthorizationHeader) {
  std::set<std::string> nonces;
  HttpRequest r;
  r.url = "https://api.x.com/2/users/me";
  for (int i = 0; i < 50; ++i) {
    OAuthSigned s = sign_request(r, kXDoc, Seconds(1700000000s));
    const std::string& nonce = s.oauth_params[1].second;
    EXPECT_EQ(s.oauth_params[1].first, "oauth_nonce");
    EXPECT_EQ(nonce.size(), 32u);
    EXPECT_EQ(
        nonce.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
        std::string::npos);
    nonces.insert(nonce);
  }
  EXPECT_EQ(nonces.size(), 50u);
  EXPECT_EQ(std::count_if(r.headers.begin(), r.headers.end(),
                          [](auto& h) { return h.first == "Authorization"; }),
            1);
}

// The client, answered by a script.
struct ClientFixture : ::testing::Test {
  test::FakeHttpClient http;
  std::ostringstream log_text;
  Logger log{Verbosity::kVerbose, log_text};
  std::vector<std::chrono::milliseconds> waits;
  Seconds now{1700000000s};

  XClient client(std::chrono::seconds max_wait = 900s) {
    XClientOptions o;
    o.max_rate_limit_wait = max_wait;
    o.sleep = [this](std::chrono::milliseconds d) { waits.push_back(d); };
    o.now = [this] { return now; };
    o.chunk_bytes = 4;
    return XClient(http, XConfig{.api_url = "http://127.0.0.1:9", .credentials = kXDoc}, log, o);
  }
};

TEST_F(ClientFixture, RateLimitWaitsForTheResetThenSignsAgain) {
  http.push(429, R"({"title":"Too Many Requests","status":429})",
            {{"x-rate-limit-reset", std::to_string(now.time_since_epoch().count() + 7)}});
  http.push(201, R"({"data":{"id":"42","text":"hi"}})");
  PostedTweet t = client().post("hi", {});
  EXPECT_EQ(t.id, "42");
  EXPECT_EQ(t.url, "https://x.com/i/status/42");
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0], 8s);
  auto reqs = http.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_NE(test::header(reqs[0], "Authorization"), test::header(reqs[1], "Authorization"));
  EXPECT_EQ(reqs[1].body, R"({"text":"hi"})");
  EXPECT_NE(log_text.str().find("rate limited; waiting 8 s"), std::string::npos);
}

TEST_F(ClientFixture, RateLimitLongerThanMaxWaitIsATemporaryFailure) {
  http.push(429, "{}",
            {{"x-rate-limit-reset", std::to_string(now.time_since_epoch().count() + 600)}});
  try {
    client(60s).post("hi", {});
    FAIL() << "no error";
  } catch (const NetworkError& e) {
    EXPECT_NE(std::string(e.what()).find("600 s from now"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(waits.empty());
}

TEST_F(ClientFixture, AuthErrorsCarryXsMessage) {
  http.push(
      401, R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})");
  EXPECT_THROW(client().post("hi", {}), AuthError);
  http.push(403, R"({"detail":"You are not permitted to perform this action.","status":403})");
  try {
    client().post("hi", {});
    FAIL() << "no error";
  } catch (const AuthError& e) {
    EXPECT_NE(std::string(e.what()).find("You are not permitted"), std::string::npos);
  }
}

TEST_F(ClientFixture, DuplicateContentIsAServiceRefusalSaidPlainly) {
  http.push(
      403,
      R"({"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403})");
  try {
    client().post("hi", {});
    FAIL() << "no error";
  } catch (const ServiceError& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate content"), std::string::npos);
  }
  // After an attempt that got no answer, a duplicate may be our own first post.
  http.push_network_error();
  http.push(403, R"({"detail":"You are not allowed to create a Tweet with duplicate content."})");
  try {
    client().post("hi", {});
    FAIL() << "no error";
  } catch (const ServiceError& e) {
    EXPECT_NE(std::string(e.what()).find("earlier attempt"), std::string::npos) << e.what();
  }
}

TEST_F(ClientFixture, ServerErrorsAreRetriedThenTemporary) {
  for (int i = 0; i < 4; ++i) http.push(503, R"({"title":"Service Unavailable"})");
  EXPECT_THROW(client().post("hi", {}), NetworkError);
  EXPECT_EQ(http.request_count(), 4u);
  http.push(400, R"({"errors":[{"message":"media id 7 not found"}],"title":"Invalid Request"})");
  try {
    client().post("hi", {"7"});
    FAIL() << "no error";
  } catch (const ServiceError& e) {
    EXPECT_NE(std::string(e.what()).find("media id 7 not found"), std::string::npos);
  }
}

TEST_F(ClientFixture, ChunkedUploadAppendsInOrderAndPollsUntilProcessed) {
  http.push(200, R"({"data":{"id":"9","media_key":"16_9"}})");
  for (int i = 0; i < 3; ++i) http.push(200, R"({"data":{}})");
  http.push(200,
            R"({"data":{"id":"9","processing_info":{"state":"pending","check_after_secs":2}}})");
  http.push(
      200, R"({"data":{"id":"9","processing_info":{"state":"in_progress","check_after_secs":1}}})");
  http.push(200, R"({"data":{"id":"9","processing_info":{"state":"succeeded"}}})");
  UploadedMedia m = client().upload_media("GIF89a....", "image/gif", true, "loop.gif");
  EXPECT_EQ(m.media_id, "9");
  EXPECT_TRUE(m.chunked);
  EXPECT_EQ(m.segments, 3);  // 10 bytes in chunks of 4
  EXPECT_EQ(m.status_polls, 2);
  EXPECT_EQ(waits, (std::vector<std::chrono::milliseconds>{2s, 1s}));
  auto reqs = http.requests();
  ASSERT_EQ(reqs.size(), 7u);
  EXPECT_EQ(reqs[0].url, "http://127.0.0.1:9/2/media/upload/initialize");
  EXPECT_EQ(reqs[0].body,
            R"({"media_category":"tweet_gif","media_type":"image/gif","total_bytes":10})");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(reqs[1 + i].url, "http://127.0.0.1:9/2/media/upload/9/append");
    EXPECT_NE(reqs[1 + i].body.find("name=\"segment_index\"\r\n\r\n" + std::to_string(i) + "\r\n"),
              std::string::npos);
  }
  EXPECT_NE(reqs[3].body.find("\r\n\r\n..\r\n--"), std::string::npos);  // the last 2 bytes
  EXPECT_EQ(reqs[4].url, "http://127.0.0.1:9/2/media/upload/9/finalize");
  EXPECT_EQ(reqs[5].method, "GET");
  EXPECT_EQ(reqs[5].url, "http://127.0.0.1:9/2/media/upload?command=STATUS&media_id=9");
}

TEST_F(ClientFixture, FailedProcessingNamesThePicture) {
  http.push(200, R"({"data":{"id":"9"}})");
  http.push(200, R"({"data":{}})");
  http.push(
      200,
      R"({"data":{"id":"9","processing_info":{"state":"failed","error":{"message":"Unsupported file"}}}})");
  try {
    client().upload_media("GIF8", "image/gif", true, "loop.gif");
    FAIL() << "no error";
  } catch (const ServiceError& e) {
    EXPECT_EQ(std::string(e.what()), "X could not process 'loop.gif': Unsupported file");
  }
}

TEST(WeightedLength, CountsAsTwitterTextDoes) {
  EXPECT_EQ(weighted_length(""), 0u);
  EXPECT_EQ(weighted_length("Hello"), 5u);
  EXPECT_EQ(weighted_length("café"), 4u);    // Latin-1: 1 each
  EXPECT_EQ(weighted_length("日本語"), 6u);  // CJK: 2 each
  EXPECT_EQ(weighted_length("see https://example.com/a/very/long/path?x=1 now"), 4u + 23u + 4u);
  EXPECT_EQ(weighted_length("\u2764\ufe0f"), 2u);  // heart + variation selector
  EXPECT_EQ(weighted_length("\U0001F468\u200D\U0001F469\u200D\U0001F467"), 2u);  // family
  EXPECT_EQ(weighted_length("\U0001F44D\U0001F3FD"), 2u);  // thumbs up, skin tone
  EXPECT_EQ(weighted_length(std::string(280, 'a')), 280u);
}

}  // namespace
}  // namespace lamtool::x

namespace lamtool::jobs::shotmap {
namespace {

TEST(ShotMapAltText, SaysTeamsScoreCountsAndDistances) {
  nhl::Game g;
  g.game_id = "2024020003";
  g.date = "2024-10-09";
  g.home = {.id = 1, .abbrev = "MTL", .name = "Canadiens"};
  g.away = {.id = 2, .abbrev = "TOR", .name = "Maple Leafs"};
  g.final = true;
  g.last_period = 3;
  g.home_score = 1;
  auto shot = [](nhl::Side side, nhl::ShotKind kind, double x, double y) {
    nhl::ShotEvent e;
    e.team = side;
    e.kind = kind;
    e.placed = true;
    e.x = x;
    e.y = y;
    return e;
  };
  using nhl::ShotKind;
  using nhl::Side;
  g.shots = {shot(Side::kHome, ShotKind::kGoal, 79, 0),         // 10 ft from the right net
             shot(Side::kHome, ShotKind::kShotOnGoal, 59, 0),   // 30 ft
             shot(Side::kHome, ShotKind::kMissed, 39, 30),      // sqrt(50^2+30^2) = 58 ft
             shot(Side::kHome, ShotKind::kBlocked, 80, 0),      // blocked: not placed in bins
             shot(Side::kAway, ShotKind::kShotOnGoal, -84, 3),  // 6 ft from the left net
             shot(Side::kAway, ShotKind::kShotOnGoal, -80, -4)};
  Options opts;
  Selection sel = select_shots(g, opts, "test");
  std::string alt = alt_text(g, sel);
  EXPECT_EQ(alt.rfind("Shot map of Maple Leafs (TOR) at Canadiens (MTL), 2024-10-09, final: TOR 0, "
                      "MTL 1.",
                      0),
            0u)
      << alt;
  EXPECT_NE(alt.find("Canadiens shoot at the right-hand net, in red, and Maple Leafs at the "
                     "left-hand net, in blue"),
            std::string::npos);
  EXPECT_NE(alt.find("Canadiens: 2 shots on goal, 1 goal, 1 missed shot, 1 blocked shot. Of 3 "
                     "located unblocked attempts, 1 came from within 20 feet of the net, 1 from "
                     "20 to 40 feet and 1 from farther out. The goal came from 10 feet."),
            std::string::npos)
      << alt;
  EXPECT_NE(alt.find("Maple Leafs: 2 shots on goal, 0 goals, 0 missed shots, 0 blocked shots. Of "
                     "2 located unblocked attempts, 2 came from within 20 feet of the net, 0 from "
                     "20 to 40 feet and 0 from farther out, most of them close in."),
            std::string::npos)
      << alt;
  EXPECT_LE(alt.size(), 1000u);
  EXPECT_EQ(default_post_text(g, sel),
            "TOR 0 at MTL 1, 2024-10-09 (final): where the shots came from");
}

}  // namespace
}  // namespace lamtool::jobs::shotmap
