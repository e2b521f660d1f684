// The query path: SearchIndex::Impl::Search and what only it uses. Tokenises the query (a fast
// path for ASCII), resolves each word (exact, Telex, typo correction through the deletion
// neighbourhood), marks stop phrases, builds the weighted query terms (unigrams, bigrams,
// dictionary expansions), accumulates posting impacts in per-thread scratch, applies coverage
// and filters while selecting the top candidates, and re-ranks that head by name precision
// (search_index_highlight.cpp). Also the filter check and the listing of an empty query.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/vn_text.hpp"
#include "domain/catalog/search_index_impl.hpp"
#include "domain/catalog/search_text.hpp"

namespace motcua::catalog {
namespace {

using search_index_internal::BigramKey;
using search_index_internal::kNoWord;
using search_index_internal::Phrase;
using search_index_internal::Posting;
using search_internal::BoundedEditDistance;
using search_internal::IndexKey;
using search_internal::TelexDecode;

// One bit each in the low half of a uint64_t mask; the high half marks "strong" matches.
constexpr size_t kMaxQueryWords = 32;

// Query term weights.
constexpr float kWordWeight = 1.0f;
constexpr float kCorrectedWeight = 0.8f;  // a typo fix is a guess
// Edit distances computed per query for typo correction, at most: a real query needs a few
// dozen; a hostile one (many long random words) must not cost milliseconds on the event loop.
constexpr int kCorrectionBudget = 1500;
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
  bool dirty = false;            // a query threw half-way: clear everything before the next
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
  if (scratch.dirty) {
    std::fill(scratch.acc.begin(), scratch.acc.end(), Accumulator{0, 0.0f});
    std::fill(scratch.word_marks.begin(), scratch.word_marks.end(), 0);
    scratch.dirty = false;
  }
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

constexpr uint64_t kLowHalf = 0xFFFFFFFFull;

}  // namespace

uint32_t SearchIndex::Impl::FindWord(const std::string& key) const { return word_table.Find(key); }

uint32_t SearchIndex::Impl::Correct(const std::string& folded, int& budget) const {
  if (folded.size() < 4 || budget <= 0) return kNoWord;
  // No word of the vocabulary is within reach of a word this long: nothing to try (random long
  // strings cost nothing).
  if (folded.size() > surface_by_length.size() + 1) return kNoWord;
  const int max = folded.size() >= 8 ? 2 : 1;
  uint32_t best = kNoWord;
  int best_distance = max + 1;
  uint32_t best_df = 0;
  auto consider = [&](uint32_t s) {
    if (--budget < 0) return;  // this query has spent its correction work
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
  // Whatever throws below (an allocation), the next query on this thread starts clean.
  struct DirtyOnThrow {
    Scratch& s;
    const int exceptions = std::uncaught_exceptions();
    ~DirtyOnThrow() {
      if (std::uncaught_exceptions() > exceptions) s.dirty = true;
    }
  } guard{sc};
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
  int correction_budget = kCorrectionBudget;
  for (size_t i = 0; i < nw; ++i) {
    const std::string& folded = tokens[i].folded;
    uint32_t w = FindWord(IndexKey(folded));
    if (w == kNoWord) {
      const std::string decoded = TelexDecode(folded);
      if (decoded != folded) w = FindWord(IndexKey(decoded));
      if (w == kNoWord) {
        w = Correct(decoded, correction_budget);
        if (w == kNoWord && decoded != folded) w = Correct(folded, correction_budget);
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

}  // namespace motcua::catalog
