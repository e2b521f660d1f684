#include "api/json_body.hpp"

#include <nlohmann/json.hpp>

#include "core/vn_text.hpp"

namespace motcua::api {
namespace {

Error Invalid(std::string vi, std::string en, std::string field = {}) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

}  // namespace

std::string JsonFields::Text(std::string_view name) const {
  auto it = text.find(name);
  return it == text.end() ? std::string() : it->second;
}

bool JsonFields::Flag(std::string_view name) const {
  auto it = flags.find(name);
  return it != flags.end() && it->second;
}

Result<JsonFields> ParseJsonFields(const http::Request& r, std::initializer_list<FieldSpec> specs) {
  JsonFields out;
  if (!r.body.empty() && !r.Header("content-type").starts_with("application/json")) {
    return MakeError(ErrorCode::kUnsupportedMediaType, "Nội dung phải là application/json",
                     "Content-Type must be application/json");
  }
  if (!text::IsValidUtf8(r.body)) {
    return Invalid("Nội dung không phải UTF-8 hợp lệ", "The body is not valid UTF-8");
  }
  nlohmann::json doc = nlohmann::json::object();
  if (!r.body.empty()) {
    doc = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Invalid("Nội dung phải là một đối tượng JSON", "The body must be a JSON object");
    }
  }
  for (const auto& [key, value] : doc.items()) {
    const FieldSpec* spec = nullptr;
    for (const FieldSpec& s : specs) {
      if (s.name == key) spec = &s;
    }
    if (!spec) return Invalid("Trường không được hỗ trợ: " + key, "Unknown field: " + key, key);
    if (value.is_null()) continue;
    if (spec->type == FieldSpec::Type::kBool) {
      if (!value.is_boolean()) {
        return Invalid(key + " phải là true hoặc false", key + " must be true or false", key);
      }
      out.flags[key] = value.get<bool>();
      continue;
    }
    if (!value.is_string()) return Invalid(key + " phải là chuỗi", key + " must be a string", key);
    std::string v = text::ToNfc(value.get<std::string>());
    if (text::CountCodePoints(v) > spec->max_chars) {
      return Invalid(key + " dài quá " + std::to_string(spec->max_chars) + " ký tự",
                     key + " is longer than " + std::to_string(spec->max_chars) + " characters",
                     key);
    }
    out.text[key] = std::move(v);
  }
  for (const FieldSpec& s : specs) {
    if (s.required && !out.text.contains(s.name) && !out.flags.contains(s.name)) {
      return Invalid("Thiếu trường " + std::string(s.name), "Missing field " + std::string(s.name),
                     std::string(s.name));
    }
  }
  return out;
}

}  // namespace motcua::api
