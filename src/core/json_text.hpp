#pragma once
// JSON text without a JSON library: the one string escaper (every response body, problem document
// and log line goes through it) and a small object writer for the domain's event, outbox and
// audit payloads. Invalid UTF-8 becomes U+FFFD, so the output is valid UTF-8 JSON whatever the
// input.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace motcua {

using JsonScalar = std::variant<std::string_view, int64_t, bool, std::nullptr_t>;

// Appends `s` as the inside of a JSON string (quotes not included).
void AppendJsonEscaped(std::string& out, std::string_view s);

// {"key": value, ...} in the given order.
std::string JsonObject(std::initializer_list<std::pair<std::string_view, JsonScalar>> fields);

}  // namespace motcua
