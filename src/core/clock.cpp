#include "core/clock.hpp"

#include <ctime>

namespace motcua {

Date Clock::TodayInVietnam() const {
  using namespace std::chrono;
  const auto seconds = duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  const int64_t local = seconds + 7 * 3600;
  const int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  return Date::FromDays(days);
}

std::string ToIsoUtc(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace motcua
