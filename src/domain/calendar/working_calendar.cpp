#include "domain/calendar/working_calendar.hpp"

#include <utility>

#include "domain/calendar/holidays.hpp"

namespace motcua::calendar {

WorkingCalendar::WorkingCalendar(int first_year, int last_year, std::vector<AnnouncedDay> announced)
    : first_year_(first_year), last_year_(last_year) {
  for (AnnouncedDay& day : announced) {
    announced_years_.insert(day.date.year());
    const Date date = day.date;
    announced_.insert_or_assign(date, std::move(day));
  }
  for (int year = first_year_; year <= last_year_; ++year) {
    for (auto& [date, day] : DeriveYear(year)) derived_.emplace(date, std::move(day));
  }
}

std::vector<std::pair<Date, WorkingCalendar::DerivedDay>> WorkingCalendar::DeriveYear(
    int year) const {
  const std::vector<Holiday> holidays = StatutoryHolidays(year);
  std::vector<std::pair<Date, DerivedDay>> out;
  out.reserve(holidays.size() + 4);
  for (const Holiday& h : holidays) {
    out.emplace_back(h.date, DerivedDay{NonWorkingReason::Kind::kHoliday, h.name});
  }
  if (!announced_years_.contains(year)) {
    for (const Holiday& h : CompensatoryDays(holidays)) {
      out.emplace_back(h.date, DerivedDay{NonWorkingReason::Kind::kDayOff, h.name});
    }
  }
  return out;
}

std::optional<WorkingCalendar::DerivedDay> WorkingCalendar::Derived(Date date) const {
  if (date.year() >= first_year_ && date.year() <= last_year_) {
    const auto it = derived_.find(date);
    if (it == derived_.end()) return std::nullopt;
    return it->second;
  }
  for (auto& [day, derived] : DeriveYear(date.year())) {
    if (day == date) return derived;
  }
  return std::nullopt;
}

std::optional<NonWorkingReason> WorkingCalendar::WhyNotWorking(Date date) const {
  if (const auto it = announced_.find(date); it != announced_.end()) {
    switch (it->second.kind) {
      case AnnouncedKind::kWorkday:
        return std::nullopt;
      case AnnouncedKind::kHoliday:
        return NonWorkingReason{NonWorkingReason::Kind::kHoliday, it->second.name};
      case AnnouncedKind::kDayOff:
        return NonWorkingReason{NonWorkingReason::Kind::kDayOff, it->second.name};
    }
  }
  if (std::optional<DerivedDay> derived = Derived(date)) {
    return NonWorkingReason{derived->kind, std::move(derived->name)};
  }
  if (date.weekday() == 0 || date.weekday() == 6) {
    return NonWorkingReason{NonWorkingReason::Kind::kWeekend, WeekdayName(date.weekday())};
  }
  return std::nullopt;
}

Date WorkingCalendar::AddWorkingDays(Date from, int n) const {
  const int step = n >= 0 ? 1 : -1;
  Date date = from;
  for (int left = n >= 0 ? n : -n; left > 0;) {
    date = date.AddDays(step);
    if (IsWorkingDay(date)) --left;
  }
  return date;
}

}  // namespace motcua::calendar
