#include "core/clock.hpp"

namespace motcua {

Date Clock::TodayInVietnam() const {
  using namespace std::chrono;
  const auto seconds = duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  const int64_t local = seconds + 7 * 3600;
  const int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  return Date::FromDays(days);
}

}  // namespace motcua
