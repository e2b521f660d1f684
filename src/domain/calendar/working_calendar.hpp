#pragma once
// Which dates are working days for civil servants, and why a date is not.
//
// The week is Monday–Friday. On top of it, for every year:
//   - the statutory holidays (holidays.hpp) are days off;
//   - announced days (official-days-off.tsv) override any date they list: `workday` makes it a
//     working day, `holiday` and `day_off` make it a day off, with the announced name;
//   - the derived compensatory days (a holiday on a weekend gives the next weekday off) apply only
//     to years for which nothing is announced. Once a year has announcements, the government
//     has decided where that year's compensatory days go (Tết 2025 put one on Monday 27/1, before
//     Tết, not on Monday 3/2 after it), so the file lists them and the derived ones are dropped.
//
// Immutable after construction, so one calendar can be shared by every thread; a changed file
// means building a new one and swapping it in.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "domain/calendar/announced_day.hpp"

namespace motcua::calendar {

struct NonWorkingReason {
  enum class Kind {
    kWeekend,     // Saturday or Sunday
    kHoliday,     // a statutory public holiday (or one announced as such)
    kDayOff,      // a compensatory or swapped day off
    kUnitClosed,  // a working day on which the unit has no working hours (working_time.hpp)
  };
  Kind kind = Kind::kWeekend;
  std::string name;  // Vietnamese: "Chủ nhật", "Tết Nguyên đán (mùng 1)", ...

  friend bool operator==(const NonWorkingReason&, const NonWorkingReason&) = default;
};

class WorkingCalendar {
 public:
  // Derives the rules for the years [first_year, last_year] once; a date of another year is
  // still answered correctly, by deriving its year when asked (slower, same result).
  WorkingCalendar(int first_year, int last_year, std::vector<AnnouncedDay> announced);

  bool IsWorkingDay(Date date) const { return !WhyNotWorking(date).has_value(); }
  // nullopt for a working day. A holiday on a weekend is reported as the holiday.
  std::optional<NonWorkingReason> WhyNotWorking(Date date) const;

  // The date `n` working days after `from` (before it when n < 0); `from` itself when n == 0,
  // whether or not it is a working day.
  Date AddWorkingDays(Date from, int n) const;

  // The years that have announced days (and so no derived compensatory days).
  const std::set<int>& announced_years() const { return announced_years_; }

 private:
  struct DerivedDay {
    NonWorkingReason::Kind kind;
    std::string name;
  };
  // The derived days off of one year: its holidays, and its compensatory days unless announced.
  std::vector<std::pair<Date, DerivedDay>> DeriveYear(int year) const;
  std::optional<DerivedDay> Derived(Date date) const;

  int first_year_;
  int last_year_;
  std::map<Date, DerivedDay> derived_;  // for [first_year_, last_year_]
  std::map<Date, AnnouncedDay> announced_;
  std::set<int> announced_years_;
};

}  // namespace motcua::calendar
