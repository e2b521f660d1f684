// The index build: SearchIndex::Impl's constructor and the vocabulary helpers it uses. Tokenises
// every field of every procedure into word ids and bigram terms, folds BM25F field weights,
// length normalisation and idf into a precomputed impact per posting (pruning the weakest),
// builds the typo-correction tables over the surface forms, interns the dictionary and stop
// phrases, lays out the flat name arrays used for highlighting, and orders procedures by name.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/vn_text.hpp"
#include "domain/catalog/search_index_impl.hpp"
#include "domain/catalog/search_text.hpp"

namespace motcua::catalog {
namespace {

using search_index_internal::BigramKey;
using search_index_internal::kNoWord;
using search_index_internal::NameWord;
using search_index_internal::Phrase;
using search_index_internal::Posting;
using search_internal::IndexKey;

enum FieldIndex : size_t { kNameVi, kKeywords, kNameEn, kFieldName, kDocuments, kAgency, kFields };
constexpr std::array<float, kFields> kFieldWeight = {3.0f, 2.0f, 2.0f, 1.0f, 0.3f, 0.3f};
constexpr std::array<float, kFields> kFieldB = {0.5f, 0.3f, 0.5f, 0.0f, 0.75f, 0.5f};
constexpr float kK1 = 1.2f;
constexpr float kPruneShare = 0.2f;  // see the build: postings below this share of the best

struct NameToken {
  uint32_t word;
  Span span;
};

}  // namespace

uint32_t SearchIndex::Impl::InternWord(const std::string& key) {
  auto [it, inserted] = words.try_emplace(key, static_cast<uint32_t>(word_df.size()));
  if (inserted) word_df.push_back(0);
  return it->second;
}

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

}  // namespace motcua::catalog
