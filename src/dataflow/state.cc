#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <random>
#include <thread>

#include "lamtool/aws/s3.h"
#include "lamtool/dataflow.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/jobs/s3.h"
#include "lamtool/json_scan.h"

namespace lamtool::dataflow {

namespace {

nlohmann::json parse_state(const std::string& bytes, const std::string& where) {
  if (bytes.empty()) return nlohmann::json::object();
  nlohmann::json state;
  std::string error;  // json_scan: nesting beyond 512 levels is refused, not recursed into
  if (!json_scan::parse(bytes, state, error) || !state.is_object())
    throw DataError(
        fmt::format("state '{}': not a JSON object (move it away to start afresh)", where));
  return state;
}

std::string dump_state(const nlohmann::json& state) { return state.dump() + "\n"; }

// A local file: an exclusive lock on FILE.lock for the whole read-update-write, and the
// new state written beside the file and renamed over it, so a mediator killed at any
// point leaves the old state or the new one, never a mix.
class FileState final : public StateStore {
 public:
  explicit FileState(std::string path) : path_(std::move(path)) {}

  int transact(const std::function<void(nlohmann::json&)>& update) override {
    std::string lock_path = path_ + ".lock";
    std::filesystem::path parent = std::filesystem::path(path_).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      throw OutputError(fmt::format("state lock '{}': {}", lock_path, errno_message(errno)));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        int err = errno;
        ::close(fd);
        throw IoError(fmt::format("state lock '{}': {}", lock_path, errno_message(err)));
      }
    }
    try {
      std::string bytes;
      if (std::filesystem::exists(path_)) bytes = read_file(path_);
      nlohmann::json state = parse_state(bytes, path_);
      update(state);
      write_file_atomic(path_, dump_state(state));
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);  // releases the lock
    return 0;
  }

 private:
  std::string path_;
};

// An S3 object written only if nobody wrote it since it was read (conditional writes).
class S3State final : public StateStore {
 public:
  S3State(Context& ctx, std::string bucket, std::string key)
      : ctx_(ctx), bucket_(std::move(bucket)), key_(std::move(key)) {}

  int transact(const std::function<void(nlohmann::json&)>& update) override {
    std::mt19937 rng(std::random_device{}());
    constexpr int kMaxConflicts = 50;
    for (int conflicts = 0;; ++conflicts) {
      auto got = ctx_.s3().get_if_exists(bucket_, key_);
      std::string where = fmt::format("s3://{}/{}", bucket_, key_);
      nlohmann::json state = parse_state(got ? got->body : std::string(), where);
      update(state);
      aws::PutOptions put;
      put.content_type = "application/json";
      if (got)
        put.if_match = got->etag;
      else
        put.if_none_match = "*";
      try {
        ctx_.s3().put(bucket_, key_, dump_state(state), put);
        return conflicts;
      } catch (const aws::ConditionFailed& e) {
        if (conflicts + 1 >= kMaxConflicts)
          throw NetworkError(fmt::format("state '{}': still changed by others after {} tries",
                                         where, kMaxConflicts));
        ctx_.log.debugf("state '{}' changed since it was read; reading it again", where);
        // A little jitter, so that two mediators do not collide again in step.
        int ms =
            std::uniform_int_distribution<int>(0, std::min(200, 5 << std::min(conflicts, 5)))(rng);
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      }
    }
  }

 private:
  Context& ctx_;
  std::string bucket_;
  std::string key_;
};

}  // namespace

std::unique_ptr<StateStore> open_state(Context& ctx, const std::string& where) {
  if (where.starts_with("s3://")) {
    auto [bucket, key] = jobs::parse_s3_object(where);
    if (!ctx.s3) throw ConfigError("no S3 access for the state");
    return std::make_unique<S3State>(ctx, bucket, key);
  }
  if (where.empty() || where == "-" || where.ends_with('/'))
    throw UsageError(fmt::format("--state '{}': expected a file or s3://bucket/key", where));
  return std::make_unique<FileState>(where);
}

}  // namespace lamtool::dataflow
