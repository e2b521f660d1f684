#pragma once
// Reading a small JSON object body into named string and boolean fields, strictly: valid UTF-8,
// a JSON object, only the listed fields, each of its type and length; text is NFC-normalised.
// Each failure is a 400 naming the field. For endpoints whose body is a flat object.

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/message.hpp"

namespace motcua::api {

struct FieldSpec {
  std::string_view name;
  enum class Type { kText, kBool } type = Type::kText;
  bool required = false;
  size_t max_chars = 200;
};

struct JsonFields {
  std::map<std::string, std::string, std::less<>> text;
  std::map<std::string, bool, std::less<>> flags;
  std::string Text(std::string_view name) const;  // empty when absent
  bool Flag(std::string_view name) const;         // false when absent
};

// Also checks that the body is declared application/json (415 otherwise). An empty body is
// an empty object.
Result<JsonFields> ParseJsonFields(const http::Request& request,
                                   std::initializer_list<FieldSpec> fields);

}  // namespace motcua::api
