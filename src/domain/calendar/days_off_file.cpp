#include "domain/calendar/days_off_file.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace motcua::calendar {
namespace {

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> columns;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    columns.push_back(Trim(line.substr(start, tab - start)));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return columns;
}

Error LineError(int line, const std::string& vi, const std::string& en) {
  const std::string n = std::to_string(line);
  return MakeError(ErrorCode::kInvalidArgument, "dòng " + n + ": " + vi, "line " + n + ": " + en,
                   "line " + n);
}

}  // namespace

Result<std::vector<AnnouncedDay>> ParseDaysOffFile(std::string_view text) {
  std::vector<AnnouncedDay> out;
  std::map<Date, int> line_of_date;
  int line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view content = Trim(line);
    if (content.empty() || content.front() == '#') continue;

    // Trailing tabs after the basis are an editor's leftovers, not a fifth column.
    std::vector<std::string_view> columns = SplitTabs(Trim(line));
    if (columns.size() < 3 || columns.size() > 4) {
      const std::string found = std::to_string(columns.size());
      return LineError(
          line_number,
          "cần 3 hoặc 4 cột cách nhau bằng dấu tab (ngày, loại, tên, căn cứ), có " + found,
          "expected 3 or 4 tab-separated columns (date, kind, name, basis), found " + found);
    }
    const std::optional<Date> date = Date::Parse(columns[0]);
    if (!date) {
      const std::string got(columns[0]);
      return LineError(line_number, "ngày \"" + got + "\" không hợp lệ (cần YYYY-MM-DD)",
                       "\"" + got + "\" is not a valid date (expected YYYY-MM-DD)");
    }
    const std::optional<AnnouncedKind> kind = ParseAnnouncedKind(columns[1]);
    if (!kind) {
      const std::string got(columns[1]);
      return LineError(line_number,
                       "loại \"" + got + "\" không hợp lệ (holiday, day_off hoặc workday)",
                       "unknown kind \"" + got + "\" (expected holiday, day_off or workday)");
    }
    if (columns[2].empty()) {
      return LineError(line_number, "thiếu tên ngày nghỉ", "the name is empty");
    }
    const auto [it, inserted] = line_of_date.emplace(*date, line_number);
    if (!inserted) {
      const std::string first = std::to_string(it->second);
      return LineError(line_number, date->ToIso() + " đã có ở dòng " + first,
                       date->ToIso() + " is already listed on line " + first);
    }
    out.push_back(AnnouncedDay{*date, *kind, std::string(columns[2]),
                               columns.size() == 4 ? std::string(columns[3]) : std::string()});
  }
  return out;
}

}  // namespace motcua::calendar
