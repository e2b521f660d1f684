#include "domain/calendar/due_date.hpp"

#include <stdexcept>
#include <utility>

namespace motcua::calendar {

DueDate ComputeDueDate(const WorkingTime& time, const DueDateRequest& request) {
  if (request.limit.amount < 0) throw std::invalid_argument("a time limit cannot be negative");
  DueDate out;
  out.start = time.StartOfCount(request.received_at, request.cut_off);

  if (request.limit.unit == TimeLimit::Unit::kWorkingDays && request.limit.amount == 0) {
    // "Trả trong ngày": the close of the day the clock starts on (it starts in working hours).
    out.due_at = time.OpenIntervals(LocalDate(out.start.at)).back().end;
  } else {
    const std::chrono::hours unit = request.limit.unit == TimeLimit::Unit::kWorkingDays
                                        ? kWorkingDayLength
                                        : std::chrono::hours(1);
    out.working_time = unit * request.limit.amount;
    out.due_at = time.AddWorkingHours(out.start.at, out.working_time, request.pauses);
    out.paused = time.WorkingTimeBetween(out.start.at, out.due_at) - out.working_time;
  }

  const Date last = LocalDate(out.due_at);
  for (Date date = LocalDate(request.received_at); date <= last; date = date.AddDays(1)) {
    if (std::optional<NonWorkingReason> reason = time.WhyClosed(date)) {
      out.skipped_days.push_back({date, std::move(*reason)});
    }
  }
  return out;
}

}  // namespace motcua::calendar
