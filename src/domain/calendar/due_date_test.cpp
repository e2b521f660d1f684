#include "domain/calendar/due_date.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <utility>

#include "domain/calendar/calendar_test_util.hpp"

namespace motcua::calendar {
namespace {

using std::chrono::hours;
using testing::At;
using testing::BundledFile;
using testing::LocalText;
using testing::Ymd;
using Kind = NonWorkingReason::Kind;

class WorkingTimeDueDateTest : public ::testing::Test {
 protected:
  DueDate Due(Instant received, int amount, TimeLimit::Unit unit = TimeLimit::Unit::kWorkingDays,
              std::vector<TimeInterval> pauses = {}) const {
    return ComputeDueDate(time_,
                          DueDateRequest{received, {amount, unit}, hours(15), std::move(pauses)});
  }

  std::shared_ptr<const WorkingCalendar> calendar_ =
      std::make_shared<const WorkingCalendar>(2024, 2027, BundledFile());
  WorkingTime time_{calendar_, WorkingHours::Default()};
};

std::vector<SkippedDay> Tet2026From(int first_day) {
  std::vector<SkippedDay> out = {
      {Ymd(2026, 2, 14), {Kind::kWeekend, "Thứ Bảy"}},
      {Ymd(2026, 2, 15), {Kind::kWeekend, "Chủ nhật"}},
      {Ymd(2026, 2, 16), {Kind::kHoliday, "Tết Nguyên đán"}},
      {Ymd(2026, 2, 17), {Kind::kHoliday, "Tết Nguyên đán (mùng 1)"}},
      {Ymd(2026, 2, 18), {Kind::kHoliday, "Tết Nguyên đán"}},
      {Ymd(2026, 2, 19), {Kind::kHoliday, "Tết Nguyên đán"}},
      {Ymd(2026, 2, 20), {Kind::kHoliday, "Tết Nguyên đán"}},
      {Ymd(2026, 2, 21), {Kind::kWeekend, "Thứ Bảy"}},
      {Ymd(2026, 2, 22), {Kind::kWeekend, "Chủ nhật"}},
  };
  std::erase_if(out, [&](const SkippedDay& d) { return d.date.day() < first_day; });
  return out;
}

TEST_F(WorkingTimeDueDateTest, ReceivedAfterTheCutOffBeforeTet) {
  // Thursday 12/2/2026 16:00, after the 15:00 cut-off: counts from Friday 13/2 08:00. Three days
  // = 24 working hours: Friday 13/2, then (Tết) Monday 23/2 and Tuesday 24/2.
  const DueDate due = Due(At(2026, 2, 12, 16), 3);
  EXPECT_EQ(LocalText(due.start.at), "2026-02-13 08:00");
  EXPECT_EQ(due.start.rule, ClockStartRule::kAfterCutOff);
  EXPECT_EQ(LocalText(due.due_at), "2026-02-24 17:00");
  EXPECT_EQ(due.working_time, hours(24));
  EXPECT_EQ(due.paused, hours(0));
  EXPECT_EQ(due.skipped_days, Tet2026From(14));
}

TEST_F(WorkingTimeDueDateTest, ASupplementRequestMovesTheDueDate) {
  // The same dossier waits for a supplement from Monday 23/2 09:00 to Wednesday 25/2 09:00:
  // 7 + 8 + 1 = 16 working hours paused.
  const DueDate due = Due(At(2026, 2, 12, 16), 3, TimeLimit::Unit::kWorkingDays,
                          {{At(2026, 2, 23, 9), At(2026, 2, 25, 9)}});
  EXPECT_EQ(LocalText(due.due_at), "2026-02-26 17:00");
  EXPECT_EQ(due.paused, hours(16));
  EXPECT_EQ(due.skipped_days, Tet2026From(14));
}

TEST_F(WorkingTimeDueDateTest, ReceivedInWorkingHoursKeepsTheTimeOfDay) {
  const DueDate plain = Due(At(2026, 2, 10, 10), 1);
  EXPECT_EQ(LocalText(plain.due_at), "2026-02-11 10:00");
  EXPECT_TRUE(plain.skipped_days.empty());
  const DueDate over_tet = Due(At(2026, 2, 13, 10), 1);
  EXPECT_EQ(LocalText(over_tet.due_at), "2026-02-23 10:00");
  EXPECT_EQ(over_tet.start.rule, ClockStartRule::kInWorkingHours);
  EXPECT_EQ(over_tet.skipped_days.size(), 9u);
  // Over a weekend: Friday 6/3/2026 14:00 + 2 days -> Tuesday 10/3 14:00.
  const DueDate weekend = Due(At(2026, 3, 6, 14), 2);
  EXPECT_EQ(LocalText(weekend.due_at), "2026-03-10 14:00");
  EXPECT_EQ(weekend.skipped_days,
            (std::vector<SkippedDay>{{Ymd(2026, 3, 7), {Kind::kWeekend, "Thứ Bảy"}},
                                     {Ymd(2026, 3, 8), {Kind::kWeekend, "Chủ nhật"}}}));
}

TEST_F(WorkingTimeDueDateTest, ReceivedOnlineDuringTet) {
  // Submitted on Sunday 15/2/2026: counts from Monday 23/2 08:00; two days end Tuesday 17:00.
  const DueDate due = Due(At(2026, 2, 15, 21), 2);
  EXPECT_EQ(due.start.rule, ClockStartRule::kClosedDay);
  EXPECT_EQ(LocalText(due.start.at), "2026-02-23 08:00");
  EXPECT_EQ(LocalText(due.due_at), "2026-02-24 17:00");
  EXPECT_EQ(due.skipped_days, Tet2026From(15));
}

TEST_F(WorkingTimeDueDateTest, HourLimitsAndTheSameDay) {
  // Eight working hours from Friday 9/1/2026 14:00 run into the make-up Saturday 10/1.
  const DueDate hours_limit = Due(At(2026, 1, 9, 14), 8, TimeLimit::Unit::kWorkingHours);
  EXPECT_EQ(LocalText(hours_limit.due_at), "2026-01-10 14:00");
  EXPECT_EQ(hours_limit.working_time, hours(8));
  // Zero days: by the end of the day the clock starts.
  EXPECT_EQ(LocalText(Due(At(2026, 2, 23, 10), 0).due_at), "2026-02-23 17:00");
  EXPECT_EQ(LocalText(Due(At(2026, 2, 23, 16), 0).due_at), "2026-02-24 17:00");
  EXPECT_THROW(Due(At(2026, 2, 23, 10), -1), std::invalid_argument);
}

TEST_F(WorkingTimeDueDateTest, Across30AprilAnd1May2025WithTheMakeUpSaturday) {
  // Thursday 24/4/2025 10:00 + 3 days: Friday 25/4, Saturday 26/4 (worked instead of Friday 2/5),
  // then the break 30/4–4/5 after Monday 28/4 and Tuesday 29/4: day 3 ends Monday 28/4 10:00.
  const DueDate due = Due(At(2025, 4, 24, 10), 3);
  EXPECT_EQ(LocalText(due.due_at), "2025-04-28 10:00");
  EXPECT_EQ(due.skipped_days,
            (std::vector<SkippedDay>{{Ymd(2025, 4, 27), {Kind::kWeekend, "Chủ nhật"}}}));
  const DueDate longer = Due(At(2025, 4, 28, 10), 2);
  EXPECT_EQ(LocalText(longer.due_at), "2025-05-05 10:00");
  EXPECT_EQ(longer.skipped_days.size(), 5u);
  EXPECT_EQ(longer.skipped_days[2],
            (SkippedDay{Ymd(2025, 5, 2), {Kind::kDayOff, "Nghỉ hoán đổi (làm bù Thứ Bảy 26/4)"}}));
}

}  // namespace
}  // namespace motcua::calendar
