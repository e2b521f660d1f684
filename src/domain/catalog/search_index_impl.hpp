#pragma once
// Private to the search index; include only from search_index*.cpp. Not part of the catalog API.
//
// The definition of SearchIndex::Impl (the built index: vocabulary, typo-correction tables,
// posting lists, flat name arrays, dictionary and stop phrases) and the small types and helpers
// that both the build (search_index_build.cpp) and the query path (search_index_query.cpp,
// search_index_highlight.cpp) use. See search_index.cpp for how the search works.

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/catalog/search_index.hpp"

namespace motcua::catalog::search_index_internal {

constexpr uint32_t kNoWord = std::numeric_limits<uint32_t>::max();

inline uint64_t BigramKey(uint32_t a, uint32_t b) {
  return ((static_cast<uint64_t>(a) + 1) << 32) | static_cast<uint64_t>(b);
}

struct Posting {
  uint32_t doc;
  float impact;
};

// A word of a name in the flat per-catalogue arrays (12 bytes instead of 24: the names of a page
// of hits are read from memory that is usually cold).
struct NameWord {
  uint32_t word;
  uint32_t begin;
  uint32_t end;
};

struct Phrase {
  std::vector<uint32_t> from;
  std::vector<uint32_t> to;
};

// Term key -> term id, open addressing with linear probing: one or two cache lines per lookup
// instead of a node walk. Built once; lookups are const.
class TermTable {
 public:
  void Build(const std::unordered_map<uint64_t, uint32_t>& terms) {
    size_t capacity = 16;
    while (capacity < 2 * terms.size()) capacity *= 2;
    slots_.assign(capacity, Slot{kEmpty, 0});
    mask_ = capacity - 1;
    for (const auto& [key, term] : terms) {
      size_t i = Home(key);
      while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
      slots_[i] = Slot{key, term};
    }
  }
  // The term id of `key`, or kNoWord.
  uint32_t Find(uint64_t key) const {
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return slots_[i].term;
      if (slots_[i].key == kEmpty) return kNoWord;
    }
  }

 private:
  static constexpr uint64_t kEmpty = std::numeric_limits<uint64_t>::max();  // no BigramKey
  struct Slot {
    uint64_t key;
    uint32_t term;
  };
  size_t Home(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

// String -> id, open addressing with linear probing over one array of slots and one buffer of
// key bytes: a lookup touches a slot and its key instead of walking hash-table nodes. Built once
// from a map; lookups are const.
class StringTable {
 public:
  void Build(const std::unordered_map<std::string, uint32_t>& map) {
    size_t capacity = 16;
    while (capacity < 2 * map.size()) capacity *= 2;
    slots_.assign(capacity, Slot{0, 0, 0, kNoWord});
    mask_ = capacity - 1;
    keys_.clear();
    for (const auto& [key, value] : map) {
      const uint64_t hash = Hash(key);
      size_t i = static_cast<size_t>(hash) & mask_;
      while (slots_[i].value != kNoWord) i = (i + 1) & mask_;
      slots_[i] =
          Slot{hash, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size()), value};
      keys_ += key;
    }
  }
  // The value of `key`, or kNoWord.
  uint32_t Find(std::string_view key) const {
    const uint64_t hash = Hash(key);
    for (size_t i = static_cast<size_t>(hash) & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.value == kNoWord) return kNoWord;
      if (slot.hash == hash && slot.size == key.size() &&
          std::string_view(keys_).substr(slot.offset, slot.size) == key) {
        return slot.value;
      }
    }
  }

 private:
  struct Slot {
    uint64_t hash;
    uint32_t offset;
    uint32_t size;
    uint32_t value;  // kNoWord: empty
  };
  static uint64_t Hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  std::vector<Slot> slots_;
  std::string keys_;
  size_t mask_ = 0;
};

// A compressed-row list per word id: the ids listed for word w are items[begin[w]..begin[w+1]).
struct WordLists {
  std::vector<uint32_t> begin;
  std::vector<uint32_t> items;

  void Build(const std::unordered_map<uint32_t, std::vector<uint32_t>>& lists, size_t words) {
    begin.assign(words + 1, 0);
    for (const auto& [w, list] : lists) begin[w + 1] = static_cast<uint32_t>(list.size());
    for (size_t w = 0; w < words; ++w) begin[w + 1] += begin[w];
    items.resize(begin[words]);
    for (const auto& [w, list] : lists)
      std::copy(list.begin(), list.end(), items.begin() + begin[w]);
  }
  std::span<const uint32_t> Of(uint32_t w) const {
    if (begin.empty() || w >= begin.size() - 1) return {};  // also kNoWord
    return {items.data() + begin[w], items.data() + begin[w + 1]};
  }
};

}  // namespace motcua::catalog::search_index_internal

namespace motcua::catalog {

struct SearchIndex::Impl {
  std::vector<Procedure> procs;
  std::unordered_map<std::string, uint32_t> code_to_doc;
  std::vector<uint32_t> by_name;  // doc ids ordered by folded name_vi
  std::vector<std::string> field_of;

  // Vocabulary: index key -> word id. Includes dictionary and stop words (which may have no
  // postings) so they are never "corrected" into something else. The maps are used while
  // building; queries use the tables built from them.
  std::unordered_map<std::string, uint32_t> words;
  search_index_internal::StringTable word_table;
  std::vector<uint32_t> word_df;

  // Surface forms (folded, not stemmed) of indexed words, for typo correction.
  std::unordered_map<std::string, uint32_t> surface;  // form -> surface index
  search_index_internal::StringTable surface_table;
  std::vector<std::string> surface_forms;
  std::vector<uint32_t> surface_word;
  // Form minus 1 char -> surface indexes: deletion_lists.Of(deletion_table.Find(form)).
  search_index_internal::StringTable deletion_table;
  search_index_internal::WordLists deletion_lists;
  std::vector<std::vector<uint32_t>> surface_by_length;

  // Terms and their postings (CSR layout).
  std::unordered_map<uint64_t, uint32_t> terms;  // while building; then term_table
  search_index_internal::TermTable term_table;
  std::vector<uint32_t> post_begin;
  std::vector<search_index_internal::Posting> postings;
  std::vector<uint32_t> term_df;  // procedures containing the term (before pruning)

  // The words of the names, flat: name n (2 * doc for name_vi, 2 * doc + 1 for name_en) is
  // name_tokens[name_token_begin[n]..name_token_begin[n + 1]), and its distinct word ids, for
  // NamePrecision, are name_words[name_word_begin[n]..name_word_begin[n + 1]).
  std::vector<search_index_internal::NameWord> name_tokens;
  std::vector<uint32_t> name_token_begin;
  std::vector<uint32_t> name_words;
  std::vector<uint32_t> name_word_begin;

  std::vector<search_index_internal::Phrase> synonyms;
  search_index_internal::WordLists synonyms_by_first;
  struct StopPhrase {
    std::vector<uint32_t> words;
    std::string canonical;  // text::Canonical of a one-word phrase, to check typed diacritics
    bool english = false;
    bool ascii_ok = true;  // folded form unambiguous in the catalogue (one-word phrases)
  };
  std::vector<StopPhrase> stops;
  search_index_internal::WordLists stops_by_first;
  std::unordered_map<uint32_t, std::vector<uint32_t>> single_stops;  // word -> one-word stops
  // Per word: bit 1 = seen in a Vietnamese field, bit 2 = seen in name_en. Tells English
  // queries (whose function words are stop words) from Vietnamese typed without diacritics.
  std::vector<uint8_t> word_lang;

  explicit Impl(std::vector<Procedure> p);
  uint32_t InternWord(const std::string& key);
  uint32_t FindWord(const std::string& key) const;
  void AddSurface(const std::string& form, uint32_t word);
  uint32_t Correct(const std::string& folded, int& budget) const;
  std::vector<uint32_t> PhraseWords(std::string_view phrase);
  SearchResult List(const SearchQuery& q) const;
  SearchResult Search(const SearchQuery& q) const;
  bool Passes(uint32_t doc, const SearchQuery& q, std::string_view field) const;
  void FillSpans(uint32_t doc, const uint8_t* marks, SearchHit& hit) const;
  float NamePrecision(uint32_t doc, const uint8_t* marks) const;
};

}  // namespace motcua::catalog
