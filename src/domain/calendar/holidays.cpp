#include "domain/calendar/holidays.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "domain/calendar/lunar.hpp"

namespace motcua::calendar {
namespace {

Date Ymd(int year, int month, int day) { return *Date::FromYmd(year, month, day); }

bool IsWeekend(Date date) { return date.weekday() == 0 || date.weekday() == 6; }

std::string DayMonth(Date date) {
  return std::to_string(date.day()) + "/" + std::to_string(date.month());
}

}  // namespace

const char* WeekdayName(int weekday) {
  static constexpr const char* kNames[] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                           "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};
  return kNames[((weekday % 7) + 7) % 7];
}

Date NationalDayAdjacentDay(int year) {
  const Date national_day = Ymd(year, 9, 2);
  switch (national_day.weekday()) {
    case 0:  // Sunday: 1/9 would be a Saturday
    case 1:  // Monday: 1/9 would be a Sunday
    case 4:  // Thursday: 3/9 is the Friday before the weekend
      return Ymd(year, 9, 3);
    default:
      return Ymd(year, 9, 1);
  }
}

std::vector<Holiday> StatutoryHolidays(int year) {
  std::vector<Holiday> out;
  out.reserve(11);
  out.push_back({Ymd(year, 1, 1), "Tết Dương lịch"});

  // Tết of the lunar year that starts in `year`; that date always exists.
  const Date tet = *LunarToSolar(LunarDate{1, 1, year, false});
  const Date new_years_eve = tet.AddDays(-1);
  const LunarDate eve = SolarToLunar(new_years_eve);
  out.push_back({new_years_eve, "Tết Nguyên đán (" + std::to_string(eve.day) + " tháng Chạp)"});
  for (int day = 1; day <= 4; ++day) {
    out.push_back({tet.AddDays(day - 1), "Tết Nguyên đán (mùng " + std::to_string(day) + ")"});
  }

  // The regular third month, also in a year whose leap month is the third.
  const Date gio_to = *LunarToSolar(LunarDate{10, 3, year, false});
  out.push_back({gio_to, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"});

  out.push_back({Ymd(year, 4, 30), "Ngày Chiến thắng"});
  out.push_back({Ymd(year, 5, 1), "Quốc tế Lao động"});
  out.push_back({Ymd(year, 9, 2), "Quốc khánh"});
  out.push_back({NationalDayAdjacentDay(year), "Quốc khánh (ngày liền kề)"});

  // The adjacent day may be 1/9, before 2/9.
  std::stable_sort(out.begin(), out.end(),
                   [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

std::vector<Holiday> CompensatoryDays(const std::vector<Holiday>& holidays) {
  std::set<Date> taken;
  for (const Holiday& h : holidays) taken.insert(h.date);
  std::vector<const Holiday*> ordered;
  ordered.reserve(holidays.size());
  for (const Holiday& h : holidays) ordered.push_back(&h);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Holiday* a, const Holiday* b) { return a->date < b->date; });

  std::vector<Holiday> out;
  for (const Holiday* h : ordered) {
    if (!IsWeekend(h->date)) continue;
    Date day = h->date.AddDays(1);
    while (IsWeekend(day) || taken.contains(day)) day = day.AddDays(1);
    taken.insert(day);
    out.push_back({day, "Nghỉ bù " + h->name + " rơi vào " + WeekdayName(h->date.weekday()) + " " +
                            DayMonth(h->date)});
  }
  return out;
}

}  // namespace motcua::calendar
