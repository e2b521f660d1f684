#pragma once
// A dossier's due date (product.md, "Due date"), computed so that it can explain itself: when the
// clock started and why, how much working time the limit is, what pauses took out, and which days
// in between did not count and why.
//
// The clock starts at the receipt (StartOfCount: the cut-off and closed days move it to the next
// working day). A limit of N working days is N × 8 working hours (product.md: "8 working hours =
// 1 day"), so a dossier received at 10:00 with one day is due at 10:00 the next working day, and
// one that starts counting at 08:00 is due at 17:00 on its Nth working day. Pauses (waiting for a
// supplement or a payment) stop the clock, so the due date moves by the working time they cover.

#include <chrono>
#include <optional>
#include <vector>

#include "core/date.hpp"
#include "domain/calendar/working_calendar.hpp"
#include "domain/calendar/working_time.hpp"

namespace motcua::calendar {

inline constexpr std::chrono::hours kWorkingDayLength{8};

struct TimeLimit {
  enum class Unit { kWorkingDays, kWorkingHours };
  // >= 0. Zero working days means "the same day": due when the day the clock starts ends.
  int amount = 0;
  Unit unit = Unit::kWorkingDays;
};

struct DueDateRequest {
  Instant received_at;
  TimeLimit limit;
  // Local time of day after which a receipt counts from the next working day; nullopt: only
  // after the day's working hours.
  std::optional<std::chrono::minutes> cut_off;
  std::vector<TimeInterval> pauses;
};

struct SkippedDay {
  Date date;
  NonWorkingReason reason;

  friend bool operator==(const SkippedDay&, const SkippedDay&) = default;
};

struct DueDate {
  Instant due_at;
  ClockStart start;
  std::chrono::seconds working_time{0};  // what the limit amounts to
  std::chrono::seconds paused{0};        // working time the pauses covered before the due date
  // The days from the receipt date to the due date on which the unit did not work, in order.
  std::vector<SkippedDay> skipped_days;
};

// Throws std::invalid_argument for a negative limit.
DueDate ComputeDueDate(const WorkingTime& time, const DueDateRequest& request);

}  // namespace motcua::calendar
