// Highlighting and name precision: which words of a procedure's names the query (with its
// dictionary expansions) matched. FillSpans turns them into the byte spans of a hit;
// NamePrecision gives the share of a name the query covers, which Search uses to re-rank the
// head so that a name the query covers beats a long procedure that merely mentions its words.
// Both read the flat name arrays and a per-word mark array set by Search.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "domain/catalog/search_index_impl.hpp"

namespace motcua::catalog {

using search_index_internal::NameWord;

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

}  // namespace motcua::catalog
