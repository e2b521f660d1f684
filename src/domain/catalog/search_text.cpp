#include "domain/catalog/search_text.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

namespace motcua::catalog::search_internal {
namespace {

constexpr size_t kStemLength = 6;

bool IsAsciiLower(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

}  // namespace

std::string IndexKey(std::string_view folded) {
  std::string w(folded);
  if (w.size() < 4 || !IsAsciiLower(w)) return w;
  // Longest first; each is impossible as the end of a Vietnamese syllable.
  static constexpr std::array<std::string_view, 23> kSuffixes = {
      "ational", "ations", "ation", "itions", "ition", "ments", "ment", "ings",
      "ing",     "ions",   "ion",   "ances",  "ance",  "ences", "ence", "ense",
      "ages",    "age",    "ers",   "er",     "ed",    "es",    "al"};
  bool stripped = false;
  if (w.size() >= 6 && std::string_view(w).ends_with("ies")) {
    w.resize(w.size() - 2);  // "copies" -> "copy", "companies" -> "company"
    w.back() = 'y';
    stripped = true;
  }
  for (std::string_view s : kSuffixes) {
    if (stripped) break;
    if (w.size() >= s.size() + 3 && std::string_view(w).ends_with(s)) {
      w.resize(w.size() - s.size());
      stripped = true;
      break;
    }
  }
  if (!stripped && w.size() >= 5) {
    const char last = w.back();
    if (last == 's' && w[w.size() - 2] != 's') {
      w.pop_back();
    } else if (last == 'e') {
      w.pop_back();  // "issue"/"issued", "drive"/"driver"
    }
  }
  if (w.size() >= 5 && w.back() == 'y') w.back() = 'i';  // "marry" meets "married"
  if (w.size() > kStemLength) w.resize(kStemLength);
  return w;
}

std::string TelexDecode(std::string_view w) {
  if (w.empty() || !IsAsciiLower(w)) return std::string(w);
  std::string out;
  out.reserve(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    const char next = i + 1 < w.size() ? w[i + 1] : '\0';
    if (c == 'd' && next == 'd') {  // dd = đ
      out.push_back('d');
      ++i;
    } else if ((c == 'a' || c == 'e' || c == 'o' || c == 'u') && next == c) {
      out.push_back(c);  // aa = â, ee = ê, oo = ô (uu: a common slip)
      ++i;
    } else if (c == 'w') {
      // aw = ă, ow = ơ, uw = ư; a lone w is ư.
      if (out.empty() || !(out.back() == 'a' || out.back() == 'o' || out.back() == 'u')) {
        out.push_back('u');
      }
    } else if ((c == 's' || c == 'f' || c == 'r' || c == 'x' || c == 'j' || c == 'z') &&
               i + 1 == w.size() && !out.empty() && std::any_of(out.begin(), out.end(), IsVowel)) {
      // A tone key typed after the syllable.
    } else {
      out.push_back(c);
    }
  }
  return out;
}

int BoundedEditDistance(std::string_view a, std::string_view b, int max) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  // Three rolling rows; words are short (a Vietnamese syllable, an English word), so the rows
  // live on the stack unless a word is unusually long. Typo correction calls this often.
  constexpr size_t kStackRow = 48;
  const size_t row = static_cast<size_t>(m) + 1;
  std::array<int, 3 * kStackRow> stack_rows{};
  std::vector<int> heap_rows;
  int* rows = stack_rows.data();
  if (row > kStackRow) {
    heap_rows.assign(3 * row, 0);
    rows = heap_rows.data();
  }
  int* prev2 = rows;
  int* prev = rows + row;
  int* cur = rows + 2 * row;
  for (int j = 0; j <= m; ++j) prev[static_cast<size_t>(j)] = j;
  for (int i = 1; i <= n; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= m; ++j) {
      const auto uj = static_cast<size_t>(j);
      const int cost = a[static_cast<size_t>(i - 1)] == b[uj - 1] ? 0 : 1;
      int v = std::min({prev[uj] + 1, cur[uj - 1] + 1, prev[uj - 1] + cost});
      if (i > 1 && j > 1 && a[static_cast<size_t>(i - 1)] == b[uj - 2] &&
          a[static_cast<size_t>(i - 2)] == b[uj - 1]) {
        v = std::min(v, prev2[uj - 2] + 1);
      }
      cur[uj] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max) return max + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[static_cast<size_t>(m)], max + 1);
}

}  // namespace motcua::catalog::search_internal
