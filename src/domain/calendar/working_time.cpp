#include "domain/calendar/working_time.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "domain/calendar/holidays.hpp"

namespace motcua::calendar {
namespace {

// A search that meets this many days in a row without working time is stuck (a pause that
// never ends); valid working hours never get near it.
constexpr int kMaxIdleDays = 3660;

bool IsWeekend(Date date) { return date.weekday() == 0 || date.weekday() == 6; }

// Sorted by start, empty ones dropped, overlapping or touching ones merged.
std::vector<TimeInterval> Normalize(std::span<const TimeInterval> intervals) {
  std::vector<TimeInterval> sorted;
  for (const TimeInterval& i : intervals) {
    if (i.start < i.end) sorted.push_back(i);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const TimeInterval& a, const TimeInterval& b) { return a.start < b.start; });
  std::vector<TimeInterval> merged;
  for (const TimeInterval& i : sorted) {
    if (!merged.empty() && i.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, i.end);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

// The parts of `segment` outside the (normalized) pauses, in order.
std::vector<TimeInterval> Subtract(TimeInterval segment, const std::vector<TimeInterval>& pauses) {
  std::vector<TimeInterval> out;
  Instant cursor = segment.start;
  for (const TimeInterval& pause : pauses) {
    if (pause.end <= cursor) continue;
    if (pause.start >= segment.end) break;
    if (pause.start > cursor) out.push_back({cursor, pause.start});
    cursor = std::max(cursor, pause.end);
    if (cursor >= segment.end) break;
  }
  if (cursor < segment.end) out.push_back({cursor, segment.end});
  return out;
}

}  // namespace

Date LocalDate(Instant t) {
  const auto days = std::chrono::floor<std::chrono::days>(t.time_since_epoch() + kVietnamUtcOffset);
  return Date::FromDays(days.count());
}

Instant LocalTime(Date date, std::chrono::minutes time_of_day) {
  const std::chrono::sys_days midnight{std::chrono::days(date.days())};
  return Instant(midnight) + time_of_day - kVietnamUtcOffset;
}

WorkingTime::WorkingTime(std::shared_ptr<const WorkingCalendar> calendar, WorkingHours hours)
    : calendar_(std::move(calendar)), hours_(std::move(hours)) {
  if (!calendar_) throw std::invalid_argument("WorkingTime needs a calendar");
  if (Status st = ValidateWorkingHours(hours_); !st.ok()) {
    throw std::invalid_argument("invalid working hours at " + st.error().field + ": " +
                                st.error().message_en);
  }
}

std::optional<NonWorkingReason> WorkingTime::BreakAround(Date date) const {
  for (const int step : {-1, 1}) {
    for (Date day = date.AddDays(step);; day = day.AddDays(step)) {
      std::optional<NonWorkingReason> reason = calendar_->WhyNotWorking(day);
      if (!reason) break;
      if (reason->kind != NonWorkingReason::Kind::kWeekend) return reason;
    }
  }
  return std::nullopt;
}

WorkingTime::DayPlan WorkingTime::PlanFor(Date date) const {
  static const std::vector<OpenPeriod> no_periods;
  std::optional<NonWorkingReason> reason = calendar_->WhyNotWorking(date);
  if (!reason) {
    const std::vector<OpenPeriod>& periods =
        IsWeekend(date) ? hours_.make_up_day : hours_.weekly[date.weekday()];
    if (periods.empty()) {
      return {&no_periods, NonWorkingReason{NonWorkingReason::Kind::kUnitClosed,
                                            "Ngoài lịch làm việc của đơn vị"}};
    }
    return {&periods, std::nullopt};
  }
  // Holidays and days off close every unit.
  if (reason->kind != NonWorkingReason::Kind::kWeekend) return {&no_periods, std::move(reason)};
  const std::vector<OpenPeriod>& weekend = hours_.weekly[date.weekday()];
  if (weekend.empty()) return {&no_periods, std::move(reason)};
  // A unit that works Saturday mornings does not open in the middle of a holiday break (the
  // Saturday before Tết, the Saturday after mùng 4): the announcements give the break as a whole.
  if (std::optional<NonWorkingReason> holiday = BreakAround(date)) {
    return {&no_periods, NonWorkingReason{holiday->kind, std::string(WeekdayName(date.weekday())) +
                                                             " trong kỳ nghỉ: " + holiday->name}};
  }
  return {&weekend, std::nullopt};
}

std::vector<TimeInterval> WorkingTime::OpenIntervals(Date date) const {
  std::vector<TimeInterval> out;
  for (const OpenPeriod& p : *PlanFor(date).periods) {
    out.push_back({LocalTime(date, p.start), LocalTime(date, p.end)});
  }
  return out;
}

std::optional<NonWorkingReason> WorkingTime::WhyClosed(Date date) const {
  return PlanFor(date).closed;
}

Instant WorkingTime::AddWorkingHours(Instant from, std::chrono::seconds amount,
                                     std::span<const TimeInterval> pauses) const {
  if (amount < std::chrono::seconds(0)) {
    throw std::invalid_argument("AddWorkingHours takes a non-negative amount");
  }
  if (amount == std::chrono::seconds(0)) return from;
  const std::vector<TimeInterval> stops = Normalize(pauses);
  Instant::duration remaining = amount;
  int idle_days = 0;
  for (Date date = LocalDate(from);; date = date.AddDays(1)) {
    bool counted = false;
    for (const TimeInterval& open : OpenIntervals(date)) {
      if (open.end <= from) continue;
      for (const TimeInterval& part : Subtract({std::max(open.start, from), open.end}, stops)) {
        const Instant::duration length = part.end - part.start;
        if (length >= remaining) return part.start + remaining;
        remaining -= length;
        counted = true;
      }
    }
    idle_days = counted ? 0 : idle_days + 1;
    if (idle_days > kMaxIdleDays) {
      throw std::invalid_argument("no working time for ten years: does a pause never end?");
    }
  }
}

std::chrono::seconds WorkingTime::WorkingTimeBetween(Instant a, Instant b,
                                                     std::span<const TimeInterval> pauses) const {
  if (b < a) return -WorkingTimeBetween(b, a, pauses);
  const std::vector<TimeInterval> stops = Normalize(pauses);
  Instant::duration total{0};
  const Date last = LocalDate(b);
  for (Date date = LocalDate(a); date <= last; date = date.AddDays(1)) {
    for (const TimeInterval& open : OpenIntervals(date)) {
      const TimeInterval clipped{std::max(open.start, a), std::min(open.end, b)};
      if (clipped.start >= clipped.end) continue;
      for (const TimeInterval& part : Subtract(clipped, stops)) total += part.end - part.start;
    }
  }
  return std::chrono::duration_cast<std::chrono::seconds>(total);
}

Instant WorkingTime::FirstOpeningAfter(Date date) const {
  for (int i = 1; i <= kMaxIdleDays; ++i) {
    const std::vector<TimeInterval> open = OpenIntervals(date.AddDays(i));
    if (!open.empty()) return open.front().start;
  }
  throw std::logic_error("valid working hours always open within ten years");
}

ClockStart WorkingTime::StartOfCount(Instant received,
                                     std::optional<std::chrono::minutes> cut_off) const {
  const Date day = LocalDate(received);
  const std::vector<TimeInterval> open = OpenIntervals(day);
  if (open.empty()) return {FirstOpeningAfter(day), ClockStartRule::kClosedDay};
  if (cut_off && received > LocalTime(day, *cut_off)) {
    return {FirstOpeningAfter(day), ClockStartRule::kAfterCutOff};
  }
  for (const TimeInterval& period : open) {
    if (received < period.start) return {period.start, ClockStartRule::kLaterSameDay};
    if (received < period.end) return {received, ClockStartRule::kInWorkingHours};
  }
  return {FirstOpeningAfter(day), ClockStartRule::kAfterClosing};
}

}  // namespace motcua::calendar
