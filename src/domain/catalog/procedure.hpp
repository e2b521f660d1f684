#pragma once
// A public administrative procedure (thủ tục hành chính) and the rules in force over time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace motcua::catalog {

// Who handles it after the 2025 two-tier reform.
enum class Level { kCommune, kCity, kCentralPolice };
// How much of it can be done online.
enum class OnlineLevel { kFull, kPartial, kNone };

std::string_view ToString(Level level);         // "commune" | "city" | "central_police"
std::string_view ToString(OnlineLevel online);  // "full" | "partial" | "none"
std::optional<Level> ParseLevel(std::string_view s);
std::optional<OnlineLevel> ParseOnlineLevel(std::string_view s);

// The rules that change over time. A dossier keeps the rules in force on the day it was received,
// so a change of fee or time limit is a new version with its own effective date.
// nullopt means "not confirmed": never compute a due date or charge a fee from it.
struct ProcedureRules {
  Date effective_from;
  std::optional<int> processing_days;  // legal time limit in working days; 0 = same day
  std::optional<int64_t> fee_vnd;      // 0 = free
  friend bool operator==(const ProcedureRules&, const ProcedureRules&) = default;
};

struct Procedure {
  // The national procedure code (e.g. "1.004222"). A record without one gets a stable local code
  // "local-<hash>" and has_national_code = false.
  std::string code;
  bool has_national_code = true;
  std::string name_vi;
  std::string name_en;
  std::string field;  // lĩnh vực, Vietnamese, e.g. "Cư trú"
  Level level = Level::kCommune;
  OnlineLevel online = OnlineLevel::kNone;
  std::vector<std::string> documents;
  std::vector<std::string> keywords;  // colloquial names people use
  std::string agency;
  std::string source;
  std::string notes;
  std::vector<ProcedureRules> rules;  // ascending by effective_from; never empty once stored

  // The rules in force on `day`, or nullptr when the procedure had no rules yet.
  const ProcedureRules* RulesOn(Date day) const;
};

// The code given to a record that has none: "local-" + 8 hex digits of a hash of its name,
// so re-importing the same file gives the same code.
std::string LocalCodeFor(std::string_view name_vi);

// Checks one procedure as it comes from an import file; the error names the field.
Status Validate(const Procedure& p);

// English name of a field (lĩnh vực); the Vietnamese name when unknown.
std::string_view FieldNameEn(std::string_view field_vi);

}  // namespace motcua::catalog
