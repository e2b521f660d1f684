#include "domain/calendar/working_calendar.hpp"

#include <gtest/gtest.h>

#include <set>

#include "domain/calendar/calendar_test_util.hpp"

namespace motcua::calendar {
namespace {

using testing::BundledFile;
using testing::Ymd;
using Kind = NonWorkingReason::Kind;

class WorkingCalendarTest : public ::testing::Test {
 protected:
  WorkingCalendar calendar_{2024, 2027, BundledFile()};
};

// The announced breaks, written out from the announcements (not from the file), weekends
// included; and the Saturdays worked instead.
std::set<Date> AnnouncedDaysOff() {
  std::set<Date> off;
  auto range = [&](Date first, Date last) {
    for (Date d = first; d <= last; d = d.AddDays(1)) off.insert(d);
  };
  range(Ymd(2025, 1, 1), Ymd(2025, 1, 1));
  range(Ymd(2025, 1, 25), Ymd(2025, 2, 2));   // Tết 2025
  range(Ymd(2025, 4, 7), Ymd(2025, 4, 7));    // Giỗ Tổ, Monday
  range(Ymd(2025, 4, 30), Ymd(2025, 5, 4));   // 30/4–1/5, 2/5 swapped for Sat 26/4
  range(Ymd(2025, 8, 30), Ymd(2025, 9, 2));   // National Day
  range(Ymd(2026, 1, 1), Ymd(2026, 1, 4));    // New Year, 2/1 swapped for Sat 10/1
  range(Ymd(2026, 2, 14), Ymd(2026, 2, 22));  // Tết 2026
  range(Ymd(2026, 4, 25), Ymd(2026, 4, 27));  // Giỗ Tổ Sunday 26/4, compensated Monday 27/4
  range(Ymd(2026, 4, 30), Ymd(2026, 5, 3));
  range(Ymd(2026, 8, 29), Ymd(2026, 9, 2));  // National Day, 31/8 swapped for Sat 22/8
  return off;
}

TEST_F(WorkingCalendarTest, EveryDateOf2025And2026AgreesWithTheAnnouncements) {
  const std::set<Date> off = AnnouncedDaysOff();
  const std::set<Date> worked_saturdays = {Ymd(2025, 4, 26), Ymd(2026, 1, 10), Ymd(2026, 8, 22)};
  int working_2025 = 0, working_2026 = 0;
  for (Date d = Ymd(2025, 1, 1); d <= Ymd(2026, 12, 31); d = d.AddDays(1)) {
    const bool weekend = d.weekday() == 0 || d.weekday() == 6;
    const bool expected = worked_saturdays.contains(d) || (!weekend && !off.contains(d));
    EXPECT_EQ(calendar_.IsWorkingDay(d), expected) << d.ToIso();
    EXPECT_EQ(calendar_.WhyNotWorking(d).has_value(), !expected) << d.ToIso();
    if (expected) ++(d.year() == 2025 ? working_2025 : working_2026);
  }
  // 261 weekdays in each year; 12 off and 1 Saturday worked in 2025, 13 and 2 in 2026.
  EXPECT_EQ(working_2025, 250);
  EXPECT_EQ(working_2026, 250);
}

TEST_F(WorkingCalendarTest, ReasonsNameTheDay) {
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2025, 1, 29)),
            (NonWorkingReason{Kind::kHoliday, "Tết Nguyên đán (mùng 1)"}));
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2025, 1, 27)),
            (NonWorkingReason{Kind::kHoliday, "Tết Nguyên đán"}));
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2025, 5, 2)),
            (NonWorkingReason{Kind::kDayOff, "Nghỉ hoán đổi (làm bù Thứ Bảy 26/4)"}));
  // A holiday on a Saturday is reported as the holiday.
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2025, 2, 1)),
            (NonWorkingReason{Kind::kHoliday, "Tết Nguyên đán (mùng 4)"}));
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2026, 2, 21)),
            (NonWorkingReason{Kind::kWeekend, "Thứ Bảy"}));
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2026, 2, 22)),
            (NonWorkingReason{Kind::kWeekend, "Chủ nhật"}));
  EXPECT_EQ(
      calendar_.WhyNotWorking(Ymd(2026, 4, 27)),
      (NonWorkingReason{Kind::kDayOff, "Nghỉ bù Giỗ Tổ (10/3 âm lịch rơi vào Chủ nhật 26/4)"}));
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2026, 1, 10)), std::nullopt);
}

TEST_F(WorkingCalendarTest, AnAnnouncedYearDropsTheDerivedCompensatoryDays) {
  // Derived: mùng 4 on Saturday 1/2/2025 gives Monday 3/2. The announcement put that day on
  // Monday 27/1 instead, and 3/2 was worked.
  EXPECT_TRUE(calendar_.IsWorkingDay(Ymd(2025, 2, 3)));
  EXPECT_EQ(calendar_.announced_years(), (std::set<int>{2025, 2026}));
}

TEST_F(WorkingCalendarTest, YearsWithoutAnnouncementsFollowTheDerivedRules) {
  // 2027: Tết from Friday 5/2 (eve) to Tuesday 9/2 with Sat 6/2 and Sun 7/2 compensated on
  // Wednesday 10/2 and Thursday 11/2.
  for (Date d = Ymd(2027, 2, 5); d <= Ymd(2027, 2, 11); d = d.AddDays(1)) {
    EXPECT_FALSE(calendar_.IsWorkingDay(d)) << d.ToIso();
  }
  EXPECT_TRUE(calendar_.IsWorkingDay(Ymd(2027, 2, 12)));
  EXPECT_EQ(
      calendar_.WhyNotWorking(Ymd(2027, 2, 10)),
      (NonWorkingReason{Kind::kDayOff, "Nghỉ bù Tết Nguyên đán (mùng 1) rơi vào Thứ Bảy 6/2"}));
  EXPECT_EQ(calendar_.WhyNotWorking(Ymd(2027, 9, 3)),
            (NonWorkingReason{Kind::kHoliday, "Quốc khánh (ngày liền kề)"}));
  // 2024 had no announcements in the file: its 2/9 is Monday, its adjacent day Tuesday 3/9.
  EXPECT_FALSE(calendar_.IsWorkingDay(Ymd(2024, 9, 3)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Ymd(2024, 9, 4)));
}

TEST_F(WorkingCalendarTest, YearsOutsideTheBuiltRangeAnswerTheSame) {
  const WorkingCalendar narrow(2025, 2026, BundledFile());
  for (Date d = Ymd(2027, 1, 1); d <= Ymd(2027, 12, 31); d = d.AddDays(1)) {
    ASSERT_EQ(narrow.WhyNotWorking(d), calendar_.WhyNotWorking(d)) << d.ToIso();
  }
  EXPECT_FALSE(narrow.IsWorkingDay(Ymd(2030, 2, 4))) << "mùng 2 Tết 2030";
}

TEST_F(WorkingCalendarTest, AnOperatorLineOverridesTheRules) {
  std::vector<AnnouncedDay> days = BundledFile();
  days.push_back({Ymd(2027, 2, 4), AnnouncedKind::kDayOff, "Nghỉ hoán đổi", ""});
  days.push_back({Ymd(2027, 2, 20), AnnouncedKind::kWorkday, "Làm bù cho ngày 4/2", ""});
  days.push_back({Ymd(2027, 2, 11), AnnouncedKind::kWorkday, "Làm việc", ""});
  const WorkingCalendar with_2027(2024, 2027, days);
  EXPECT_FALSE(with_2027.IsWorkingDay(Ymd(2027, 2, 4)));
  EXPECT_TRUE(with_2027.IsWorkingDay(Ymd(2027, 2, 20)));
  EXPECT_TRUE(with_2027.IsWorkingDay(Ymd(2027, 2, 11)));
  // 2027 is now announced: statutory holidays stay, derived compensatory days go.
  EXPECT_FALSE(with_2027.IsWorkingDay(Ymd(2027, 2, 9)));
  EXPECT_TRUE(with_2027.IsWorkingDay(Ymd(2027, 2, 10)));
  EXPECT_TRUE(with_2027.IsWorkingDay(Ymd(2027, 5, 3)));
}

TEST_F(WorkingCalendarTest, AddWorkingDaysAcrossTetAndSwappedSaturdays) {
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2026, 2, 13), 1), Ymd(2026, 2, 23));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2026, 2, 12), 2), Ymd(2026, 2, 23));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2026, 2, 14), 1), Ymd(2026, 2, 23));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2026, 2, 23), -1), Ymd(2026, 2, 13));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2026, 2, 10), 10), Ymd(2026, 3, 3));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2026, 1, 9), 1), Ymd(2026, 1, 10));  // make-up Saturday
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2025, 12, 31), 1), Ymd(2026, 1, 5));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2025, 4, 25), 2), Ymd(2025, 4, 28));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2025, 4, 29), 1), Ymd(2025, 5, 5));
  EXPECT_EQ(calendar_.AddWorkingDays(Ymd(2026, 2, 15), 0), Ymd(2026, 2, 15));
}

}  // namespace
}  // namespace motcua::calendar
