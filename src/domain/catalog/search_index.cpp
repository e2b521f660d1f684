#include "domain/catalog/search_index.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/vn_text.hpp"
#include "domain/catalog/search_text.hpp"

// How the search works (see also search_text.hpp):
// - Every text is tokenised and folded (no diacritics, `đ` -> `d`, lower case), and each word is
//   mapped to an integer word id through IndexKey (identity for Vietnamese, a crude stem for
//   English). Terms are word ids (syllable unigrams) and adjacent word pairs (bigrams: most
//   Vietnamese words are two syllables, so a bigram is close to a word and doubles as a phrase
//   bonus).
// - Each (term, procedure) posting stores a precomputed BM25F impact: field weights, per-field
//   length normalisation and idf are folded in at build time, so a query only adds floats.
// - A query word that is not in the vocabulary is decoded from Telex, then matched against the
//   vocabulary with edit distance 1 (2 for long words) through a deletion-neighbourhood map.
// - Stop words count little; dictionary phrases (abbreviations, colloquial and English names)
//   add the catalogue's wording as extra terms.
// - The final score multiplies BM25 by the coverage: the share of meaningful query words that
//   the procedure matched. A weak best coverage makes the result "not confident".

namespace motcua::catalog {
namespace {

using search_internal::BoundedEditDistance;
using search_internal::IndexKey;
using search_internal::TelexDecode;

enum FieldIndex : size_t { kNameVi, kKeywords, kNameEn, kFieldName, kDocuments, kAgency, kFields };
constexpr std::array<float, kFields> kFieldWeight = {3.0f, 2.0f, 2.0f, 1.0f, 0.3f, 0.3f};
constexpr std::array<float, kFields> kFieldB = {0.5f, 0.3f, 0.5f, 0.0f, 0.75f, 0.5f};
constexpr float kK1 = 1.2f;
constexpr float kPruneShare = 0.2f;  // see the build: postings below this share of the best

constexpr uint32_t kNoWord = std::numeric_limits<uint32_t>::max();
// One bit each in the low half of a uint64_t mask; the high half marks "strong" matches.
constexpr size_t kMaxQueryWords = 32;

// Query term weights.
constexpr float kWordWeight = 1.0f;
constexpr float kCorrectedWeight = 0.8f;  // a typo fix is a guess
constexpr float kStopWeight = 0.1f;
constexpr float kBigramWeight = 1.0f;
constexpr float kStopBigramWeight = 0.3f;
constexpr float kExpansionWeight = 0.5f;
constexpr float kExpansionBigramWeight = 0.9f;

// Ranking and confidence.
constexpr float kCoverageFloor = 0.2f;  // score share kept by a procedure matching few words
// A single syllable matching somewhere is cheap evidence in Vietnamese ("giá", "ty", "đô" are
// everywhere); a word counts as strongly matched when it matched within a bigram, through the
// dictionary, or as a rare word. Confidence needs this share of the query's words.
constexpr float kConfidentStrongCoverage = 0.5f;
constexpr float kRareWordShare = 0.05f;  // a unigram in at most this share of procedures
// Re-ranking of the best candidates: prefer names the query covers (so "Đăng ký khai sinh" beats
// a long bundled procedure that merely mentions "khai sinh").
constexpr size_t kRerankDepth = 20;
constexpr float kNamePrecisionBonus = 0.5f;
// Shares of the best score tried as a cut before selecting the head (see Search); the last
// keeps every candidate.
constexpr std::array<float, 3> kSelectShares = {0.25f, 0.05f, 0.0f};

// std::popcount compiles to a libgcc call without -mpopcnt; this is branch-free and inline.
constexpr int CountBits(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}

// Bits set in each byte: the coverage of a query of at most 8 words is one look-up.
constexpr std::array<uint8_t, 256> kByteBits = [] {
  std::array<uint8_t, 256> bits{};
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint8_t>(CountBits(i));
  return bits;
}();

uint64_t BigramKey(uint32_t a, uint32_t b) {
  return ((static_cast<uint64_t>(a) + 1) << 32) | static_cast<uint64_t>(b);
}

struct Posting {
  uint32_t doc;
  float impact;
};

struct NameToken {
  uint32_t word;
  Span span;
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

struct QueryWord {
  uint32_t word = kNoWord;
  bool stop = false;
  bool corrected = false;
};

struct QueryTerm {
  uint32_t term;
  float weight;
  uint64_t mask;
};

// Per-thread scratch so a query allocates nothing proportional to the catalogue.
struct Candidate {
  float score;
  uint32_t doc;
};

struct ByScore {
  bool operator()(const Candidate& a, const Candidate& b) const {
    return a.score != b.score ? a.score > b.score : a.doc < b.doc;
  }
};

// A procedure's running score and matched-word mask, side by side: one cache line per posting.
struct Accumulator {
  uint64_t mask;
  float score;
};

struct Scratch {
  std::vector<Accumulator> acc;  // all zero between queries
  std::vector<uint32_t> touched;
  std::vector<Candidate> ranked;  // sized to the catalogue
  std::vector<QueryTerm> terms;
  std::vector<uint32_t> highlight;
  std::vector<uint8_t> word_marks;  // all zero between queries
  std::vector<text::Token> tokens;
};

Scratch& ThreadScratch(size_t docs, size_t words) {
  thread_local Scratch scratch;
  if (scratch.acc.size() < docs) {
    scratch.acc.resize(docs, Accumulator{0, 0.0f});
    scratch.touched.resize(docs + 1, 0);
    scratch.ranked.resize(docs + 1);
  }
  if (scratch.word_marks.size() < words) scratch.word_marks.resize(words, 0);
  return scratch;
}

bool IsAscii(std::string_view s) {
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

// text::Tokenize for pure ASCII text, reusing the tokens' buffers: words are runs of letters and
// digits, folded to lower case (exactly what Tokenize does with ASCII).
void TokenizeAscii(std::string_view s, std::vector<text::Token>& tokens) {
  size_t n = 0;
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  for (size_t i = 0; i < s.size();) {
    if (!is_word(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && is_word(s[j])) ++j;
    if (tokens.size() <= n) tokens.emplace_back();
    text::Token& t = tokens[n++];
    t.folded.assign(s.substr(i, j - i));
    for (char& c : t.folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    t.begin = i;
    t.end = j;
    i = j;
  }
  tokens.resize(n);
}

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

constexpr uint64_t kLowHalf = 0xFFFFFFFFull;

}  // namespace

struct SearchIndex::Impl {
  std::vector<Procedure> procs;
  std::unordered_map<std::string, uint32_t> code_to_doc;
  std::vector<uint32_t> by_name;  // doc ids ordered by folded name_vi
  std::vector<std::string> field_of;

  // Vocabulary: index key -> word id. Includes dictionary and stop words (which may have no
  // postings) so they are never "corrected" into something else. The maps are used while
  // building; queries use the tables built from them.
  std::unordered_map<std::string, uint32_t> words;
  StringTable word_table;
  std::vector<uint32_t> word_df;

  // Surface forms (folded, not stemmed) of indexed words, for typo correction.
  std::unordered_map<std::string, uint32_t> surface;  // form -> surface index
  StringTable surface_table;
  std::vector<std::string> surface_forms;
  std::vector<uint32_t> surface_word;
  // Form minus 1 char -> surface indexes: deletion_lists.Of(deletion_table.Find(form)).
  StringTable deletion_table;
  WordLists deletion_lists;
  std::vector<std::vector<uint32_t>> surface_by_length;

  // Terms and their postings (CSR layout).
  std::unordered_map<uint64_t, uint32_t> terms;  // while building; then term_table
  TermTable term_table;
  std::vector<uint32_t> post_begin;
  std::vector<Posting> postings;
  std::vector<uint32_t> term_df;  // procedures containing the term (before pruning)

  // The words of the names, flat: name n (2 * doc for name_vi, 2 * doc + 1 for name_en) is
  // name_tokens[name_token_begin[n]..name_token_begin[n + 1]), and its distinct word ids, for
  // NamePrecision, are name_words[name_word_begin[n]..name_word_begin[n + 1]).
  std::vector<NameWord> name_tokens;
  std::vector<uint32_t> name_token_begin;
  std::vector<uint32_t> name_words;
  std::vector<uint32_t> name_word_begin;

  std::vector<Phrase> synonyms;
  WordLists synonyms_by_first;
  struct StopPhrase {
    std::vector<uint32_t> words;
    std::string canonical;  // text::Canonical of a one-word phrase, to check typed diacritics
    bool english = false;
    bool ascii_ok = true;  // folded form unambiguous in the catalogue (one-word phrases)
  };
  std::vector<StopPhrase> stops;
  WordLists stops_by_first;
  std::unordered_map<uint32_t, std::vector<uint32_t>> single_stops;  // word -> one-word stops
  // Per word: bit 1 = seen in a Vietnamese field, bit 2 = seen in name_en. Tells English
  // queries (whose function words are stop words) from Vietnamese typed without diacritics.
  std::vector<uint8_t> word_lang;

  explicit Impl(std::vector<Procedure> p);
  uint32_t InternWord(const std::string& key);
  uint32_t FindWord(const std::string& key) const;
  void AddSurface(const std::string& form, uint32_t word);
  uint32_t Correct(const std::string& folded) const;
  std::vector<uint32_t> PhraseWords(std::string_view phrase);
  SearchResult List(const SearchQuery& q) const;
  SearchResult Search(const SearchQuery& q) const;
  bool Passes(uint32_t doc, const SearchQuery& q, std::string_view field) const;
  void FillSpans(uint32_t doc, const uint8_t* marks, SearchHit& hit) const;
  float NamePrecision(uint32_t doc, const uint8_t* marks) const;
};

uint32_t SearchIndex::Impl::InternWord(const std::string& key) {
  auto [it, inserted] = words.try_emplace(key, static_cast<uint32_t>(word_df.size()));
  if (inserted) word_df.push_back(0);
  return it->second;
}

uint32_t SearchIndex::Impl::FindWord(const std::string& key) const { return word_table.Find(key); }

void SearchIndex::Impl::AddSurface(const std::string& form, uint32_t word) {
  auto [it, inserted] = surface.try_emplace(form, static_cast<uint32_t>(surface_forms.size()));
  if (!inserted) return;
  surface_forms.push_back(form);
  surface_word.push_back(word);
}

std::vector<uint32_t> SearchIndex::Impl::PhraseWords(std::string_view phrase) {
  std::vector<uint32_t> ids;
  for (const auto& t : text::Tokenize(phrase)) ids.push_back(InternWord(IndexKey(t.folded)));
  return ids;
}

SearchIndex::Impl::Impl(std::vector<Procedure> p) : procs(std::move(p)) {
  const size_t n = procs.size();
  struct DocTerms {
    std::unordered_map<uint32_t, std::array<float, kFields>> tf;
    std::array<float, kFields> length{};
  };
  std::vector<DocTerms> doc_terms(n);
  std::unordered_map<uint32_t, std::vector<uint32_t>> stops_first;
  std::unordered_map<uint32_t, std::vector<uint32_t>> synonyms_first;
  // Stop phrases first: indexing checks which one-word stops are ambiguous without diacritics.
  auto add_stop = [&](std::string_view phrase, bool english) {
    StopPhrase stop{PhraseWords(phrase), {}, english, true};
    if (stop.words.empty()) return;
    const auto id = static_cast<uint32_t>(stops.size());
    stops_first[stop.words[0]].push_back(id);
    if (stop.words.size() == 1) {
      stop.canonical = text::Canonical(phrase);
      single_stops[stop.words[0]].push_back(id);
    }
    stops.push_back(std::move(stop));
  };
  for (std::string_view p_vi : search_internal::VietnameseStopPhrases()) add_stop(p_vi, false);
  for (std::string_view p_en : search_internal::EnglishStopWords()) add_stop(p_en, true);
  std::vector<std::vector<uint32_t>> term_docs;  // term -> docs, in doc order

  auto intern_term = [&](uint64_t key) {
    auto [it, inserted] = terms.try_emplace(key, static_cast<uint32_t>(term_docs.size()));
    if (inserted) term_docs.emplace_back();
    return it->second;
  };
  auto add_text = [&](uint32_t doc, FieldIndex field, std::string_view s,
                      std::vector<NameToken>* names) {
    DocTerms& dt = doc_terms[doc];
    uint32_t prev = kNoWord;
    for (const auto& tok : text::Tokenize(s)) {
      const uint32_t w = InternWord(IndexKey(tok.folded));
      AddSurface(tok.folded, w);
      if (word_lang.size() <= w) word_lang.resize(w + 1, 0);
      word_lang[w] |= field == kNameEn ? 2 : 1;
      if (field != kNameEn) {
        if (auto it = single_stops.find(w); it != single_stops.end()) {
          const std::string canonical = text::Canonical(s.substr(tok.begin, tok.end - tok.begin));
          for (uint32_t id : it->second) {
            if (canonical != stops[id].canonical) stops[id].ascii_ok = false;
          }
        }
      }
      if (names != nullptr) names->push_back(NameToken{w, Span{tok.begin, tok.end}});
      auto bump = [&](uint64_t key) {
        const uint32_t t = intern_term(key);
        auto [it, inserted] = dt.tf.try_emplace(t);
        if (inserted) {
          it->second.fill(0.0f);
          term_docs[t].push_back(doc);
        }
        it->second[field] += 1.0f;
      };
      bump(w);
      if (prev != kNoWord) bump(BigramKey(prev, w));
      dt.length[field] += 1.0f;
      prev = w;
    }
  };

  std::vector<std::vector<NameToken>> name_vi_tokens(n);
  std::vector<std::vector<NameToken>> name_en_tokens(n);
  field_of.resize(n);
  for (uint32_t d = 0; d < n; ++d) {
    const Procedure& pr = procs[d];
    code_to_doc.emplace(pr.code, d);
    field_of[d] = text::ToNfc(pr.field);
    add_text(d, kNameVi, pr.name_vi, &name_vi_tokens[d]);
    for (const auto& k : pr.keywords) add_text(d, kKeywords, k, nullptr);
    add_text(d, kNameEn, pr.name_en, &name_en_tokens[d]);
    add_text(d, kFieldName, pr.field, nullptr);
    for (const auto& doc_text : pr.documents) add_text(d, kDocuments, doc_text, nullptr);
    add_text(d, kAgency, pr.agency, nullptr);
  }

  // BM25F impacts.
  std::array<float, kFields> avg_length{};
  for (const auto& dt : doc_terms) {
    for (size_t f = 0; f < kFields; ++f) avg_length[f] += dt.length[f];
  }
  for (size_t f = 0; f < kFields; ++f) {
    avg_length[f] = n == 0 ? 1.0f : std::max(1.0f, avg_length[f] / static_cast<float>(n));
  }
  // Postings far weaker than the term's best (a common word that only occurs in the documents
  // list or agency of a procedure) change no ranking but make up much of the long posting lists
  // of common words; they are dropped. Document frequencies keep counting them.
  term_df.resize(term_docs.size());
  post_begin.assign(term_docs.size() + 1, 0);
  std::vector<Posting> scored;
  for (uint32_t t = 0; t < term_docs.size(); ++t) {
    const auto df = static_cast<float>(term_docs[t].size());
    term_df[t] = static_cast<uint32_t>(term_docs[t].size());
    const float idf = std::log(1.0f + (static_cast<float>(n) - df + 0.5f) / (df + 0.5f));
    scored.clear();
    float best = 0.0f;
    for (uint32_t doc : term_docs[t]) {
      const DocTerms& dt = doc_terms[doc];
      const auto& tf = dt.tf.at(t);
      float weighted = 0;
      for (size_t f = 0; f < kFields; ++f) {
        if (tf[f] == 0) continue;
        const float norm = 1.0f - kFieldB[f] + kFieldB[f] * dt.length[f] / avg_length[f];
        weighted += kFieldWeight[f] * tf[f] / norm;
      }
      scored.push_back(Posting{doc, idf * weighted * (kK1 + 1.0f) / (weighted + kK1)});
      best = std::max(best, scored.back().impact);
    }
    for (const Posting& p_t : scored) {
      if (p_t.impact >= kPruneShare * best) postings.push_back(p_t);
    }
    post_begin[t + 1] = static_cast<uint32_t>(postings.size());
  }
  // Document frequency of each word's unigram, to prefer common words among typo candidates.
  for (const auto& [key, term] : terms) {
    if ((key >> 32) == 0) word_df[key] = term_df[term];
  }

  // Typo correction structures over the surface forms.
  std::unordered_map<std::string, std::vector<uint32_t>> deletions;  // form minus 1 char
  for (uint32_t s = 0; s < surface_forms.size(); ++s) {
    const std::string& form = surface_forms[s];
    if (surface_by_length.size() <= form.size()) surface_by_length.resize(form.size() + 1);
    surface_by_length[form.size()].push_back(s);
    if (form.size() < 4) continue;
    for (size_t i = 0; i < form.size(); ++i) {
      std::string del = form;
      del.erase(i, 1);
      auto& list = deletions[del];
      if (list.empty() || list.back() != s) list.push_back(s);
    }
  }

  // Dictionary and stop phrases, as word ids.
  for (const auto& syn : search_internal::Synonyms()) {
    Phrase ph{PhraseWords(syn.from), PhraseWords(syn.to)};
    if (ph.from.empty() || ph.to.empty()) continue;
    synonyms_first[ph.from[0]].push_back(static_cast<uint32_t>(synonyms.size()));
    synonyms.push_back(std::move(ph));
  }
  word_df.resize(words.size(), 0);
  word_lang.resize(words.size(), 0);
  term_table.Build(terms);
  terms = {};
  word_table.Build(words);
  surface_table.Build(surface);
  words = {};
  surface = {};
  {
    std::unordered_map<std::string, uint32_t> deletion_ids;
    std::unordered_map<uint32_t, std::vector<uint32_t>> lists;
    for (auto& [form, list] : deletions) {
      const auto id = static_cast<uint32_t>(deletion_ids.size());
      deletion_ids.emplace(form, id);
      lists.emplace(id, std::move(list));
    }
    deletion_table.Build(deletion_ids);
    deletion_lists.Build(lists, deletion_ids.size());
  }
  stops_by_first.Build(stops_first, word_df.size());
  synonyms_by_first.Build(synonyms_first, word_df.size());

  name_token_begin.reserve(2 * n + 1);
  name_word_begin.reserve(2 * n + 1);
  name_token_begin.push_back(0);
  name_word_begin.push_back(0);
  std::vector<uint32_t> ids;
  auto add_name = [&](const std::vector<NameToken>& tokens) {
    ids.clear();
    for (const auto& t : tokens) {
      name_tokens.push_back(
          NameWord{t.word, static_cast<uint32_t>(t.span.begin), static_cast<uint32_t>(t.span.end)});
      ids.push_back(t.word);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    name_words.insert(name_words.end(), ids.begin(), ids.end());
    name_token_begin.push_back(static_cast<uint32_t>(name_tokens.size()));
    name_word_begin.push_back(static_cast<uint32_t>(name_words.size()));
  };
  for (uint32_t d = 0; d < n; ++d) {
    add_name(name_vi_tokens[d]);
    add_name(name_en_tokens[d]);
  }

  by_name.resize(n);
  std::vector<std::string> folded_names(n);
  for (uint32_t d = 0; d < n; ++d) {
    by_name[d] = d;
    folded_names[d] = text::Fold(procs[d].name_vi);
  }
  std::stable_sort(by_name.begin(), by_name.end(),
                   [&](uint32_t a, uint32_t b) { return folded_names[a] < folded_names[b]; });
}

uint32_t SearchIndex::Impl::Correct(const std::string& folded) const {
  if (folded.size() < 4) return kNoWord;
  const int max = folded.size() >= 8 ? 2 : 1;
  uint32_t best = kNoWord;
  int best_distance = max + 1;
  uint32_t best_df = 0;
  auto consider = [&](uint32_t s) {
    const int d = BoundedEditDistance(folded, surface_forms[s], max);
    if (d > max) return;
    const uint32_t w = surface_word[s];
    if (word_df[w] == 0) return;
    if (d < best_distance || (d == best_distance && word_df[w] > best_df)) {
      best = w;
      best_distance = d;
      best_df = word_df[w];
    }
  };
  // Deletion neighbourhood: the query with one letter too many, too few, or one wrong/swapped.
  for (uint32_t s : deletion_lists.Of(deletion_table.Find(folded))) consider(s);
  std::string del;
  for (size_t i = 0; i < folded.size(); ++i) {
    del.assign(folded).erase(i, 1);
    if (const uint32_t s = surface_table.Find(del); s != kNoWord) consider(s);
    for (uint32_t s : deletion_lists.Of(deletion_table.Find(del))) consider(s);
  }
  if (best == kNoWord && max == 2) {
    // Long words only: a scan of the words of similar length.
    const size_t lo = folded.size() - 2;
    const size_t hi = std::min(folded.size() + 2, surface_by_length.size() - 1);
    for (size_t len = lo; len <= hi && len < surface_by_length.size(); ++len) {
      for (uint32_t s : surface_by_length[len]) consider(s);
    }
  }
  return best;
}

bool SearchIndex::Impl::Passes(uint32_t doc, const SearchQuery& q, std::string_view field) const {
  const Procedure& p = procs[doc];
  if (q.level && p.level != *q.level) return false;
  if (q.online && p.online != *q.online) return false;
  if (q.field && field_of[doc] != field) return false;
  return true;
}

void SearchIndex::Impl::FillSpans(uint32_t doc, const uint8_t* marks, SearchHit& hit) const {
  auto fill = [&](size_t name, std::vector<Span>& out) {
    const NameWord* const begin = name_tokens.data() + name_token_begin[name];
    const NameWord* const end = name_tokens.data() + name_token_begin[name + 1];
    size_t count = 0;
    for (const NameWord* t = begin; t != end; ++t) count += marks[t->word];
    if (count == 0) return;
    out.reserve(count);
    for (const NameWord* t = begin; t != end; ++t) {
      if (marks[t->word] != 0) out.push_back(Span{t->begin, t->end});
    }
  };
  fill(2 * size_t{doc}, hit.name_vi_spans);
  fill(2 * size_t{doc} + 1, hit.name_en_spans);
}

float SearchIndex::Impl::NamePrecision(uint32_t doc, const uint8_t* marks) const {
  auto share = [&](size_t name) {
    const uint32_t begin = name_word_begin[name];
    const uint32_t end = name_word_begin[name + 1];
    if (begin == end) return 0.0f;
    size_t hit = 0;
    for (uint32_t i = begin; i < end; ++i) hit += marks[name_words[i]];
    return static_cast<float>(hit) / static_cast<float>(end - begin);
  };
  return std::max(share(2 * size_t{doc}), share(2 * size_t{doc} + 1));
}

SearchResult SearchIndex::Impl::List(const SearchQuery& q) const {
  SearchResult result;
  const std::string field = q.field ? text::ToNfc(*q.field) : std::string();
  for (uint32_t doc : by_name) {
    if (!Passes(doc, q, field)) continue;
    if (result.total >= q.offset && result.hits.size() < q.limit) {
      result.hits.push_back(SearchHit{&procs[doc], 0.0, {}, {}});
    }
    ++result.total;
  }
  result.confident = false;
  return result;
}

SearchResult SearchIndex::Impl::Search(const SearchQuery& q) const {
  Scratch& sc = ThreadScratch(procs.size(), word_df.size());
  std::vector<text::Token>& tokens = sc.tokens;
  const bool all_ascii = IsAscii(q.text);
  if (all_ascii) {
    TokenizeAscii(q.text, tokens);  // most queries are typed without diacritics
  } else {
    tokens = text::Tokenize(q.text);
  }
  if (tokens.empty()) return List(q);
  if (tokens.size() > kMaxQueryWords) tokens.resize(kMaxQueryWords);
  const size_t nw = tokens.size();

  // 1. Resolve each word: exact, else Telex, else a typo correction.
  std::array<QueryWord, kMaxQueryWords> qw{};
  for (size_t i = 0; i < nw; ++i) {
    const std::string& folded = tokens[i].folded;
    uint32_t w = FindWord(IndexKey(folded));
    if (w == kNoWord) {
      const std::string decoded = TelexDecode(folded);
      if (decoded != folded) w = FindWord(IndexKey(decoded));
      if (w == kNoWord) {
        w = Correct(decoded);
        if (w == kNoWord && decoded != folded) w = Correct(folded);
        qw[i].corrected = w != kNoWord;
      }
    }
    qw[i].word = w;
  }

  // 2. Stop phrases (longest match wins). English function words only count in an English
  // query: "can", "to", "the" are also "căn", "tờ", "thẻ" typed without diacritics.
  std::array<bool, kMaxQueryWords> ascii{};
  int english_words = 0;
  int vietnamese_words = 0;
  for (size_t i = 0; i < nw; ++i) {
    ascii[i] = all_ascii || IsAscii(std::string_view(q.text).substr(
                                tokens[i].begin, tokens[i].end - tokens[i].begin));
    if (qw[i].word == kNoWord) continue;
    if (word_lang[qw[i].word] == 2) ++english_words;
    if (word_lang[qw[i].word] == 1) ++vietnamese_words;
  }
  const bool english = all_ascii && english_words > vietnamese_words;
  for (size_t i = 0; i < nw;) {
    size_t best = 0;
    if (qw[i].word != kNoWord) {
      for (uint32_t s : stops_by_first.Of(qw[i].word)) {
        const StopPhrase& ph = stops[s];
        if (ph.english != english || ph.words.size() <= best || i + ph.words.size() > nw) continue;
        bool match = true;
        for (size_t k = 0; k < ph.words.size() && match; ++k) {
          match = qw[i + k].word == ph.words[k];
        }
        if (match && ph.words.size() == 1 && !english) {
          match = ascii[i] ? ph.ascii_ok
                           : text::Canonical(std::string_view(q.text).substr(
                                 tokens[i].begin, tokens[i].end - tokens[i].begin)) == ph.canonical;
        }
        if (match) best = ph.words.size();
      }
    }
    for (size_t k = 0; k < best; ++k) qw[i + k].stop = true;
    i += best == 0 ? 1 : best;
  }
  uint64_t content_mask = 0;
  for (size_t i = 0; i < nw; ++i) {
    if (!qw[i].stop) content_mask |= uint64_t{1} << i;
  }
  const uint64_t all_words = (uint64_t{1} << nw) - 1;
  if (content_mask == 0) {
    // Only stop words ("cho", "how to"): take them at face value.
    for (size_t i = 0; i < nw; ++i) qw[i].stop = false;
    content_mask = all_words;
  }

  // 3. Query terms: unigrams, bigrams, dictionary expansions.
  sc.terms.clear();
  std::vector<uint32_t>& highlight = sc.highlight;  // word ids of the query and its expansions
  highlight.clear();
  const auto rare_df =
      static_cast<uint32_t>(std::max(1.0f, kRareWordShare * static_cast<float>(procs.size())));
  auto add_term = [&](uint64_t key, float weight, uint64_t mask, bool strong, bool rare_ok) {
    const uint32_t term = term_table.Find(key);
    if (term == kNoWord) return;
    if (rare_ok && term_df[term] <= rare_df) strong = true;
    const uint64_t full = strong ? mask | (mask << 32) : mask;
    for (auto& t : sc.terms) {
      if (t.term == term) {
        t.weight = std::max(t.weight, weight);
        t.mask |= full;
        return;
      }
    }
    sc.terms.push_back(QueryTerm{term, weight, full});
  };
  for (size_t i = 0; i < nw; ++i) {
    if (qw[i].word == kNoWord) continue;
    const uint64_t bit = uint64_t{1} << i;
    const float weight =
        qw[i].stop ? kStopWeight : (qw[i].corrected ? kCorrectedWeight : kWordWeight);
    // A rare word is strong evidence, unless it is a typo fix (a guess that may fit anything).
    // Stop words alone never make a match, so their (long, low-weight) posting lists are skipped
    // unless the whole query is stop words.
    if (!qw[i].stop) {
      add_term(qw[i].word, weight, bit, false, !qw[i].corrected);
    }
    if (!qw[i].stop) highlight.push_back(qw[i].word);
    if (i + 1 < nw && qw[i + 1].word != kNoWord) {
      const bool weak = qw[i].stop || qw[i + 1].stop;
      add_term(BigramKey(qw[i].word, qw[i + 1].word), weak ? kStopBigramWeight : kBigramWeight,
               bit | (bit << 1), !weak, false);
    }
  }
  for (size_t i = 0; i < nw; ++i) {
    if (qw[i].word == kNoWord) continue;
    for (uint32_t s : synonyms_by_first.Of(qw[i].word)) {
      const Phrase& ph = synonyms[s];
      if (i + ph.from.size() > nw) continue;
      uint64_t mask = 0;
      bool match = true;
      for (size_t k = 0; k < ph.from.size() && match; ++k) {
        match = qw[i + k].word == ph.from[k];
        mask |= uint64_t{1} << (i + k);
      }
      if (!match) continue;
      for (size_t k = 0; k < ph.to.size(); ++k) {
        add_term(ph.to[k], kExpansionWeight, mask, ph.to.size() == 1, false);
        highlight.push_back(ph.to[k]);
        if (k + 1 < ph.to.size()) {
          add_term(BigramKey(ph.to[k], ph.to[k + 1]), kExpansionBigramWeight, mask, true, false);
        }
      }
    }
  }

  // 4. Accumulate impacts. Raw pointers: the compiler cannot prove the vectors' buffers do not
  // alias the floats it writes, and would reload them from thread-local storage every posting.
  // When the posting lists cover a good share of the catalogue, every procedure is scanned
  // afterwards; otherwise the procedures touched are listed (branch-free) as they are met.
  const size_t n = procs.size();
  size_t total_postings = 0;
  for (const QueryTerm& t : sc.terms) total_postings += post_begin[t.term + 1] - post_begin[t.term];
  const bool dense = total_postings >= n;
  Accumulator* const acc = sc.acc.data();
  uint32_t* const touched = sc.touched.data();
  size_t touched_count = 0;
  for (const QueryTerm& t : sc.terms) {
    const Posting* p = postings.data() + post_begin[t.term];
    const Posting* const end = postings.data() + post_begin[t.term + 1];
    const float weight = t.weight;
    const uint64_t mask = t.mask;
    if (dense) {
      for (; p != end; ++p) {
        Accumulator& a = acc[p->doc];
        a.score += weight * p->impact;
        a.mask |= mask;
      }
    } else {
      for (; p != end; ++p) {
        const uint32_t doc = p->doc;
        Accumulator& a = acc[doc];
        touched[touched_count] = doc;
        touched_count += a.mask == 0 ? 1 : 0;
        a.score += weight * p->impact;
        a.mask |= mask;
      }
    }
  }

  // 5. Coverage, filters and the head. The coverage factor depends only on the number of words
  // matched. Most candidates score far below the best, so a pass keeps only those at or above a
  // share of the best score seen so far; when the head of the kept ones all score at least that
  // share of the final best, nothing left out (scoring strictly less) could have reached the
  // head, and the head is exact. Otherwise the pass is repeated with a lower share, finally
  // keeping everything. The accumulators stay untouched until the head is chosen.
  const bool filtered = q.level || q.online || q.field;
  const std::string field = q.field ? text::ToNfc(*q.field) : std::string();
  const auto content_words = static_cast<float>(CountBits(content_mask));
  std::array<float, kMaxQueryWords + 1> factor{};
  for (size_t k = 0; k <= kMaxQueryWords; ++k) {
    const float coverage = static_cast<float>(k) / content_words;
    factor[k] = kCoverageFloor + (1.0f - kCoverageFloor) * coverage * coverage;
  }
  Candidate* const candidates = sc.ranked.data();
  size_t total = 0;
  size_t head = 0;
  for (const float share : kSelectShares) {
    size_t kept = 0;
    float best = 0.0f;
    // Branch-free (whether a procedure matched is unpredictable), on locals so they stay in
    // registers; a query of at most 8 words counts its matched words with one look-up.
    auto scan = [&]<bool kFiltered, bool kNarrow>(const uint32_t* docs, size_t count) {
      size_t kept_here = 0;
      size_t total_here = 0;
      // Scores are never negative, so their bit patterns order like the floats: the running
      // best is an integer max (a short loop-carried dependency).
      uint32_t best_bits = 0;
      for (size_t i = 0; i < count; ++i) {
        const uint32_t doc = docs == nullptr ? static_cast<uint32_t>(i) : docs[i];
        const Accumulator a = acc[doc];
        const uint64_t matched = a.mask & content_mask;
        bool ok = matched != 0;
        if constexpr (kFiltered) ok = ok && Passes(doc, q, field);
        const auto words_matched =
            kNarrow ? size_t{kByteBits[matched & 0xFF]} : static_cast<size_t>(CountBits(matched));
        const float score = a.score * factor[words_matched];
        const uint32_t bits = std::bit_cast<uint32_t>(score) & (0u - static_cast<uint32_t>(ok));
        best_bits = bits > best_bits ? bits : best_bits;
        candidates[kept_here] = Candidate{score, doc};
        kept_here += static_cast<size_t>(ok & (score >= share * std::bit_cast<float>(best_bits)));
        total_here += static_cast<size_t>(ok);
      }
      kept = kept_here;
      total = total_here;
      best = std::bit_cast<float>(best_bits);
    };
    const uint32_t* const docs = dense ? nullptr : touched;
    const size_t count = dense ? n : touched_count;
    if (filtered) {
      scan.template operator()<true, false>(docs, count);
    } else if (content_mask <= 0xFF) {
      scan.template operator()<false, true>(docs, count);
    } else {
      scan.template operator()<false, false>(docs, count);
    }
    head = std::min(total, std::max(kRerankDepth, q.offset + q.limit));
    if (kept < head) continue;
    std::partial_sort(candidates, candidates + head, candidates + kept, ByScore{});
    if (head == 0 || candidates[head - 1].score >= share * best) break;
  }
  auto reset = [&] {
    if (dense) {
      if (n != 0) std::memset(static_cast<void*>(acc), 0, n * sizeof(Accumulator));
    } else {
      for (size_t i = 0; i < touched_count; ++i) acc[touched[i]] = Accumulator{0, 0.0f};
    }
  };

  // 6. Re-rank the head by how much of each name the query covers.
  SearchResult result;
  result.total = total;
  if (total == 0) {
    reset();
    return result;
  }
  Candidate* const head_end = candidates + head;
  uint8_t* const marks = sc.word_marks.data();
  for (uint32_t w : highlight) marks[w] = 1;
  // The names of the head are scattered over memory that is usually cold: ask for all of them
  // before reading any.
  for (const Candidate* it = candidates; it != head_end; ++it) {
    __builtin_prefetch(name_words.data() + name_word_begin[2 * size_t{it->doc}]);
    __builtin_prefetch(name_tokens.data() + name_token_begin[2 * size_t{it->doc}]);
  }
  for (Candidate* it = candidates; it != head_end; ++it) {
    it->score *= 1.0f + kNamePrecisionBonus * NamePrecision(it->doc, marks);
  }
  std::sort(candidates, head_end, ByScore{});

  const uint64_t strong = (acc[candidates[0].doc].mask >> 32) & content_mask;
  reset();
  result.confident =
      static_cast<float>(CountBits(strong)) / content_words > kConfidentStrongCoverage;
  const size_t end = std::min(total, q.offset + q.limit);  // within the head
  if (end > q.offset) result.hits.reserve(end - q.offset);
  for (size_t i = q.offset; i < end; ++i) {
    SearchHit hit{&procs[candidates[i].doc], candidates[i].score, {}, {}};
    FillSpans(candidates[i].doc, marks, hit);
    result.hits.push_back(std::move(hit));
  }
  for (uint32_t w : highlight) marks[w] = 0;
  return result;
}

SearchIndex::SearchIndex(std::vector<Procedure> procedures)
    : impl_(std::make_unique<Impl>(std::move(procedures))) {}

SearchIndex::~SearchIndex() = default;

SearchResult SearchIndex::Search(const SearchQuery& query) const { return impl_->Search(query); }

const std::vector<Procedure>& SearchIndex::procedures() const { return impl_->procs; }

const Procedure* SearchIndex::Find(std::string_view code) const {
  auto it = impl_->code_to_doc.find(std::string(code));
  return it == impl_->code_to_doc.end() ? nullptr : &impl_->procs[it->second];
}

}  // namespace motcua::catalog
