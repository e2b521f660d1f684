#include "domain/catalog/search_index.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/catalog/search_index_impl.hpp"

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

// This file keeps the public SearchIndex methods. The index itself, SearchIndex::Impl, is in
// search_index_impl.hpp; it is built in search_index_build.cpp and queried in
// search_index_query.cpp (with the name marks of search_index_highlight.cpp).

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
