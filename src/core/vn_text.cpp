#include "core/vn_text.hpp"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <memory>

namespace motcua::text {

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}
namespace {

// Decodes one code point at `i` of well-formed UTF-8; returns its length in bytes. Callers only
// pass text that IsValidUtf8 accepted (or accept U+FFFD for a bad byte), so this stays simple.
size_t Decode(std::string_view s, size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
    *cp = 0xFFFD;
    return 1;
  }
  char32_t c = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    c = (c << 6) | (b & 0x3F);
  }
  *cp = c;
  return static_cast<size_t>(len);
}

void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Runs utf8proc_map and takes ownership of its malloc'd result.
std::string Map(std::string_view s, int options) {
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                          static_cast<utf8proc_ssize_t>(s.size()), &out,
                                          static_cast<utf8proc_option_t>(options));
  if (n < 0) return std::string(s);  // invalid input: callers are told to pass valid UTF-8
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

bool IsMark(char32_t cp) {
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

// Appends the folded form of one code point: lower case, no marks, `đ` -> `d`.
void AppendFolded(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
    return;
  }
  // `đ` has no decomposition in Unicode, so no normalisation form folds it; do it by hand.
  if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0) {
    out.push_back('d');
    return;
  }
  utf8proc_int32_t buf[8];
  int last_boundclass = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(
      static_cast<utf8proc_int32_t>(cp), buf, 8,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK),
      &last_boundclass);
  if (n < 0 || n > 8) {
    Append(out, cp);
    return;
  }
  for (utf8proc_ssize_t k = 0; k < n; ++k) {
    const auto c = static_cast<char32_t>(buf[k]);
    if (c == 0x0111) {
      out.push_back('d');
    } else {
      Append(out, c);
    }
  }
}

// Combining marks of the five Vietnamese tones (grave, acute, tilde, hook above, dot below).
bool IsToneMark(char32_t cp) {
  return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 || cp == 0x0323;
}
// Marks that make a different vowel (ă â ê ô ơ ư): the tone goes on such a vowel.
bool IsQualityMark(char32_t cp) { return cp == 0x0306 || cp == 0x0302 || cp == 0x031B; }
bool IsVowel(char32_t cp) {
  return cp == 'a' || cp == 'e' || cp == 'i' || cp == 'o' || cp == 'u' || cp == 'y';
}

struct Letter {
  char32_t base = 0;
  std::u32string marks;
};

// Puts the tone mark of one lower-case NFD word where the "old style" (kiểu cũ) places it,
// which is what the national catalogue uses ("hòa", "thủy", "khỏe"): on the vowel with a quality
// mark; else on the last vowel when a consonant follows; else on the first of two open vowels.
void PlaceTone(std::vector<Letter>& word) {
  char32_t tone = 0;
  int tones = 0;
  for (auto& l : word) {
    for (size_t k = 0; k < l.marks.size();) {
      if (IsToneMark(l.marks[k])) {
        tone = l.marks[k];
        ++tones;
        l.marks.erase(k, 1);
      } else {
        ++k;
      }
    }
  }
  if (tones == 0) return;
  // Find the vowel nucleus: the first run of vowels, skipping the `u` of "qu" and the `i` of
  // "gi" when another vowel follows (they belong to the consonant).
  size_t start = 0;
  while (start < word.size() && !IsVowel(word[start].base)) ++start;
  if (start > 0 && start + 1 < word.size()) {
    const char32_t prev = word[start - 1].base;
    if (((prev == 'q' && word[start].base == 'u') || (prev == 'g' && word[start].base == 'i')) &&
        IsVowel(word[start + 1].base)) {
      ++start;
    }
  }
  size_t end = start;
  while (end < word.size() && IsVowel(word[end].base)) ++end;
  if (start == end || tones > 1) {
    // Not a Vietnamese syllable shape, or ambiguous: put the tone back on the first vowel.
    if (start < word.size()) word[start].marks.push_back(tone);
    return;
  }
  size_t target = start;
  size_t quality = end;
  for (size_t k = start; k < end; ++k) {
    for (char32_t m : word[k].marks) {
      if (IsQualityMark(m)) quality = k;  // the last one: "ươ" takes the tone on ơ
    }
  }
  const size_t n = end - start;
  if (quality != end) {
    target = quality;
  } else if (end < word.size()) {
    target = end - 1;
  } else if (n == 3) {
    target = start + 1;
  } else {
    target = start;
  }
  word[target].marks.push_back(tone);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string ToNfc(std::string_view s) { return Map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE); }

std::string Canonical(std::string_view s) {
  // Lower-cased NFD, so tone and quality marks are separate code points we can move.
  const std::string nfd = Map(s, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD);
  std::string out;
  out.reserve(nfd.size());
  std::vector<Letter> word;
  auto flush = [&] {
    if (word.empty()) return;
    PlaceTone(word);
    for (const auto& l : word) {
      Append(out, l.base);
      for (char32_t m : l.marks) Append(out, m);
    }
    word.clear();
  };
  for (size_t i = 0; i < nfd.size();) {
    char32_t cp = 0;
    i += Decode(nfd, i, &cp);
    if (IsMark(cp) && !word.empty()) {
      word.back().marks.push_back(cp);
    } else if (IsWordChar(cp)) {
      word.push_back(Letter{cp, {}});
    } else {
      flush();
      Append(out, cp);
    }
  }
  flush();
  return ToNfc(out);
}

std::string Fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    i += Decode(s, i, &cp);
    if (cp >= 0x80 && IsMark(cp)) continue;
    AppendFolded(out, cp);
  }
  return out;
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> tokens;
  Token current;
  bool in_word = false;
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const size_t len = Decode(s, i, &cp);
    if (IsWordChar(cp)) {
      if (!in_word) {
        current = Token{{}, i, i};
        in_word = true;
      }
      AppendFolded(current.folded, cp);
      current.end = i + len;
    } else if (in_word && cp >= 0x80 && IsMark(cp)) {
      // A combining mark of NFD input belongs to the word it follows.
      current.end = i + len;
    } else if (in_word) {
      tokens.push_back(std::move(current));
      in_word = false;
    }
    i += len;
  }
  if (in_word) tokens.push_back(std::move(current));
  return tokens;
}

}  // namespace motcua::text
