#include "domain/calendar/lunar.hpp"

#include <cmath>
#include <cstdint>

namespace motcua::calendar {
namespace {

// The constants and series below are Hồ Ngọc Đức's (after Jean Meeus, "Astronomical
// Algorithms"); they are kept digit for digit because the published Vietnamese calendar is the
// output of exactly this computation, rounding included.
constexpr double kPi = 3.14159265358979323846;
constexpr double kRadiansPerDegree = kPi / 180;
// Julian day number of 1970-01-01: Date counts days from there, astronomy from 4713 BC.
constexpr int64_t kJulianDayOfEpoch = 2440588;
// Mean synodic month, and the Julian day of new moon number 0 (1900-01-01) that numbers them.
constexpr double kSynodicMonth = 29.530588853;
constexpr double kNewMoonZero = 2415021.076998695;

int64_t JulianDay(Date date) { return date.days() + kJulianDayOfEpoch; }
Date FromJulianDay(int64_t julian_day) { return Date::FromDays(julian_day - kJulianDayOfEpoch); }

// Computed directly rather than through Date::FromYmd, which stops at year 9999.
int64_t JulianDayOfDecember31(int64_t year) {
  const int64_t y = year + 4800;  // the March-based year, in which December is month 9
  return 31 + (153 * 9 + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045;
}

// The local day (Julian day number) of the k-th new moon after 1900-01-01.
int64_t NewMoonDay(int64_t k, int utc_offset_hours) {
  const double t = static_cast<double>(k) / 1236.85;  // Julian centuries since 1900-01-01
  const double t2 = t * t;
  const double t3 = t2 * t;
  const double dr = kRadiansPerDegree;
  double jd =
      2415020.75933 + 29.53058868 * static_cast<double>(k) + 0.0001178 * t2 - 0.000000155 * t3;
  jd += 0.00033 * std::sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
  // Mean anomalies of the sun and the moon, and the moon's argument of latitude.
  const double m =
      359.2242 + 29.10535608 * static_cast<double>(k) - 0.0000333 * t2 - 0.00000347 * t3;
  const double mpr =
      306.0253 + 385.81691806 * static_cast<double>(k) + 0.0107306 * t2 + 0.00001236 * t3;
  const double f =
      21.2964 + 390.67050646 * static_cast<double>(k) - 0.0016528 * t2 - 0.00000239 * t3;
  double c1 = (0.1734 - 0.000393 * t) * std::sin(m * dr) + 0.0021 * std::sin(2 * dr * m);
  c1 = c1 - 0.4068 * std::sin(mpr * dr) + 0.0161 * std::sin(dr * 2 * mpr);
  c1 = c1 - 0.0004 * std::sin(dr * 3 * mpr);
  c1 = c1 + 0.0104 * std::sin(dr * 2 * f) - 0.0051 * std::sin(dr * (m + mpr));
  c1 = c1 - 0.0074 * std::sin(dr * (m - mpr)) + 0.0004 * std::sin(dr * (2 * f + m));
  c1 = c1 - 0.0004 * std::sin(dr * (2 * f - m)) - 0.0006 * std::sin(dr * (2 * f + mpr));
  c1 = c1 + 0.0010 * std::sin(dr * (2 * f - mpr)) + 0.0005 * std::sin(dr * (2 * mpr + m));
  // Terrestrial minus universal time, in days.
  const double delta_t =
      t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
              : -0.000278 + 0.000265 * t + 0.000262 * t2;
  const double new_moon = jd + c1 - delta_t;
  return static_cast<int64_t>(std::floor(new_moon + 0.5 + utc_offset_hours / 24.0));
}

// Which 30-degree sector (0..11) the sun's longitude is in at the start of a local day; a
// month whose first day and next month's first day fall in the same sector holds no major term.
int SunSector(int64_t julian_day, int utc_offset_hours) {
  const double t = (static_cast<double>(julian_day) - 2451545.5 - utc_offset_hours / 24.0) / 36525;
  const double t2 = t * t;
  const double dr = kRadiansPerDegree;
  const double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * std::sin(dr * m);
  dl = dl + (0.019993 - 0.000101 * t) * std::sin(dr * 2 * m) + 0.000290 * std::sin(dr * 3 * m);
  double l = (l0 + dl) * dr;
  l = l - kPi * 2 * std::floor(l / (kPi * 2));
  return static_cast<int>(std::floor(l / kPi * 6));
}

// The first day of the 11th lunar month of `year`: the month that holds the winter solstice.
int64_t Month11Start(int64_t year, int utc_offset_hours) {
  const int64_t off = JulianDayOfDecember31(year) - 2415021;
  const auto k = static_cast<int64_t>(std::floor(static_cast<double>(off) / kSynodicMonth));
  const int64_t new_moon = NewMoonDay(k, utc_offset_hours);
  // Sector 9 starts at the solstice (270°): a month starting after it is the 12th.
  if (SunSector(new_moon, utc_offset_hours) >= 9) return NewMoonDay(k - 1, utc_offset_hours);
  return new_moon;
}

// In a 13-month span that starts with the 11th month at `month11_start`, how many months after
// it the leap month comes (1..13).
int LeapMonthOffset(int64_t month11_start, int utc_offset_hours) {
  const auto k = static_cast<int64_t>(
      std::floor((static_cast<double>(month11_start) - kNewMoonZero) / kSynodicMonth + 0.5));
  int i = 1;
  int sector = SunSector(NewMoonDay(k + i, utc_offset_hours), utc_offset_hours);
  int last = 0;
  do {
    last = sector;
    ++i;
    sector = SunSector(NewMoonDay(k + i, utc_offset_hours), utc_offset_hours);
  } while (sector != last && i < 14);
  return i - 1;
}

// The number of the month that a leap offset repeats: offset 1 repeats the 11th month.
int LeapMonthNumber(int leap_offset) { return (leap_offset + 9) % 12 + 1; }

bool HasLeapMonth(int64_t month11_start, int64_t next_month11_start) {
  return next_month11_start - month11_start > 365;
}

}  // namespace

LunarDate SolarToLunar(Date date, int utc_offset_hours) {
  const int64_t day = JulianDay(date);
  const auto k =
      static_cast<int64_t>(std::floor((static_cast<double>(day) - kNewMoonZero) / kSynodicMonth));
  int64_t month_start = NewMoonDay(k + 1, utc_offset_hours);
  if (month_start > day) month_start = NewMoonDay(k, utc_offset_hours);

  // The span from one 11th month to the next that holds the day.
  int64_t a11 = Month11Start(date.year(), utc_offset_hours);
  int64_t b11 = a11;
  int lunar_year = 0;
  if (a11 >= month_start) {
    lunar_year = date.year();
    a11 = Month11Start(date.year() - 1, utc_offset_hours);
  } else {
    lunar_year = date.year() + 1;
    b11 = Month11Start(date.year() + 1, utc_offset_hours);
  }

  LunarDate lunar;
  lunar.day = static_cast<int>(day - month_start + 1);
  const int diff = static_cast<int>((month_start - a11) / 29);  // months since the 11th
  lunar.month = diff + 11;
  if (HasLeapMonth(a11, b11)) {
    const int leap_offset = LeapMonthOffset(a11, utc_offset_hours);
    if (diff >= leap_offset) {
      lunar.month = diff + 10;
      lunar.leap = diff == leap_offset;
    }
  }
  if (lunar.month > 12) lunar.month -= 12;
  // The 11th and 12th months (and a leap one after them) belong to the year before.
  if (lunar.month >= 11 && diff < 4) lunar_year -= 1;
  lunar.year = lunar_year;
  return lunar;
}

std::optional<Date> LunarToSolar(const LunarDate& date, int utc_offset_hours) {
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 30) return std::nullopt;
  int64_t a11 = 0;
  int64_t b11 = 0;
  if (date.month < 11) {
    a11 = Month11Start(date.year - 1, utc_offset_hours);
    b11 = Month11Start(date.year, utc_offset_hours);
  } else {
    a11 = Month11Start(date.year, utc_offset_hours);
    b11 = Month11Start(date.year + 1, utc_offset_hours);
  }
  int offset = (date.month - 11 + 12) % 12;  // months after the 11th
  if (HasLeapMonth(a11, b11)) {
    const int leap_offset = LeapMonthOffset(a11, utc_offset_hours);
    if (date.leap && date.month != LeapMonthNumber(leap_offset)) return std::nullopt;
    if (date.leap || offset >= leap_offset) offset += 1;
  } else if (date.leap) {
    return std::nullopt;
  }
  const auto k = static_cast<int64_t>(
      std::floor(0.5 + (static_cast<double>(a11) - kNewMoonZero) / kSynodicMonth));
  const int64_t month_start = NewMoonDay(k + offset, utc_offset_hours);
  const int64_t next_month_start = NewMoonDay(k + offset + 1, utc_offset_hours);
  if (date.day > next_month_start - month_start) return std::nullopt;
  return FromJulianDay(month_start + date.day - 1);
}

int LeapMonthOf(int lunar_year, int utc_offset_hours) {
  const int64_t previous = Month11Start(lunar_year - 1, utc_offset_hours);
  const int64_t current = Month11Start(lunar_year, utc_offset_hours);
  const int64_t next = Month11Start(lunar_year + 1, utc_offset_hours);
  // Months 1..10 of the year lie in the span that ends at its 11th month; the 11th and 12th
  // (and a leap month after either) in the span that starts there.
  if (HasLeapMonth(previous, current)) {
    const int month = LeapMonthNumber(LeapMonthOffset(previous, utc_offset_hours));
    if (month <= 10) return month;
  }
  if (HasLeapMonth(current, next)) {
    const int month = LeapMonthNumber(LeapMonthOffset(current, utc_offset_hours));
    if (month >= 11) return month;
  }
  return 0;
}

}  // namespace motcua::calendar
