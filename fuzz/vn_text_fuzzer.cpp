// Fuzzes the Vietnamese text functions (core/vn_text): every search query and every imported
// name goes through them. Checks crash-freedom on any bytes and the documented contracts on valid
// UTF-8.

#include <utf8proc.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/vn_text.hpp"
#include "fuzz_check.hpp"

namespace {

// RFC 3629's table of well-formed byte sequences, written independently of IsValidUtf8 so the
// two can be compared: a disagreement is a bug in one of them.
bool ReferenceValidUtf8(std::string_view s) {
  size_t i = 0;
  auto in = [&](size_t k, unsigned lo, unsigned hi) {
    if (i + k >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[i + k]);
    return b >= lo && b <= hi;
  };
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b <= 0x7F) {
      i += 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      if (!in(1, 0x80, 0xBF)) return false;
      i += 2;
    } else if (b == 0xE0) {
      if (!in(1, 0xA0, 0xBF) || !in(2, 0x80, 0xBF)) return false;
      i += 3;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      if (!in(1, 0x80, 0xBF) || !in(2, 0x80, 0xBF)) return false;
      i += 3;
    } else if (b == 0xED) {
      if (!in(1, 0x80, 0x9F) || !in(2, 0x80, 0xBF)) return false;
      i += 3;
    } else if (b == 0xF0) {
      if (!in(1, 0x90, 0xBF) || !in(2, 0x80, 0xBF) || !in(3, 0x80, 0xBF)) return false;
      i += 4;
    } else if (b >= 0xF1 && b <= 0xF3) {
      if (!in(1, 0x80, 0xBF) || !in(2, 0x80, 0xBF) || !in(3, 0x80, 0xBF)) return false;
      i += 4;
    } else if (b == 0xF4) {
      if (!in(1, 0x80, 0x8F) || !in(2, 0x80, 0xBF) || !in(3, 0x80, 0xBF)) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

// True when `s` (valid UTF-8) holds a combining mark, which Fold promises to remove.
bool HasMark(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    const auto cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME) {
      return true;
    }
    p += n;
    left -= n;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace text = motcua::text;
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  const bool valid = text::IsValidUtf8(in);
  FUZZ_CHECK(valid == ReferenceValidUtf8(in));

  // Any bytes: the server validates query strings first, but the functions must not crash on
  // input that slipped past (e.g. a caller that forgot), so they run on invalid UTF-8 too.
  const std::string folded = text::Fold(in);
  const auto tokens = text::Tokenize(in);
  size_t previous_end = 0;
  for (const auto& t : tokens) {
    FUZZ_CHECK(t.begin < t.end);
    FUZZ_CHECK(t.end <= in.size());
    FUZZ_CHECK(t.begin >= previous_end);  // ordered, not overlapping
    previous_end = t.end;
    FUZZ_CHECK(!t.folded.empty());
  }
  if (!valid) {
    (void)text::ToNfc(in);
    (void)text::Canonical(in);
    return 0;
  }

  // Fold: valid UTF-8, no ASCII upper case, no combining marks ("Đăng ký" -> "dang ky").
  FUZZ_CHECK(text::IsValidUtf8(folded));
  for (const char c : folded) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
  FUZZ_CHECK(!HasMark(folded));

  // Tokenize: a token is a whole-character slice whose folded form is Fold of that slice.
  for (size_t k = 0; k < tokens.size(); ++k) {
    const auto& t = tokens[k];
    const std::string_view word = in.substr(t.begin, t.end - t.begin);
    FUZZ_CHECK(text::IsValidUtf8(word));
    FUZZ_CHECK(t.folded == text::Fold(word));
    if (k + 1 < tokens.size()) FUZZ_CHECK(t.end < tokens[k + 1].begin);  // a separator between
  }

  // ToNfc: valid UTF-8 out, and a fixed point.
  const std::string nfc = text::ToNfc(in);
  FUZZ_CHECK(text::IsValidUtf8(nfc));
  FUZZ_CHECK(text::ToNfc(nfc) == nfc);

  // Canonical: valid UTF-8 out (it moves tone marks around inside words).
  const std::string canonical = text::Canonical(in);
  FUZZ_CHECK(text::IsValidUtf8(canonical));
  return 0;
}
