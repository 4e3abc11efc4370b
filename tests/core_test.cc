#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>

#include "lamtool/clock.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/log.h"
#include "lamtool/progress.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

TEST(Clock, ParsesAndFormatsRfc3339) {
  auto t = parse_rfc3339("2026-11-20T07:00:00Z");
  ASSERT_TRUE(t);
  // 2026-11-20T07:00:00Z is 1795158000 seconds after the epoch (date -d ... +%s).
  EXPECT_EQ(t->time_since_epoch().count(), 1795158000);
  EXPECT_EQ(format_rfc3339(*t), "2026-11-20T07:00:00Z");
  EXPECT_EQ(format_key_time(*t), "2026-11-20T07-00-00Z");
}

TEST(Clock, AppliesOffsetsAndDropsFractions) {
  EXPECT_EQ(parse_rfc3339("2026-11-20T08:30:00+01:30"), parse_rfc3339("2026-11-20T07:00:00Z"));
  EXPECT_EQ(parse_rfc3339("2026-11-20T02:00:00-05:00"), parse_rfc3339("2026-11-20T07:00:00Z"));
  EXPECT_EQ(parse_rfc3339("2026-11-20T07:00:00.999Z"), parse_rfc3339("2026-11-20T07:00:00Z"));
  EXPECT_EQ(parse_rfc3339("2026-11-20 07:00:00z"), parse_rfc3339("2026-11-20T07:00:00Z"));
}

TEST(Clock, RejectsMalformedTimes) {
  for (const char* bad : {"", "2026-11-20", "2026-11-20T07:00:00", "2026-13-01T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T07:00Z",
                          "2026-11-20T07:00:00+0100", "2026-11-20T07:00:00Zjunk", "tomorrow"}) {
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
  }
}

TEST(Clock, FormatsLeapDayAndEpoch) {
  EXPECT_EQ(format_rfc3339(Seconds{}), "1970-01-01T00:00:00Z");
  auto t = parse_rfc3339("2024-02-29T23:59:59Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t + std::chrono::seconds{1}), "2024-03-01T00:00:00Z");
}

TEST(Error, CarriesSysexitsCodesAndNames) {
  EXPECT_EQ(UsageError("x").exit_code(), 64);
  EXPECT_EQ(DataError("x").exit_code(), 65);
  EXPECT_EQ(InputError("x").exit_code(), 66);
  EXPECT_EQ(ServiceError("x").exit_code(), 69);
  EXPECT_EQ(OutputError("x").exit_code(), 73);
  EXPECT_EQ(IoError("x").exit_code(), 74);
  EXPECT_EQ(NetworkError("x").exit_code(), 75);
  EXPECT_EQ(AuthError("x").exit_code(), 77);
  EXPECT_EQ(ConfigError("x").exit_code(), 78);
  EXPECT_STREQ(DataError("x").name(), "DataError");
}

TEST(Redact, RemovesSignaturesTokensAndRegisteredSecrets) {
  std::string auth =
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
      "aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8";
  std::string r = redact(auth);
  EXPECT_EQ(r.find("5fa00fa3"), std::string::npos) << r;
  EXPECT_NE(r.find("Authorization: [redacted]"), std::string::npos) << r;

  r = redact("GET /k?X-Amz-Signature=abcdef0123&X-Amz-Security-Token=FQoGZXIvYXdz&x=1");
  EXPECT_EQ(r.find("abcdef0123"), std::string::npos) << r;
  EXPECT_EQ(r.find("FQoGZXIvYXdz"), std::string::npos) << r;
  EXPECT_NE(r.find("&x=1"), std::string::npos) << r;

  r = redact(R"({"AccessKeyId":"ASIA1","SecretAccessKey":"wJalrXUtnFEMI","Token":"IQoJb3JpZ"})");
  EXPECT_EQ(r.find("wJalrXUtnFEMI"), std::string::npos) << r;
  EXPECT_EQ(r.find("IQoJb3JpZ"), std::string::npos) << r;

  add_secret("hunter2-secret-value");
  r = redact("connecting with hunter2-secret-value twice: hunter2-secret-value");
  EXPECT_EQ(r, "connecting with [redacted] twice: [redacted]");
}

TEST(Logger, PrefixesSeverityAndHonoursVerbosity) {
  std::ostringstream out;
  Logger log(Verbosity::kQuiet, out);
  log.info("hidden");
  log.debug("hidden");
  log.warning("hidden");
  log.errorf("cannot open file '{}': {}", "a.json", "No such file or directory");
  EXPECT_EQ(out.str(), "lamtool: error: cannot open file 'a.json': No such file or directory\n");

  std::ostringstream out2;
  Logger verbose(Verbosity::kVerbose, out2);
  verbose.debugf("signed with Signature={}", "deadbeef");
  EXPECT_EQ(out2.str(), "lamtool: debug: signed with Signature=[redacted]\n");
}

TEST(Progress, RendersProportionalBar) {
  // 40 columns: the line takes 39 (no wrap); "frames [" + "] 5/10" leave 25 for the bar,
  // half of which (rounded down) is filled.
  std::string line = ProgressBar::render("frames", 5, 10, 40);
  EXPECT_EQ(line, "frames [" + std::string(12, '#') + std::string(13, ' ') + "] 5/10");
  EXPECT_EQ(line.size(), 39u);
  // Past the total it clamps: a full bar.
  EXPECT_EQ(ProgressBar::render("x", 12, 10, 30), "x [" + std::string(19, '#') + "] 10/10");
}

TEST(Fs, WritesAtomicallyAndCreatesParents) {
  test::TempDir dir;
  std::string path = dir / "a/b/c.txt";
  write_file_atomic(path, "hello\n");
  EXPECT_EQ(test::slurp(path), "hello\n");
  write_file_atomic(path, "again\n");
  EXPECT_EQ(test::slurp(path), "again\n");
  // Only the file itself: no temporary left beside it.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "a/b")) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(Fs, UnwritableDirectoryIsOutputErrorAndLeavesNothing) {
  if (::geteuid() == 0) {
    // root ignores directory permissions; use a path under a regular file instead.
    test::TempDir dir;
    test::spit(dir / "file", "x");
    EXPECT_THROW(write_file_atomic(dir / "file/out.txt", "x"), OutputError);
    return;
  }
  test::TempDir dir;
  ::chmod(dir.path().c_str(), 0500);
  EXPECT_THROW(write_file_atomic(dir / "out.txt", "x"), OutputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "out.txt"));
}

TEST(Fs, MissingInputIsInputError) {
  try {
    read_file("/nonexistent/lamtool/event.json");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "cannot open file '/nonexistent/lamtool/event.json': No such file or directory");
  }
}

}  // namespace
}  // namespace lamtool
