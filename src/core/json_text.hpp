#pragma once
// A small JSON object writer for code that must not depend on a JSON library (the domain's event
// and outbox payloads). Strings are escaped; invalid UTF-8 becomes U+FFFD.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace motcua {

using JsonScalar = std::variant<std::string_view, int64_t, bool, std::nullptr_t>;

// {"key": value, ...} in the given order.
std::string JsonObject(std::initializer_list<std::pair<std::string_view, JsonScalar>> fields);

}  // namespace motcua
