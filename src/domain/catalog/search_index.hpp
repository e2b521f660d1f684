#pragma once
// In-memory search over the procedure catalogue, built for the way people type Vietnamese:
// with or without diacritics, NFC or NFD, old or new tone placement, `đ` as `d`, Telex leftovers,
// colloquial names and abbreviations (CCCD, GPLX, sổ đỏ, hộ khẩu ...), small typos, and English.
//
// Immutable once built: Search() is const and thread-safe. Rebuild to change the catalogue.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/catalog/procedure.hpp"

namespace motcua::catalog {

struct SearchQuery {
  std::string text;  // may be empty: then every procedure that passes the filters, by name
  std::optional<std::string> field;
  std::optional<Level> level;
  std::optional<OnlineLevel> online;
  size_t offset = 0;
  size_t limit = 20;
};

// A matched stretch of a name, as byte offsets into that name.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

struct SearchHit {
  const Procedure* procedure = nullptr;  // points into the index; valid while the index lives
  double score = 0;                      // higher is better; comparable within one query only
  std::vector<Span> name_vi_spans;       // which words of name_vi matched
  std::vector<Span> name_en_spans;       // which words of name_en matched
};

struct SearchResult {
  size_t total = 0;  // matches before paging
  std::vector<SearchHit> hits;
  // False when the best match is weak (few query words matched anything): the caller should say
  // "not sure" instead of presenting the first hit as the answer.
  bool confident = false;
};

class SearchIndex {
 public:
  explicit SearchIndex(std::vector<Procedure> procedures);
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  SearchResult Search(const SearchQuery& query) const;

  const std::vector<Procedure>& procedures() const;
  const Procedure* Find(std::string_view code) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::catalog
