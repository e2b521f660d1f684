#pragma once
// Test helper (header-only, never compiled into motcua_domain): dates, instants and the data
// files the calendar tests check against.

#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "core/date.hpp"
#include "domain/calendar/days_off_file.hpp"
#include "domain/calendar/lunar.hpp"
#include "domain/calendar/working_calendar.hpp"
#include "domain/calendar/working_time.hpp"

namespace motcua {

// So that gtest prints dates, not bytes.
inline void PrintTo(const Date& date, std::ostream* os) { *os << date.ToIso(); }

namespace calendar {

inline void PrintTo(const LunarDate& d, std::ostream* os) {
  *os << d.day << "/" << d.month << (d.leap ? " (leap)" : "") << "/" << d.year;
}
inline void PrintTo(const NonWorkingReason& r, std::ostream* os) {
  *os << "{kind " << static_cast<int>(r.kind) << ", \"" << r.name << "\"}";
}

namespace testing {

inline std::string SourcePath(const std::string& relative) {
  return std::string(MOTCUA_SOURCE_DIR) + "/" + relative;
}
// The calendar test vectors (tests/data/vn-calendar/).
inline std::string CalendarTestDataPath(const std::string& name) {
  return SourcePath("tests/data/vn-calendar/" + name);
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline Date Ymd(int year, int month, int day) {
  const std::optional<Date> date = Date::FromYmd(year, month, day);
  if (!date) throw std::invalid_argument("not a date");
  return *date;
}

// A Vietnamese wall-clock time.
inline Instant At(int year, int month, int day, int hour, int minute = 0) {
  return LocalTime(Ymd(year, month, day), std::chrono::hours(hour) + std::chrono::minutes(minute));
}

// "2026-02-24 17:00" (Vietnamese time): instants compared as text read well when a test fails.
inline std::string LocalText(Instant t) {
  const Date date = LocalDate(t);
  const auto since_midnight =
      std::chrono::duration_cast<std::chrono::seconds>(t - LocalTime(date, {}));
  const long long s = since_midnight.count();
  char buf[32];
  if (s % 60 == 0) {
    std::snprintf(buf, sizeof buf, " %02lld:%02lld", s / 3600, s / 60 % 60);
  } else {
    std::snprintf(buf, sizeof buf, " %02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  }
  return date.ToIso() + buf;
}

// The announced days bundled with the product.
inline std::vector<AnnouncedDay> BundledFile() {
  auto days = ParseDaysOffFile(ReadFile(SourcePath("data/vn-calendar/official-days-off.tsv")));
  if (!days.ok()) throw std::runtime_error(days.error().message_en);
  return std::move(days).value();
}

}  // namespace testing
}  // namespace calendar
}  // namespace motcua
