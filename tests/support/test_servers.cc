#include "test_servers.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>

#include "lamtool/http.h"

extern char** environ;

namespace lamtool::test {
namespace {

std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("test servers not running: cannot read '" + path + "'");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      value = value.substr(1, value.size() - 2);
    }
    out[line.substr(0, eq)] = value;
  }
  return out;
}

std::string need(const std::map<std::string, std::string>& env, const std::string& key) {
  auto it = env.find(key);
  if (it == env.end()) throw std::runtime_error("test servers file lacks " + key);
  return it->second;
}

}  // namespace

TestServers TestServers::load() {
  const char* file = std::getenv("LAMTOOL_TEST_SERVERS_FILE");
  if (!file || !*file) {
    throw std::runtime_error(
        "LAMTOOL_TEST_SERVERS_FILE is not set: run through ctest (fixture servers.start)");
  }
  auto env = read_env_file(file);
  TestServers s;
  s.s3_endpoint = need(env, "LAMTOOL_TEST_S3_ENDPOINT");
  s.kinesis_endpoint = need(env, "LAMTOOL_TEST_KINESIS_ENDPOINT");
  s.s3_backend = need(env, "LAMTOOL_TEST_S3_BACKEND");
  s.kinesis_backend = need(env, "LAMTOOL_TEST_KINESIS_BACKEND");
  s.region = need(env, "LAMTOOL_TEST_REGION");
  s.access_key_id = need(env, "LAMTOOL_TEST_ACCESS_KEY_ID");
  s.secret_access_key = need(env, "LAMTOOL_TEST_SECRET_ACCESS_KEY");
  s.session_access_key_id = need(env, "LAMTOOL_TEST_SESSION_ACCESS_KEY_ID");
  s.session_secret_access_key = need(env, "LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY");
  s.session_token = need(env, "LAMTOOL_TEST_SESSION_TOKEN");
  s.fault_proxy_script = need(env, "LAMTOOL_TEST_FAULT_PROXY");
  s.node = need(env, "LAMTOOL_TEST_NODE");
  s.smtp_url = need(env, "LAMTOOL_TEST_SMTP_URL");
  s.smtp_user = need(env, "LAMTOOL_TEST_SMTP_USER");
  s.smtp_password = need(env, "LAMTOOL_TEST_SMTP_PASSWORD");
  s.smtp_ca = need(env, "LAMTOOL_TEST_SMTP_CA");
  s.smtp_plain_url = need(env, "LAMTOOL_TEST_SMTP_PLAIN_URL");
  s.mail_dir = need(env, "LAMTOOL_TEST_MAIL_DIR");
  return s;
}

FaultProxy::FaultProxy(const TestServers& servers, const std::vector<std::string>& args) {
  char pattern[] = "/tmp/lamtool-fault-XXXXXX";
  if (!mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary directory");
  dir_ = pattern;
  std::string ready = dir_ + "/port";
  std::string log = dir_ + "/log";
  std::vector<std::string> argv = {servers.node, servers.fault_proxy_script, "--ready-file", ready};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc = posix_spawn(&pid_, servers.node.c_str(), &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + servers.node);

  // Bounded wait for the port file, which the proxy writes once it listens.
  for (int i = 0; i < 200 && !std::filesystem::exists(ready); ++i) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("fault-proxy.js exited; see " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream in(ready);
  std::string port;
  if (!(in >> port)) throw std::runtime_error("fault-proxy.js did not start within 10 s");
  endpoint_ = "http://127.0.0.1:" + port;
}

FaultProxy::~FaultProxy() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status;
    waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string FaultProxy::admin(const std::string& method, const std::string& path,
                              const std::string& body) const {
  auto client = make_curl_http_client();
  HttpRequest request;
  request.method = method;
  request.url = endpoint_ + path;
  request.body = body;
  HttpResponse response = client->send(request);
  if (response.status != 200) {
    throw std::runtime_error("fault-proxy " + path + ": " + response.body);
  }
  return response.body;
}

void FaultProxy::queue(const std::vector<std::string>& faults) const {
  std::string json = "{\"faults\":[";
  for (size_t i = 0; i < faults.size(); ++i) json += (i ? ",\"" : "\"") + faults[i] + "\"";
  admin("POST", "/__fault/next", json + "]}");
}

void FaultProxy::configure(const std::string& json) const {
  admin("POST", "/__fault/config", json);
}

std::string FaultProxy::stats() const { return admin("GET", "/__fault/stats", ""); }

}  // namespace lamtool::test
