// The AWS credential chain, shared-file parsing, region and endpoint resolution, and
// redaction of what the chain finds. HTTP goes to the FakeHttpClient.

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "fake_http_client.h"
#include "lamtool/aws/config.h"
#include "lamtool/aws/credentials.h"
#include "lamtool/error.h"
#include "lamtool/log.h"
#include "temp_dir.h"

namespace lamtool::aws {
namespace {

using test::FakeHttpClient;

// An environment with the shared files pointed into `dir` (which may hold none) and
// instance metadata disabled, plus `extra`.
std::map<std::string, std::string> base_env(const test::TempDir& dir,
                                            std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> env{{"AWS_SHARED_CREDENTIALS_FILE", dir / "credentials"},
                                         {"AWS_CONFIG_FILE", dir / "config"},
                                         {"AWS_EC2_METADATA_DISABLED", "true"},
                                         {"HOME", dir.path()}};
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

TimedCredentials resolve(const std::map<std::string, std::string>& env, FakeHttpClient& http) {
  std::ostringstream sink;
  Logger log(Verbosity::kVerbose, sink);
  return resolve_credentials(map_env(env), http, log);
}

TEST(AwsIni, ParsesSectionsCommentsAndWhitespace) {
  IniSections ini = parse_ini(
      "# comment\n; other comment\n[default]\naws_access_key_id = AKIA1  \n"
      "  [profile dev]  \nRegion=eu-west-1\ns3 =\n  addressing_style = path\n\nempty=\n");
  EXPECT_EQ(ini["default"]["aws_access_key_id"], "AKIA1");
  EXPECT_EQ(ini["profile dev"]["region"], "eu-west-1");
  EXPECT_EQ(ini["profile dev"]["s3"], "\naddressing_style = path");
  EXPECT_EQ(ini["profile dev"]["empty"], "");
}

TEST(AwsCredentials, EnvironmentComesFirst) {
  test::TempDir dir;
  test::spit(dir / "credentials",
             "[default]\naws_access_key_id=FILEKEY\naws_secret_access_key=FILESECRET\n");
  FakeHttpClient http;
  auto c = resolve(base_env(dir, {{"AWS_ACCESS_KEY_ID", "ENVKEY"},
                                  {"AWS_SECRET_ACCESS_KEY", "ENVSECRET"},
                                  {"AWS_SESSION_TOKEN", "ENVTOKEN"}}),
                   http);
  EXPECT_EQ(c.credentials.access_key_id, "ENVKEY");
  EXPECT_EQ(c.credentials.secret_access_key, "ENVSECRET");
  EXPECT_EQ(c.credentials.session_token, "ENVTOKEN");
  EXPECT_EQ(http.request_count(), 0u);
}

TEST(AwsCredentials, HalfSetEnvironmentIsAConfigError) {
  test::TempDir dir;
  FakeHttpClient http;
  EXPECT_THROW(resolve(base_env(dir, {{"AWS_ACCESS_KEY_ID", "ENVKEY"}}), http), ConfigError);
}

TEST(AwsCredentials, SharedFileProfileFromAwsProfile) {
  test::TempDir dir;
  test::spit(dir / "credentials",
             "[default]\naws_access_key_id=DEFKEY\naws_secret_access_key=DEFSECRET\n"
             "# the one we want\n[dev]\n  aws_access_key_id = DEVKEY\n"
             "aws_secret_access_key= DEVSECRET\naws_session_token =DEVTOKEN\n");
  FakeHttpClient http;
  auto c = resolve(base_env(dir, {{"AWS_PROFILE", "dev"}}), http);
  EXPECT_EQ(c.credentials.access_key_id, "DEVKEY");
  EXPECT_EQ(c.credentials.secret_access_key, "DEVSECRET");
  EXPECT_EQ(c.credentials.session_token, "DEVTOKEN");
  EXPECT_NE(c.credentials.source.find("profile 'dev'"), std::string::npos);
}

TEST(AwsCredentials, ConfigFileProfileSectionHasThePrefix) {
  test::TempDir dir;
  // In the config file a named profile is [profile NAME]; a bare [dev] is not it.
  test::spit(dir / "config",
             "[dev]\naws_access_key_id=WRONG\naws_secret_access_key=WRONG\n"
             "[profile dev]\naws_access_key_id=CFGKEY\naws_secret_access_key=CFGSECRET\n");
  FakeHttpClient http;
  auto c = resolve(base_env(dir, {{"AWS_PROFILE", "dev"}}), http);
  EXPECT_EQ(c.credentials.access_key_id, "CFGKEY");
}

TEST(AwsCredentials, DefaultFilesUnderHome) {
  test::TempDir dir;
  std::filesystem::create_directories(dir / ".aws");
  test::spit(dir / ".aws/credentials",
             "[default]\naws_access_key_id=HOMEKEY\naws_secret_access_key=HOMESECRET\n");
  FakeHttpClient http;
  auto c = resolve({{"HOME", dir.path()}, {"AWS_EC2_METADATA_DISABLED", "true"}}, http);
  EXPECT_EQ(c.credentials.access_key_id, "HOMEKEY");
}

TEST(AwsCredentials, ContainerRelativeUriWithToken) {
  test::TempDir dir;
  FakeHttpClient http;
  http.push(200, R"({"AccessKeyId":"CKEY","SecretAccessKey":"CSECRET","Token":"CTOKEN",)"
                 R"("Expiration":"2030-01-01T00:00:00Z"})");
  auto c = resolve(base_env(dir, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds/abc"},
                                  {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer xyz"}}),
                   http);
  EXPECT_EQ(c.credentials.access_key_id, "CKEY");
  EXPECT_EQ(c.credentials.session_token, "CTOKEN");
  ASSERT_TRUE(c.expiration);
  EXPECT_EQ(format_rfc3339(*c.expiration), "2030-01-01T00:00:00Z");
  auto reqs = http.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].url, "http://169.254.170.2/v2/creds/abc");
  EXPECT_EQ(test::header(reqs[0], "authorization"), "Bearer xyz");
  EXPECT_LE(reqs[0].timeout.count(), 1000);
}

TEST(AwsCredentials, ContainerFullUriWithTokenFile) {
  test::TempDir dir;
  test::spit(dir / "token", "file-token\n");
  FakeHttpClient http;
  http.push(200, R"({"AccessKeyId":"CKEY","SecretAccessKey":"CSECRET","Token":"T"})");
  auto c = resolve(base_env(dir, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/c"},
                                  {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir / "token"}}),
                   http);
  EXPECT_EQ(c.credentials.access_key_id, "CKEY");
  EXPECT_EQ(http.requests()[0].url, "http://127.0.0.1:9/c");
  EXPECT_EQ(test::header(http.requests()[0], "Authorization"), "file-token");
}

TEST(AwsCredentials, ContainerRefusalIsAuthError) {
  test::TempDir dir;
  FakeHttpClient http;
  http.push(403, "denied");
  EXPECT_THROW(resolve(base_env(dir, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/x"}}), http),
               AuthError);
}

TEST(AwsCredentials, InstanceMetadataV2TokenThenRoleThenCredentials) {
  test::TempDir dir;
  auto env = base_env(dir, {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/"}});
  env.erase("AWS_EC2_METADATA_DISABLED");
  FakeHttpClient http;
  http.push(200, "IMDSTOKEN");
  http.push(200, "my-role\n");
  http.push(200, R"({"Code":"Success","AccessKeyId":"IKEY","SecretAccessKey":"ISECRET",)"
                 R"("Token":"ITOKEN","Expiration":"2030-01-01T06:00:00Z"})");
  auto c = resolve(env, http);
  EXPECT_EQ(c.credentials.access_key_id, "IKEY");
  EXPECT_EQ(c.credentials.session_token, "ITOKEN");
  auto reqs = http.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].url, "http://127.0.0.1:1338/latest/api/token");
  EXPECT_EQ(test::header(reqs[0], "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(reqs[1].url, "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(test::header(reqs[1], "X-aws-ec2-metadata-token"), "IMDSTOKEN");
  EXPECT_EQ(reqs[2].url, "http://127.0.0.1:1338/latest/meta-data/iam/security-credentials/my-role");
  for (const auto& r : reqs) EXPECT_LE(r.timeout.count(), 1000);
}

TEST(AwsCredentials, NothingFoundNamesEveryPlace) {
  test::TempDir dir;
  auto env = base_env(dir);
  env.erase("AWS_EC2_METADATA_DISABLED");
  FakeHttpClient http;
  http.push_network_error("connection timed out");
  try {
    resolve(env, http);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    std::string m = e.what();
    EXPECT_EQ(e.exit_code(), 78);
    EXPECT_NE(m.find("AWS_ACCESS_KEY_ID"), std::string::npos) << m;
    EXPECT_NE(m.find(dir / "credentials"), std::string::npos) << m;
    EXPECT_NE(m.find(dir / "config"), std::string::npos) << m;
    EXPECT_NE(m.find("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), std::string::npos) << m;
    EXPECT_NE(m.find("instance metadata at 'http://169.254.169.254'"), std::string::npos) << m;
  }
  EXPECT_EQ(http.request_count(), 1u);  // one fast attempt at IMDS, no retries
}

TEST(AwsCredentials, SecretsFoundAreRedactedFromLogs) {
  test::TempDir dir;
  test::spit(dir / "credentials",
             "[default]\naws_access_key_id=AKIDREDACT\naws_secret_access_key=FileSecret123\n"
             "aws_session_token=FileToken456\n");
  FakeHttpClient http;
  resolve(base_env(dir), http);
  std::ostringstream sink;
  Logger log(Verbosity::kVerbose, sink);
  log.debug("secret FileSecret123 token FileToken456");
  EXPECT_EQ(sink.str().find("FileSecret123"), std::string::npos) << sink.str();
  EXPECT_EQ(sink.str().find("FileToken456"), std::string::npos) << sink.str();
}

class SettableClock final : public Clock {
 public:
  Seconds now() const override { return t; }
  Seconds t{};
};

TEST(AwsCredentials, CacheRefreshesFiveMinutesBeforeExpiration) {
  test::TempDir dir;
  FakeHttpClient http;
  http.push(200, R"({"AccessKeyId":"K1","SecretAccessKey":"S1xx","Token":"T1xx",)"
                 R"("Expiration":"2030-01-01T00:10:00Z"})");
  http.push(200, R"({"AccessKeyId":"K2","SecretAccessKey":"S2xx","Token":"T2xx",)"
                 R"("Expiration":"2030-01-01T01:00:00Z"})");
  std::ostringstream sink;
  Logger log(Verbosity::kNormal, sink);
  SettableClock clock;
  clock.t = *parse_rfc3339("2030-01-01T00:00:00Z");
  CredentialCache cache(map_env(base_env(dir, {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}})),
                        http, log, clock);
  EXPECT_EQ(cache.get().access_key_id, "K1");
  clock.t = *parse_rfc3339("2030-01-01T00:04:59Z");  // 5 min 1 s left: still fresh
  EXPECT_EQ(cache.get().access_key_id, "K1");
  EXPECT_EQ(http.request_count(), 1u);
  clock.t = *parse_rfc3339("2030-01-01T00:05:00Z");  // 5 minutes left: refresh
  EXPECT_EQ(cache.get().access_key_id, "K2");
  EXPECT_EQ(http.request_count(), 2u);
}

TEST(AwsRegion, EnvironmentThenProfileThenDefault) {
  test::TempDir dir;
  test::spit(dir / "config", "[default]\nregion=ap-south-1\n[profile dev]\nregion = eu-north-1\n");
  EXPECT_EQ(resolve_region(map_env(base_env(dir, {{"AWS_REGION", "eu-west-3"},
                                                  {"AWS_DEFAULT_REGION", "us-west-2"}})))
                .name,
            "eu-west-3");
  EXPECT_EQ(resolve_region(map_env(base_env(dir, {{"AWS_DEFAULT_REGION", "us-west-2"}}))).name,
            "us-west-2");
  EXPECT_EQ(resolve_region(map_env(base_env(dir))).name, "ap-south-1");
  EXPECT_EQ(resolve_region(map_env(base_env(dir, {{"AWS_PROFILE", "dev"}}))).name, "eu-north-1");
  test::TempDir empty;
  Region r = resolve_region(map_env(base_env(empty)));
  EXPECT_EQ(r.name, "us-east-1");
  EXPECT_EQ(r.source, "default");
}

TEST(AwsEndpoint, ServiceSpecificWins) {
  auto env = map_env({{"AWS_ENDPOINT_URL", "http://127.0.0.1:1/"},
                      {"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4569"}});
  EXPECT_EQ(endpoint_override(env, "s3"), "http://127.0.0.1:4569");
  EXPECT_EQ(endpoint_override(env, "kinesis"), "http://127.0.0.1:1");
  EXPECT_EQ(endpoint_override(map_env({}), "s3"), "");
  EXPECT_THROW(
      endpoint_override(map_env({{"AWS_ENDPOINT_URL_KINESIS", "localhost:4567"}}), "kinesis"),
      ConfigError);
}

}  // namespace
}  // namespace lamtool::aws
