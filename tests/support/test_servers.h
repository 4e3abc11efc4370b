#pragma once
// The integration-test servers started by the ctest fixture servers.start
// (tests/servers/start.sh), and per-test fault-injecting proxies in front of them.

#include <sys/types.h>

#include <string>
#include <vector>

namespace lamtool::test {

/// Endpoints and test credentials from the file named by LAMTOOL_TEST_SERVERS_FILE
/// (tests/servers/launch.js writes it as KEY='value' lines).
struct TestServers {
  std::string s3_endpoint;       ///< s3rver behind the SigV4-checking proxy
  std::string kinesis_endpoint;  ///< kinesalite behind the SigV4-checking proxy
  std::string s3_backend;        ///< s3rver itself (checks no signature)
  std::string kinesis_backend;   ///< kinesalite itself (checks no signature)
  std::string region;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_access_key_id;
  std::string session_secret_access_key;
  std::string session_token;
  std::string fault_proxy_script;
  std::string node;
  std::string smtp_url;  ///< smtp-sink.js: STARTTLS and AUTH PLAIN/LOGIN required
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_ca;         ///< the CA certificate the sink's certificate is signed by
  std::string smtp_plain_url;  ///< smtp-sink.js without STARTTLS and AUTH
  std::string mail_dir;        ///< where both sinks write NAME.eml and NAME.json

  /// Throws std::runtime_error when the variable or the file is missing, so a test
  /// run without the servers fails instead of skipping.
  static TestServers load();
};

/// One tests/servers/fault-proxy.js process, started with `args` (for example
/// {"--backend", servers.s3_endpoint, "--service", "s3"}) and stopped when destroyed.
class FaultProxy {
 public:
  FaultProxy(const TestServers& servers, const std::vector<std::string>& args);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  /// "http://127.0.0.1:PORT".
  const std::string& endpoint() const { return endpoint_; }
  /// The next requests get these faults in order ("reset", "resetAfter", "500",
  /// "503", "slow", "throttle", "partial", "pass").
  void queue(const std::vector<std::string>& faults) const;
  /// Replaces the random rates: JSON such as {"reset":0.1,"seed":7}.
  void configure(const std::string& json) const;
  /// GET /__fault/stats: counters as JSON text.
  std::string stats() const;

 private:
  std::string admin(const std::string& method, const std::string& path,
                    const std::string& body) const;

  pid_t pid_ = -1;
  std::string dir_;
  std::string endpoint_;
};

}  // namespace lamtool::test
