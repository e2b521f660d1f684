#pragma once
// Reading query parameters into typed values; each failure is a 400 naming the parameter.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/result.hpp"
#include "http/message.hpp"

namespace motcua::api {

// An integer parameter in [min, max]; `fallback` when absent.
Result<int64_t> IntParam(const http::Request& r, std::string_view name, int64_t min, int64_t max,
                         int64_t fallback);
// A text parameter of at most `max_chars` characters, NFC-normalised; nullopt when absent/empty.
Result<std::optional<std::string>> TextParam(const http::Request& r, std::string_view name,
                                             size_t max_chars);
// A YYYY-MM-DD parameter; nullopt when absent.
Result<std::optional<Date>> DateParam(const http::Request& r, std::string_view name);
// Refuses parameters not in `allowed` (a typo such as "levle" should not silently do nothing).
Status OnlyParams(const http::Request& r, std::initializer_list<std::string_view> allowed);

}  // namespace motcua::api
