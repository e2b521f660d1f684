// Fuzzes api::ParseProcedures: the body of the admin catalogue import (POST with a JSON array).
// It must never crash or throw. Its output then goes where the server sends it: the records that
// CatalogService::Import would accept (each passes catalog::Validate, codes unique) are rendered
// to JSON and indexed for search, which must not crash either.
//
// ParseProcedures checks the shape of each record and leaves the rules (code format, blank names)
// to Validate, which Import runs: every caller goes through Import. Set
// MOTCUA_FUZZ_STRICT_VALIDATE=1 to require that ParseProcedures alone only returns records that
// pass Validate (a stricter contract than the code has today; the first input fails).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/procedure_json.hpp"
#include "core/date.hpp"
#include "core/vn_text.hpp"
#include "domain/catalog/procedure.hpp"
#include "domain/catalog/search_index.hpp"
#include "fuzz_check.hpp"

namespace {

bool Strict() {
  static const bool strict = [] {
    const char* v = std::getenv("MOTCUA_FUZZ_STRICT_VALIDATE");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return strict;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace api = motcua::api;
  namespace catalog = motcua::catalog;
  using motcua::text::IsValidUtf8;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const motcua::Date effective = *motcua::Date::FromYmd(2025, 7, 1);

  auto parsed = api::ParseProcedures(in, effective);  // an exception here fails the run
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.error().code == motcua::ErrorCode::kInvalidArgument);
    // Error messages quote record codes: they must stay valid UTF-8 for the problem+json body.
    FUZZ_CHECK(IsValidUtf8(parsed.error().message_en) && IsValidUtf8(parsed.error().message_vi));
    return 0;
  }
  std::vector<catalog::Procedure> accepted;
  std::set<std::string> codes;
  for (catalog::Procedure& p : *parsed) {
    // Whatever else is wrong with a record, its text is valid UTF-8: storage relies on it.
    FUZZ_CHECK(IsValidUtf8(p.code) && IsValidUtf8(p.name_vi) && IsValidUtf8(p.name_en));
    FUZZ_CHECK(IsValidUtf8(p.field) && IsValidUtf8(p.agency) && IsValidUtf8(p.source));
    FUZZ_CHECK(IsValidUtf8(p.notes));
    for (const auto& d : p.documents) FUZZ_CHECK(IsValidUtf8(d));
    for (const auto& k : p.keywords) FUZZ_CHECK(IsValidUtf8(k));
    FUZZ_CHECK(p.rules.size() == 1 && p.rules[0].effective_from == effective);
    FUZZ_CHECK(p.RulesOn(effective) != nullptr);

    const motcua::Status valid = catalog::Validate(p);
    if (Strict()) FUZZ_CHECK(valid.ok());
    if (!valid.ok()) {
      FUZZ_CHECK(valid.error().code == motcua::ErrorCode::kInvalidArgument);
      continue;
    }
    // Rendering must give valid JSON (JsonWriter escapes control characters and quotes).
    FUZZ_CHECK(nlohmann::json::accept(api::ProcedureDetailJson(p, effective)));
    if (codes.insert(p.code).second) accepted.push_back(std::move(p));
  }
  // Indexing the accepted records and searching them by their own names must not crash.
  if (!accepted.empty()) {
    std::vector<std::string> names;
    for (const auto& p : accepted) names.push_back(p.name_vi);
    catalog::SearchIndex index(std::move(accepted));
    for (const auto& name : names) {
      catalog::SearchQuery q;
      q.text = name;
      const auto result = index.Search(q);
      FUZZ_CHECK(result.hits.size() <= q.limit && result.total >= result.hits.size());
      FUZZ_CHECK(!result.hits.empty());  // a procedure is found by its own name
      // The hit list renders as the search endpoint renders it.
      api::JsonWriter w;
      w.BeginArray();
      for (const auto& hit : result.hits) {
        api::WriteProcedureSummary(w, *hit.procedure, effective, &hit);
      }
      w.EndArray();
      FUZZ_CHECK(nlohmann::json::accept(w.Take()));
    }
  }
  return 0;
}
