#include "domain/calendar/working_time.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "domain/calendar/calendar_test_util.hpp"

namespace motcua::calendar {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::At;
using testing::BundledFile;
using testing::LocalText;
using testing::Ymd;
using Kind = NonWorkingReason::Kind;

class WorkingTimeTest : public ::testing::Test {
 protected:
  static WorkingHours SaturdayMornings() {
    WorkingHours h = WorkingHours::Default();
    h.weekly[6] = {{hours(8), hours(12)}};
    return h;
  }

  std::shared_ptr<const WorkingCalendar> calendar_ =
      std::make_shared<const WorkingCalendar>(2024, 2027, BundledFile());
  WorkingTime time_{calendar_, WorkingHours::Default()};
  WorkingTime saturday_unit_{calendar_, SaturdayMornings()};
};

TEST_F(WorkingTimeTest, LocalTimeIsUtcPlusSeven) {
  using namespace std::chrono;
  const sys_days feb13{year(2026) / February / 13};
  EXPECT_TRUE(At(2026, 2, 13, 8) == Instant(feb13) + hours(1));
  EXPECT_EQ(LocalDate(Instant(feb13) - hours(7)), Ymd(2026, 2, 13));
  EXPECT_EQ(LocalDate(Instant(feb13) - hours(7) - seconds(1)), Ymd(2026, 2, 12));
  EXPECT_EQ(LocalDate(Instant(sys_days{year(1969) / December / 31}) + hours(17)), Ymd(1970, 1, 1));
  EXPECT_EQ(LocalText(At(2026, 2, 13, 8, 30)), "2026-02-13 08:30");
}

TEST_F(WorkingTimeTest, OpenIntervalsFollowTheCalendar) {
  EXPECT_EQ(time_.OpenIntervals(Ymd(2026, 2, 23)),
            (std::vector<TimeInterval>{{At(2026, 2, 23, 8), At(2026, 2, 23, 12)},
                                       {At(2026, 2, 23, 13), At(2026, 2, 23, 17)}}));
  EXPECT_TRUE(time_.OpenIntervals(Ymd(2026, 2, 17)).empty());
  EXPECT_TRUE(time_.OpenIntervals(Ymd(2026, 2, 21)).empty());
  EXPECT_EQ(time_.OpenIntervals(Ymd(2026, 1, 10)).size(), 2u) << "make-up Saturday";
  EXPECT_EQ(time_.WhyClosed(Ymd(2026, 2, 17)),
            (NonWorkingReason{Kind::kHoliday, "Tết Nguyên đán (mùng 1)"}));
  EXPECT_EQ(time_.WhyClosed(Ymd(2026, 2, 23)), std::nullopt);
}

TEST_F(WorkingTimeTest, AddWorkingHoursSkipsNightsLunchWeekendsAndTet) {
  // Friday before Tết 2026: 2 h on Friday, then nothing until Monday 23/2.
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 2, 13, 15), hours(8))), "2026-02-23 15:00");
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 2, 23, 11), hours(2))), "2026-02-23 14:00");
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 2, 24, 8), hours(8))), "2026-02-24 17:00")
      << "a day's worth from opening ends at closing, not at the next opening";
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 2, 24, 8), hours(4))), "2026-02-24 12:00");
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 2, 22, 10), hours(1))), "2026-02-23 09:00");
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 2, 24, 12, 30), minutes(90))),
            "2026-02-24 14:30");
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 1, 9, 16), hours(4))), "2026-01-10 11:00")
      << "Saturday 10/1/2026 is worked";
  EXPECT_TRUE(time_.AddWorkingHours(At(2026, 2, 14, 10), hours(0)) == At(2026, 2, 14, 10));
  EXPECT_THROW(time_.AddWorkingHours(At(2026, 2, 23, 8), hours(-1)), std::invalid_argument);
}

TEST_F(WorkingTimeTest, WorkingTimeBetween) {
  EXPECT_EQ(time_.WorkingTimeBetween(At(2026, 2, 13, 16), At(2026, 2, 23, 9)), hours(2));
  EXPECT_EQ(time_.WorkingTimeBetween(At(2026, 2, 23, 9), At(2026, 2, 13, 16)), -hours(2));
  EXPECT_EQ(time_.WorkingTimeBetween(At(2026, 2, 12, 8), At(2026, 2, 24, 17)), hours(32));
  EXPECT_EQ(time_.WorkingTimeBetween(At(2026, 2, 23, 11, 30), At(2026, 2, 23, 13, 30)),
            minutes(60));
  EXPECT_EQ(time_.WorkingTimeBetween(At(2026, 2, 14, 0), At(2026, 2, 23, 0)), hours(0));
  const std::vector<TimeInterval> pause = {{At(2026, 2, 23, 0), At(2026, 2, 24, 0)}};
  EXPECT_EQ(time_.WorkingTimeBetween(At(2026, 2, 12, 8), At(2026, 2, 24, 17), pause), hours(24));
}

TEST_F(WorkingTimeTest, PausesStopTheClock) {
  const Instant start = At(2026, 2, 23, 8);
  EXPECT_EQ(LocalText(time_.AddWorkingHours(start, hours(16))), "2026-02-24 17:00");
  // Waiting for a supplement from Monday 10:00 to Tuesday 10:00 takes out 8 working hours.
  const std::vector<TimeInterval> one = {{At(2026, 2, 23, 10), At(2026, 2, 24, 10)}};
  EXPECT_EQ(LocalText(time_.AddWorkingHours(start, hours(16), one)), "2026-02-25 17:00");
  // The same time as two overlapping pauses, given out of order.
  const std::vector<TimeInterval> two = {{At(2026, 2, 23, 14), At(2026, 2, 24, 10)},
                                         {At(2026, 2, 23, 10), At(2026, 2, 23, 15)}};
  EXPECT_EQ(LocalText(time_.AddWorkingHours(start, hours(16), two)), "2026-02-25 17:00");
  // A pause that lies in the Tết break changes nothing.
  const std::vector<TimeInterval> tet = {{At(2026, 2, 16, 0), At(2026, 2, 21, 0)}};
  EXPECT_EQ(LocalText(time_.AddWorkingHours(At(2026, 2, 13, 15), hours(8), tet)),
            "2026-02-23 15:00");
}

TEST_F(WorkingTimeTest, AUnitOpenOnSaturdayMornings) {
  EXPECT_EQ(LocalText(saturday_unit_.AddWorkingHours(At(2026, 1, 16, 16), hours(4))),
            "2026-01-17 11:00");
  EXPECT_EQ(saturday_unit_.OpenIntervals(Ymd(2026, 2, 7)),
            (std::vector<TimeInterval>{{At(2026, 2, 7, 8), At(2026, 2, 7, 12)}}));
  EXPECT_EQ(saturday_unit_.OpenIntervals(Ymd(2026, 1, 10)).size(), 2u)
      << "a make-up Saturday is a whole working day";
  EXPECT_TRUE(saturday_unit_.OpenIntervals(Ymd(2026, 2, 8)).empty()) << "Sunday";
  // Not inside a holiday break: the Saturdays before and after Tết 2026, after New Year 2026.
  EXPECT_EQ(saturday_unit_.WhyClosed(Ymd(2026, 2, 14)),
            (NonWorkingReason{Kind::kHoliday, "Thứ Bảy trong kỳ nghỉ: Tết Nguyên đán"}));
  EXPECT_EQ(saturday_unit_.WhyClosed(Ymd(2026, 2, 21)),
            (NonWorkingReason{Kind::kHoliday, "Thứ Bảy trong kỳ nghỉ: Tết Nguyên đán"}));
  EXPECT_EQ(saturday_unit_.WhyClosed(Ymd(2026, 1, 3)),
            (NonWorkingReason{Kind::kDayOff,
                              "Thứ Bảy trong kỳ nghỉ: Nghỉ hoán đổi (làm bù Thứ Bảy 10/1)"}));
  EXPECT_EQ(LocalText(saturday_unit_.AddWorkingHours(At(2026, 2, 13, 16), hours(4))),
            "2026-02-23 11:00");
}

TEST_F(WorkingTimeTest, AWeekdayWithoutHoursIsReportedAsTheUnitsOwn) {
  WorkingHours no_wednesday = WorkingHours::Default();
  no_wednesday.weekly[3].clear();
  const WorkingTime unit(calendar_, no_wednesday);
  EXPECT_EQ(unit.WhyClosed(Ymd(2026, 2, 25)),
            (NonWorkingReason{Kind::kUnitClosed, "Ngoài lịch làm việc của đơn vị"}));
  EXPECT_EQ(LocalText(unit.AddWorkingHours(At(2026, 2, 24, 16), hours(2))), "2026-02-26 09:00");
}

TEST_F(WorkingTimeTest, WorkingHoursAreValidated) {
  EXPECT_TRUE(ValidateWorkingHours(WorkingHours::Default()).ok());
  WorkingHours overlap = WorkingHours::Default();
  overlap.weekly[1] = {{hours(8), hours(12)}, {hours(11), hours(17)}};
  ASSERT_FALSE(ValidateWorkingHours(overlap).ok());
  EXPECT_EQ(ValidateWorkingHours(overlap).error().field, "weekly[1][1]");
  WorkingHours late = WorkingHours::Default();
  late.make_up_day = {{hours(20), hours(25)}};
  EXPECT_EQ(ValidateWorkingHours(late).error().field, "make_up_day[0]");
  WorkingHours never;
  EXPECT_EQ(ValidateWorkingHours(never).error().field, "weekly");
  EXPECT_THROW(WorkingTime(calendar_, never), std::invalid_argument);
}

TEST_F(WorkingTimeTest, TheReceiptCutOff) {
  const std::optional<minutes> three_pm = hours(15);
  auto start = [&](Instant received, std::optional<minutes> cut_off) {
    const ClockStart s = time_.StartOfCount(received, cut_off);
    return LocalText(s.at) + " " + std::to_string(static_cast<int>(s.rule));
  };
  const auto in_hours = std::to_string(static_cast<int>(ClockStartRule::kInWorkingHours));
  const auto later = std::to_string(static_cast<int>(ClockStartRule::kLaterSameDay));
  const auto cut = std::to_string(static_cast<int>(ClockStartRule::kAfterCutOff));
  const auto closing = std::to_string(static_cast<int>(ClockStartRule::kAfterClosing));
  const auto closed = std::to_string(static_cast<int>(ClockStartRule::kClosedDay));

  EXPECT_EQ(start(At(2026, 2, 23, 14, 59), three_pm), "2026-02-23 14:59 " + in_hours);
  EXPECT_EQ(start(At(2026, 2, 23, 15), three_pm), "2026-02-23 15:00 " + in_hours);
  EXPECT_EQ(start(At(2026, 2, 23, 15, 1), three_pm), "2026-02-24 08:00 " + cut);
  EXPECT_EQ(start(At(2026, 2, 23, 16), std::nullopt), "2026-02-23 16:00 " + in_hours);
  EXPECT_EQ(start(At(2026, 2, 23, 17, 30), std::nullopt), "2026-02-24 08:00 " + closing);
  EXPECT_EQ(start(At(2026, 2, 23, 7), three_pm), "2026-02-23 08:00 " + later);
  EXPECT_EQ(start(At(2026, 2, 23, 12, 30), three_pm), "2026-02-23 13:00 " + later);
  // Before Tết: after the cut-off on Friday 13/2 counts from Monday 23/2.
  EXPECT_EQ(start(At(2026, 2, 13, 16), three_pm), "2026-02-23 08:00 " + cut);
  EXPECT_EQ(start(At(2026, 2, 14, 10), three_pm), "2026-02-23 08:00 " + closed);
  EXPECT_EQ(start(At(2026, 1, 9, 16), three_pm), "2026-01-10 08:00 " + cut);
}

}  // namespace
}  // namespace motcua::calendar
