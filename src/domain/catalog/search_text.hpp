#pragma once
// Private helpers of SearchIndex: word-level transformations applied to folded words (the output
// of text::Fold / text::Tokenize). Pure functions, thread-safe. Not part of the catalog API.

#include <span>
#include <string>
#include <string_view>

namespace motcua::catalog::search_internal {

// The index key of a folded word. Vietnamese syllables pass through unchanged; English words are
// reduced to a crude stem so "register", "registration" and "registered" meet: common suffixes
// are stripped and the rest cut to 6 letters. Every suffix it strips is impossible at the end of
// a Vietnamese syllable (which ends in a vowel or c, ch, m, n, ng, nh, p, t), so Vietnamese is
// safe.
std::string IndexKey(std::string_view folded);

// Undoes Telex leftovers of a folded ASCII word: "ddawng" -> "dang", "kys" -> "ky",
// "taam" -> "tam", "truwowngf" -> "truong". Returns the input when nothing looks like Telex.
std::string TelexDecode(std::string_view folded);

// Optimal string alignment distance (Levenshtein plus adjacent transposition), or max + 1 as soon
// as the distance is known to exceed `max`.
int BoundedEditDistance(std::string_view a, std::string_view b, int max);

// A phrase people type and what the catalogue calls it. Matching is on folded words, so the
// table is written with diacritics for people to read.
struct Synonym {
  std::string_view from;
  std::string_view to;
};

// Abbreviations, colloquial and old names, spelling variants and English aliases
// (search_synonyms.cpp).
std::span<const Synonym> Synonyms();

// Words and phrases that carry no meaning for finding a procedure ("thủ tục", "làm sao").
std::span<const std::string_view> VietnameseStopPhrases();
// English function words ("how", "to", "the").
std::span<const std::string_view> EnglishStopWords();

}  // namespace motcua::catalog::search_internal
