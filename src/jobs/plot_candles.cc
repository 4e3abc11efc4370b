#include "lamtool/jobs/plot_candles.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <span>

#include "lamtool/candles/dynamodb.h"
#include "lamtool/candles/input.h"
#include "lamtool/destination.h"
#include "lamtool/error.h"
#include "lamtool/events.h"
#include "lamtool/json_scan.h"
#include "lamtool/parse.h"
#include "lamtool/stream.h"

namespace lamtool::jobs::plot_candles {

namespace {

using candles::Bar;

// The longest line read whole: a DynamoDB event on one line can be as large as a Lambda
// payload (6 MB); a price line is short.
constexpr size_t kMaxLine = 16 * 1024 * 1024;
// At most this many item errors are listed in the manifest (all go to stderr).
constexpr size_t kMaxListedErrors = 1000;

// One price history to chart.
struct Item {
  std::string name;      // title
  std::string key;       // file name stem under daily/ and weekly/
  std::string where;     // for messages: "'event.json' Records[2]" or "'prices.csv'"
  std::string sequence;  // DynamoDB sequence number, for batchItemFailures
  std::vector<Bar> daily;
  bool has_volume = false;
};

enum class InputKind { kEvent, kPrices };

// Reads up to the end of the first non-blank line and says what the input is: a
// Lambda event (a document, or one line holding "Records"), or a price file (CSV, or
// JSON Lines of ticks). `head` keeps the bytes read, to be read again.
InputKind sniff(InputStream& in, std::string& head) {
  size_t content = read_first_line(in, head, kMaxLine);
  if (content == std::string::npos)
    throw DataError(fmt::format("{}: empty input: no prices", in.describe()));
  if (head[content] != '{') return InputKind::kPrices;
  size_t nl = head.find('\n', content);
  std::string_view first = trim(std::string_view(head).substr(
      content, nl == std::string::npos ? std::string::npos : nl - content));
  json_scan::Cursor probe(first);
  bool one_line_value = probe.skip_value() && probe.end();
  if (one_line_value && first.find("\"Records\"") == std::string_view::npos)
    return InputKind::kPrices;  // JSON Lines of ticks
  return InputKind::kEvent;
}

std::string default_name(const Options& opts) {
  if (opts.name) return *opts.name;
  if (opts.in == "-") return "prices";
  return std::filesystem::path(opts.in).stem().string();
}

const char* period_word(Period p) { return p == Period::kWeekly ? "weekly" : "daily"; }

std::vector<Period> periods(const Options& opts) {
  if (opts.period == Period::kBoth) return {Period::kDaily, Period::kWeekly};
  return {opts.period};
}

// A key stem not used yet in this run: two items of one batch may share a name.
std::string unique_key(std::map<std::string, int>& used, const std::string& key) {
  int n = ++used[key];
  return n == 1 ? key : fmt::format("{}-{}", key, n);
}

// Candles unless asked otherwise; but a series of one price per period (a DynamoDB
// price history's daily bars) would be a row of flat dashes, so it is drawn as a line.
render::ChartType chart_type(const Options& opts, const std::vector<Bar>& bars) {
  if (opts.chart) return *opts.chart;
  bool flat = std::all_of(bars.begin(), bars.end(), [](const Bar& b) {
    return b.open == b.close && b.high == b.low && b.open == b.high;
  });
  return flat ? render::ChartType::kLine : render::ChartType::kCandle;
}

nlohmann::json series_json(const Item& item, const std::vector<Bar>& weekly) {
  nlohmann::json s = {{"name", item.name}, {"key", item.key}, {"days", item.daily.size()}};
  if (!weekly.empty()) s["weeks"] = weekly.size();
  s["first"] = candles::format_date(item.daily.front().time);
  s["last"] = candles::format_date(item.daily.back().time);
  return s;
}

}  // namespace

std::vector<int> parse_mav(const std::string& text) {
  std::vector<int> out;
  std::string_view rest = text;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view part = trim(rest.substr(0, comma));
    int v = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || v < 2 || v > 1000)
      throw UsageError(fmt::format(
          "--mav '{}': expected bar counts from 2 to 1000 separated by commas, e.g. 5,25", text));
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (out.size() > 7) throw UsageError(fmt::format("--mav '{}': at most 7 moving averages", text));
  return out;
}

void declare(FlagSink& flags, Options& opts) {
  flags.option({.names = "--in",
                .help = "A DynamoDB Streams event, an OHLC(V) CSV, or ticks (CSV or JSON Lines)",
                .value_name = "FILE",
                .default_text = "- (stdin)"},
               [&opts](const std::string& v) { opts.in = v; });
  flags.option({.names = "--to",
                .help = "Destination: DIR/ or s3://bucket/prefix/ (daily/NAME.png, "
                        "weekly/NAME.png below it); FILE, - or s3://bucket/key for one chart",
                .value_name = "DEST",
                .default_text = "./"},
               [&opts](const std::string& v) { opts.to = v; });
  flags.option({.names = "--period",
                .help = "Which charts: daily bars, weekly bars, or both",
                .value_name = "PERIOD",
                .choices = {"daily", "weekly", "both"},
                .default_text = "both"},
               [&opts](const std::string& v) {
                 opts.period = v == "daily"    ? Period::kDaily
                               : v == "weekly" ? Period::kWeekly
                                               : Period::kBoth;
               });
  flags.option({.names = "--week-anchor",
                .help = "Weeks: calendar weeks from Monday, or 7-day blocks from the first date "
                        "(the original's grouping)",
                .value_name = "ANCHOR",
                .choices = {"monday", "first-date"},
                .default_text = "monday"},
               [&opts](const std::string& v) {
                 opts.anchor =
                     v == "monday" ? candles::WeekAnchor::kMonday : candles::WeekAnchor::kFirstDate;
               });
  flags.option({.names = "--chart",
                .help = "Chart type; auto draws candles, or a line for one price per day",
                .value_name = "TYPE",
                .choices = {"auto", "candle", "ohlc", "line"},
                .default_text = "auto"},
               [&opts](const std::string& v) {
                 if (v == "auto")
                   opts.chart.reset();
                 else
                   opts.chart = render::parse_chart_type(v);
               });
  flags.option({.names = "--mav",
                .help = "Moving averages of the close over N bars, with a legend",
                .value_name = "N[,N...]"},
               [&opts](const std::string& v) { opts.mav = parse_mav(v); });
  flags.flag({.names = "--volume", .help = "Add a volume panel (when the input has volume)"},
             [&opts] { opts.volume = true; });
  std::vector<std::string> styles;
  for (auto s : render::candle_style_names()) styles.emplace_back(s);
  flags.option({.names = "--style",
                .help = "Colours: default is close to mplfinance's",
                .value_name = "STYLE",
                .choices = styles,
                .default_text = "default"},
               [&opts](const std::string& v) { opts.style = v; });
  declare_picture_flags(flags, opts.picture);
  flags.option({.names = "--bars-out",
                .help = "Also write the bars as CSV date,open,high,low,close,volume: FILE for "
                        "one series, or DIR/ (daily/NAME.csv, weekly/NAME.csv)",
                .value_name = "DEST"},
               [&opts](const std::string& v) { opts.bars_out = v; });
  flags.option({.names = "--name",
                .help = "A price file's name in the title and keys (default: its file name "
                        "without extension; 'prices' for stdin)",
                .value_name = "NAME"},
               [&opts](const std::string& v) {
                 if (trim(v).empty()) throw UsageError("--name '': must not be empty");
                 opts.name = v;
               });
}

Manifest run(Context& ctx, const Options& opts) {
  Destination dest = require_stdout_free(
      ctx, opts.to ? Destination::parse(*opts.to) : Destination::current_directory());
  if (dest.kind == Destination::Kind::kKinesis)
    throw UsageError(fmt::format("--to '{}': charts go to files or S3, not to a stream", *opts.to));
  std::optional<Destination> bars_dest;
  if (opts.bars_out) {
    bars_dest = require_stdout_free(ctx, Destination::parse(*opts.bars_out));
    if (bars_dest->kind == Destination::Kind::kKinesis)
      throw UsageError(fmt::format("--bars-out '{}': bars go to files or S3", *opts.bars_out));
    if (bars_dest->kind == Destination::Kind::kStdout && dest.kind == Destination::Kind::kStdout)
      throw UsageError("--to - and --bars-out - cannot both write to stdout");
  }

  // 1. The price histories.
  InputStream in = InputStream::open(opts.in);
  std::string head;
  InputKind kind = sniff(in, head);
  Manifest m("plot-candles");
  std::vector<Item> items;
  size_t removed = 0;
  nlohmann::json errors = nlohmann::json::array();
  nlohmann::json item_failures = nlohmann::json::array();
  size_t failed = 0;
  // An item that cannot be drawn: `message` is the DataError's, "<where>: <why>".
  auto report = [&](const std::string& where, const std::string& sequence,
                    std::string_view message) {
    ++failed;
    ctx.log.error(message);
    std::string_view why = message;
    if (why.starts_with(where) && why.substr(where.size()).starts_with(": "))
      why.remove_prefix(where.size() + 2);
    if (errors.size() < kMaxListedErrors)
      errors.push_back({{"where", where}, {"error", std::string(why)}});
    if (!sequence.empty()) item_failures.push_back({{"itemIdentifier", sequence}});
  };

  if (kind == InputKind::kEvent) {
    if (opts.name)
      throw UsageError(
          "--name names a price file's charts; a DynamoDB event's items are named "
          "by their URL");
    LineReader lines(in, 0);
    lines.unread(head);
    std::string text = lines.read_rest();
    Event event = parse_event(text, in.path() == "-" ? "<stdin>" : in.path());
    if (event.shape != EventShape::kDynamoDb)
      throw DataError(
          fmt::format("{}: {}: plot-candles reads DynamoDB Streams events, OHLC "
                      "CSVs and ticks",
                      in.describe(), describe(event.shape)));
    m["input"] = "dynamodb";
    m["records"] = event.items.size();
    for (const EventItem& record : event.items) {
      std::string where = fmt::format("{} {}", in.describe(), record.where);
      std::string sequence = candles::sequence_number(record.value);
      try {
        if (candles::record_action(record.value, where) == candles::RecordAction::kRemove) {
          ++removed;
          continue;
        }
        candles::PriceItem p = candles::price_item(record.value, where);
        items.push_back({.name = std::move(p.name),
                         .key = std::move(p.key),
                         .where = where,
                         .sequence = std::move(p.sequence),
                         .daily = std::move(p.daily),
                         .has_volume = false});
      } catch (const DataError& e) {
        report(where, sequence, e.what());
      }
    }
  } else {
    LineReader lines(in, candles::kMaxPriceLine);
    lines.unread(head);
    candles::Series s = candles::read_prices(in, lines);
    // Each volume is finite, but a day's or a week's sum may not be: bars of infinite
    // volume would be drawn and written as "inf". Their total bounds every such sum.
    double total = 0;
    for (const Bar& b : s.daily) total += b.volume;
    if (!std::isfinite(total))
      throw DataError(fmt::format("{}: the volumes add up to more than a number holds (1.8e308)",
                                  in.describe()));
    std::string name = default_name(opts);
    m["input"] = s.kind == candles::Series::Kind::kTicks ? "ticks" : "bars";
    m["rows"] = s.rows;
    items.push_back({.name = name,
                     .key = candles::url_safe_name(name),
                     .where = in.describe(),
                     .sequence = {},
                     .daily = std::move(s.daily),
                     .has_volume = s.has_volume});
  }

  // 2. Where each chart goes: more than one needs a directory or prefix.
  std::vector<Period> wanted = periods(opts);
  size_t charts = items.size() * wanted.size();
  if (charts > 1 && !dest.is_container())
    throw UsageError(fmt::format(
        "--to '{}': {} charts to write; give a directory or S3 prefix ending in '/' (or one "
        "--period for one price file)",
        dest.uri(), charts));
  if (bars_dest && charts > 1 && !bars_dest->is_container())
    throw UsageError(fmt::format(
        "--bars-out '{}': {} series of bars to write; give a directory or S3 prefix ending in "
        "'/'",
        bars_dest->uri(), charts));
  if (opts.volume && kind == InputKind::kEvent)
    ctx.log.warning("--volume: a DynamoDB price history has no volume; no volume panel drawn");

  // 3. The charts.
  const std::string ext = picture_extension(opts.picture.format);
  const std::string type = picture_content_type(opts.picture.format);
  std::map<std::string, int> used_keys;
  nlohmann::json series = nlohmann::json::array();
  size_t drawn = 0;
  for (Item& item : items) {
    std::string key = unique_key(used_keys, item.key);
    std::vector<Bar> weekly;
    if (opts.period != Period::kDaily) weekly = candles::weekly_bars(item.daily, opts.anchor);
    // A volume column of zeros (mplfinance's 1-minute file has one) is no volume either.
    bool volume = item.has_volume && std::any_of(item.daily.begin(), item.daily.end(),
                                                 [](const Bar& b) { return b.volume > 0; });
    if (opts.volume && !volume && kind != InputKind::kEvent)
      ctx.log.warningf("--volume: {} has no volume; no volume panel drawn", item.where);
    for (Period p : wanted) {
      const std::vector<Bar>& bars = p == Period::kWeekly ? weekly : item.daily;
      render::CandleScene scene;
      scene.title = item.name;
      scene.bars = bars;
      scene.weekly = p == Period::kWeekly;
      scene.type = chart_type(opts, bars);
      scene.mav = opts.mav;
      scene.volume = opts.volume && volume;
      scene.style = opts.style;
      std::string bytes = render::render_candles(scene, opts.picture.format, opts.picture.width,
                                                 opts.picture.height);
      std::string name = fmt::format("{}/{}.{}", period_word(p), key, ext);
      m.add_output(write_output(ctx, dest, name, bytes, type));
      if (bars_dest) {
        std::string csv_name = fmt::format("{}/{}.csv", period_word(p), key);
        m.add_output(write_output(ctx, *bars_dest, csv_name, candles::bars_csv(bars), "text/csv"));
      }
    }
    ctx.log.debugf("plot-candles: {}: {} days, {} weeks, {} to {}", item.name, item.daily.size(),
                   weekly.size(), candles::format_date(item.daily.front().time),
                   candles::format_date(item.daily.back().time));
    series.push_back(series_json(item, weekly));
    ++drawn;
  }

  m["items"] = drawn;
  m["charts"] = drawn * wanted.size();
  m["series"] = std::move(series);
  if (kind == InputKind::kEvent) {
    m["removed"] = removed;
    m["failed"] = failed;
    m["errors"] = std::move(errors);
    m["batchItemFailures"] = std::move(item_failures);
  }
  if (failed > 0) {
    ctx.log.errorf("plot-candles: {} of {} items could not be drawn", failed, failed + drawn);
    m.set_exit_code(exit_code::kDataErr);
  }
  return m;
}

}  // namespace lamtool::jobs::plot_candles
