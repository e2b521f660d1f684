#pragma once
// A unit's working hours: the periods of local time (UTC+7) it works on each day of the week.
// The default is the civil-service day, Monday–Friday 08:00–12:00 and 13:00–17:00; a unit may
// differ (07:30–11:30, a Saturday morning for receiving dossiers, ...).

#include <array>
#include <chrono>
#include <vector>

#include "core/result.hpp"

namespace motcua::calendar {

// [start, end) as time of day, e.g. {8h, 12h}.
struct OpenPeriod {
  std::chrono::minutes start{0};
  std::chrono::minutes end{0};

  friend bool operator==(const OpenPeriod&, const OpenPeriod&) = default;
};

struct WorkingHours {
  // Indexed by Date::weekday(): 0 = Sunday … 6 = Saturday. On a holiday or day off the unit is
  // closed whatever this says; on an ordinary Saturday or Sunday it works these hours (usually
  // none).
  std::array<std::vector<OpenPeriod>, 7> weekly;
  // The hours of a Saturday or Sunday announced as a working day: a make-up day replaces a
  // weekday, so it is worked as one even by a unit that opens only Saturday mornings.
  std::vector<OpenPeriod> make_up_day;

  static WorkingHours Default();
};

// Every period within the day, non-empty, in order and not overlapping; at least one weekday
// with hours (otherwise no time limit would ever end). The error names the field, e.g.
// "weekly[6][0]".
Status ValidateWorkingHours(const WorkingHours& unit);

}  // namespace motcua::calendar
