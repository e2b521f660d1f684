#pragma once
// The Vietnamese lunisolar calendar (âm lịch), computed with Hồ Ngọc Đức's algorithm: months start
// on the day of the new moon, the 11th month holds the winter solstice, and a year with 13 months
// repeats the first month that holds no major solar term (the leap month, tháng nhuận).
// Days are counted in local time, which is why the time zone is a parameter: the Vietnamese
// calendar uses UTC+7, and UTC+8 (the Chinese calendar) gives a different Tết in 2007, 2030, 2053.
// The astronomical series are accurate for roughly 1800–2199; outside that the result is defined
// but not trustworthy.

#include <optional>

#include "core/date.hpp"

namespace motcua::calendar {

inline constexpr int kVietnamUtcOffsetHours = 7;

struct LunarDate {
  int day = 1;        // 1..30
  int month = 1;      // 1..12
  int year = 1970;    // the lunar year, numbered as the Gregorian year in which it starts
  bool leap = false;  // the repeated (intercalary) month

  friend bool operator==(const LunarDate&, const LunarDate&) = default;
};

LunarDate SolarToLunar(Date date, int utc_offset_hours = kVietnamUtcOffsetHours);

// nullopt when the lunar date does not exist: a day past the month's 29 or 30 days, or a leap
// month that is not this year's leap month.
std::optional<Date> LunarToSolar(const LunarDate& date,
                                 int utc_offset_hours = kVietnamUtcOffsetHours);

// The month that is repeated in the lunar year (its number, 1..12), 0 when the year has 12 months.
// A leap 11th or 12th month belongs to the year it follows, e.g. 2033 (its leap 11th month ends
// in January 2034).
int LeapMonthOf(int lunar_year, int utc_offset_hours = kVietnamUtcOffsetHours);

}  // namespace motcua::calendar
