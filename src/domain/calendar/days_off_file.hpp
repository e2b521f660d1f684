#pragma once
// The format of official-days-off.tsv: text in, announced days out, so the caller decides where
// the text comes from (the bundled file, an operator's copy, an upload).
//
//   # comment lines and blank lines are skipped
//   2026-01-02<TAB>day_off<TAB>Nghỉ hoán đổi (làm bù Thứ Bảy 10/1)<TAB>notice 12729/VPCP-KGVX
//
// Columns: date (YYYY-MM-DD), kind (holiday | day_off | workday), name, and an optional basis.
// A line may end in CR (a file saved on Windows). Each date may appear once.

#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "domain/calendar/announced_day.hpp"

namespace motcua::calendar {

// The entries in file order. A malformed line is an kInvalidArgument error whose messages say
// what is wrong and whose field is "line N" (1-based), so an operator can fix the file.
Result<std::vector<AnnouncedDay>> ParseDaysOffFile(std::string_view text);

}  // namespace motcua::calendar
