#include "core/json_text.hpp"

#include <array>

namespace motcua {
namespace {

// The length of the well-formed UTF-8 sequence that starts at s[i] (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  const auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

void AppendJsonEscaped(std::string& out, std::string_view s) {
  // Runs of characters that need no escape (nearly all of them) are appended in one go: this
  // writes every string of every JSON response. Bytes of 0x80 and above are checked as UTF-8:
  // an invalid sequence (from a hostile path or header) becomes U+FFFD, so every line and body
  // written is valid UTF-8 JSON whatever the input.
  enum : unsigned char { kPlain, kEscape, kMultiByte };
  static constexpr auto kClass = [] {
    std::array<unsigned char, 256> table{};
    for (int c = 0; c < 0x20; ++c) table[c] = kEscape;
    table['"'] = table['\\'] = kEscape;
    for (int c = 0x80; c < 0x100; ++c) table[c] = kMultiByte;
    return table;
  }();
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const unsigned char kind = kClass[c];
    if (kind == kPlain) [[likely]]
      continue;
    if (kind == kMultiByte) {
      if (const size_t n = Utf8SequenceLength(s, i)) {
        i += n - 1;
        continue;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out.append(escaped, sizeof escaped);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
}

namespace {

void AppendString(std::string& out, std::string_view s) {
  out += '"';
  AppendJsonEscaped(out, s);
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
