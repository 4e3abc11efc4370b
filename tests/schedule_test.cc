// Expected times come from hand-checked calendars (stated beside each test), from
// croniter (tests/fixtures/schedule/crontab_refs.txt) and from Python's zoneinfo
// (tests/fixtures/schedule/tz_refs.txt), both written by tests/tools/make_schedule_refs.py.
//
// Calendars used below (1 January 2026 is a Thursday; 2026 is not a leap year):
//   2026-02-01 Sun (28 days)   2026-05-01 Fri (31)   2026-08-01 Sat (31)
//   2026-11-01 Sun (30)        2026-12-01 Tue (31)   2027-01-01 Fri (31)
//   2027-03-01 Mon (31)        2027-11-01 Mon (30)
// US daylight saving time: second Sunday of March to first Sunday of November, so
// 2027-03-14 (02:00 EST -> 03:00 EDT) and 2026-11-01 (02:00 EDT -> 01:00 EST).

#include "lamtool/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "lamtool/error.h"
#include "lamtool/jobs/schedule.h"

namespace lamtool::schedule {
namespace {

Seconds at(const std::string& rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  if (!t) throw std::runtime_error("bad time in test: " + rfc3339);
  return *t;
}

std::vector<std::string> next(std::string_view expr, const std::string& from, int count,
                              const std::string& tz = "") {
  Schedule s = Schedule::parse(expr);
  TimeZone zone = tz.empty() ? TimeZone::utc() : TimeZone::load(tz);
  std::vector<std::string> out;
  for (const FireTime& f : next_fire_times(s, at(from), count, zone))
    out.push_back(format_fire_time(f, !tz.empty()));
  return out;
}

using Lines = std::vector<std::string>;

// The message of the UsageError that parsing `expr` throws, or "" if none.
std::string parse_error(std::string_view expr) {
  try {
    Schedule::parse(expr);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(ScheduleAws, WeekdaysAtSixFromFridayMorning) {
  // 2026-11-20 is a Friday (Nov 1 Sunday + 19); Sat 21 and Sun 22 are skipped.
  EXPECT_EQ(next("cron(0 6 ? * MON-FRI *)", "2026-11-20T00:00:00Z", 5),
            (Lines{"2026-11-20T06:00:00Z", "2026-11-23T06:00:00Z", "2026-11-24T06:00:00Z",
                   "2026-11-25T06:00:00Z", "2026-11-26T06:00:00Z"}));
}

TEST(ScheduleAws, StrictlyAfterFrom) {
  EXPECT_EQ(next("cron(0 6 ? * MON-FRI *)", "2026-11-20T06:00:00Z", 1),
            (Lines{"2026-11-23T06:00:00Z"}));
}

TEST(ScheduleAws, NumericDaysOfWeekStartAtSunday) {
  // AWS: 1 = SUN ... 7 = SAT, so 2-6 is MON-FRI.
  EXPECT_EQ(next("cron(0 6 ? * 2-6 *)", "2026-11-20T00:00:00Z", 5),
            next("cron(0 6 ? * MON-FRI *)", "2026-11-20T00:00:00Z", 5));
  // 1 is Sunday: 2026-11-22.
  EXPECT_EQ(next("cron(0 6 ? * 1 *)", "2026-11-20T00:00:00Z", 1), (Lines{"2026-11-22T06:00:00Z"}));
}

TEST(ScheduleAws, LastDayOfMonthAcrossLeapFebruary) {
  // L: 31 Jan, 29 Feb (2028 is a leap year), 31 Mar, 30 Apr.
  EXPECT_EQ(next("cron(0 0 L * ? *)", "2028-01-15T00:00:00Z", 4),
            (Lines{"2028-01-31T00:00:00Z", "2028-02-29T00:00:00Z", "2028-03-31T00:00:00Z",
                   "2028-04-30T00:00:00Z"}));
}

TEST(ScheduleAws, NearestWeekdayStaysInTheMonth) {
  // 1W: Aug 1 2026 is a Saturday; the nearest weekday in August is Monday the 3rd
  // (not Friday 31 July). Nov 1 2026 is a Sunday -> Monday the 2nd. Dec 1 is a Tuesday.
  EXPECT_EQ(next("cron(0 9 1W * ? *)", "2026-07-15T00:00:00Z", 5),
            (Lines{"2026-08-03T09:00:00Z", "2026-09-01T09:00:00Z", "2026-10-01T09:00:00Z",
                   "2026-11-02T09:00:00Z", "2026-12-01T09:00:00Z"}));
  // 31W: May 31 2026 is a Sunday, the last day -> Friday the 29th; June has no 31st.
  EXPECT_EQ(next("cron(0 9 31W * ? *)", "2026-05-01T00:00:00Z", 2),
            (Lines{"2026-05-29T09:00:00Z", "2026-07-31T09:00:00Z"}));
  // 15W: Nov 15 2026 is a Sunday -> Monday the 16th.
  EXPECT_EQ(next("cron(0 9 15W * ? *)", "2026-11-01T00:00:00Z", 1),
            (Lines{"2026-11-16T09:00:00Z"}));
}

TEST(ScheduleAws, LastWeekdayOfMonth) {
  // LW: Feb 28 2026 is a Saturday -> Friday 27; Mar 31 is a Tuesday; May 31 a Sunday -> 29.
  EXPECT_EQ(next("cron(0 17 LW * ? *)", "2026-02-01T00:00:00Z", 4),
            (Lines{"2026-02-27T17:00:00Z", "2026-03-31T17:00:00Z", "2026-04-30T17:00:00Z",
                   "2026-05-29T17:00:00Z"}));
}

TEST(ScheduleAws, NthWeekdayOfMonth) {
  // 2#1, the first Monday: Dec 1 2026 is a Tuesday -> Dec 7; Jan 1 2027 a Friday -> Jan 4.
  EXPECT_EQ(next("cron(0 12 ? * 2#1 *)", "2026-11-20T00:00:00Z", 2),
            (Lines{"2026-12-07T12:00:00Z", "2027-01-04T12:00:00Z"}));
  // FRI#5: Fridays of Jan 2027 are 1, 8, 15, 22, 29; Feb-Mar 2027 have four; April 2027
  // (Apr 1 Thursday) has 2, 9, 16, 23, 30.
  EXPECT_EQ(next("cron(0 12 ? * FRI#5 *)", "2027-01-01T00:00:00Z", 2),
            (Lines{"2027-01-29T12:00:00Z", "2027-04-30T12:00:00Z"}));
}

TEST(ScheduleAws, LastWeekdayNOfMonth) {
  // 6L, the last Friday: Nov 2026 (1st Sunday) -> 27; Dec (1st Tuesday) -> 25; Jan 2027 -> 29.
  EXPECT_EQ(next("cron(0 12 ? * 6L *)", "2026-11-20T00:00:00Z", 3),
            (Lines{"2026-11-27T12:00:00Z", "2026-12-25T12:00:00Z", "2027-01-29T12:00:00Z"}));
  // L alone in day-of-week is the last day of the week, Saturday: 21 and 28 Nov 2026.
  EXPECT_EQ(next("cron(0 12 ? * L *)", "2026-11-20T00:00:00Z", 2),
            (Lines{"2026-11-21T12:00:00Z", "2026-11-28T12:00:00Z"}));
}

TEST(ScheduleAws, NamesListsStepsAndYears) {
  // Saturdays and Sundays of Jan-Mar 2027 only: Jan 2 (Sat), 3 (Sun), 9, 10 ...
  EXPECT_EQ(next("cron(0 8 ? jan-MAR SAT,sun 2027)", "2026-11-20T00:00:00Z", 4),
            (Lines{"2027-01-02T08:00:00Z", "2027-01-03T08:00:00Z", "2027-01-09T08:00:00Z",
                   "2027-01-10T08:00:00Z"}));
  EXPECT_EQ(next("cron(0/20 */6 * * ? *)", "2026-11-20T05:00:00Z", 4),
            (Lines{"2026-11-20T06:00:00Z", "2026-11-20T06:20:00Z", "2026-11-20T06:40:00Z",
                   "2026-11-20T12:00:00Z"}));
  // 10-20/5 is 10, 15, 20; years 2030/10 are 2030, 2040, ...
  EXPECT_EQ(next("cron(30 12 10-20/5 FEB ? 2030/10)", "2026-01-01T00:00:00Z", 4),
            (Lines{"2030-02-10T12:30:00Z", "2030-02-15T12:30:00Z", "2030-02-20T12:30:00Z",
                   "2040-02-10T12:30:00Z"}));
}

TEST(ScheduleAws, FebruaryTwentyNinthOnlyInLeapYears) {
  // 2100 is not a leap year (divisible by 100, not by 400): 2096 is followed by 2104.
  EXPECT_EQ(next("cron(0 0 29 2 ? *)", "2095-01-01T00:00:00Z", 2),
            (Lines{"2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z"}));
}

TEST(ScheduleAws, RareDatesAreFoundQuickly) {
  // The fifth Monday of February needs a leap year whose Feb 1 is a Monday.
  EXPECT_EQ(next("cron(0 0 ? 2 MON#5 *)", "2026-01-01T00:00:00Z", 5),
            (Lines{"2044-02-29T00:00:00Z", "2072-02-29T00:00:00Z", "2112-02-29T00:00:00Z",
                   "2140-02-29T00:00:00Z", "2168-02-29T00:00:00Z"}));
}

TEST(ScheduleAws, YearRangeEnds) {
  // Year 2199 is the last AWS year: one fire time left, then none.
  EXPECT_EQ(next("cron(0 0 1 1 ? *)", "2198-06-01T00:00:00Z", 5), (Lines{"2199-01-01T00:00:00Z"}));
  try {
    next("cron(0 0 1 1 ? 2020)", "2026-11-20T00:00:00Z", 1);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "schedule 'cron(0 0 1 1 ? 2020)' has no fire time after 2026-11-20T00:00:00Z");
  }
}

TEST(ScheduleAws, NeverFiresEndsWithAnError) {
  for (std::string_view expr : {"cron(0 0 30 2 ? *)", "cron(0 0 31 4,6,9,11 ? *)", "0 0 30 2 *",
                                "cron(0 0 ? 2 MON#5 2030-2040)"}) {
    try {
      next(expr, "2026-11-20T00:00:00Z", 1);
      ADD_FAILURE() << expr << " fired";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("never fires"), std::string::npos) << e.what();
    }
  }
}

TEST(ScheduleRate, CountsFromTheStart) {
  EXPECT_EQ(next("rate(90 minutes)", "2026-11-20T00:00:30Z", 3),
            (Lines{"2026-11-20T01:30:30Z", "2026-11-20T03:00:30Z", "2026-11-20T04:30:30Z"}));
  EXPECT_EQ(next("rate(1 day)", "2028-02-28T10:00:00Z", 2),
            (Lines{"2028-02-29T10:00:00Z", "2028-03-01T10:00:00Z"}));
  EXPECT_EQ(next("rate(1 hour)", "2026-11-20T23:30:00Z", 1), (Lines{"2026-11-21T00:30:00Z"}));
  EXPECT_EQ(next("rate( 2   hours )", "2026-11-20T00:00:00Z", 1), (Lines{"2026-11-20T02:00:00Z"}));
  // A rate ignores wall-clock time: every 24 hours of UTC even across a DST change.
  EXPECT_EQ(next("rate(1 day)", "2027-03-13T12:00:00Z", 2, "America/New_York"),
            (Lines{"2027-03-14T12:00:00Z  2027-03-14T08:00:00-04:00",
                   "2027-03-15T12:00:00Z  2027-03-15T08:00:00-04:00"}));
}

TEST(ScheduleRate, InvalidValueAndUnit) {
  EXPECT_EQ(parse_error("rate(0 minutes)"),
            "invalid schedule 'rate(0 minutes)': value: '0' must be a positive integer");
  EXPECT_EQ(parse_error("rate(-5 minutes)"),
            "invalid schedule 'rate(-5 minutes)': value: '-5' must be a positive integer");
  EXPECT_EQ(parse_error("rate(1 minutes)"),
            "invalid schedule 'rate(1 minutes)': unit: 'minutes' must be singular for 1: use "
            "rate(1 minute)");
  EXPECT_EQ(parse_error("rate(5 hour)"),
            "invalid schedule 'rate(5 hour)': unit: 'hour' must be plural for 5: use "
            "rate(5 hours)");
  EXPECT_EQ(parse_error("rate(2 weeks)"),
            "invalid schedule 'rate(2 weeks)': unit: 'weeks' is not minute(s), hour(s) or day(s)");
  EXPECT_NE(parse_error("rate(5)"), "");
}

TEST(ScheduleCrontab, MatchesCroniterReferences) {
  std::ifstream in(std::string(LAMTOOL_FIXTURE_DIR) + "/schedule/crontab_refs.txt");
  ASSERT_TRUE(in) << "missing crontab_refs.txt";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string expr, from, times;
    std::getline(fields, expr, '\t');
    std::getline(fields, from, '\t');
    std::getline(fields, times);
    std::istringstream ts(times);
    Lines expected{std::istream_iterator<std::string>(ts), std::istream_iterator<std::string>()};
    EXPECT_EQ(next(expr, from, static_cast<int>(expected.size())), expected) << expr;
    ++checked;
  }
  EXPECT_GE(checked, 12);
}

TEST(ScheduleCrontab, VixieDayOfMonthOrDayOfWeek) {
  // Both restricted: the 1st and 15th, and every Friday. Nov 2026: Fri 20, Fri 27,
  // then Tue Dec 1, Fri Dec 4.
  EXPECT_EQ(next("30 4 1,15 * FRI", "2026-11-20T05:00:00Z", 3),
            (Lines{"2026-11-27T04:30:00Z", "2026-12-01T04:30:00Z", "2026-12-04T04:30:00Z"}));
  // Day-of-week '*': only the 1st and 15th.
  EXPECT_EQ(next("30 4 1,15 * *", "2026-11-20T05:00:00Z", 2),
            (Lines{"2026-12-01T04:30:00Z", "2026-12-15T04:30:00Z"}));
  // A field starting with '*' counts as unrestricted even with a step (Vixie, cronie):
  // '*/2' days AND Mondays: Mondays Nov 23 2026 (odd day, 23 = 1 + 2*11) and Dec 7 (odd).
  EXPECT_EQ(next("0 0 */2 * MON", "2026-11-20T00:00:00Z", 2),
            (Lines{"2026-11-23T00:00:00Z", "2026-12-07T00:00:00Z"}));
}

TEST(ScheduleCrontab, SundayIsZeroOrSevenAndMacros) {
  EXPECT_EQ(next("0 0 * * 0", "2026-11-20T00:00:00Z", 3),
            next("0 0 * * 7", "2026-11-20T00:00:00Z", 3));
  EXPECT_EQ(next("@weekly", "2026-11-20T00:00:00Z", 1), (Lines{"2026-11-22T00:00:00Z"}));
  EXPECT_EQ(next("@daily", "2026-11-20T00:00:00Z", 1), (Lines{"2026-11-21T00:00:00Z"}));
  EXPECT_EQ(next("@hourly", "2026-11-20T00:00:00Z", 1), (Lines{"2026-11-20T01:00:00Z"}));
  EXPECT_EQ(next("@monthly", "2026-11-20T00:00:00Z", 1), (Lines{"2026-12-01T00:00:00Z"}));
  EXPECT_EQ(next("@yearly", "2026-11-20T00:00:00Z", 1), (Lines{"2027-01-01T00:00:00Z"}));
  EXPECT_NE(parse_error("@reboot"), "");
}

TEST(ScheduleErrors, BothDaysGivenSuggestsTheFix) {
  EXPECT_EQ(parse_error("cron(0 6 * * MON-FRI *)"),
            "invalid schedule 'cron(0 6 * * MON-FRI *)': day-of-month and day-of-week cannot "
            "both be given; one of them must be '?': use 'cron(0 6 ? * MON-FRI *)'");
  EXPECT_EQ(parse_error("cron(0 6 1 * * *)"),
            "invalid schedule 'cron(0 6 1 * * *)': day-of-month and day-of-week cannot both be "
            "given; one of them must be '?': use 'cron(0 6 1 * ? *)'");
  std::string both = parse_error("cron(0 6 1 * MON *)");
  EXPECT_NE(both.find("'cron(0 6 1 * ? *)' or 'cron(0 6 ? * MON *)'"), std::string::npos) << both;
  std::string neither = parse_error("cron(0 6 ? * ? *)");
  EXPECT_NE(neither.find("cannot both be '?'"), std::string::npos) << neither;
}

TEST(ScheduleErrors, EachAwsFieldIsNamed) {
  struct Case {
    std::string_view expr, message;
  };
  for (const Case& c : {
           Case{"cron(61 * * * ? *)", "minutes: '61' is out of range 0-59"},
           Case{"cron(0 24 * * ? *)", "hours: '24' is out of range 0-23"},
           Case{"cron(0 0 32 * ? *)", "day-of-month: '32' is out of range 1-31"},
           Case{"cron(0 0 0 * ? *)", "day-of-month: '0' is out of range 1-31"},
           Case{"cron(0 0 1 13 ? *)", "month: '13' is out of range 1-12 or JAN-DEC"},
           Case{"cron(0 0 1 FOO ? *)", "month: 'FOO' is not a valid value (1-12 or JAN-DEC)"},
           Case{"cron(0 0 ? * 8 *)", "day-of-week: '8' is out of range 1-7 or SUN-SAT"},
           Case{"cron(0 0 ? * 0 *)", "day-of-week: '0' is out of range 1-7 or SUN-SAT"},
           Case{"cron(0 0 ? * MON#6 *)",
                "day-of-week: '6' in 'MON#6' is out of range 1-5 (the week of the month)"},
           Case{"cron(0 0 ? * MON/2 *)", "day-of-week: steps ('/') are not allowed, in 'MON/2'"},
           Case{"cron(0 0 1 * ? 1969)", "year: '1969' is out of range 1970-2199"},
           Case{"cron(0 0 1 * ? 2200)", "year: '2200' is out of range 1970-2199"},
           Case{"cron(5-1 * * * ? *)",
                "minutes: range '5-1' is reversed (write the smaller value first)"},
           Case{"cron(*/0 * * * ? *)",
                "minutes: step '0' in '*/0' must be an integer from 1 "
                "to 60"},
           Case{"cron(1,,2 * * * ? *)", "minutes: empty item in list '1,,2'"},
           Case{"cron(0 ? * * ? *)",
                "hours: '?' is only allowed as the whole day-of-month or "
                "day-of-week field"},
           Case{"cron(0 0 L,15 * ? *)",
                "day-of-month: 'L' and 'W' must stand alone (no list, range or step), in "
                "'L,15'"},
           Case{"cron(0 0 32W * ? *)", "day-of-month: '32' is out of range 1-31"},
           Case{"cron(0 0 * * ? * *)",
                "cron() needs 6 fields (minutes hours day-of-month "
                "month day-of-week year), got 7"},
           Case{"cron(0 7 * * MON)",
                "cron() needs 6 fields (minutes hours day-of-month month "
                "day-of-week year), got 5; add the year: "
                "'cron(0 7 ? * MON *)'"},
       }) {
    EXPECT_EQ(parse_error(c.expr),
              "invalid schedule '" + std::string(c.expr) + "': " + std::string(c.message));
  }
}

TEST(ScheduleErrors, EachCrontabFieldIsNamed) {
  EXPECT_EQ(parse_error("60 * * * *"),
            "invalid schedule '60 * * * *': minutes: '60' is out of range 0-59");
  EXPECT_EQ(parse_error("0 25 * * *"),
            "invalid schedule '0 25 * * *': hours: '25' is out of range 0-23");
  EXPECT_EQ(parse_error("0 0 L * *"),
            "invalid schedule '0 0 L * *': day-of-month: 'L' is not a valid value (1-31)");
  EXPECT_EQ(parse_error("0 0 * 0 *"),
            "invalid schedule '0 0 * 0 *': month: '0' is out of range 1-12 or JAN-DEC");
  EXPECT_EQ(parse_error("0 0 * * 8"),
            "invalid schedule '0 0 * * 8': day-of-week: '8' is out of range 0-7 or SUN-SAT");
  EXPECT_EQ(parse_error("0 0 ? * MON"),
            "invalid schedule '0 0 ? * MON': day-of-month: '?' in '?' is only for AWS "
            "cron(...) expressions; use '*'");
  EXPECT_NE(parse_error("0 0 * * * *").find("write AWS expressions as cron(...)"),
            std::string::npos);
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
}

TEST(ScheduleZone, NewYorkWeekdaysShiftAcrossMarch2027) {
  // 07:00 EST (-05:00) is 12:00Z until Friday 12 March; DST starts Sunday 14 March,
  // so Monday 15 March 07:00 EDT (-04:00) is 11:00Z.
  EXPECT_EQ(next("cron(0 7 ? * MON-FRI *)", "2027-03-11T00:00:00Z", 3, "America/New_York"),
            (Lines{"2027-03-11T12:00:00Z  2027-03-11T07:00:00-05:00",
                   "2027-03-12T12:00:00Z  2027-03-12T07:00:00-05:00",
                   "2027-03-15T11:00:00Z  2027-03-15T07:00:00-04:00"}));
}

TEST(ScheduleZone, SpringForwardGapIsSkipped) {
  // 02:30 does not exist on 14 March 2027 in New York (02:00 EST -> 03:00 EDT).
  EXPECT_EQ(next("cron(30 2 * * ? *)", "2027-03-13T00:00:00Z", 2, "America/New_York"),
            (Lines{"2027-03-13T07:30:00Z  2027-03-13T02:30:00-05:00",
                   "2027-03-15T06:30:00Z  2027-03-15T02:30:00-04:00"}));
}

TEST(ScheduleZone, FallBackOverlapFiresOnce) {
  // 01:30 occurs at 05:30Z (EDT) and 06:30Z (EST) on 1 November 2026: only the first.
  EXPECT_EQ(next("cron(30 1 * * ? *)", "2026-10-31T00:00:00Z", 3, "America/New_York"),
            (Lines{"2026-10-31T05:30:00Z  2026-10-31T01:30:00-04:00",
                   "2026-11-01T05:30:00Z  2026-11-01T01:30:00-04:00",
                   "2026-11-02T06:30:00Z  2026-11-02T01:30:00-05:00"}));
  // Every half hour: the repeated 01:00 and 01:30 EST do not fire again.
  EXPECT_EQ(next("cron(0/30 * * * ? *)", "2026-11-01T04:50:00Z", 4, "America/New_York"),
            (Lines{"2026-11-01T05:00:00Z  2026-11-01T01:00:00-04:00",
                   "2026-11-01T05:30:00Z  2026-11-01T01:30:00-04:00",
                   "2026-11-01T07:00:00Z  2026-11-01T02:00:00-05:00",
                   "2026-11-01T07:30:00Z  2026-11-01T02:30:00-05:00"}));
  // Starting inside the repeated hour (01:10 EST): 01:30 already fired at 05:30Z.
  EXPECT_EQ(next("cron(0/30 * * * ? *)", "2026-11-01T06:10:00Z", 1, "America/New_York"),
            (Lines{"2026-11-01T07:00:00Z  2026-11-01T02:00:00-05:00"}));
}

TEST(ScheduleZone, CrontabInAZoneAndHalfHourOffsets) {
  // Kolkata is +05:30 all year: 09:00 IST is 03:30Z.
  EXPECT_EQ(next("0 9 * * *", "2026-11-20T00:00:00Z", 1, "Asia/Kolkata"),
            (Lines{"2026-11-20T03:30:00Z  2026-11-20T09:00:00+05:30"}));
}

TEST(ScheduleZone, UnknownZoneIsAUsageError) {
  try {
    TimeZone::load("Mars/Olympus_Mons");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown time zone 'Mars/Olympus_Mons'"),
              std::string::npos);
  }
  EXPECT_THROW(TimeZone::load("../etc/passwd"), UsageError);
  EXPECT_THROW(TimeZone::load("America"), UsageError);  // a directory
}

TEST(ScheduleZone, MatchesPythonZoneinfo) {
  std::ifstream in(std::string(LAMTOOL_FIXTURE_DIR) + "/schedule/tz_refs.txt");
  ASSERT_TRUE(in) << "missing tz_refs.txt";
  std::map<std::string, TimeZone> zones;
  std::string kind, name, when, expected;
  int offsets = 0, locals = 0;
  while (in >> kind >> name >> when >> expected) {
    auto it = zones.find(name);
    if (it == zones.end()) it = zones.emplace(name, TimeZone::load(name)).first;
    if (kind == "offset") {
      EXPECT_EQ(it->second.offset_at(at(when)), std::stoi(expected)) << name << " " << when;
      ++offsets;
    } else {
      LocalSeconds local{at(when + "Z").time_since_epoch()};
      auto utc = it->second.to_utc(local);
      EXPECT_EQ(utc ? format_rfc3339(*utc) : "gap", expected) << name << " " << when;
      ++locals;
    }
  }
  EXPECT_GT(offsets, 500);
  EXPECT_GT(locals, 2000);
}

// A TZif v2 file with no transitions: only the POSIX TZ footer decides.
std::string footer_only_tzif(std::string_view tz_string) {
  std::string header("TZif2", 5);
  header += std::string(15, '\0');
  // isutcnt isstdcnt leapcnt timecnt typecnt=1 charcnt=4, big-endian.
  for (int count : {0, 0, 0, 0, 1, 4}) {
    header += std::string(3, '\0');
    header += static_cast<char>(count);
  }
  std::string block = std::string(6, '\0') + std::string("UTC", 4);  // type 0: UTC
  return header + block + header + block + "\n" + std::string(tz_string) + "\n";
}

int footer_offset(std::string_view tz_string, const std::string& when) {
  return TimeZone::from_tzif("test", footer_only_tzif(tz_string)).offset_at(at(when));
}

TEST(SchedulePosixTz, RulesPastTheTable) {
  // US rules in 2300: the second Sunday of March 2300 is the 11th (Mar 1 2300 is a
  // Thursday: 2000-03-01 was a Wednesday and the 300 years after it hold 72 leap days,
  // 109572 days = 7 * 15653 + 1; Sundays 4, 11), 02:00 EST = 07:00Z. November: the 1st is a
  // Thursday (245 days later, 245 = 7 * 35), first Sunday the 4th, 02:00 EDT = 06:00Z.
  EXPECT_EQ(footer_offset("EST5EDT,M3.2.0,M11.1.0", "2300-03-11T06:59:59Z"), -5 * 3600);
  EXPECT_EQ(footer_offset("EST5EDT,M3.2.0,M11.1.0", "2300-03-11T07:00:00Z"), -4 * 3600);
  EXPECT_EQ(footer_offset("EST5EDT,M3.2.0,M11.1.0", "2300-11-04T05:59:59Z"), -4 * 3600);
  EXPECT_EQ(footer_offset("EST5EDT,M3.2.0,M11.1.0", "2300-11-04T06:00:00Z"), -5 * 3600);
  // Southern hemisphere (Sydney): daylight from the first Sunday of October to the first
  // Sunday of April, so January is +11 and July +10.
  EXPECT_EQ(footer_offset("AEST-10AEDT,M10.1.0,M4.1.0/3", "2030-01-15T00:00:00Z"), 11 * 3600);
  EXPECT_EQ(footer_offset("AEST-10AEDT,M10.1.0,M4.1.0/3", "2030-07-15T00:00:00Z"), 10 * 3600);
  // Angle-bracket names and minutes; no daylight time.
  EXPECT_EQ(footer_offset("<+0330>-3:30", "2030-07-15T00:00:00Z"), 3 * 3600 + 1800);
  // Daylight time all year (RFC 8536 3.3.1 example): always -04:00.
  for (const char* when : {"2030-01-01T00:30:00Z", "2030-06-01T00:00:00Z", "2030-12-31T23:30:00Z"})
    EXPECT_EQ(footer_offset("EST5EDT4,0/0,J365/25", when), -4 * 3600) << when;
  // Julian day J60 is 1 March even in a leap year; n-form 59 is 29 Feb in 2032.
  EXPECT_EQ(footer_offset("XST0XDT,J60/0,J300/0", "2032-02-29T12:00:00Z"), 0);
  EXPECT_EQ(footer_offset("XST0XDT,J60/0,J300/0", "2032-03-01T12:00:00Z"), 3600);
  EXPECT_EQ(footer_offset("XST0XDT,59/0,300/0", "2032-02-29T12:00:00Z"), 3600);
  EXPECT_THROW(TimeZone::from_tzif("bad", footer_only_tzif("EST5EDT,M13.1.0,M11.1.0")), DataError);
  EXPECT_THROW(TimeZone::from_tzif("bad", "TZif2"), DataError);
}

TEST(ScheduleRun, OptionsAreChecked) {
  namespace next = jobs::schedule_next;
  std::ostringstream sink;
  Logger log(Verbosity::kNormal, sink);
  FixedClock clock(at("2026-11-20T00:00:00Z"));
  Context ctx{log, clock};
  ctx.json = true;  // the times come back in the manifest, not on stdout
  next::Options opts{.expression = "cron(0 6 ? * MON-FRI *)", .count = 2};
  EXPECT_EQ(next::run(ctx, opts).json()["times"],
            nlohmann::json({"2026-11-20T06:00:00Z", "2026-11-23T06:00:00Z"}));
  opts.count = 0;
  EXPECT_THROW(next::run(ctx, opts), UsageError);
  opts.count = next::kMaxCount + 1;
  EXPECT_THROW(next::run(ctx, opts), UsageError);
  opts.count = next::kMaxCount;
  EXPECT_EQ(next::run(ctx, opts).json()["times"].size(), next::kMaxCount);
  opts = {.expression = "cron(0 0 1 1 ? 2027)", .count = 3};
  EXPECT_EQ(next::run(ctx, opts).json()["times"], nlohmann::json({"2027-01-01T00:00:00Z"}));
  EXPECT_NE(sink.str().find("has only 1 fire time after 2026-11-20T00:00:00Z"), std::string::npos)
      << sink.str();
}

TEST(ScheduleRun, FlagsAreConvertedAndChecked) {
  jobs::schedule_next::Options opts;
  FlagMap flags;
  jobs::schedule_next::declare(flags, opts);
  flags.set("EXPR", "rate(5 minutes)");
  flags.set("--count", "3");
  flags.set("--from", "2026-11-20T00:00:00Z");
  EXPECT_EQ(opts.count, 3);
  EXPECT_EQ(opts.from, at("2026-11-20T00:00:00Z"));
  EXPECT_THROW(flags.set("--from", "yesterday"), UsageError);
  EXPECT_THROW(flags.set("--count", "0"), UsageError);
  EXPECT_THROW(flags.set("-n", "ten"), UsageError);
}

}  // namespace
}  // namespace lamtool::schedule
