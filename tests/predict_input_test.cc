// The input side of predict: JSON read in place (json_scan), base64, lines too long to
// hold, and the record reader over every input shape DESIGN section 3 names.

#include <gtest/gtest.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "lamtool/encoding.h"
#include "lamtool/error.h"
#include "lamtool/json_scan.h"
#include "lamtool/predict/records.h"
#include "lamtool/stream.h"
#include "temp_dir.h"

namespace lamtool {
namespace {

using json = nlohmann::json;
using predict::RawRecord;
using predict::RecordOrigin;
using predict::RecordReader;

// ---- json_scan ----

bool valid(std::string_view text) {
  json_scan::Cursor c(text);
  return c.skip_value() && c.end();
}

TEST(JsonScan, AcceptsWhatRfc8259Allows) {
  for (std::string_view ok :
       {R"({"a":[1,-2.5e+3,0.0,true,false,null,"x\"\\\/\b\f\n\r\t\u00e9"],"b":{}})", "[]", " 0 ",
        "-0", "1E-7", R"("é€😀")", "[[[]]]"})
    EXPECT_TRUE(valid(ok)) << ok;
}

TEST(JsonScan, RejectsWhatRfc8259Forbids) {
  for (std::string_view bad :
       {R"({"a":1,})", R"({"a" 1})", "[1 2]",       "[1,]", "01",       "1.",
        "-",           ".5",         "+1",          "tru",  R"("\q")",  R"("abc)",
        "\"a\x01b\"",  "{} x",       R"({"a":1}})", "[",    "\"\xff\"", "\"\xc0\xaf\"",
        R"({1:2})",    "NaN",        "Infinity",    ""})
    EXPECT_FALSE(valid(bad)) << bad;
}

TEST(JsonScan, NumbersKeepTheirTextAndValue) {
  json_scan::Cursor c("  -12.50e1 ");
  std::string_view raw;
  double v = 0;
  ASSERT_TRUE(c.number(raw, v));
  EXPECT_EQ(raw, "-12.50e1");
  EXPECT_DOUBLE_EQ(v, -125.0);
  json_scan::Cursor big("1e400");
  EXPECT_FALSE(big.number(raw, v));
  EXPECT_NE(big.error().find("out of range"), std::string::npos) << big.error();
  json_scan::Cursor nan("NaN");
  EXPECT_FALSE(nan.number(raw, v));
  EXPECT_EQ(nan.error(), "column 1: NaN is not a number");
}

TEST(JsonScan, FastNumbersEqualFromChars) {
  // Short decimals take a one-division fast path; it must round exactly as from_chars.
  uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  for (int k = 0; k < 100000; ++k) {
    std::string text = std::to_string(next() % 1000000000000000ULL);
    size_t point = next() % (text.size() + 1);
    if (point > 0) text.insert(text.size() - point, ".");
    if (text.front() == '.') text.insert(0, "0");
    if (k % 3 == 0) text.insert(0, "-");
    json_scan::Cursor c(text);
    std::string_view raw;
    double fast = 0, exact = 0;
    ASSERT_TRUE(c.number(raw, fast)) << text;
    std::from_chars(text.data(), text.data() + text.size(), exact);
    ASSERT_EQ(fast, exact) << text;
  }
}

TEST(JsonScan, ParsesDocumentsAsNlohmannDoes) {
  std::string doc = R"({"a": [1, -2, 3.5, 1e3, 18446744073709551615, -9223372036854775808],
    "s": "caf\u00e9\n", "t": true, "f": false, "n": null, "o": {"k": {}}, "e": []})";
  json fast;
  std::string error;
  ASSERT_TRUE(json_scan::parse(doc, fast, error)) << error;
  json slow = json::parse(doc);
  EXPECT_EQ(fast, slow);
  EXPECT_EQ(fast.dump(), slow.dump());  // the same number types too
  std::string shipped = test::slurp(std::string(LAMTOOL_SOURCE_DIR) + "/data/predict/model.json");
  ASSERT_FALSE(shipped.empty());
  ASSERT_TRUE(json_scan::parse(shipped, fast, error)) << error;
  EXPECT_EQ(fast, json::parse(shipped));
  EXPECT_FALSE(json_scan::parse("{\n  \"a\": [1,\n   2,,3]}", fast, error));
  EXPECT_EQ(error, "parse error at line 3, column 6: expected a JSON value");
}

TEST(JsonScan, UnescapesUtf16IncludingSurrogatePairs) {
  std::string out;
  ASSERT_TRUE(json_scan::unescape(R"(caf\u00e9 \ud83d\ude00 a\/b\n)", out));
  EXPECT_EQ(out, "caf\xc3\xa9 \xf0\x9f\x98\x80 a/b\n");
  EXPECT_FALSE(json_scan::unescape(R"(\ud83d alone)", out));
  EXPECT_FALSE(json_scan::unescape(R"(\ude00)", out));
  // What escape() writes reads back as the same text (checked by nlohmann).
  std::string text = "quote\" back\\ tab\t ctl\x01 é";
  EXPECT_EQ(json::parse("\"" + json_scan::escape(text) + "\"").get<std::string>(), text);
}

TEST(JsonScan, ErrorsSayWhereAndWhat) {
  json_scan::Cursor c(R"({"a" 1})");
  EXPECT_FALSE(c.skip_value());
  EXPECT_EQ(c.error(), "column 6: expected ':'");
}

TEST(ValueScanner, FindsTheEndAcrossPieces) {
  std::string doc = R"({"a":"}]\"[{","b":[1,{"c":"x"}]} tail)";
  for (size_t cut = 1; cut < doc.size() - 5; ++cut) {
    json_scan::ValueScanner s;
    auto st = s.feed(std::string_view(doc).substr(0, cut), 0);
    if (st == json_scan::ValueScanner::State::kMore) st = s.feed(doc, s.scanned());
    ASSERT_EQ(st, json_scan::ValueScanner::State::kDone) << cut;
    EXPECT_EQ(doc.substr(0, s.end()), R"({"a":"}]\"[{","b":[1,{"c":"x"}]})") << cut;
  }
  json_scan::ValueScanner bad;
  EXPECT_EQ(bad.feed("[1,2}", 0), json_scan::ValueScanner::State::kError);
}

// ---- base64 ----

TEST(Base64, DecodesRfc4648Vectors) {
  // RFC 4648 section 10.
  std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                   {"Zg==", "f"},
                                                   {"Zm8=", "fo"},
                                                   {"Zm9v", "foo"},
                                                   {"Zm9vYg==", "foob"},
                                                   {"Zm9vYmE=", "fooba"},
                                                   {"Zm9vYmFy", "foobar"}};
  std::string out;
  for (auto [in, want] : vectors) {
    ASSERT_TRUE(base64_decode(in, out)) << in;
    EXPECT_EQ(out, want);
  }
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  ASSERT_TRUE(base64_decode(base64_encode(bytes), out));
  EXPECT_EQ(out, bytes);
}

TEST(Base64, RefusesWhatIsNotCanonicalBase64) {
  std::string out;
  for (const char* bad :
       {"Zg=", "Zh==", "Zm9=", "Zm9v!A==", "Z===", "Zg==Zg==", "Zm 9v", "====", "Zm9vYg\n=="})
    EXPECT_FALSE(base64_decode(bad, out)) << bad;
}

// ---- LineReader passing over a long line ----

TEST(LineReader, PassesOverATooLongLineAndGoesOn) {
  test::TempDir dir;
  test::spit(dir / "in", "first\n" + std::string(300000, 'x') + "\nlast");
  InputStream in = InputStream::open(dir / "in");
  LineReader lines(in, 1000, LineReader::LongLines::kSkip);
  EXPECT_EQ(lines.next_line(), "first");
  EXPECT_FALSE(lines.too_long());
  EXPECT_EQ(lines.next_line(), "");
  EXPECT_TRUE(lines.too_long());
  EXPECT_EQ(lines.line_number(), 2u);
  EXPECT_EQ(lines.next_line(), "last");
  EXPECT_FALSE(lines.too_long());
  EXPECT_EQ(lines.line_number(), 3u);
  EXPECT_FALSE(lines.next_line());
}

// ---- payloads ----

TEST(Payload, ReadsTheSeedRecord) {
  predict::Payload p;
  std::string error;
  ASSERT_TRUE(predict::parse_payload(
      R"({"features":{"t1":2,"t2":3,"hum":50,"weather_code":2},"pred_id":123})", p, error))
      << error;
  EXPECT_EQ(p.features.values, (std::array<double, 4>{2, 3, 50, 2}));
  EXPECT_EQ(p.pred_id, "123");
  EXPECT_FALSE(p.pred_id_string);
  EXPECT_EQ(predict::partition_key(p), "123");
}

TEST(Payload, EchoesStringIdsAsGivenAndAllowsOtherMembers) {
  predict::Payload p;
  std::string error;
  ASSERT_TRUE(predict::parse_payload(
      R"( { "pred_id" : "a\u00e9-1", "extra": [1, {"x": null}],
            "features": {"weather_code": 2.0, "hum": 93.5, "t2": -2.5, "t1": 3e0, "wind": 6} } )",
      p, error))
      << error;
  EXPECT_EQ(p.features.values, (std::array<double, 4>{3, -2.5, 93.5, 2}));
  EXPECT_EQ(p.pred_id, R"("a\u00e9-1")");
  EXPECT_TRUE(p.pred_id_string);
  EXPECT_EQ(predict::partition_key(p), "a\xc3\xa9-1");
}

TEST(Payload, NamesTheFieldOfABadRecord) {
  std::pair<const char*, const char*> cases[] = {
      {R"({"features":{"t1":"2","t2":3,"hum":50,"weather_code":2},"pred_id":1})",
       "field 'features.t1': expected a number, got a string"},
      {R"({"features":{"t1":2,"t2":3,"weather_code":2},"pred_id":1})",
       "field 'features.hum' is missing"},
      {R"({"features":{"t1":2,"t2":3,"hum":NaN,"weather_code":2},"pred_id":1})",
       "field 'features.hum': NaN is not a number"},
      {R"({"features":{"t1":2,"t2":3,"hum":1e999,"weather_code":2},"pred_id":1})",
       "field 'features.hum': 1e999 is out of range"},
      {R"({"features":[2,3,50,2],"pred_id":1})",
       "field 'features': expected an object, got an array"},
      {R"({"pred_id":1})", "field 'features' is missing"},
      {R"({"features":{"t1":2,"t2":3,"hum":50,"weather_code":2}})", "field 'pred_id' is missing"},
      {R"({"features":{"t1":2,"t2":3,"hum":50,"weather_code":2},"pred_id":{"a":1}})",
       "field 'pred_id': expected a number or a string, got an object"},
      {R"({"features":{"t1":2,"t2":3,"hum":50,"weather_code":2},"pred_id":1)",
       "malformed JSON: the object is not closed"},
      {R"([1,2])", "expected a payload object, got an array"},
      {"Hello World", "malformed JSON: expected a payload object"},
  };
  for (auto [text, want] : cases) {
    predict::Payload p;
    std::string error;
    EXPECT_FALSE(predict::parse_payload(text, p, error)) << text;
    EXPECT_EQ(error, want) << text;
  }
}

// ---- the record reader ----

std::string payload(int id, double t1 = 2) {
  return json{{"features", {{"t1", t1}, {"t2", 3}, {"hum", 50}, {"weather_code", 2}}},
              {"pred_id", id}}
      .dump();
}

json lambda_record(const std::string& data, const std::string& seq) {
  return {{"kinesis",
           {{"kinesisSchemaVersion", "1.0"},
            {"partitionKey", "k"},
            {"sequenceNumber", seq},
            {"data", data},
            {"approximateArrivalTimestamp", 1480641523.477}}},
          {"eventSource", "aws:kinesis"},
          {"eventID", "shardId-000000000000:" + seq}};
}

struct Read {
  std::vector<RawRecord> records;
  std::vector<std::string> payloads, errors, wheres, sequences;
};

Read read_all(const std::string& path, size_t max_record = RecordReader::kMaxRecord) {
  RecordReader reader(path, max_record);
  Read out;
  RawRecord r;
  while (reader.next(r)) {
    out.records.push_back(r);
    out.payloads.emplace_back(r.payload);
    out.errors.emplace_back(r.error);
    out.wheres.push_back(reader.where(r.place));
    out.sequences.emplace_back(r.sequence);
  }
  return out;
}

TEST(RecordReader, ReadsALambdaKinesisEventRecordByRecord) {
  test::TempDir dir;
  json ev = {{"Records",
              {lambda_record(base64_encode(payload(1)), "101"), lambda_record("not base64!", "102"),
               lambda_record(base64_encode(payload(3)), "103")}}};
  test::spit(dir / "ev.json", ev.dump(2));
  Read got = read_all(dir / "ev.json");
  ASSERT_EQ(got.records.size(), 3u);
  EXPECT_EQ(got.payloads[0], payload(1));
  EXPECT_EQ(got.errors[1], "field 'kinesis.data': not valid base64");
  EXPECT_EQ(got.wheres[1], "'" + dir / "ev.json" + "' Records[1]");
  EXPECT_EQ(got.payloads[2], payload(3));
  EXPECT_EQ(got.sequences, (std::vector<std::string>{"101", "102", "103"}));
  for (const auto& r : got.records) EXPECT_EQ(r.origin, RecordOrigin::kKinesisEvent);
  EXPECT_EQ(got.records[2].ordinal, 2u);
}

TEST(RecordReader, NamesAMistypedEnvelopeFieldAndGoesOn) {
  test::TempDir dir;
  json bad = lambda_record("", "202");
  bad["kinesis"]["data"] = 12;
  json ev = {{"Records",
              {lambda_record(base64_encode(payload(1)), "201"), bad,
               lambda_record(base64_encode(payload(3)), "203"), "oops"}}};
  test::spit(dir / "ev.json", ev.dump());
  Read got = read_all(dir / "ev.json");
  ASSERT_EQ(got.records.size(), 4u);
  EXPECT_EQ(got.errors[1], "field 'kinesis.data': expected a string, got a number");
  EXPECT_EQ(got.sequences[1], "202");  // known, so Lambda can be told which record failed
  EXPECT_EQ(got.payloads[2], payload(3));
  EXPECT_EQ(got.errors[3], "expected a record object, got a string");
}

TEST(RecordReader, ReadsTheAwsLambdaGoSample) {
  // aws-lambda-go's sample: two records whose data is "Hello World" (not a payload).
  Read got = read_all(std::string(LAMTOOL_FIXTURE_DIR) + "/events/kinesis-event.json");
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(got.payloads[0], "Hello World");
  EXPECT_EQ(got.sequences[1], "49568167373333333334444444444444444444444444444444444444");
}

TEST(RecordReader, RefusesDynamoDbRecordsOneByOne) {
  Read got = read_all(std::string(LAMTOOL_FIXTURE_DIR) + "/events/dynamodb-event.json");
  ASSERT_EQ(got.records.size(), 2u);
  EXPECT_EQ(got.errors[0],
            "field 'eventSource': 'aws:dynamodb' is not a Kinesis record (aws:kinesis)");
}

TEST(RecordReader, ReadsGetRecordsOutputAndConcatenatedDocuments) {
  test::TempDir dir;
  auto out = [](int first) {
    json records = json::array();
    for (int i = first; i < first + 2; ++i)
      records.push_back({{"SequenceNumber", std::to_string(900 + i)},
                         {"ApproximateArrivalTimestamp", 1.7e9},
                         {"Data", base64_encode(payload(i))},
                         {"PartitionKey", "p"}});
    // NextShardIterator comes after Records, as awscli prints it.
    return json{{"Records", records}, {"NextShardIterator", "AAA"}, {"MillisBehindLatest", 0}}.dump(
        4);
  };
  test::spit(dir / "gr.json", out(0) + "\n" + out(2) + "\n");
  Read got = read_all(dir / "gr.json");
  ASSERT_EQ(got.records.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got.payloads[static_cast<size_t>(i)], payload(i));
  EXPECT_EQ(got.records[0].origin, RecordOrigin::kGetRecords);
  EXPECT_EQ(got.sequences[3], "903");
  EXPECT_EQ(got.wheres[2], "'" + dir / "gr.json" + "' document 2 Records[0]");
}

TEST(RecordReader, ReadsJsonLinesOfPayloadsAndBase64AndGoesOnAfterABadLine) {
  test::TempDir dir;
  std::string text = payload(1) + "\n" + json(base64_encode(payload(2))).dump() +
                     "\n\n{\"features\":\n" + "\"@@@\"\n" + "42\n" + payload(7) + "\r\n";
  test::spit(dir / "in.jsonl", text);
  Read got = read_all(dir / "in.jsonl");
  ASSERT_EQ(got.records.size(), 6u);
  EXPECT_EQ(got.payloads[0], payload(1));
  EXPECT_EQ(got.payloads[1], payload(2));
  // A malformed line is a record whose payload fails to parse, on its own line.
  EXPECT_EQ(got.payloads[2], "{\"features\":");
  EXPECT_EQ(got.wheres[2], "'" + dir / "in.jsonl" + "' line 4");
  EXPECT_EQ(got.errors[3], "not valid base64");
  EXPECT_EQ(got.errors[4], "expected a payload object or a base64 string, got a number");
  EXPECT_EQ(got.payloads[5], payload(7));
  EXPECT_EQ(got.wheres[5], "'" + dir / "in.jsonl" + "' line 7");
}

TEST(RecordReader, PassesOverALineTooLongToHold) {
  test::TempDir dir;
  std::string huge = "{\"features\":{},\"pad\":\"" + std::string(3 << 20, 'x') + "\"}";
  test::spit(dir / "in.jsonl", payload(1) + "\n" + huge + "\n" + payload(3) + "\n");
  Read got = read_all(dir / "in.jsonl", 1 << 20);
  ASSERT_EQ(got.records.size(), 3u);
  EXPECT_EQ(got.errors[1], "longer than 1048576 bytes");
  EXPECT_EQ(got.payloads[2], payload(3));
}

TEST(RecordReader, ReadsAnEventOnOneLineAmongPayloadLines) {
  test::TempDir dir;
  json ev = {{"Records",
              {lambda_record(base64_encode(payload(5)), "7"),
               lambda_record(base64_encode(payload(6)), "8")}}};
  test::spit(dir / "mixed.jsonl", ev.dump() + "\n" + payload(9) + "\n");
  Read got = read_all(dir / "mixed.jsonl");
  ASSERT_EQ(got.records.size(), 3u);
  EXPECT_EQ(got.payloads[1], payload(6));
  EXPECT_EQ(got.wheres[1], "'" + dir / "mixed.jsonl" + "' line 1 Records[1]");
  EXPECT_EQ(got.payloads[2], payload(9));
  EXPECT_EQ(got.wheres[2], "'" + dir / "mixed.jsonl" + "' line 2");
}

TEST(RecordReader, KeepsTheRecordsBeforeAnInputThatEndsInsideOne) {
  test::TempDir dir;
  json ev = {{"Records", json::array()}};
  for (int i = 0; i < 3; ++i)
    ev["Records"].push_back(lambda_record(base64_encode(payload(i)), std::to_string(i)));
  std::string text = ev.dump(2);
  // Cut inside the third record's data.
  text.resize(text.find(base64_encode(payload(2))) + 10);
  test::spit(dir / "cut.json", text);
  Read got = read_all(dir / "cut.json");
  ASSERT_EQ(got.records.size(), 3u);
  EXPECT_EQ(got.payloads[1], payload(1));
  EXPECT_EQ(got.errors[2], "the input ends inside this record");
  EXPECT_EQ(got.wheres[2], "'" + dir / "cut.json" + "' Records[2]");
}

TEST(RecordReader, ReadsAPrettyPrintedPayloadAndArrays) {
  test::TempDir dir;
  test::spit(dir / "one.json", json::parse(payload(4)).dump(2));
  Read one = read_all(dir / "one.json");
  ASSERT_EQ(one.records.size(), 1u);
  EXPECT_EQ(json::parse(one.payloads[0]), json::parse(payload(4)));
  EXPECT_EQ(one.records[0].origin, RecordOrigin::kDocument);

  json arr = {base64_encode(payload(1)), json::parse(payload(2)), 3};
  test::spit(dir / "arr.json", arr.dump(2));
  Read got = read_all(dir / "arr.json");
  ASSERT_EQ(got.records.size(), 3u);
  EXPECT_EQ(got.payloads[0], payload(1));
  EXPECT_EQ(json::parse(got.payloads[1]), json::parse(payload(2)));
  EXPECT_EQ(got.wheres[2], "'" + dir / "arr.json" + "' [2]");
  EXPECT_EQ(got.records[2].origin, RecordOrigin::kArray);
}

TEST(RecordReader, StreamsALargeEventAcrossReads) {
  // 10,000 records (~2.5 MB pretty-printed) span many 256 KiB reads.
  test::TempDir dir;
  json ev = {{"Records", json::array()}};
  for (int i = 0; i < 10000; ++i)
    ev["Records"].push_back(lambda_record(base64_encode(payload(i, i % 30)), std::to_string(i)));
  test::spit(dir / "big.json", ev.dump(1, '\t'));
  RecordReader reader(dir / "big.json");
  RawRecord r;
  int n = 0;
  while (reader.next(r)) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_EQ(r.payload, payload(n, n % 30));
    ASSERT_EQ(r.sequence, std::to_string(n));
    ++n;
  }
  EXPECT_EQ(n, 10000);
}

TEST(RecordReader, EmptyInputIsBadData) {
  test::TempDir dir;
  test::spit(dir / "empty", " \n\n");
  EXPECT_THROW(RecordReader(dir / "empty"), DataError);
  EXPECT_THROW(RecordReader(dir / "missing"), InputError);
}

}  // namespace
}  // namespace lamtool
