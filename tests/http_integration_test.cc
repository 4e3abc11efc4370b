// The curl client and the retry loop together, through the fault-injecting proxy
// (tests/servers/fault-proxy.js) in front of the real s3rver started by the
// servers.start fixture: what the proxy did is read back from its counters.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lamtool/error.h"
#include "lamtool/http.h"
#include "test_servers.h"

namespace lamtool {
namespace {

using namespace std::chrono_literals;

RetryPolicy fast_policy(int attempts, std::vector<std::chrono::milliseconds>* delays) {
  RetryPolicy p;
  p.max_attempts = attempts;
  p.base = 10ms;
  p.cap = 50ms;
  p.sleep = [delays](std::chrono::milliseconds d) { delays->push_back(d); };
  return p;
}

HttpRequest get(const std::string& url) {
  HttpRequest r;
  r.url = url;
  r.timeout = 1000ms;
  return r;
}

class HttpThroughFaults : public ::testing::Test {
 protected:
  test::TestServers servers_ = test::TestServers::load();
  // s3rver answers 404 NoSuchBucket to an anonymous GET of a missing bucket: the
  // backend's own answer, told apart from every injected fault.
  test::FaultProxy proxy_{
      servers_, {"--backend", servers_.s3_backend, "--service", "s3", "--slow-ms", "5000"}};
  std::unique_ptr<HttpClient> client_ = make_curl_http_client();
  std::string url() const { return proxy_.endpoint() + "/lamtool-no-such-bucket/key"; }
  nlohmann::json stats() const { return nlohmann::json::parse(proxy_.stats()); }
};

TEST_F(HttpThroughFaults, RetriesResetsAndServerErrorsUntilTheBackendAnswers) {
  proxy_.queue({"reset", "503", "500", "slow"});
  std::vector<std::chrono::milliseconds> delays;
  std::vector<std::string> reasons;
  HttpResponse r = send_with_retries(*client_, get(url()), fast_policy(5, &delays), {},
                                     [&](int, const std::string& why) { reasons.push_back(why); });
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("<Code>NoSuchBucket</Code>"), std::string::npos) << r.body;
  EXPECT_EQ(delays.size(), 4u);
  ASSERT_EQ(reasons.size(), 4u);
  EXPECT_NE(reasons[0].find("no response"), std::string::npos) << reasons[0];
  EXPECT_EQ(reasons[1], "HTTP status 503");
  EXPECT_EQ(reasons[2], "HTTP status 500");
  EXPECT_NE(reasons[3].find("Timeout was reached"), std::string::npos) << reasons[3];
  auto s = stats();
  EXPECT_EQ(s["reset"], 1);
  EXPECT_EQ(s["error503"], 1);
  EXPECT_EQ(s["error500"], 1);
  EXPECT_EQ(s["slow"], 1);
  EXPECT_EQ(s["passed"], 1);
}

TEST_F(HttpThroughFaults, ReturnsTheLastServerErrorWhenAttemptsRunOut) {
  proxy_.queue({"503", "503", "503"});
  std::vector<std::chrono::milliseconds> delays;
  HttpResponse r = send_with_retries(*client_, get(url()), fast_policy(3, &delays));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("<Code>SlowDown</Code>"), std::string::npos);
  EXPECT_EQ(stats()["passed"], 0);
}

TEST_F(HttpThroughFaults, RethrowsNetworkErrorAfterOnlyResets) {
  proxy_.queue({"reset", "reset", "reset"});
  std::vector<std::chrono::milliseconds> delays;
  EXPECT_THROW(send_with_retries(*client_, get(url()), fast_policy(3, &delays)), NetworkError);
  EXPECT_EQ(stats()["reset"], 3);
}

TEST(TestServers, SignatureProxyRefusesAnUnsignedRequest) {
  auto servers = test::TestServers::load();
  auto client = make_curl_http_client();
  HttpResponse r = client->send(get(servers.s3_endpoint + "/"));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("<Code>AccessDenied</Code>"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace lamtool
