#include "lamtool/destination.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "lamtool/error.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

using Kind = Destination::Kind;

TEST(Destination, ParsesEveryKind) {
  EXPECT_EQ(Destination::parse("-").kind, Kind::kStdout);
  EXPECT_EQ(Destination::parse("out.png").kind, Kind::kFile);
  EXPECT_EQ(Destination::parse("out/").kind, Kind::kDirectory);
  EXPECT_EQ(Destination::parse(".").kind, Kind::kDirectory);  // exists
  auto obj = Destination::parse("s3://my-bucket/png/a b+c.png");
  EXPECT_EQ(obj.kind, Kind::kS3Object);
  EXPECT_EQ(obj.bucket, "my-bucket");
  EXPECT_EQ(obj.key, "png/a b+c.png");
  auto pre = Destination::parse("s3://my-bucket/png/");
  EXPECT_EQ(pre.kind, Kind::kS3Prefix);
  EXPECT_EQ(pre.key, "png/");
  EXPECT_EQ(Destination::parse("s3://my-bucket").kind, Kind::kS3Prefix);
  auto k = Destination::parse("kinesis://bike-predictions");
  EXPECT_EQ(k.kind, Kind::kKinesis);
  EXPECT_EQ(k.stream, "bike-predictions");
}

TEST(Destination, RejectsBadNamesWithUsageError) {
  for (const char* bad : {"", "s3://", "s3://UPPER/", "s3://ab/", "s3://192.168.1.1/", "s3://a..b/",
                          "kinesis://", "kinesis://bad name", "ftp://x/y"}) {
    EXPECT_THROW(Destination::parse(bad), UsageError) << bad;
  }
}

TEST(Destination, BucketNameRules) {
  EXPECT_TRUE(valid_bucket_name("my-bucket.logs"));
  EXPECT_FALSE(valid_bucket_name("-bucket"));
  EXPECT_FALSE(valid_bucket_name("bucket-"));
  EXPECT_FALSE(valid_bucket_name("my_bucket"));
  EXPECT_FALSE(valid_bucket_name(std::string(64, 'a')));
}

class RecordingStore : public ObjectStore {
 public:
  void put_object(const std::string& bucket, const std::string& key, std::string_view bytes,
                  const std::string& content_type) override {
    puts[bucket + "/" + key] = std::string(bytes) + "|" + content_type;
  }
  std::map<std::string, std::string> puts;
};

TEST(WriteOutput, DirectoryTakesDefaultKey) {
  test::TempDir dir;
  Logger log(Verbosity::kQuiet);
  FixedClock clock(Seconds{});
  Context ctx{log, clock};
  auto rec = write_output(ctx, Destination::parse(dir.path() + "/"), "wake-up/x.txt", "hi\n",
                          "text/plain");
  EXPECT_EQ(rec.uri, dir.path() + "/wake-up/x.txt");
  EXPECT_EQ(rec.bytes, 3u);
  EXPECT_EQ(test::slurp(dir / "wake-up/x.txt"), "hi\n");
}

TEST(WriteOutput, S3PrefixJoinsKeyAndDryRunSkipsUpload) {
  Logger log(Verbosity::kQuiet);
  FixedClock clock(Seconds{});
  RecordingStore store;
  Context ctx{log, clock};
  ctx.object_store = [&]() -> ObjectStore& { return store; };
  auto rec = write_output(ctx, Destination::parse("s3://bkt/alarm"), "k.txt", "x", "t/p");
  // "s3://bkt/alarm" names an object, not a prefix: no trailing slash.
  EXPECT_EQ(rec.uri, "s3://bkt/alarm");
  rec = write_output(ctx, Destination::parse("s3://bkt/alarm/"), "k.txt", "x", "t/p");
  EXPECT_EQ(rec.uri, "s3://bkt/alarm/k.txt");
  EXPECT_EQ(store.puts.at("bkt/alarm/k.txt"), "x|t/p");
  ctx.dry_run = true;
  rec = write_output(ctx, Destination::parse("s3://bkt/"), "k2.txt", "x", "t/p");
  EXPECT_TRUE(rec.dry_run);
  EXPECT_EQ(rec.uri, "s3://bkt/k2.txt");
  EXPECT_EQ(store.puts.count("bkt/k2.txt"), 0u);
}

TEST(WriteOutput, KinesisIsNotAFileDestination) {
  Logger log(Verbosity::kQuiet);
  FixedClock clock(Seconds{});
  Context ctx{log, clock};
  EXPECT_THROW(write_output(ctx, Destination::parse("kinesis://s"), "k", "x", "t"), UsageError);
}

}  // namespace
}  // namespace lamtool
