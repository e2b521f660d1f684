#include "api/params.hpp"

#include <algorithm>
#include <charconv>

#include "core/vn_text.hpp"

namespace motcua::api {
namespace {

size_t CountChars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

Result<int64_t> IntParam(const http::Request& r, std::string_view name, int64_t min, int64_t max,
                         int64_t fallback) {
  bool found = false;
  const std::string_view v = r.Query(name, &found);
  if (!found) return fallback;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < min || n > max) {
    const std::string range = std::to_string(min) + " đến " + std::to_string(max);
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(name) + " phải là số nguyên từ " + range,
                     std::string(name) + " must be an integer from " + std::to_string(min) +
                         " to " + std::to_string(max),
                     std::string(name));
  }
  return n;
}

Result<std::optional<std::string>> TextParam(const http::Request& r, std::string_view name,
                                             size_t max_chars) {
  const std::string_view v = r.Query(name);
  if (v.empty()) return std::optional<std::string>{};
  // The server has already checked UTF-8 validity of every query parameter.
  if (CountChars(v) > max_chars) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        std::string(name) + " dài quá " + std::to_string(max_chars) + " ký tự",
        std::string(name) + " is longer than " + std::to_string(max_chars) + " characters",
        std::string(name));
  }
  if (v.find('\0') != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(name) + " chứa ký tự NUL",
                     std::string(name) + " contains a NUL character", std::string(name));
  }
  return std::optional<std::string>(text::ToNfc(v));
}

Result<std::optional<Date>> DateParam(const http::Request& r, std::string_view name) {
  bool found = false;
  const std::string_view v = r.Query(name, &found);
  if (!found) return std::optional<Date>{};
  auto d = Date::Parse(v);
  if (!d) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(name) + " phải là ngày hợp lệ dạng YYYY-MM-DD",
                     std::string(name) + " must be a valid date as YYYY-MM-DD", std::string(name));
  }
  return std::optional<Date>(*d);
}

Status OnlyParams(const http::Request& r, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : r.query) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "Tham số không được hỗ trợ: " + key,
                       "Unsupported parameter: " + key, key);
    }
  }
  return OkStatus();
}

}  // namespace motcua::api
