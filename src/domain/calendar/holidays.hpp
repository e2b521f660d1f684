#pragma once
// The public holidays that the law fixes (Labor Code 2019, art. 112(1)) and the compensatory days
// it gives when one falls on a weekly rest day (art. 111(3)). These are the derived rules: the
// government's yearly announcements (days_off_file.hpp) refine them, see working_calendar.hpp.
// The 2019 code is applied to every year asked (its 2/9 + adjacent day began in 2021); due dates
// are computed for the present, not for dossiers of earlier codes.

#include <string>
#include <vector>

#include "core/date.hpp"

namespace motcua::calendar {

struct Holiday {
  Date date;
  std::string name;  // Vietnamese, as the announcements name it; shown in explanations

  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// The 11 statutory holidays of a Gregorian year, in date order: 1/1; Tết (the last day of the
// lunar year and the 1st–4th of the first month); Giỗ Tổ Hùng Vương (10/3 lunar); 30/4; 1/5;
// 2/9 and the adjacent day. Tết and Giỗ Tổ always fall inside the Gregorian year of the same
// number (Tết between 21/1 and 20/2), so no holiday of one year crosses into another.
std::vector<Holiday> StatutoryHolidays(int year);

// The day added to 2/9 ("01 ngày liền kề trước hoặc sau"): the law leaves the choice to the
// yearly decision. Derived here as the choice made every year since it began (2021–2026): the
// neighbour that is a weekday, and of two weekdays the one next to the weekend (so 3/9 when 2/9
// is a Monday, Thursday or Sunday, else 1/9).
Date NationalDayAdjacentDay(int year);

// Compensatory days off for the given holidays that fall on a Saturday or Sunday: each gets the
// next Monday–Friday that is neither a holiday nor already a compensatory day, in date order.
std::vector<Holiday> CompensatoryDays(const std::vector<Holiday>& holidays);

// "Thứ Hai" … "Chủ nhật" for Date::weekday() (0 = Sunday).
const char* WeekdayName(int weekday);

}  // namespace motcua::calendar
