#pragma once
// Price histories from DynamoDB Streams records, in the item shape of the original
// trading-card table (DESIGN.md section 4): `NewImage.URL.S` names the item by the
// second-to-last segment of its path, `NewImage.Prices.M` maps `YYYY-MM-DD` to
// `{"N": "price"}`.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "lamtool/candles/bars.h"

namespace lamtool::candles {

/// One item's price history.
struct PriceItem {
  std::string name;        ///< for people: the URL segment decoded ("Black Lotus")
  std::string key;         ///< for object keys and file names: url_safe_name(name)
  std::string sequence;    ///< dynamodb.SequenceNumber, the batch failure identifier
  std::vector<Bar> daily;  ///< one bar per date (open = high = low = close = the price)
};

/// What a record asks for.
enum class RecordAction { kDraw, kRemove };

/// The record's eventName: INSERT and MODIFY draw, REMOVE is skipped. DataError for
/// anything else or when it is missing.
RecordAction record_action(const nlohmann::json& record, const std::string& where);

/// The record's dynamodb.SequenceNumber, or "" when it has none.
std::string sequence_number(const nlohmann::json& record);

/// The price history of an INSERT or MODIFY record. DataError "<where>: field
/// 'dynamodb.NewImage.Prices.M.2024-01-05.N': 'abc' is not a number" and the like for
/// a missing new image, URL or price map, an empty map, a date that is not a real
/// YYYY-MM-DD, a price that is not a finite non-negative number.
PriceItem price_item(const nlohmann::json& record, const std::string& where);

/// A URL path segment decoded: `%XX` escapes and `+` as a space (the form encoding the
/// original's card URLs used). Bytes that do not decode are kept as they are.
std::string decode_url_segment(std::string_view segment);

/// A name safe in a URL path and a file name: runs of anything but ASCII letters,
/// digits, '.', '_' and '-' become one '-', leading and trailing '-' and '.' go; "item"
/// when nothing is left. "Black Lotus (Alpha)" -> "Black-Lotus-Alpha".
std::string url_safe_name(std::string_view name);

}  // namespace lamtool::candles
