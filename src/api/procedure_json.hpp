#pragma once
// The procedure catalogue file format (data/procedures.json) and the API's procedure objects.

#include <string>
#include <string_view>
#include <vector>

#include "api/json_writer.hpp"
#include "core/date.hpp"
#include "core/result.hpp"
#include "domain/catalog/procedure.hpp"
#include "domain/catalog/search_index.hpp"

namespace motcua::api {

// Parses a catalogue file: a JSON array of procedure objects. Each procedure gets one rules entry
// (its fee and time limit) effective from `effective_from`. Errors name the record and the field.
Result<std::vector<catalog::Procedure>> ParseProcedures(std::string_view json_text,
                                                        Date effective_from);

// The list item: identity, names, classification, rules in force on `day`, and (for a search
// hit) score and highlight segments.
void WriteProcedureSummary(JsonWriter& w, const catalog::Procedure& p, Date day,
                           const catalog::SearchHit* hit);
// The whole procedure, with documents, notes and the history of its rules.
std::string ProcedureDetailJson(const catalog::Procedure& p, Date day);

}  // namespace motcua::api
