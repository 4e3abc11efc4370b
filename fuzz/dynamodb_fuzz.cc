// DynamoDB Streams records of price histories (candles/dynamodb.h): each record of a
// parsed event through record_action() and price_item(), as plot-candles reads them.
#include "fuzz.h"
#include "lamtool/candles/dynamodb.h"
#include "lamtool/error.h"
#include "lamtool/events.h"

LAMTOOL_FUZZ_TARGET(dynamodb) {
  try {
    lamtool::Event e = lamtool::parse_event(lamtool::fuzz::as_text(data, size), "fuzz.json");
    for (const auto& item : e.items) {
      if (item.error) continue;
      try {
        (void)lamtool::candles::sequence_number(item.value);
        if (lamtool::candles::record_action(item.value, item.where) ==
            lamtool::candles::RecordAction::kDraw) {
          auto p = lamtool::candles::price_item(item.value, item.where);
          (void)lamtool::candles::url_safe_name(p.name);
        }
      } catch (const lamtool::Error&) {
      }
    }
  } catch (const lamtool::Error&) {
  }
  return 0;
}
