#include <gtest/gtest.h>
#include <sys/stat.h>

#include <charconv>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <sstream>
#include <vector>

#include "lamtool/clock.h"
#include "lamtool/csv.h"
#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "lamtool/http.h"
#include "lamtool/log.h"
#include "lamtool/parse.h"
#include "lamtool/progress.h"
#include "lamtool/stream.h"
#include "piped_stdin.h"
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

// Lines with their numbers, CRLF, blank lines, a last line without '\n', and a line
// much longer than one read chunk.
TEST(Stream, LineReaderYieldsLinesWithNumbers) {
  test::TempDir dir;
  std::string longline(200 * 1024, 'x');
  test::spit(dir / "in.txt", "one\r\n\nthree\n" + longline + "\nlast");
  InputStream in = InputStream::open(dir / "in.txt");
  ASSERT_TRUE(in.seekable());
  LineReader lines(in);
  std::vector<std::pair<size_t, std::string>> got;
  while (auto line = lines.next_line()) got.emplace_back(lines.line_number(), std::string(*line));
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0], std::make_pair(size_t{1}, std::string("one")));
  EXPECT_EQ(got[1], std::make_pair(size_t{2}, std::string()));
  EXPECT_EQ(got[2], std::make_pair(size_t{3}, std::string("three")));
  EXPECT_EQ(got[3].second, longline);
  EXPECT_EQ(got[4], std::make_pair(size_t{5}, std::string("last")));
  EXPECT_EQ(lines.bytes_consumed(), *in.size());
  EXPECT_FALSE(lines.next_line());
}

TEST(Stream, LineLongerThanTheLimitIsDataErrorNamingIt) {
  test::TempDir dir;
  test::spit(dir / "in.txt", "ok\n" + std::string(300 * 1024, 'y') + "\n");
  InputStream in = InputStream::open(dir / "in.txt");
  LineReader lines(in, 100 * 1024);
  EXPECT_EQ(*lines.next_line(), "ok");
  try {
    lines.next_line();
    FAIL() << "no exception";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + dir / "in.txt" + "' line 2: longer than 102400 bytes");
  }
}

// A pipe gives lines as they are written: the reader sees the first chunk's lines
// while the writer still holds the pipe open, and knows when nothing is waiting.
TEST(Stream, PipeLinesArriveBeforeTheInputEnds) {
  std::mutex mu;
  std::condition_variable cv;
  bool reader_done_first = false;
  test::PipedStdin piped({"a\nb\n", "c\n"}, [&](size_t) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return reader_done_first; });
  });
  InputStream in = InputStream::open("-");
  EXPECT_FALSE(in.seekable());
  EXPECT_EQ(in.describe(), "standard input");
  LineReader lines(in);
  EXPECT_EQ(*lines.next_line(), "a");
  EXPECT_EQ(*lines.next_line(), "b");
  EXPECT_FALSE(lines.line_ready());
  EXPECT_FALSE(in.readable_now());  // the writer waits for us: nothing to read yet
  {
    std::lock_guard lock(mu);
    reader_done_first = true;
  }
  cv.notify_all();
  EXPECT_EQ(*lines.next_line(), "c");
  EXPECT_EQ(lines.line_number(), 3u);
  EXPECT_FALSE(lines.next_line());
}

TEST(Stream, ReadAtAndReadRest) {
  test::TempDir dir;
  test::spit(dir / "in.txt", "0123456789\nrest");
  InputStream in = InputStream::open(dir / "in.txt");
  char buf[4];
  EXPECT_EQ(in.read_at(8, buf), 4u);
  EXPECT_EQ(std::string(buf, 4), "89\nr");
  EXPECT_EQ(in.position(), 0u);  // read_at does not move it
  LineReader lines(in);
  EXPECT_EQ(*lines.next_line(), "0123456789");
  EXPECT_EQ(lines.read_rest(), "rest");
  EXPECT_THROW(InputStream::open(dir.path()), InputError);
}

TEST(Fs, AtomicFileAppearsOnlyOnCommitAndStartsAgainOnTruncate) {
  test::TempDir dir;
  {
    AtomicFile file(dir / "out.bin");
    auto sink = file_sink(file);
    sink->begin({});
    sink->write("broken off");
    sink->begin({});  // a retried download
    sink->write("whole");
    EXPECT_FALSE(std::filesystem::exists(dir / "out.bin"));
    EXPECT_EQ(file.size(), 5u);
    file.commit();
  }
  EXPECT_EQ(test::slurp(dir / "out.bin"), "whole");
  {
    AtomicFile file(dir / "out.bin");
    file.write("never committed");
  }
  EXPECT_EQ(test::slurp(dir / "out.bin"), "whole");
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(Fs, StdoutSinkCannotStartAgainAfterWriting) {
  auto sink = stdout_sink();
  sink->begin({});
  sink->begin({});  // nothing written yet: fine
  sink->write("");
  auto sink2 = stdout_sink();
  sink2->begin({});
  sink2->write("x\n");
  EXPECT_THROW(sink2->begin({}), IoError);
}

TEST(Csv, TrimAndSplitFields) {
  EXPECT_EQ(trim(" \t\v\f a b\r\n"), "a b");
  EXPECT_EQ(trim(" \t\r\n"), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("x"), "x");
  std::vector<std::string_view> fields = {"stale"};
  csv::split_fields(" a ,b,, c\r", fields);
  EXPECT_EQ(fields, (std::vector<std::string_view>{"a", "b", "", "c"}));
  EXPECT_EQ(csv::split_fields(""), std::vector<std::string_view>{""});
}

// parse_number reads plain decimals of up to 15 digits by itself (Clinger's fast path):
// the same double as from_chars, bit for bit, and the same refusals.
TEST(Csv, ParseNumberAgreesWithFromChars) {
  auto from_chars = [](std::string_view s, double& v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> length(1, 18);
  std::uniform_int_distribution<int> digit(0, 9);
  for (int i = 0; i < 200000; ++i) {
    std::string s = rng() % 4 == 0 ? "-" : "";
    const int n = length(rng);
    const int point = static_cast<int>(rng() % static_cast<unsigned>(n + 2)) - 1;
    for (int k = 0; k < n; ++k) {
      if (k == point) s += '.';
      s += static_cast<char>('0' + digit(rng));
    }
    double want = 0, got = 0;
    ASSERT_TRUE(from_chars(s, want)) << s;
    ASSERT_TRUE(csv::parse_number(s, got)) << s;
    ASSERT_EQ(std::memcmp(&want, &got, sizeof want), 0) << s << ": " << got << " vs " << want;
  }
  for (std::string_view s : {"0.1", "-0", "3080.8", "1.", ".5", "-.5", "999999999999999",
                             "9007199254740993", "1e3", "+2.5", "1.7976931348623157e308"}) {
    double want = 0, got = 0;
    ASSERT_TRUE(from_chars(s.front() == '+' ? s.substr(1) : s, want)) << s;
    ASSERT_TRUE(csv::parse_number(s, got)) << s;
    EXPECT_EQ(std::memcmp(&want, &got, sizeof want), 0) << s;
  }
  for (std::string_view s : {"", ".", "-", "+", "1..2", "1.2.3", "--1", "+-1", " 1", "1 ", "1,5",
                             "0x10", "abc", "1e", "++1"}) {
    double v = 0;
    EXPECT_FALSE(csv::parse_number(s, v)) << "'" << s << "'";
  }
}

}  // namespace
}  // namespace lamtool
