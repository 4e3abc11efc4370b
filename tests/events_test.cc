#include "lamtool/events.h"

#include <gtest/gtest.h>

#include "lamtool/error.h"
#include "lamtool/fs.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

std::string fixture(const std::string& name) {
  return std::string(LAMTOOL_FIXTURE_DIR) + "/events/" + name;
}

TEST(Events, RecognisesKinesisLambdaEvent) {
  Event ev = read_event(fixture("kinesis-event.json"));
  EXPECT_EQ(ev.shape, EventShape::kKinesis);
  // The aws-lambda-go sample holds two records.
  ASSERT_EQ(ev.items.size(), 2u);
  EXPECT_EQ(ev.items[0].where, "Records[0]");
  EXPECT_EQ(ev.items[0].value["kinesis"]["data"], "SGVsbG8gV29ybGQ=");
}

TEST(Events, RecognisesDynamoDbStreamsEvent) {
  Event ev = read_event(fixture("dynamodb-event.json"));
  EXPECT_EQ(ev.shape, EventShape::kDynamoDb);
  // The aws-lambda-go sample holds two INSERT records.
  ASSERT_EQ(ev.items.size(), 2u);
  EXPECT_EQ(ev.items[1].value["eventName"], "INSERT");
}

TEST(Events, RecognisesScheduledEvent) {
  Event ev = read_event(fixture("cloudwatch_scheduled_event.json"));
  EXPECT_EQ(ev.shape, EventShape::kScheduled);
  EXPECT_EQ(ev.items.at(0).value["time"], "2020-09-30T15:58:34Z");
}

TEST(Events, RejectsUnsupportedEventSourceNamingTheField) {
  try {
    read_event(fixture("s3-event.json"));
    FAIL() << "no exception";
  } catch (const DataError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("s3-event.json"), std::string::npos) << what;
    EXPECT_NE(what.find("Records[0].eventSource"), std::string::npos) << what;
    EXPECT_NE(what.find("aws:s3"), std::string::npos) << what;
  }
}

// Found by fuzzing (tests/fuzz/regressions/event): a number beyond a double's range threw
// nlohmann's out_of_range, uncaught; it is bad data like any malformed JSON.
TEST(Events, NumberOutOfRangeIsMalformedJson) {
  try {
    parse_event(R"({"a": 1e999})", "big.json");
    FAIL() << "no DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              "malformed JSON in 'big.json': line 1, column 7: 1e999 is out of range");
  }
  Event lines = parse_event("{\"a\": 1}\n{\"b\": -1e999}\n", "in.jsonl");
  ASSERT_EQ(lines.items.size(), 2u);
  EXPECT_FALSE(lines.items[0].error);
  ASSERT_TRUE(lines.items[1].error);
  EXPECT_EQ(*lines.items[1].error, "malformed JSON: line 1, column 7: -1e999 is out of range");
}

TEST(Events, DirectPayloadPrettyPrinted) {
  Event ev = parse_event("{\n  \"message\": \"hi\",\n  \"bucket\": \"b\"\n}\n", "p.json");
  EXPECT_EQ(ev.shape, EventShape::kDirect);
  ASSERT_EQ(ev.items.size(), 1u);
  EXPECT_EQ(ev.items[0].value["message"], "hi");
}

TEST(Events, JsonLinesKeepGoingPastABadLine) {
  Event ev = parse_event("{\"a\":1}\n\n{\"a\":2\n{\"a\":3}\n", "in.jsonl");
  EXPECT_EQ(ev.shape, EventShape::kJsonLines);
  ASSERT_EQ(ev.items.size(), 3u);
  EXPECT_FALSE(ev.items[0].error);
  EXPECT_EQ(ev.items[1].where, "line 3");
  ASSERT_TRUE(ev.items[1].error);
  EXPECT_NE(ev.items[1].error->find("malformed JSON"), std::string::npos);
  EXPECT_EQ(ev.items[2].value["a"], 3);
}

TEST(Events, KinesisGetRecordsOutput) {
  Event ev = parse_event(R"({"Records":[{"Data":"e30=","PartitionKey":"1","SequenceNumber":"9"}]})",
                         "get.json");
  EXPECT_EQ(ev.shape, EventShape::kKinesisGet);
}

TEST(Events, MalformedJsonNamesSourceLineAndColumn) {
  try {
    parse_event("{\n  \"message\": \"hi\",\n}\n", "bad.json");
    FAIL() << "no exception";
  } catch (const DataError& e) {
    std::string what = e.what();
    EXPECT_EQ(what.rfind("malformed JSON in 'bad.json': line 3, column 1", 0), 0u) << what;
  }
}

TEST(Events, EmptyInputIsDataError) { EXPECT_THROW(parse_event("  \n", "e.json"), DataError); }

TEST(Events, FieldHelpersNameTheField) {
  nlohmann::json obj = {{"message", 5}};
  try {
    optional_string_field(obj, "message", "x.json");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "'x.json': field 'message': expected a string, got number");
  }
  EXPECT_FALSE(optional_string_field(obj, "bucket", "x.json"));
  try {
    string_field(obj, "time", "x.json", "detail");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "'x.json': field 'detail.time' is missing");
  }
}

// JSON Lines come one at a time, with the line numbers of the file (blank lines, even
// leading ones, counted), past a bad line.
TEST(EventReader, StreamsJsonLinesWithRealLineNumbers) {
  test::TempDir dir;
  test::spit(dir / "in.jsonl", "\n{\"a\":1}\n\n{\"a\":2\n\"s\"\r\n{\"a\":3}");
  EventReader events(dir / "in.jsonl");
  EXPECT_EQ(events.shape(), EventShape::kJsonLines);
  EXPECT_EQ(events.source(), dir / "in.jsonl");
  std::vector<EventItem> items;
  while (auto item = events.next()) items.push_back(std::move(*item));
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].where, "line 2");
  EXPECT_EQ(items[0].value["a"], 1);
  EXPECT_EQ(items[1].where, "line 4");
  EXPECT_TRUE(items[1].error);
  EXPECT_EQ(items[2].value, "s");
  EXPECT_EQ(items[3].where, "line 6");
  EXPECT_EQ(items[3].value["a"], 3);
}

// A Lambda event (one document over many lines) is parsed whole, as parse_event does.
TEST(EventReader, ReadsALambdaEventWhole) {
  EventReader events(fixture("kinesis-event.json"));
  Event whole = read_event(fixture("kinesis-event.json"));
  EXPECT_EQ(events.shape(), EventShape::kKinesis);
  size_t n = 0;
  while (auto item = events.next()) {
    ASSERT_LT(n, whole.items.size());
    EXPECT_EQ(item->value, whole.items[n].value);
    EXPECT_EQ(item->where, whole.items[n].where);
    ++n;
  }
  EXPECT_EQ(n, whole.items.size());
}

TEST(EventReader, OneLineDocumentAndErrors) {
  test::TempDir dir;
  test::spit(dir / "one.json", "  {\"message\":\"hi\"}\n\n");
  EventReader one(dir / "one.json");
  EXPECT_EQ(one.shape(), EventShape::kDirect);
  EXPECT_EQ(one.next()->value["message"], "hi");
  EXPECT_FALSE(one.next());
  test::spit(dir / "empty.json", " \n\n");
  EXPECT_THROW(EventReader(dir / "empty.json"), DataError);
  test::spit(dir / "bad.json", "{\n  \"message\": \"hi\",\n}\n");
  EXPECT_THROW(EventReader(dir / "bad.json"), DataError);
  EXPECT_THROW(EventReader(dir / "missing.json"), InputError);
}

}  // namespace
}  // namespace lamtool
