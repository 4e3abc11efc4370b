#pragma once
// The AWS credential chain: environment, shared credentials and config files,
// container credentials, EC2 instance metadata (IMDSv2). All HTTP goes through the
// injected HttpClient; every secret found is registered with add_secret().

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "lamtool/aws/config.h"
#include "lamtool/aws/sigv4.h"
#include "lamtool/clock.h"
#include "lamtool/http.h"
#include "lamtool/log.h"

namespace lamtool::aws {

/// Credentials and, for temporary ones, when they expire.
struct TimedCredentials {
  Credentials credentials;
  std::optional<Seconds> expiration;
};

inline constexpr std::string_view kContainerHost = "http://169.254.170.2";
inline constexpr std::string_view kImdsEndpoint = "http://169.254.169.254";

struct ChainOptions {
  /// Per-request time limit for the link-local services, so a laptop without them
  /// fails fast.
  std::chrono::milliseconds metadata_timeout{1000};
};

/// Walks the chain once: environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
/// AWS_SESSION_TOKEN), the profile in the shared credentials file, then in the config
/// file, container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI,
/// Authorization from AWS_CONTAINER_AUTHORIZATION_TOKEN or _TOKEN_FILE), and instance
/// metadata v2 unless AWS_EC2_METADATA_DISABLED=true (endpoint
/// AWS_EC2_METADATA_SERVICE_ENDPOINT). ConfigError naming every place looked when none
/// has credentials; AuthError when a credentials service refuses.
TimedCredentials resolve_credentials(const Env& env, HttpClient& http, Logger& log,
                                     const ChainOptions& options = {});

/// The JSON both the container and the instance metadata services answer with
/// (AccessKeyId, SecretAccessKey, Token, Expiration; Code when not "Success"); the
/// secrets are registered with add_secret(). AuthError (77) naming `source` when it is
/// not JSON, reports a failure, or lacks the key id or secret.
TimedCredentials parse_credentials_json(const std::string& body, const std::string& source);

/// Container credentials only (the endpoint's JSON: AccessKeyId, SecretAccessKey,
/// Token, Expiration). nullopt when neither URI variable is set.
std::optional<TimedCredentials> container_credentials(const Env& env, HttpClient& http,
                                                      const ChainOptions& options = {});
/// IMDSv2 only. nullopt when disabled; NetworkError when it cannot be reached.
std::optional<TimedCredentials> imds_credentials(const Env& env, HttpClient& http,
                                                 const ChainOptions& options = {});

/// Resolves credentials on first use and again shortly before temporary ones expire.
/// Thread-safe.
class CredentialCache {
 public:
  CredentialCache(Env env, HttpClient& http, Logger& log, const Clock& clock,
                  ChainOptions options = {});
  Credentials get();

 private:
  Env env_;
  HttpClient& http_;
  Logger& log_;
  const Clock& clock_;
  ChainOptions options_;
  std::mutex mu_;
  std::optional<TimedCredentials> cached_;
};

/// What a client made from the process environment needs: the region, the endpoint
/// override for `service` ("s3", "kinesis"), and a credential source that resolves the
/// chain on first use and caches (and refreshes) what it found. Logs where each came from
/// with -v.
struct EnvClientSetup {
  std::string region;
  std::string endpoint;
  std::function<Credentials()> credentials;
};
/// Credential expiry is checked against real_clock().
EnvClientSetup client_setup_from_env(std::string_view service, Logger& log);

}  // namespace lamtool::aws
