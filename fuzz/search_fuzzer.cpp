// Fuzzes catalog::SearchIndex::Search with arbitrary query text against the real catalogue
// (data/procedures.json, or the file named by MOTCUA_PROCEDURES), as GET /api/v1/procedures?q=
// does. The server checks UTF-8 before searching, so only valid UTF-8 reaches Search here.
//
// Input layout: byte 0 selects filters and normalisation, bytes 1-2 the offset, byte 3 the limit;
// the rest is the query text.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "api/procedure_json.hpp"
#include "core/date.hpp"
#include "core/vn_text.hpp"
#include "domain/catalog/search_index.hpp"
#include "fuzz_check.hpp"

namespace {

namespace catalog = motcua::catalog;

struct Catalogue {
  std::unique_ptr<catalog::SearchIndex> index;
  std::vector<std::string> fields;  // the distinct fields, to filter by real values
};

const Catalogue& Load() {
  static const Catalogue* catalogue = [] {
    const char* path = std::getenv("MOTCUA_PROCEDURES");
    if (path == nullptr) path = MOTCUA_PROCEDURES_JSON;
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = motcua::api::ParseProcedures(text.str(), *motcua::Date::FromYmd(2025, 7, 1));
    if (!file || !parsed.ok() || parsed->empty()) {
      std::fprintf(stderr, "search_fuzzer: cannot load the catalogue %s\n", path);
      std::exit(2);
    }
    auto* c = new Catalogue;
    std::set<std::string> fields;
    for (const auto& p : *parsed) fields.insert(p.field);
    c->fields.assign(fields.begin(), fields.end());
    c->index = std::make_unique<catalog::SearchIndex>(std::move(*parsed));
    return c;
  }();
  return *catalogue;
}

void CheckSpans(const std::vector<catalog::Span>& spans, const std::string& name) {
  for (const auto& s : spans) {
    FUZZ_CHECK(s.begin < s.end && s.end <= name.size());
    // Highlights are cut out of the name: they must fall on character boundaries.
    FUZZ_CHECK(motcua::text::IsValidUtf8(std::string_view(name).substr(s.begin, s.end - s.begin)));
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Load();  // once, before the clock of the first input starts
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const Catalogue& c = Load();
  const uint8_t flags = data[0];
  catalog::SearchQuery q;
  q.offset = (static_cast<size_t>(data[1]) << 8 | data[2]) % 300;  // the catalogue has ~130
  q.limit = data[3] % 101;                                         // the API allows 1..100
  std::string_view text(reinterpret_cast<const char*>(data + 4), size - 4);
  if (!motcua::text::IsValidUtf8(text)) return 0;
  // The API normalises to NFC; raw text also tests NFD and odd forms reaching the index.
  q.text = (flags & 1) ? motcua::text::ToNfc(text) : std::string(text);
  switch ((flags >> 1) & 3) {
    case 1:
      q.field = c.fields[(flags >> 3) % c.fields.size()];
      break;
    case 2:
      q.field = q.text;  // a field that matches nothing
      break;
    default:
      break;
  }
  if (flags & 0x20) q.level = static_cast<catalog::Level>((flags >> 6) % 3);
  if (flags & 0x80) q.online = static_cast<catalog::OnlineLevel>((flags >> 3) % 3);

  const catalog::SearchResult result = c.index->Search(q);
  FUZZ_CHECK(result.hits.size() <= q.limit);
  FUZZ_CHECK(result.total >= result.hits.size());
  if (!result.hits.empty()) FUZZ_CHECK(result.total >= q.offset + result.hits.size());
  const auto& all = c.index->procedures();
  std::set<const catalog::Procedure*> seen;
  for (const auto& hit : result.hits) {
    FUZZ_CHECK(hit.procedure >= all.data() && hit.procedure < all.data() + all.size());
    FUZZ_CHECK(seen.insert(hit.procedure).second);  // no procedure twice in a page
    FUZZ_CHECK(std::isfinite(hit.score));
    if (q.field) FUZZ_CHECK(hit.procedure->field == *q.field);
    if (q.level) FUZZ_CHECK(hit.procedure->level == *q.level);
    if (q.online) FUZZ_CHECK(hit.procedure->online == *q.online);
    CheckSpans(hit.name_vi_spans, hit.procedure->name_vi);
    CheckSpans(hit.name_en_spans, hit.procedure->name_en);
  }
  return 0;
}
