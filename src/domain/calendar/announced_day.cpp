#include "domain/calendar/announced_day.hpp"

namespace motcua::calendar {

std::string_view ToString(AnnouncedKind kind) {
  switch (kind) {
    case AnnouncedKind::kHoliday:
      return "holiday";
    case AnnouncedKind::kDayOff:
      return "day_off";
    case AnnouncedKind::kWorkday:
      return "workday";
  }
  return "holiday";
}

std::optional<AnnouncedKind> ParseAnnouncedKind(std::string_view text) {
  for (AnnouncedKind kind :
       {AnnouncedKind::kHoliday, AnnouncedKind::kDayOff, AnnouncedKind::kWorkday}) {
    if (ToString(kind) == text) return kind;
  }
  return std::nullopt;
}

}  // namespace motcua::calendar
