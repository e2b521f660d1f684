#pragma once
// Vietnamese text normalisation: the one place that knows Unicode forms, tone marks and `đ`.
// All functions are pure and thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace motcua::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// The number of code points (characters as limits count them) of valid UTF-8.
size_t CountCodePoints(std::string_view s);

// Unicode NFC. Input must be valid UTF-8.
std::string ToNfc(std::string_view s);

// NFC, lower case, tone placement normalised to one convention ("hoà" and "hòa" give the same
// string). Keeps diacritics. Used for display-preserving comparison.
std::string Canonical(std::string_view s);

// Lower case with every diacritic removed and `đ` folded to `d`: "Đăng ký" -> "dang ky".
std::string Fold(std::string_view s);

// A word of a text with its position in the original string (byte offsets), and its folded form.
struct Token {
  std::string folded;  // Fold() of the word
  size_t begin = 0;    // byte offset in the original text
  size_t end = 0;      // one past the last byte
};

// Splits a text into words (letters and digits; everything else separates) and folds each.
std::vector<Token> Tokenize(std::string_view s);

}  // namespace motcua::text
