#pragma once
// The working-day calendar over HTTP (public: citizens plan around it):
//   GET /api/v1/calendar/days?from=YYYY-MM-DD&to=YYYY-MM-DD   each date: working or why not
//   GET /api/v1/calendar/due-date?received_at=...&days=N       a due date that explains itself
// Thread-safe; shares the calendar.

#include <memory>

#include "domain/calendar/working_time.hpp"
#include "http/message.hpp"

namespace motcua::api {

class CalendarApi {
 public:
  explicit CalendarApi(std::shared_ptr<const calendar::WorkingCalendar> calendar)
      : calendar_(std::move(calendar)), time_(calendar_, calendar::WorkingHours::Default()) {}
  http::Response Days(const http::Request& request) const;
  http::Response DueDate(const http::Request& request) const;

 private:
  std::shared_ptr<const calendar::WorkingCalendar> calendar_;
  calendar::WorkingTime time_;  // the default working hours (Monday-Friday 08-12, 13-17)
};

}  // namespace motcua::api
