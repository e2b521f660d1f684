#pragma once
// A civil date (proleptic Gregorian), with ISO 8601 (YYYY-MM-DD) parsing and formatting.
// Value type, thread-safe to copy.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua {

class Date {
 public:
  Date() = default;
  // Days since 1970-01-01.
  static Date FromDays(int64_t days);
  // Returns nullopt for an invalid calendar date.
  static std::optional<Date> FromYmd(int year, int month, int day);
  // Strict YYYY-MM-DD.
  static std::optional<Date> Parse(std::string_view iso);

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  int64_t days() const;  // since 1970-01-01
  int weekday() const;   // 0 = Sunday ... 6 = Saturday
  Date AddDays(int64_t n) const { return FromDays(days() + n); }
  std::string ToIso() const;

  friend auto operator<=>(const Date&, const Date&) = default;

 private:
  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

}  // namespace motcua
