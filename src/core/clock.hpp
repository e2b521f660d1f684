#pragma once
// The injected source of time. Domain code never reads the system clock itself, so tests can
// fix "now". Implementations are thread-safe.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.hpp"

namespace motcua {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // The civil date in Vietnam (UTC+7, no daylight saving).
  Date TodayInVietnam() const;
};

// "YYYY-MM-DDTHH:MM:SSZ": how timestamps are stored (text, so that text order is time order on
// both databases).
std::string ToIsoUtc(std::chrono::system_clock::time_point t);
// Seconds since the epoch of a ToIsoUtc string; 0 when it is not one.
int64_t ParseIsoUtcSeconds(std::string_view iso);

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// A clock that stays where a test puts it.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point now) : now_(now) {}
  std::chrono::system_clock::time_point Now() const override { return now_; }
  void Set(std::chrono::system_clock::time_point now) { now_ = now; }

 private:
  std::chrono::system_clock::time_point now_;
};

}  // namespace motcua
