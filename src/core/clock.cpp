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

int64_t ParseIsoUtcSeconds(std::string_view iso) {
  if (iso.size() != 20 || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':' || iso[19] != 'Z') {
    return 0;
  }
  const auto date = Date::Parse(iso.substr(0, 10));
  if (!date) return 0;
  int64_t hms[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    const char a = iso[11 + 3 * i], b = iso[12 + 3 * i];
    if (a < '0' || a > '9' || b < '0' || b > '9') return 0;
    hms[i] = (a - '0') * 10 + (b - '0');
  }
  return date->days() * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
}

}  // namespace motcua
