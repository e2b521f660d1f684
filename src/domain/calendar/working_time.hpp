#pragma once
// Working-time arithmetic for one unit: its working hours laid over the working calendar.
// Instants are UTC time points; days and hours are Vietnamese local time, UTC+7 all year (no
// daylight saving), so the conversion is a fixed offset. Nothing here reads the clock.

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/date.hpp"
#include "domain/calendar/lunar.hpp"
#include "domain/calendar/working_calendar.hpp"
#include "domain/calendar/working_hours.hpp"

namespace motcua::calendar {

using Instant = std::chrono::system_clock::time_point;

inline constexpr std::chrono::hours kVietnamUtcOffset{kVietnamUtcOffsetHours};

// [start, end). Also a pause: time during which a dossier's clock stops (waiting for a supplement
// or a payment).
struct TimeInterval {
  Instant start;
  Instant end;

  friend bool operator==(const TimeInterval&, const TimeInterval&) = default;
};

// The Vietnamese civil date of an instant.
Date LocalDate(Instant t);
// The instant of a Vietnamese wall-clock time on a date.
Instant LocalTime(Date date, std::chrono::minutes time_of_day);

// How the receipt time turned into the instant the clock starts from.
enum class ClockStartRule {
  kInWorkingHours,  // received during working hours: counts at once
  kLaterSameDay,    // before opening or in the midday break: counts from the next opening
  kAfterCutOff,     // after the cut-off: counts from the next working day
  kAfterClosing,    // after the last working period of the day: from the next working day
  kClosedDay,       // on a weekend, holiday or day off: from the next working day
};

struct ClockStart {
  Instant at;
  ClockStartRule rule = ClockStartRule::kInWorkingHours;
};

class WorkingTime {
 public:
  // Throws std::invalid_argument when `hours` fail ValidateWorkingHours (validate a unit's
  // hours where they are entered; here they are a precondition).
  WorkingTime(std::shared_ptr<const WorkingCalendar> calendar, WorkingHours hours);

  // The unit's working periods on a date, as instants, in order; empty when it does not work:
  // on holidays and days off, on weekends unless it has weekend hours (and then not on a weekend
  // day inside a holiday break), on the weekdays it has no hours. A make-up working Saturday or
  // Sunday gets the make-up day's hours.
  std::vector<TimeInterval> OpenIntervals(Date date) const;
  // Why the unit does not work at all on a date; nullopt when it has working hours then.
  std::optional<NonWorkingReason> WhyClosed(Date date) const;

  // The instant at which `amount` (>= 0) of working time has passed since `from`, not counting
  // `pauses` (in any order, may overlap). An amount that runs out exactly at the end of a period
  // gives that end (17:00), not the next opening. Zero gives `from`.
  Instant AddWorkingHours(Instant from, std::chrono::seconds amount,
                          std::span<const TimeInterval> pauses = {}) const;

  // The working time in [a, b) outside `pauses`; negative when b < a.
  std::chrono::seconds WorkingTimeBetween(Instant a, Instant b,
                                          std::span<const TimeInterval> pauses = {}) const;

  // The receipt rule: a dossier received after `cut_off` (local time of day; nullopt: the end of
  // the day's hours), or on a day the unit does not work, counts from the start of the next
  // working day. Received exactly at the cut-off is on time.
  ClockStart StartOfCount(Instant received, std::optional<std::chrono::minutes> cut_off) const;

  const WorkingCalendar& calendar() const { return *calendar_; }
  const WorkingHours& hours() const { return hours_; }

 private:
  struct DayPlan {
    const std::vector<OpenPeriod>* periods;  // empty when closed
    std::optional<NonWorkingReason> closed;  // set exactly when closed
  };
  DayPlan PlanFor(Date date) const;
  // For a weekend day: a holiday or day off in the same run of days off, if any.
  std::optional<NonWorkingReason> BreakAround(Date date) const;
  Instant FirstOpeningAfter(Date date) const;

  std::shared_ptr<const WorkingCalendar> calendar_;
  WorkingHours hours_;
};

}  // namespace motcua::calendar
