// The job table: every job has one shape, its flags convert in the library, and a job
// run through the table (as the Lambda handlers and the worker will) does its work.

#include "lamtool/job.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "lamtool/error.h"
#include "lamtool/jobs/shotmap.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

TEST(JobTable, RowsAreSortedUniqueAndComplete) {
  const auto& jobs = job_table();
  ASSERT_FALSE(jobs.empty());
  std::set<std::string_view> groups;
  for (const JobGroup& g : job_groups()) groups.insert(g.name);
  for (size_t i = 0; i < jobs.size(); ++i) {
    const JobSpec& j = jobs[i];
    if (i > 0) {
      EXPECT_LT(jobs[i - 1].path, j.path) << "table not in alphabetical order";
    }
    EXPECT_FALSE(j.summary.empty()) << j.path;
    EXPECT_FALSE(j.details.empty()) << j.path;
    if (size_t space = j.path.find(' '); space != std::string_view::npos) {
      // Below a group word ("s3 put") or below a job of its own ("predict train").
      std::string_view parent = j.path.substr(0, space);
      EXPECT_TRUE(groups.count(parent) || find_job(parent) != nullptr)
          << j.path << ": no group or job row for '" << parent << "'";
    }
    EXPECT_EQ(find_job(j.path), &j);
  }
  EXPECT_EQ(find_job("no-such-job"), nullptr);
}

TEST(JobTable, EveryJobDeclaresDistinctFlagsWithHelp) {
  for (const JobSpec& j : job_table()) {
    FlagMap flags;
    auto job = j.make();
    ASSERT_TRUE(job) << j.path;
    job->declare(flags);
    std::set<std::string> seen;
    for (const auto& [name, spec] : flags.specs()) {
      EXPECT_FALSE(spec.help.empty()) << j.path << " " << name;
      EXPECT_TRUE(seen.insert(name).second) << j.path << " declares " << name << " twice";
      for (const auto& other : spec.excludes)
        EXPECT_TRUE(flags.specs().count(other)) << j.path << " " << name << " excludes " << other;
    }
  }
}

TEST(JobTable, FlagTextBecomesTypedOptionsInTheLibrary) {
  jobs::shotmap::Options o;
  FlagMap flags;
  jobs::shotmap::declare(flags, o);
  flags.set("--size", "800x400");
  flags.set("--format", "svg");
  flags.set("--strength", "5v5");
  flags.set("--kde", "exact");
  flags.set("--bw", "0.2");
  flags.set("--period", "2");
  flags.set("--allow-empty");
  EXPECT_EQ(o.picture.width, 800);
  EXPECT_EQ(o.picture.height, 400);
  EXPECT_EQ(o.picture.format, render::Format::kSvg);
  EXPECT_TRUE(o.only_5v5);
  EXPECT_EQ(o.kde.method, kde::Method::kExact);
  EXPECT_EQ(o.kde.bw, 0.2);
  EXPECT_EQ(o.period, 2);
  EXPECT_TRUE(o.allow_empty);
  EXPECT_THROW(flags.set("--size", "800"), UsageError);
  EXPECT_THROW(flags.set("--bw", "wide"), UsageError);
  EXPECT_THROW(flags.set("--period", "2nd"), UsageError);
}

TEST(JobTable, AJobRunsThroughTheTable) {
  test::TempDir dir;
  Logger log(Verbosity::kQuiet);
  FixedClock clock(*parse_rfc3339("2026-11-20T07:00:00Z"));
  Context ctx{log, clock};
  const JobSpec* spec = find_job("alarm");
  ASSERT_NE(spec, nullptr);
  auto job = spec->make();
  FlagMap flags;
  job->declare(flags);
  flags.set("--to", dir.path() + "/");
  flags.set("--message", "hello");
  Manifest m = job->run(ctx);
  EXPECT_EQ(test::slurp(dir / "wake-up/2026-11-20T07-00-00Z.txt"), "hello\n");
  EXPECT_EQ(m.json()["command"], "alarm");
  EXPECT_EQ(m.exit_code(), 0);
}

TEST(Manifest, ExitCodeKeepsTheMostSeriousPartialFailure) {
  Manifest m("x");
  EXPECT_EQ(m.exit_code(), 0);
  m.set_exit_code(exit_code::kTempFail);
  m.set_exit_code(exit_code::kDataErr);
  EXPECT_EQ(m.exit_code(), exit_code::kTempFail);
}

}  // namespace
}  // namespace lamtool
