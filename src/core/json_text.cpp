#include "core/json_text.hpp"

#include "core/vn_text.hpp"

namespace motcua {
namespace {

void AppendString(std::string& out, std::string_view s) {
  out += '"';
  // Payloads are built from validated data; should invalid bytes slip through anyway, every
  // non-ASCII byte of that string becomes U+FFFD rather than an invalid document.
  const bool valid = text::IsValidUtf8(s);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 && !valid) {
      out += "\xEF\xBF\xBD";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  out += '"';
}

}  // namespace

std::string JsonObject(std::initializer_list<std::pair<std::string_view, JsonScalar>> fields) {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : fields) {
    if (!first) out += ',';
    first = false;
    AppendString(out, key);
    out += ':';
    if (const auto* s = std::get_if<std::string_view>(&value)) {
      AppendString(out, *s);
    } else if (const auto* n = std::get_if<int64_t>(&value)) {
      out += std::to_string(*n);
    } else if (const auto* b = std::get_if<bool>(&value)) {
      out += *b ? "true" : "false";
    } else {
      out += "null";
    }
  }
  out += '}';
  return out;
}

}  // namespace motcua
