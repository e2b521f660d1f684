#include "domain/calendar/holidays.hpp"

#include <gtest/gtest.h>

#include "domain/calendar/calendar_test_util.hpp"

namespace motcua::calendar {
namespace {

using testing::Ymd;

std::vector<Date> Dates(const std::vector<Holiday>& days) {
  std::vector<Date> out;
  out.reserve(days.size());
  for (const Holiday& h : days) out.push_back(h.date);
  return out;
}

TEST(Holidays, StatutoryHolidaysOf2025) {
  const std::vector<Holiday> expected = {
      {Ymd(2025, 1, 1), "Tết Dương lịch"},
      {Ymd(2025, 1, 28), "Tết Nguyên đán (29 tháng Chạp)"},
      {Ymd(2025, 1, 29), "Tết Nguyên đán (mùng 1)"},
      {Ymd(2025, 1, 30), "Tết Nguyên đán (mùng 2)"},
      {Ymd(2025, 1, 31), "Tết Nguyên đán (mùng 3)"},
      {Ymd(2025, 2, 1), "Tết Nguyên đán (mùng 4)"},
      {Ymd(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
      {Ymd(2025, 4, 30), "Ngày Chiến thắng"},
      {Ymd(2025, 5, 1), "Quốc tế Lao động"},
      {Ymd(2025, 9, 1), "Quốc khánh (ngày liền kề)"},
      {Ymd(2025, 9, 2), "Quốc khánh"},
  };
  EXPECT_EQ(StatutoryHolidays(2025), expected);
}

TEST(Holidays, TetEveIsThe30thWhenTheTwelfthMonthIsLong) {
  const std::vector<Holiday> h = StatutoryHolidays(2024);
  EXPECT_EQ(h[1], (Holiday{Ymd(2024, 2, 9), "Tết Nguyên đán (30 tháng Chạp)"}));
  EXPECT_EQ(h[2].date, Ymd(2024, 2, 10));
}

TEST(Holidays, AWeekendHolidayGivesTheNextFreeWeekday) {
  // Tết 2025: mùng 4 is Saturday 1/2 -> Monday 3/2 (the 2025 announcement chose otherwise; see
  // WorkingCalendar).
  const std::vector<Holiday> comp = CompensatoryDays(StatutoryHolidays(2025));
  ASSERT_EQ(comp.size(), 1u);
  EXPECT_EQ(comp[0].date, Ymd(2025, 2, 3));
  EXPECT_EQ(comp[0].name, "Nghỉ bù Tết Nguyên đán (mùng 4) rơi vào Thứ Bảy 1/2");
}

TEST(Holidays, TetStartingOnASaturdayGivesTwoDaysAfterTheBreak) {
  // 2027: eve Fri 5/2, mùng 1 Sat 6/2 … mùng 4 Tue 9/2; 1/5 is a Saturday too.
  EXPECT_EQ(Dates(CompensatoryDays(StatutoryHolidays(2027))),
            (std::vector<Date>{Ymd(2027, 2, 10), Ymd(2027, 2, 11), Ymd(2027, 5, 3)}));
}

TEST(Holidays, TetOnASundayAndNewYearOnASunday2023) {
  // 1/1 Sun -> Mon 2/1; eve Sat 21/1 and mùng 1 Sun 22/1 -> Thu 26/1, Fri 27/1; Giỗ Tổ Sat 29/4
  // and 30/4 Sun -> after 1/5: Tue 2/5, Wed 3/5 (as announced in 2023); 2/9 Sat -> Mon 4/9.
  EXPECT_EQ(Dates(CompensatoryDays(StatutoryHolidays(2023))),
            (std::vector<Date>{Ymd(2023, 1, 2), Ymd(2023, 1, 26), Ymd(2023, 1, 27), Ymd(2023, 5, 2),
                               Ymd(2023, 5, 3), Ymd(2023, 9, 4)}));
}

TEST(Holidays, GioToOnASunday2026GivesMonday) {
  const std::vector<Holiday> h = StatutoryHolidays(2026);
  EXPECT_EQ(h[6], (Holiday{Ymd(2026, 4, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"}));
  EXPECT_EQ(Ymd(2026, 4, 26).weekday(), 0);
  const std::vector<Holiday> comp = CompensatoryDays(h);
  ASSERT_EQ(comp.size(), 1u);
  EXPECT_EQ(comp[0].date, Ymd(2026, 4, 27));
}

TEST(Holidays, NationalDayAdjacentDayFollowsTheYearlyDecisions) {
  EXPECT_EQ(NationalDayAdjacentDay(2021), Ymd(2021, 9, 3));  // 2/9 Thursday
  EXPECT_EQ(NationalDayAdjacentDay(2022), Ymd(2022, 9, 1));  // Friday
  EXPECT_EQ(NationalDayAdjacentDay(2023), Ymd(2023, 9, 1));  // Saturday
  EXPECT_EQ(NationalDayAdjacentDay(2024), Ymd(2024, 9, 3));  // Monday
  EXPECT_EQ(NationalDayAdjacentDay(2025), Ymd(2025, 9, 1));  // Tuesday
  EXPECT_EQ(NationalDayAdjacentDay(2026), Ymd(2026, 9, 1));  // Wednesday
  EXPECT_EQ(NationalDayAdjacentDay(2029), Ymd(2029, 9, 3));  // Sunday: 1/9 would be Saturday
}

TEST(Holidays, NationalDayOnASunday2029) {
  const std::vector<Holiday> h = StatutoryHolidays(2029);
  EXPECT_EQ(h[9], (Holiday{Ymd(2029, 9, 2), "Quốc khánh"}));
  EXPECT_EQ(h[10], (Holiday{Ymd(2029, 9, 3), "Quốc khánh (ngày liền kề)"}));
  const std::vector<Holiday> comp = CompensatoryDays(h);
  ASSERT_FALSE(comp.empty());
  EXPECT_EQ(comp.back().date, Ymd(2029, 9, 4));
  EXPECT_EQ(comp.back().name, "Nghỉ bù Quốc khánh rơi vào Chủ nhật 2/9");
}

TEST(Holidays, ElevenHolidaysEveryYearAllInsideIt) {
  for (int year = 1990; year <= 2100; ++year) {
    const std::vector<Holiday> h = StatutoryHolidays(year);
    ASSERT_EQ(h.size(), 11u) << year;
    for (size_t i = 0; i < h.size(); ++i) {
      EXPECT_EQ(h[i].date.year(), year);
      if (i > 0) {
        EXPECT_LT(h[i - 1].date, h[i].date) << year;
      }
    }
  }
}

}  // namespace
}  // namespace motcua::calendar
