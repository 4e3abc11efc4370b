#include "lamtool/jobs/alarm.h"

#include <gtest/gtest.h>

#include "lamtool/error.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

struct AlarmFixture : ::testing::Test {
  test::TempDir dir;
  Logger log{Verbosity::kQuiet};
  FixedClock clock{*parse_rfc3339("2026-11-20T07:00:00Z")};
  Context ctx{log, clock};
};

TEST_F(AlarmFixture, WritesWakeUpUnderDirectory) {
  jobs::alarm::Options o;
  o.to = dir.path() + "/";
  Manifest m = jobs::alarm::run(ctx, o);
  EXPECT_EQ(test::slurp(dir / "wake-up/2026-11-20T07-00-00Z.txt"), "WAKE UP\n");
  EXPECT_EQ(m.json()["outputs"][0]["content_type"], "text/plain; charset=utf-8");
  EXPECT_EQ(m.json()["outputs"][0]["bytes"], 8);
  EXPECT_EQ(m.json()["time"], "2026-11-20T07:00:00Z");
}

TEST_F(AlarmFixture, ScheduledEventTimeNamesTheKey) {
  jobs::alarm::Options o;
  o.to = dir.path() + "/";
  o.in = std::string(LAMTOOL_FIXTURE_DIR) + "/events/cloudwatch_scheduled_event.json";
  jobs::alarm::run(ctx, o);
  EXPECT_EQ(test::slurp(dir / "wake-up/2020-09-30T15-58-34Z.txt"), "WAKE UP\n");
}

TEST_F(AlarmFixture, SeedEventBucketBecomesS3PrefixAndFlagsWin) {
  test::spit(dir / "seed.json", R"({"message": "RISE AND SHINE", "bucket": "alarm-bucket"})");
  jobs::alarm::Options o;
  o.in = dir / "seed.json";
  ctx.dry_run = true;  // no S3 client here: dry run shows where it would go
  Manifest m = jobs::alarm::run(ctx, o);
  EXPECT_EQ(m.json()["outputs"][0]["uri"], "s3://alarm-bucket/wake-up/2026-11-20T07-00-00Z.txt");
  EXPECT_EQ(m.json()["message"], "RISE AND SHINE");

  o.message = "flag";
  o.to = dir / "x.txt";
  ctx.dry_run = false;
  jobs::alarm::run(ctx, o);
  EXPECT_EQ(test::slurp(dir / "x.txt"), "flag\n");
}

TEST_F(AlarmFixture, WrongShapeNamesTheFileAndShape) {
  jobs::alarm::Options o;
  o.in = std::string(LAMTOOL_FIXTURE_DIR) + "/events/kinesis-event.json";
  try {
    jobs::alarm::run(ctx, o);
    FAIL();
  } catch (const DataError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("kinesis-event.json"), std::string::npos) << what;
    EXPECT_NE(what.find("got a Kinesis event"), std::string::npos) << what;
  }
}

TEST_F(AlarmFixture, BadBucketFieldIsDataError) {
  test::spit(dir / "seed.json", R"({"bucket": "Not_A_Bucket"})");
  jobs::alarm::Options o;
  o.in = dir / "seed.json";
  EXPECT_THROW(jobs::alarm::run(ctx, o), DataError);
}

}  // namespace
}  // namespace lamtool
