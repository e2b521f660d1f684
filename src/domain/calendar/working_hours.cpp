#include "domain/calendar/working_hours.hpp"

#include <string>

namespace motcua::calendar {
namespace {

using std::chrono::hours;

Status ValidatePeriods(const std::vector<OpenPeriod>& periods, const std::string& field) {
  std::chrono::minutes previous_end{0};
  for (size_t i = 0; i < periods.size(); ++i) {
    const OpenPeriod& p = periods[i];
    const std::string where = field + "[" + std::to_string(i) + "]";
    if (p.start < std::chrono::minutes(0) || p.end > hours(24) || p.start >= p.end) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "giờ làm việc phải nằm trong ngày và giờ bắt đầu trước giờ kết thúc",
                       "a working period must lie within the day and start before it ends", where);
    }
    if (p.start < previous_end) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "các khoảng giờ làm việc phải theo thứ tự và không chồng lên nhau",
                       "working periods must be in order and must not overlap", where);
    }
    previous_end = p.end;
  }
  return OkStatus();
}

}  // namespace

WorkingHours WorkingHours::Default() {
  const std::vector<OpenPeriod> day = {{hours(8), hours(12)}, {hours(13), hours(17)}};
  WorkingHours out;
  for (int weekday = 1; weekday <= 5; ++weekday) out.weekly[weekday] = day;
  out.make_up_day = day;
  return out;
}

Status ValidateWorkingHours(const WorkingHours& unit) {
  bool any = false;
  for (size_t weekday = 0; weekday < unit.weekly.size(); ++weekday) {
    const std::string field = "weekly[" + std::to_string(weekday) + "]";
    if (Status st = ValidatePeriods(unit.weekly[weekday], field); !st.ok()) return st;
    any = any || !unit.weekly[weekday].empty();
  }
  if (Status st = ValidatePeriods(unit.make_up_day, "make_up_day"); !st.ok()) return st;
  if (!any) {
    return MakeError(ErrorCode::kInvalidArgument, "đơn vị phải có giờ làm việc ít nhất một ngày",
                     "a unit must work on at least one day of the week", "weekly");
  }
  return OkStatus();
}

}  // namespace motcua::calendar
