#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "lamtool/candles/bars.h"
#include "lamtool/candles/input.h"
#include "lamtool/csv.h"
#include "lamtool/error.h"
#include "temp_dir.h"

namespace lamtool::candles {
namespace {

const std::string kData = LAMTOOL_SOURCE_DIR "/data/candles/";
const std::string kRefs = LAMTOOL_FIXTURE_DIR "/candles/";

std::int64_t at(std::string_view text) {
  std::int64_t t = 0;
  EXPECT_TRUE(parse_time(text, t)) << text;
  return t;
}

std::int64_t hms(int h, int m, int s) { return std::int64_t{h} * 3600 + m * 60 + s; }

Bar day_bar(int y, int m, int d, double open, double high, double low, double close,
            double volume) {
  return {days_from_civil(y, m, d), open, high, low, close, volume};
}

void expect_bars_eq(const std::vector<Bar>& got, const std::vector<Bar>& want,
                    const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(fmt::format("{}: bar {} ({})", what, i, format_date(want[i].time)));
    EXPECT_EQ(format_date(got[i].time), format_date(want[i].time));
    EXPECT_EQ(got[i].time, want[i].time);
    EXPECT_EQ(got[i].open, want[i].open);
    EXPECT_EQ(got[i].high, want[i].high);
    EXPECT_EQ(got[i].low, want[i].low);
    EXPECT_EQ(got[i].close, want[i].close);
    EXPECT_EQ(got[i].volume, want[i].volume);
  }
}

// ---------------------------------------------------------------------------------------
// Dates and times

TEST(CandlesTime, CivilDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1970, 1, 2), kSecondsPerDay);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -kSecondsPerDay);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 951868800);  // date -u -d 2000-03-01 +%s
  EXPECT_EQ(days_from_civil(2024, 3, 5), 1709596800);
}

TEST(CandlesTime, DayOfFloorsBefore1970) {
  EXPECT_EQ(day_of(0), 0);
  EXPECT_EQ(day_of(86399), 0);
  EXPECT_EQ(day_of(86400), 1);
  EXPECT_EQ(day_of(-1), -1);
  EXPECT_EQ(day_of(-86400), -1);
  EXPECT_EQ(day_of(-86401), -2);
}

TEST(CandlesTime, FormatDate) {
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(format_date(days_from_civil(2024, 2, 29) + hms(23, 59, 59)), "2024-02-29");
  EXPECT_EQ(format_date(days_from_civil(1900, 1, 1)), "1900-01-01");
}

TEST(CandlesTime, EveryDayRoundTrips) {
  for (std::int64_t day = days_from_civil(1899, 12, 1) / kSecondsPerDay;
       day < days_from_civil(2101, 1, 1) / kSecondsPerDay; ++day) {
    const std::string date = format_date(day * kSecondsPerDay);
    std::int64_t t = 0;
    ASSERT_TRUE(parse_time(date, t)) << date;
    ASSERT_EQ(t, day * kSecondsPerDay) << date;
  }
}

TEST(CandlesTime, IsoForms) {
  const std::int64_t d = days_from_civil(2019, 11, 5);
  EXPECT_EQ(at("2019-11-05"), d);
  EXPECT_EQ(at("2019-11-05T15:59"), d + hms(15, 59, 0));
  EXPECT_EQ(at("2019-11-05 15:59"), d + hms(15, 59, 0));
  EXPECT_EQ(at("2019-11-05T15:59:07"), d + hms(15, 59, 7));
  EXPECT_EQ(at("2019-11-05t15:59:07z"), d + hms(15, 59, 7));
  EXPECT_EQ(at("2019-11-05T15:59:07.250"), d + hms(15, 59, 7));
  EXPECT_EQ(at("2019-11-05T15:59:07.999999Z"), d + hms(15, 59, 7));
  EXPECT_EQ(at("2019-11-05T00:00:00Z"), d);
  EXPECT_EQ(at("2019-11-05T23:59:59Z"), d + hms(23, 59, 59));
  // The zone is the market's: the wall-clock time stays, so the day does too.
  EXPECT_EQ(at("2019-11-05T23:30:00-05:00"), d + hms(23, 30, 0));
  EXPECT_EQ(at("2019-11-05T00:30:00+09:00"), d + hms(0, 30, 0));
  EXPECT_EQ(at("2019-11-05 09:30+01:00"), d + hms(9, 30, 0));
  EXPECT_EQ(at("2024-02-29"), days_from_civil(2024, 2, 29));
  EXPECT_EQ(at("2000-02-29"), days_from_civil(2000, 2, 29));
  EXPECT_EQ(at("1969-07-20T20:17:40Z"), days_from_civil(1969, 7, 20) + hms(20, 17, 40));
}

TEST(CandlesTime, UsForms) {
  const std::int64_t d = days_from_civil(2019, 11, 5);
  EXPECT_EQ(at("11/5/2019"), d);
  EXPECT_EQ(at("11/05/2019"), d);
  EXPECT_EQ(at("11/5/2019 9:30"), d + hms(9, 30, 0));
  EXPECT_EQ(at("11/5/2019 09:30"), d + hms(9, 30, 0));
  EXPECT_EQ(at("11/5/2019 15:59:30"), d + hms(15, 59, 30));
  EXPECT_EQ(at("1/1/2020"), days_from_civil(2020, 1, 1));
  EXPECT_EQ(at("12/31/2020 0:00"), days_from_civil(2020, 12, 31));
}

TEST(CandlesTime, EpochNumbers) {
  EXPECT_EQ(at("0"), 0);
  EXPECT_EQ(at("1572969540"), 1572969540);
  EXPECT_EQ(at("1572969540.75"), 1572969540);
  // 13 digits and more are milliseconds.
  EXPECT_EQ(at("1572969540123"), 1572969540);
  EXPECT_EQ(at("1572969540999.5"), 1572969540);
  EXPECT_EQ(at("999999999999"), 999999999999);
  EXPECT_EQ(at("-1"), -1);
  EXPECT_EQ(at("-1.5"), -2);  // toward the earlier second, so the day is the right one
  EXPECT_EQ(at("-86400"), -86400);
  EXPECT_EQ(at("-1572969540123"), -1572969541);
}

TEST(CandlesTime, RejectsWhatIsNoTime) {
  for (std::string_view bad : {"",
                               " ",
                               "abc",
                               "2019-02-30",
                               "2019-02-29",
                               "2100-02-29",
                               "2019-04-31",
                               "2019-13-01",
                               "2019-00-10",
                               "2019-11-00",
                               "2019-11-5",
                               "2019-11-05T",
                               "2019-11-05T24:00",
                               "2019-11-05T12:60",
                               "2019-11-05T12:00:60",
                               "2019-11-05T9:30",
                               "2019-11-05T12:00:00.",
                               "2019-11-05T12:00:00+0100",
                               "2019-11-05T12:00:00+24:00",
                               "2019-11-05T12:00:00Zx",
                               "2019-11-05x",
                               " 2019-11-05",
                               "2019-11-05 ",
                               "13/1/2019",
                               "2/30/2019",
                               "0/1/2019",
                               "11/5/19",
                               "11/5/2019 25:00",
                               "11/5/2019 9:3",
                               "11/5/2019T9:30",
                               "11/5/2019 ",
                               "11//2019",
                               "/5/2019",
                               "1e9",
                               "+5",
                               "1.",
                               ".5",
                               "-",
                               "12345678901234567890",
                               "0x10",
                               "2019/11/05"}) {
    std::int64_t t = 42;
    EXPECT_FALSE(parse_time(bad, t)) << "'" << bad << "' gave " << t;
  }
}

// ---------------------------------------------------------------------------------------
// Daily bars

TEST(CandlesDaily, TicksInOrder) {
  DailyBars b;
  const std::int64_t d = days_from_civil(2024, 3, 5);
  b.add_tick(d + hms(9, 30, 0), 10, 100);
  b.add_tick(d + hms(10, 0, 0), 12, 50);
  b.add_tick(d + hms(11, 0, 0), 9);
  b.add_tick(d + hms(16, 0, 0), 11, 25);
  EXPECT_EQ(b.added(), 4U);
  EXPECT_EQ(b.days(), 1U);
  expect_bars_eq(b.bars(), {{d, 10, 12, 9, 11, 175}}, "one day");
}

TEST(CandlesDaily, UnsortedTicksOpenAtTheEarliestTime) {
  DailyBars b;
  const std::int64_t d = days_from_civil(2024, 3, 5);
  b.add_tick(d + hms(12, 0, 0), 11);
  b.add_tick(d + hms(16, 0, 0), 13);  // the latest: the close
  b.add_tick(d + hms(9, 30, 0), 10);  // the earliest: the open
  b.add_tick(d + hms(10, 0, 0), 15);
  b.add_tick(d + hms(13, 0, 0), 8);
  expect_bars_eq(b.bars(), {{d, 10, 15, 8, 13, 0}}, "shuffled day");
}

TEST(CandlesDaily, TiesFirstGivenOpensLastGivenCloses) {
  DailyBars b;
  const std::int64_t t0 = days_from_civil(2024, 3, 5) + hms(9, 30, 0);
  const std::int64_t t1 = t0 + 3600;
  b.add_tick(t1, 20);
  b.add_tick(t0, 10);
  b.add_tick(t0, 11);
  b.add_tick(t1, 21);
  b.add_tick(t0, 12);
  b.add_tick(t1, 22);
  expect_bars_eq(b.bars(), {{day_of(t0) * kSecondsPerDay, 10, 22, 10, 22, 0}}, "ties");
}

TEST(CandlesDaily, DaysInAnyOrderComeOutSorted) {
  DailyBars b;
  const std::int64_t d = days_from_civil(2024, 3, 5);
  const int order[] = {3, 1, 4, 0, 5, 9, 2, 6, 8, 7, 4, 0, 9};
  for (int k : order) b.add_tick(d + k * kSecondsPerDay + hms(12, 0, k), 100.0 + k, 1);
  EXPECT_EQ(b.days(), 10U);
  EXPECT_EQ(b.added(), 13U);
  const auto bars = b.bars();
  ASSERT_EQ(bars.size(), 10U);
  for (size_t k = 0; k < bars.size(); ++k) {
    EXPECT_EQ(bars[k].time, d + static_cast<std::int64_t>(k) * kSecondsPerDay);
    EXPECT_EQ(bars[k].close, 100.0 + static_cast<double>(k));
    EXPECT_EQ(bars[k].volume, k == 0 || k == 4 || k == 9 ? 2.0 : 1.0);
  }
}

TEST(CandlesDaily, TicksBefore1970) {
  DailyBars b;
  b.add_tick(-1, 5);      // 1969-12-31 23:59:59
  b.add_tick(0, 6);       // 1970-01-01
  b.add_tick(-86400, 4);  // 1969-12-31 00:00
  const auto bars = b.bars();
  ASSERT_EQ(bars.size(), 2U);
  EXPECT_EQ(format_date(bars[0].time), "1969-12-31");
  EXPECT_EQ(bars[0].open, 4);
  EXPECT_EQ(bars[0].close, 5);
  EXPECT_EQ(format_date(bars[1].time), "1970-01-01");
}

TEST(CandlesDaily, IntradayBars) {
  DailyBars b;
  const std::int64_t d = days_from_civil(2019, 11, 5);
  // Given out of order: the open is the 9:30 bar's open, the close the 16:00 bar's close.
  b.add_bar({d + hms(12, 0, 0), 101, 104, 99, 103, 10});
  b.add_bar({d + hms(16, 0, 0), 103, 103.5, 102, 102.5, 20});
  b.add_bar({d + hms(9, 30, 0), 100, 101, 98, 101, 30});
  b.add_bar({d + kSecondsPerDay + hms(9, 30, 0), 102, 102, 102, 102, 0});
  expect_bars_eq(b.bars(),
                 {{d, 100, 104, 98, 102.5, 60}, {d + kSecondsPerDay, 102, 102, 102, 102, 0}},
                 "intraday");
}

// ---------------------------------------------------------------------------------------
// Weekly bars

TEST(CandlesWeekly, MondayWeeksAcrossTheYearEnd) {
  // 2019-12-30 is a Monday; the week runs into 2020.
  const std::vector<Bar> daily = {
      day_bar(2019, 12, 27, 1, 2, 0.5, 1.5, 10),  // Friday: the week of 23 December
      day_bar(2019, 12, 30, 2, 3, 1.5, 2.5, 1),  day_bar(2019, 12, 31, 2.5, 5, 2, 4, 2),
      day_bar(2020, 1, 2, 4, 4.5, 1, 3, 3),      day_bar(2020, 1, 3, 3, 3.5, 2.5, 3.25, 4),
      day_bar(2020, 1, 5, 3, 3, 3, 3, 5),    // Sunday still belongs to it
      day_bar(2020, 1, 6, 7, 8, 6, 7.5, 6),  // Monday: a new week
  };
  expect_bars_eq(weekly_bars(daily, WeekAnchor::kMonday),
                 {day_bar(2019, 12, 23, 1, 2, 0.5, 1.5, 10), day_bar(2019, 12, 30, 2, 5, 1, 3, 15),
                  day_bar(2020, 1, 6, 7, 8, 6, 7.5, 6)},
                 "monday weeks");
}

TEST(CandlesWeekly, GapsSkippedShortWeeksKept) {
  const std::vector<Bar> daily = {
      day_bar(2024, 3, 4, 1, 1, 1, 1, 1),   // Monday
      day_bar(2024, 3, 8, 2, 2, 2, 2, 1),   // Friday, same week
      day_bar(2024, 3, 27, 3, 3, 3, 3, 1),  // two empty weeks later, a Wednesday alone
      day_bar(2024, 4, 1, 4, 4, 4, 4, 1),   // Monday
  };
  expect_bars_eq(weekly_bars(daily, WeekAnchor::kMonday),
                 {day_bar(2024, 3, 4, 1, 2, 1, 2, 2), day_bar(2024, 3, 25, 3, 3, 3, 3, 1),
                  day_bar(2024, 4, 1, 4, 4, 4, 4, 1)},
                 "gaps");
}

TEST(CandlesWeekly, FirstDateBlocks) {
  // The first bar is a Wednesday: blocks run Wednesday to Tuesday, counted from it even
  // across a gap (the original's grouping, without its crash on an empty block).
  const std::vector<Bar> daily = {
      day_bar(2024, 3, 6, 1, 2, 1, 2, 1),  day_bar(2024, 3, 11, 2, 3, 2, 3, 1),
      day_bar(2024, 3, 12, 3, 4, 3, 4, 1),  // Tuesday: end of the first block
      day_bar(2024, 3, 13, 4, 5, 4, 5, 1),  // Wednesday: second block
      day_bar(2024, 3, 29, 5, 6, 5, 6, 1),  // 27 March to 2 April, after an empty block
  };
  expect_bars_eq(weekly_bars(daily, WeekAnchor::kFirstDate),
                 {day_bar(2024, 3, 6, 1, 4, 1, 4, 3), day_bar(2024, 3, 13, 4, 5, 4, 5, 1),
                  day_bar(2024, 3, 27, 5, 6, 5, 6, 1)},
                 "blocks");
}

TEST(CandlesWeekly, NoBarsNoWeeks) {
  EXPECT_TRUE(weekly_bars({}, WeekAnchor::kMonday).empty());
  EXPECT_TRUE(weekly_bars({}, WeekAnchor::kFirstDate).empty());
}

// ---------------------------------------------------------------------------------------
// CSV out

TEST(CandlesCsv, ShortestExactNumbers) {
  const std::vector<Bar> bars = {
      day_bar(2019, 11, 1, 3050.72, 3066.95, 3050.72, 3066.91, 510301237),
      day_bar(2011, 7, 1, 132.08999599999999, 134.100006, 131.779999, 0.1 + 0.2, 0),
      day_bar(1969, 12, 31, 1, 2.5, 0.001, 1e-7, 12345678901234567.0),
  };
  EXPECT_EQ(bars_csv(bars),
            "date,open,high,low,close,volume\n"
            "2019-11-01,3050.72,3066.95,3050.72,3066.91,510301237\n"
            "2011-07-01,132.08999599999999,134.100006,131.779999,0.30000000000000004,0\n"
            "1969-12-31,1,2.5,0.001,1e-07,1.2345678901234568e+16\n");
  EXPECT_EQ(bars_csv({}), "date,open,high,low,close,volume\n");
}

// ---------------------------------------------------------------------------------------
// Reading price files

class CandlesRead : public ::testing::Test {
 protected:
  std::string file(const std::string& text, const std::string& name = "prices.csv") {
    std::string path = dir_ / name;
    test::spit(path, text);
    return path;
  }
  // The DataError message for a file holding `text`, the path replaced by "P".
  std::string error(const std::string& text) {
    std::string path = file(text);
    try {
      read_prices(path);
    } catch (const DataError& e) {
      std::string m = e.what();
      for (size_t at = m.find(path); at != std::string::npos; at = m.find(path))
        m.replace(at, path.size(), "P");
      return m;
    }
    ADD_FAILURE() << "no DataError for:\n" << text;
    return "";
  }
  test::TempDir dir_;
};

TEST_F(CandlesRead, OhlcColumnsByNameInAnyOrder) {
  // A BOM, CRLF, mixed case, spaces, extra columns, blank lines, no final newline.
  Series s =
      read_prices(file("\xEF\xBB\xBF Date ,CLOSE,Adj Close,low,High,Open,Volume,Note\r\n"
                       "2024-03-06,12,11.5,9,13,10,1000,x\r\n"
                       "\r\n"
                       "   \n"
                       "2024-03-05,10,9.5,9.5,10.5,10,2000,y"));
  EXPECT_EQ(s.kind, Series::Kind::kBars);
  EXPECT_TRUE(s.has_volume);
  EXPECT_EQ(s.rows, 2U);
  expect_bars_eq(
      s.daily,
      {day_bar(2024, 3, 5, 10, 10.5, 9.5, 10, 2000), day_bar(2024, 3, 6, 10, 13, 9, 12, 1000)},
      "bars");
}

TEST_F(CandlesRead, BarsWithoutVolume) {
  Series s = read_prices(file("timestamp,open,high,low,close\n3/5/2024,1,2,0.5,1.5\n"));
  EXPECT_FALSE(s.has_volume);
  expect_bars_eq(s.daily, {day_bar(2024, 3, 5, 1, 2, 0.5, 1.5, 0)}, "no volume");
}

TEST_F(CandlesRead, RoundingWithinTheTolerance) {
  // A high a hair below the close, as two roundings of one price give.
  Series s =
      read_prices(file("date,open,high,low,close\n2024-03-05,100,100.00000000001,99,"
                       "100.00000000005\n"));
  EXPECT_EQ(s.daily.size(), 1U);
}

TEST_F(CandlesRead, TickCsv) {
  Series s =
      read_prices(file("Timestamp,Price,Volume\n"
                       "2024-03-05T14:31:07Z,101.5,3\n"
                       "2024-03-05T09:30:00Z,100,1\n"
                       "2024-03-06 10:00,99,2\n"
                       "2024-03-05T16:00:00Z,102,4\n"));
  EXPECT_EQ(s.kind, Series::Kind::kTicks);
  EXPECT_TRUE(s.has_volume);
  EXPECT_EQ(s.rows, 4U);
  expect_bars_eq(
      s.daily, {day_bar(2024, 3, 5, 100, 102, 100, 102, 8), day_bar(2024, 3, 6, 99, 99, 99, 99, 2)},
      "ticks");
  Series t = read_prices(file("time,price\n1709631067,5\n1709631068000,6\n"));
  EXPECT_FALSE(t.has_volume);
  expect_bars_eq(t.daily, {day_bar(2024, 3, 5, 5, 6, 5, 6, 0)}, "epoch ticks");
}

TEST_F(CandlesRead, JsonLinesTicks) {
  Series s = read_prices(
      file("\n"
           "  {\"timestamp\": \"2024-03-05T14:31:07Z\", \"price\": 101.5, \"volume\": 3}\n"
           "{\"price\": 100, \"timestamp\": 1709631000, \"source\": {\"x\": [1, 2]}}\n"
           "\n"
           "{\"timestamp\": 1709719200000, \"price\": 99.25, \"volume\": 2}\n"
           "{\"timestamp\": \"2024-03-05 16:00\", \"price\": 1.02e2}",
           "ticks.jsonl"));
  EXPECT_EQ(s.kind, Series::Kind::kTicks);
  EXPECT_TRUE(s.has_volume);
  EXPECT_EQ(s.rows, 4U);
  // 1709631000 is 2024-03-05T09:30:00Z; 1709719200000 ms is 2024-03-06T10:00:00Z.
  expect_bars_eq(s.daily,
                 {day_bar(2024, 3, 5, 100, 102, 100, 102, 3),
                  day_bar(2024, 3, 6, 99.25, 99.25, 99.25, 99.25, 2)},
                 "json ticks");
  Series t = read_prices(file("{\"timestamp\": 0, \"price\": 1}\n", "novolume.jsonl"));
  EXPECT_FALSE(t.has_volume);
}

TEST_F(CandlesRead, MissingFileIsAnInputError) {
  EXPECT_THROW(read_prices(dir_ / "absent.csv"), InputError);
}

TEST_F(CandlesRead, NoPrices) {
  EXPECT_EQ(error(""), "file 'P': no prices");
  EXPECT_EQ(error("\n  \n\r\n"), "file 'P': no prices");
  EXPECT_EQ(error("date,open,high,low,close\n\n"), "file 'P': no prices");
}

TEST_F(CandlesRead, HeaderErrors) {
  const std::string need = "(need date, open, high, low, close; or time and price)";
  EXPECT_EQ(error("date,open,high,low\n2024-03-05,1,2,0,1\n"),
            "'P' line 1: no 'close' column " + need);
  EXPECT_EQ(error("\n\nDate,Open,Close\n"), "'P' line 3: no 'high' column " + need);
  EXPECT_EQ(error("date,value\n"), "'P' line 1: no 'close' or 'price' column " + need);
  EXPECT_EQ(error("day,open,high,low,close\n"), "'P' line 1: no 'date' column " + need);
  EXPECT_EQ(error("when,price\n"), "'P' line 1: no 'time' column " + need);
  // A first line of numbers is no header.
  EXPECT_EQ(error("2024-03-05,1,2,0,1\n"), "'P' line 1: no 'close' or 'price' column " + need);
}

TEST_F(CandlesRead, RowErrorsNameTheLineAndField) {
  const std::string h = "Date,Open,High,Low,Close,Volume\n2024-03-04,1,2,0.5,1.5,10\n";
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"2024-03-05,1,2,0.5,abc,10", "line 3: field 'close': 'abc' is not a number"},
      {"2024-03-05,1,2,0.5,,10", "line 3: field 'close': '' is not a number"},
      {"\n2024-03-05,1,2,0.5,1.5,1O", "line 4: field 'volume': '1O' is not a number"},
      {"2024-03-05,nan,2,0.5,1.5,10", "line 3: field 'open': 'nan' is not a finite number"},
      {"2024-03-05,1,inf,0.5,1.5,10", "line 3: field 'high': 'inf' is not a finite number"},
      {"2024-03-05,1,2,-0.5,1.5,10", "line 3: field 'low': '-0.5' is negative"},
      {"2024-03-05,1,2,0.5,1.5,-10", "line 3: field 'volume': '-10' is negative"},
      {"2019-02-30,1,2,0.5,1.5,10", "line 3: field 'date': '2019-02-30' is not a date or time"},
      {"13/1/2019,1,2,0.5,1.5,10", "line 3: field 'date': '13/1/2019' is not a date or time"},
      {"2024-03-05,1,2,0.5,1.5", "line 3: expected 6 fields as the header, got 5"},
      {"2024-03-05,1,2,0.5,1.5,10,", "line 3: expected 6 fields as the header, got 7"},
  };
  for (const auto& [row, message] : cases)
    EXPECT_EQ(error(h + std::string(row) + "\n"), "'P' " + std::string(message));
}

TEST_F(CandlesRead, InconsistentBars) {
  const std::string h = "date,open,high,low,close\n";
  EXPECT_EQ(error(h + "2024-03-05,1,0.5,2,1\n"), "'P' line 2: high 0.5 is below low 2");
  EXPECT_EQ(error(h + "2024-03-05,1,2,0.5,2.5\n"), "'P' line 2: high 2 is below the close 2.5");
  EXPECT_EQ(error(h + "2024-03-05,3,2,0.5,1\n"), "'P' line 2: high 2 is below the open 3");
  EXPECT_EQ(error(h + "2024-03-05,1,2,1.2,1.5\n"), "'P' line 2: low 1.2 is above the open 1");
  EXPECT_EQ(error(h + "2024-03-05,1.5,2,1.2,1\n"), "'P' line 2: low 1.2 is above the close 1");
}

TEST_F(CandlesRead, TickErrors) {
  EXPECT_EQ(error("time,price\n2024-03-05T09:30:00Z,-1\n"),
            "'P' line 2: field 'price': '-1' is negative");
  EXPECT_EQ(error("time,price\n2024-03-05T25:30:00Z,1\n"),
            "'P' line 2: field 'time': '2024-03-05T25:30:00Z' is not a date or time");
  EXPECT_EQ(error("{\"timestamp\": 0, \"price\": 1}\n{\"timestamp\": 0, \"price\": \"1\"}\n"),
            "'P' line 2: field 'price': expected a number, got a string");
  EXPECT_EQ(error("{\"timestamp\": 0, \"price\": 1, \"volume\": -2}\n"),
            "'P' line 1: field 'volume': '-2' is negative");
  EXPECT_EQ(error("{\"timestamp\": true, \"price\": 1}\n"),
            "'P' line 1: field 'timestamp': expected a string or a number, got a boolean");
  EXPECT_EQ(error("{\"timestamp\": \"2019-02-30\", \"price\": 1}\n"),
            "'P' line 1: field 'timestamp': '2019-02-30' is not a date or time");
  EXPECT_EQ(error("{\"timestamp\": 0, \"price\": [1]}\n"),
            "'P' line 1: field 'price': expected a number, got an array");
  EXPECT_EQ(error("{\"timestamp\": 0, \"price\": tru}\n"),
            "'P' line 1: column 27: expected a JSON value");
  EXPECT_EQ(error("{\"timestamp\": x, \"price\": 1}\n"),
            "'P' line 1: column 15: expected a JSON value");
  EXPECT_EQ(error("{\"timestamp\": 0}\n"), "'P' line 1: no 'price' field");
  EXPECT_EQ(error("\n{\"price\": 1}\n"), "'P' line 2: no 'timestamp' field");
  EXPECT_EQ(error("{\"timestamp\": 0, \"price\": 1}\n{\"timestamp\": 0 \"price\": 1}\n"),
            "'P' line 2: column 17: expected ',' or '}'");
  EXPECT_EQ(error("{\"timestamp\": 0, \"price\": 1}\ntimestamp,price\n"),
            "'P' line 2: column 1: expected '{'");
}

// ---------------------------------------------------------------------------------------
// Against pandas: the bars of mplfinance's sample files, as tests/tools/make_candles_refs.py
// computes them with pandas 1.5.3 resample (see the script for the exact calls) into
// tests/fixtures/candles/.

std::vector<Bar> pandas_bars(const std::string& name) {
  std::vector<Bar> bars;
  csv::for_each_row(test::slurp(kRefs + name),
                    [&](const std::vector<std::string_view>& f, size_t line) {
                      if (line == 1) return;
                      Bar b;
                      EXPECT_TRUE(parse_time(f.at(0), b.time));
                      double* v[] = {&b.open, &b.high, &b.low, &b.close, &b.volume};
                      for (size_t k = 0; k < 5; ++k)
                        EXPECT_TRUE(csv::parse_number(f.at(k + 1), *v[k]));
                      bars.push_back(b);
                    });
  EXPECT_FALSE(bars.empty()) << name;
  return bars;
}

TEST(CandlesPandas, DailyBarsFromOneMinuteBars) {
  // Columns Date,Open,Close,High,Low,Volume; US dates with times.
  Series s = read_prices(kData + "SP500_NOV2019_IDay.csv");
  EXPECT_EQ(s.kind, Series::Kind::kBars);
  EXPECT_EQ(s.rows, 1563U);
  expect_bars_eq(s.daily, pandas_bars("daily-from-1min.csv"), "1-minute to daily");
}

TEST(CandlesPandas, MondayWeeks) {
  Series s = read_prices(kData + "yahoofinance-SPY-20200901-20210113.csv");
  EXPECT_EQ(s.daily.size(), 92U);
  const auto weeks = weekly_bars(s.daily, WeekAnchor::kMonday);
  EXPECT_EQ(weeks.size(), 20U);
  expect_bars_eq(weeks, pandas_bars("weekly-spy2020.csv"), "SPY 2020 weeks");
  Series s2 = read_prices(kData + "SPY_20110701_20120630_Bollinger.csv");
  EXPECT_EQ(s2.daily.size(), 252U);
  expect_bars_eq(weekly_bars(s2.daily, WeekAnchor::kMonday), pandas_bars("weekly-spy2011.csv"),
                 "SPY 2011 weeks");
}

TEST(CandlesPandas, FirstDateBlocks) {
  Series s = read_prices(kData + "yahoofinance-SPY-20200901-20210113.csv");
  expect_bars_eq(weekly_bars(s.daily, WeekAnchor::kFirstDate), pandas_bars("blocks-spy2020.csv"),
                 "SPY 2020 7-day blocks");
}

TEST(CandlesPandas, DailyFileReadAsIs) {
  Series s = read_prices(kData + "SP500_NOV2019_Hist.csv");
  ASSERT_EQ(s.daily.size(), 20U);
  expect_bars_eq({s.daily.front()},
                 {day_bar(2019, 11, 1, 3050.72, 3066.95, 3050.72, 3066.91, 510301237)},
                 "first day");
  EXPECT_EQ(format_date(s.daily.back().time), "2019-11-29");
}

// ---------------------------------------------------------------------------------------
// A generated tick stream, shuffled, against a straightforward computation: sort by time
// (stably, so ties keep the order given), then take each day's first, max, min, last, sum.

struct Tick {
  std::int64_t time;
  double price;
  double volume;
};

std::vector<Tick> make_ticks(size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  const std::int64_t first = days_from_civil(1969, 11, 20);  // some days before 1970
  std::uniform_int_distribution<std::int64_t> when(0, 90 * kSecondsPerDay - 1);
  std::uniform_int_distribution<int> cents(1, 100000);
  std::uniform_int_distribution<int> lots(0, 500);
  std::vector<Tick> ticks;
  ticks.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    // Seconds rounded to 10 so that many ticks share a time.
    std::int64_t t = first + when(rng) / 10 * 10;
    ticks.push_back({t, cents(rng) / 100.0, static_cast<double>(lots(rng))});
  }
  return ticks;
}

std::vector<Bar> straightforward_daily(std::vector<Tick> ticks) {
  std::stable_sort(ticks.begin(), ticks.end(),
                   [](const Tick& a, const Tick& b) { return a.time < b.time; });
  std::vector<Bar> out;
  for (const Tick& t : ticks) {
    const std::int64_t midnight = day_of(t.time) * kSecondsPerDay;
    if (out.empty() || out.back().time != midnight) {
      out.push_back({midnight, t.price, t.price, t.price, t.price, t.volume});
      continue;
    }
    Bar& b = out.back();
    b.high = std::max(b.high, t.price);
    b.low = std::min(b.low, t.price);
    b.close = t.price;
    b.volume += t.volume;  // whole numbers: exact in any order
  }
  return out;
}

TEST(CandlesTicks, ShuffledStreamMatchesStraightforwardDailyBars) {
  const auto ticks = make_ticks(300000, 7);
  const auto want = straightforward_daily(ticks);
  ASSERT_GT(want.size(), 80U);
  DailyBars b;
  for (const Tick& t : ticks) b.add_tick(t.time, t.price, t.volume);
  EXPECT_EQ(b.added(), ticks.size());
  expect_bars_eq(b.bars(), want, "DailyBars");
}

TEST(CandlesTicks, ShuffledFilesMatchStraightforwardDailyBars) {
  const auto ticks = make_ticks(200000, 11);
  const auto want = straightforward_daily(ticks);
  test::TempDir dir;
  // The same ticks as CSV with ISO times and as JSON Lines with epoch seconds (not
  // milliseconds: those of days near 1970 have too few digits to be told from seconds).
  std::string csv = "timestamp,price,volume\n";
  std::string jsonl;
  for (const Tick& t : ticks) {
    const std::int64_t secs = t.time - day_of(t.time) * kSecondsPerDay;
    csv += fmt::format("{}T{:02}:{:02}:{:02}Z,{},{}\n", format_date(t.time), secs / 3600,
                       secs / 60 % 60, secs % 60, t.price, t.volume);
    jsonl +=
        fmt::format("{{\"timestamp\":{},\"price\":{},\"volume\":{}}}\n", t.time, t.price, t.volume);
  }
  test::spit(dir / "ticks.csv", csv);
  test::spit(dir / "ticks.jsonl", jsonl);
  for (const char* name : {"ticks.csv", "ticks.jsonl"}) {
    Series s = read_prices(dir / name);
    EXPECT_EQ(s.kind, Series::Kind::kTicks);
    EXPECT_EQ(s.rows, ticks.size());
    expect_bars_eq(s.daily, want, name);
  }
}

// How long read_prices takes on 10 million ticks (ISO times, shuffled within each day):
//   ./build/tests/candles_test --gtest_also_run_disabled_tests --gtest_filter='*Bench*'
TEST(CandlesTicks, DISABLED_BenchReadTenMillionTicks) {
  constexpr size_t kTicks = 10'000'000;
  constexpr size_t kPerDay = 20'000;
  test::TempDir dir;
  const std::string path = dir / "ticks.csv";
  {
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int> second(0, 86399);
    std::uniform_int_distribution<int> cents(1, 1000000);
    std::string text = "timestamp,price,volume\n";
    text.reserve(kTicks * 40);
    const std::int64_t first = days_from_civil(2024, 1, 1);
    for (size_t i = 0; i < kTicks; ++i) {
      const std::int64_t day = first + static_cast<std::int64_t>(i / kPerDay) * kSecondsPerDay;
      const int s = second(rng);
      fmt::format_to(std::back_inserter(text), "{}T{:02}:{:02}:{:02}Z,{},{}\n", format_date(day),
                     s / 3600, s / 60 % 60, s % 60, cents(rng) / 100.0, i % 1000);
    }
    test::spit(path, text);
  }
  std::vector<double> seconds;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    Series s = read_prices(path);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    EXPECT_EQ(s.rows, kTicks);
    EXPECT_EQ(s.daily.size(), kTicks / kPerDay);
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("read_prices, %zu ticks: %.3f s %.3f s %.3f s (median %.3f s)\n", kTicks, seconds[0],
              seconds[1], seconds[2], seconds[1]);
}

}  // namespace
}  // namespace lamtool::candles
