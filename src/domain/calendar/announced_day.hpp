#pragma once
// A day whose status the government announced for civil servants: the facts of one year's
// decisions (which weekday is off, which Saturday is worked), kept as data so an operator can add
// next year's without a release. data/vn-calendar/official-days-off.tsv holds them.

#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"

namespace motcua::calendar {

enum class AnnouncedKind {
  kHoliday,  // a statutory public holiday on that date
  kDayOff,   // an extra day off: a compensatory day, or a day swapped with a worked Saturday
  kWorkday,  // a working day although the rules say otherwise (a make-up Saturday or Sunday)
};

std::string_view ToString(AnnouncedKind kind);  // "holiday" | "day_off" | "workday"
std::optional<AnnouncedKind> ParseAnnouncedKind(std::string_view text);

struct AnnouncedDay {
  Date date;
  AnnouncedKind kind = AnnouncedKind::kHoliday;
  std::string name;   // Vietnamese, shown in explanations
  std::string basis;  // the decision or notice it comes from; may be empty

  friend bool operator==(const AnnouncedDay&, const AnnouncedDay&) = default;
};

}  // namespace motcua::calendar
