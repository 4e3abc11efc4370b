#include <gtest/gtest.h>

#include "lamtool/candles/dynamodb.h"
#include "lamtool/error.h"
#include "lamtool/events.h"

namespace lamtool::candles {
namespace {

using nlohmann::json;

// A record in the original table's shape: the aws-lambda-go sample's envelope with
// the card's URL and prices as its new image.
json record(const std::string& event_name, const json& new_image) {
  json r = {{"eventID", "1"},
            {"eventName", event_name},
            {"eventSource", "aws:dynamodb"},
            {"dynamodb", {{"SequenceNumber", "111"}, {"StreamViewType", "NEW_AND_OLD_IMAGES"}}}};
  if (!new_image.is_null()) r["dynamodb"]["NewImage"] = new_image;
  return r;
}

json image(const std::string& url, const json& prices) {
  return {{"URL", {{"S", url}}}, {"Prices", {{"M", prices}}}};
}

std::string error_of(const json& r) {
  try {
    price_item(r, "Records[0]");
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CandlesDynamoDb, ItemNamedBySecondToLastSegmentAndPricesInDateOrder) {
  json r = record("MODIFY", image("https://cards.example.com/cards/Black+Lotus+%28Alpha%29/",
                                  {{"2024-01-03", {{"N", "12.5"}}},
                                   {"2024-01-02", {{"N", "10"}}},
                                   {"2024-01-05", {{"N", "1e1"}}}}));
  PriceItem item = price_item(r, "Records[0]");
  EXPECT_EQ(item.name, "Black Lotus (Alpha)");
  EXPECT_EQ(item.key, "Black-Lotus-Alpha");
  EXPECT_EQ(item.sequence, "111");
  ASSERT_EQ(item.daily.size(), 3u);
  EXPECT_EQ(format_date(item.daily[0].time), "2024-01-02");
  EXPECT_EQ(item.daily[0].open, 10);
  EXPECT_EQ(item.daily[0].high, 10);
  EXPECT_EQ(item.daily[0].low, 10);
  EXPECT_EQ(item.daily[0].close, 10);
  EXPECT_EQ(format_date(item.daily[2].time), "2024-01-05");
  EXPECT_EQ(item.daily[2].close, 10);
}

TEST(CandlesDynamoDb, WithoutTrailingSlashTheSegmentBeforeTheLastNamesIt) {
  // url.split('/')[-2], as the original did, whatever follows.
  PriceItem item = price_item(record("INSERT", image("https://x.example/c/Mox+Pearl/12345",
                                                     {{"2024-01-02", {{"N", "1"}}}})),
                              "Records[0]");
  EXPECT_EQ(item.name, "Mox Pearl");
}

TEST(CandlesDynamoDb, Actions) {
  EXPECT_EQ(record_action(record("INSERT", nullptr), "r"), RecordAction::kDraw);
  EXPECT_EQ(record_action(record("MODIFY", nullptr), "r"), RecordAction::kDraw);
  EXPECT_EQ(record_action(record("REMOVE", nullptr), "r"), RecordAction::kRemove);
  EXPECT_THROW(record_action(record("UPSERT", nullptr), "r"), DataError);
  EXPECT_THROW(record_action(json::object(), "r"), DataError);
}

TEST(CandlesDynamoDb, BadItemsNameTheField) {
  auto prices = [](const std::string& date, const json& v) { return json{{date, v}}; };
  EXPECT_EQ(error_of(record("INSERT", nullptr)),
            "Records[0]: field 'dynamodb.NewImage': missing (the stream must send new images: "
            "StreamViewType NEW_IMAGE or NEW_AND_OLD_IMAGES)");
  EXPECT_EQ(error_of(record("INSERT", {{"Prices", {{"M", json::object()}}}})),
            "Records[0]: field 'dynamodb.NewImage.URL': missing");
  EXPECT_EQ(error_of(record("INSERT", image("https://x.example/c/A/", json::object()))),
            "Records[0]: field 'dynamodb.NewImage.Prices.M': no prices");
  EXPECT_EQ(error_of(record("INSERT", image("nothing", prices("2024-01-02", {{"N", "1"}})))),
            "Records[0]: field 'dynamodb.NewImage.URL.S': 'nothing' has no second-to-last path "
            "segment to name the item");
  EXPECT_EQ(error_of(record("INSERT",
                            image("https://x.example/c/A/", prices("2024-01-02", {{"N", "abc"}})))),
            "Records[0]: field 'dynamodb.NewImage.Prices.M.2024-01-02.N': \"abc\" is not a number");
  EXPECT_EQ(error_of(record("INSERT",
                            image("https://x.example/c/A/", prices("2024-01-02", {{"N", "-3"}})))),
            "Records[0]: field 'dynamodb.NewImage.Prices.M.2024-01-02.N': \"-3\" is not a price "
            "(finite and not negative)");
  EXPECT_NE(error_of(record("INSERT",
                            image("https://x.example/c/A/", prices("2024-01-02", {{"N", "NaN"}})))),
            "no error");
  EXPECT_EQ(error_of(record("INSERT",
                            image("https://x.example/c/A/", prices("2023-02-29", {{"N", "1"}})))),
            "Records[0]: field 'dynamodb.NewImage.Prices.M.2023-02-29': the key is not a date "
            "(expected YYYY-MM-DD)");
  EXPECT_EQ(error_of(record("INSERT",
                            image("https://x.example/c/A/", prices("2024-01-02", {{"S", "1"}})))),
            "Records[0]: field 'dynamodb.NewImage.Prices.M.2024-01-02': expected a DynamoDB N "
            "attribute");
  EXPECT_EQ(error_of(record("INSERT", {{"URL", {{"N", "1"}}}})),
            "Records[0]: field 'dynamodb.NewImage.URL': expected a DynamoDB S attribute, got N");
}

TEST(CandlesDynamoDb, UrlSafeNames) {
  EXPECT_EQ(url_safe_name("Black Lotus (Alpha)"), "Black-Lotus-Alpha");
  EXPECT_EQ(url_safe_name("Lightning Bolt +1"), "Lightning-Bolt-1");
  EXPECT_EQ(url_safe_name("S&P 500"), "S-P-500");
  EXPECT_EQ(url_safe_name("SP500_NOV2019_Hist"), "SP500_NOV2019_Hist");
  EXPECT_EQ(url_safe_name("..hidden.."), "hidden");
  EXPECT_EQ(url_safe_name("Pok\xC3\xA9mon"), "Pok-mon");
  EXPECT_EQ(url_safe_name("???"), "item");
  EXPECT_EQ(url_safe_name(""), "item");
}

TEST(CandlesDynamoDb, DecodesFormEncodedSegments) {
  EXPECT_EQ(decode_url_segment("Black+Lotus"), "Black Lotus");
  EXPECT_EQ(decode_url_segment("a%2Bb"), "a+b");
  EXPECT_EQ(decode_url_segment("Pok%C3%A9mon"), "Pok\xC3\xA9mon");
  EXPECT_EQ(decode_url_segment("100%"), "100%");
  EXPECT_EQ(decode_url_segment("%zz"), "%zz");
}

TEST(CandlesDynamoDb, TheSampleEventIsRecognised) {
  Event ev = read_event(std::string(LAMTOOL_FIXTURE_DIR) + "/events/dynamodb-event.json");
  ASSERT_EQ(ev.shape, EventShape::kDynamoDb);
  // The aws-lambda-go sample's items are not price histories: no URL.
  EXPECT_THROW(price_item(ev.items[0].value, ev.items[0].where), DataError);
  EXPECT_EQ(sequence_number(ev.items[0].value), "1405400000000002063282832");
}

}  // namespace
}  // namespace lamtool::candles
