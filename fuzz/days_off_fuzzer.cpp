// Fuzzes the parser of announced days off (domain/calendar/days_off_file), which operators extend
// by hand: whatever the text, it returns entries or an error naming a line; every entry it returns
// has a real date, and building a calendar from them and asking about those dates works.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/calendar/days_off_file.hpp"
#include "domain/calendar/working_calendar.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto days = motcua::calendar::ParseDaysOffFile(text);
  if (!days.ok()) {
    FUZZ_CHECK(!days.error().message_en.empty() && !days.error().message_vi.empty());
    return 0;
  }
  for (const auto& d : *days) FUZZ_CHECK(motcua::Date::Parse(d.date.ToIso()).has_value());
  const motcua::calendar::WorkingCalendar calendar(2025, 2026, *days);
  for (const auto& d : *days) (void)calendar.WhyNotWorking(d.date);
  return 0;
}
