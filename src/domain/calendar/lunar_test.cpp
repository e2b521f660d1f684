#include "domain/calendar/lunar.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/calendar/calendar_test_util.hpp"

namespace motcua::calendar {
namespace {

using testing::CalendarTestDataPath;
using testing::ReadFile;
using testing::Ymd;

TEST(LunarCalendar, AgreesWithAllFiveThousandPublishedVectors) {
  const auto vectors =
      nlohmann::json::parse(ReadFile(CalendarTestDataPath("amlich-testcase-utc7.json")));
  ASSERT_EQ(vectors.size(), 5000u);
  int checked = 0;
  int leap_days = 0;
  for (const auto& v : vectors) {
    const auto& s = v.at("solar");
    const auto& l = v.at("lunar");
    ASSERT_EQ(s.at(3).get<int>(), 7) << "every vector is for UTC+7";
    const Date solar = Ymd(s.at(2).get<int>(), s.at(1).get<int>(), s.at(0).get<int>());
    const LunarDate lunar{l.at(0).get<int>(), l.at(1).get<int>(), l.at(2).get<int>(),
                          l.at(3).get<int>() == 1};
    EXPECT_EQ(SolarToLunar(solar), lunar) << solar.ToIso();
    EXPECT_EQ(LunarToSolar(lunar), solar) << solar.ToIso();
    ++checked;
    leap_days += lunar.leap ? 1 : 0;
  }
  EXPECT_EQ(checked, 5000);
  EXPECT_EQ(leap_days, 158) << "the vectors include days of leap months, both ways";
}

const char* ShortWeekday(Date date) {
  static constexpr const char* kNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return kNames[date.weekday()];
}

struct TetRow {
  Date tet;
  std::string tet_weekday;
  int last_day_of_previous_year;
  Date gio_to;
  std::string gio_to_weekday;
  int leap_month;  // of the span from the previous 11th month to this year's 11th month
  Date tet_at_utc8;
  bool differs;
};

std::map<int, TetRow> ReadTetTable() {
  std::istringstream in(ReadFile(CalendarTestDataPath("tet-gioto-1990-2100.tsv")));
  std::map<int, TetRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    int year = 0;
    std::string tet, gio_to, utc8, differs;
    TetRow row;
    fields >> year >> tet >> row.tet_weekday >> row.last_day_of_previous_year >> gio_to >>
        row.gio_to_weekday >> row.leap_month >> utc8 >> differs;
    row.tet = *Date::Parse(tet);
    row.gio_to = *Date::Parse(gio_to);
    row.tet_at_utc8 = *Date::Parse(utc8);
    row.differs = differs == "DIFFERS";
    rows[year] = row;
  }
  return rows;
}

// The leap month between lunar 1/11 of year - 1 and lunar 1/11 of year, found day by day.
int LeapMonthBetweenEleventhMonths(int year) {
  const Date from = *LunarToSolar({1, 11, year - 1, false});
  const Date to = *LunarToSolar({1, 11, year, false});
  for (Date d = from; d < to; d = d.AddDays(1)) {
    const LunarDate lunar = SolarToLunar(d);
    if (lunar.leap) return lunar.month;
  }
  return 0;
}

TEST(LunarCalendar, TetAndGioToEveryYearFrom1990To2100) {
  const std::map<int, TetRow> rows = ReadTetTable();
  ASSERT_EQ(rows.size(), 111u);
  ASSERT_EQ(rows.begin()->first, 1990);
  int utc8_differences = 0;
  for (const auto& [year, row] : rows) {
    SCOPED_TRACE(year);
    EXPECT_EQ(LunarToSolar({1, 1, year, false}), row.tet);
    EXPECT_EQ(SolarToLunar(row.tet), (LunarDate{1, 1, year, false}));
    EXPECT_EQ(ShortWeekday(row.tet), row.tet_weekday);
    const LunarDate eve = SolarToLunar(row.tet.AddDays(-1));
    EXPECT_EQ(eve.day, row.last_day_of_previous_year);
    EXPECT_EQ(eve.month, 12);
    EXPECT_EQ(eve.year, year - 1);
    EXPECT_FALSE(eve.leap);

    EXPECT_EQ(LunarToSolar({10, 3, year, false}), row.gio_to);
    EXPECT_EQ(ShortWeekday(row.gio_to), row.gio_to_weekday);

    EXPECT_EQ(LeapMonthBetweenEleventhMonths(year), row.leap_month);
    // LeapMonthOf numbers by lunar year: a leap 11th or 12th month belongs to the year before.
    if (row.leap_month >= 1 && row.leap_month <= 10) {
      EXPECT_EQ(LeapMonthOf(year), row.leap_month);
    } else if (const auto next = rows.find(year + 1); next != rows.end()) {
      const int following = next->second.leap_month;
      EXPECT_EQ(LeapMonthOf(year), following >= 11 ? following : 0);
    }

    // The Chinese (UTC+8) computation differs in a few years: the reason for the time zone.
    const std::optional<Date> utc8 = LunarToSolar({1, 1, year, false}, 8);
    EXPECT_EQ(utc8, row.tet_at_utc8);
    EXPECT_EQ(utc8 != row.tet, row.differs);
    utc8_differences += row.differs ? 1 : 0;
  }
  EXPECT_EQ(utc8_differences, 3);  // 2007, 2030, 2053
}

TEST(LunarCalendar, KnownDatesAndLeapMonths) {
  EXPECT_EQ(SolarToLunar(Ymd(2026, 2, 17)), (LunarDate{1, 1, 2026, false}));
  EXPECT_EQ(SolarToLunar(Ymd(2026, 2, 16)), (LunarDate{29, 12, 2025, false}));
  EXPECT_EQ(SolarToLunar(Ymd(2007, 2, 17)), (LunarDate{1, 1, 2007, false}));
  EXPECT_EQ(SolarToLunar(Ymd(2007, 2, 17), 8), (LunarDate{30, 12, 2006, false}));
  // 2025 repeats its 6th month: 25/7/2025 is the first day of the leap 6th month.
  EXPECT_EQ(SolarToLunar(Ymd(2025, 7, 25)), (LunarDate{1, 6, 2025, true}));
  EXPECT_EQ(SolarToLunar(Ymd(2025, 7, 24)), (LunarDate{30, 6, 2025, false}));
  EXPECT_EQ(LunarToSolar({1, 6, 2025, true}), Ymd(2025, 7, 25));
  EXPECT_EQ(LeapMonthOf(2025), 6);
  EXPECT_EQ(LeapMonthOf(2023), 2);
  EXPECT_EQ(LeapMonthOf(2026), 0);
  // The leap 11th month of 2033 runs into January 2034 and belongs to 2033.
  EXPECT_EQ(LeapMonthOf(2033), 11);
  EXPECT_EQ(LeapMonthOf(2034), 0);
  EXPECT_EQ(SolarToLunar(Ymd(2034, 1, 2)), (LunarDate{12, 11, 2033, true}));
}

TEST(LunarCalendar, DatesThatDoNotExistAreRefused) {
  // The 12th month of 2024 has 29 days (Tết 2025 is 29/1).
  EXPECT_EQ(LunarToSolar({29, 12, 2024, false}), Ymd(2025, 1, 28));
  EXPECT_EQ(LunarToSolar({30, 12, 2024, false}), std::nullopt);
  EXPECT_EQ(LunarToSolar({1, 5, 2025, true}), std::nullopt) << "2025 repeats the 6th month";
  EXPECT_EQ(LunarToSolar({1, 1, 2026, true}), std::nullopt) << "2026 has no leap month";
  EXPECT_EQ(LunarToSolar({0, 1, 2026, false}), std::nullopt);
  EXPECT_EQ(LunarToSolar({31, 1, 2026, false}), std::nullopt);
  EXPECT_EQ(LunarToSolar({1, 13, 2026, false}), std::nullopt);
}

TEST(LunarCalendar, EveryDayOf2020To2030RoundTripsAndFollowsTheDayBefore) {
  LunarDate previous = SolarToLunar(Ymd(2019, 12, 31));
  int days = 0;
  for (Date d = Ymd(2020, 1, 1); d <= Ymd(2030, 12, 31); d = d.AddDays(1), ++days) {
    const LunarDate lunar = SolarToLunar(d);
    ASSERT_EQ(LunarToSolar(lunar), d);
    if (lunar.day == 1) {
      ASSERT_TRUE(previous.day == 29 || previous.day == 30) << d.ToIso();
    } else {
      ASSERT_EQ(lunar.day, previous.day + 1) << d.ToIso();
      ASSERT_EQ(lunar.month, previous.month) << d.ToIso();
      ASSERT_EQ(lunar.leap, previous.leap) << d.ToIso();
    }
    previous = lunar;
  }
  EXPECT_EQ(days, 4018);
}

}  // namespace
}  // namespace motcua::calendar
