#include "api/procedure_json.hpp"

#include <nlohmann/json.hpp>

#include "core/vn_text.hpp"

namespace motcua::api {
namespace {

using nlohmann::json;
using catalog::Procedure;

Error FieldError(size_t index, const std::string& code, const std::string& field,
                 const std::string& vi, const std::string& en) {
  const std::string who = code.empty() ? "" : " (" + code + ")";
  return MakeError(ErrorCode::kInvalidArgument,
                   "Bản ghi #" + std::to_string(index + 1) + who + ", trường '" + field + "': " + vi,
                   "Record #" + std::to_string(index + 1) + who + ", field '" + field + "': " + en,
                   "/" + std::to_string(index) + "/" + field);
}

// Reads one record; returns an error naming the field that is wrong.
Result<Procedure> ParseRecord(const json& j, size_t index, Date effective_from) {
  if (!j.is_object()) {
    return FieldError(index, "", "", "phải là một đối tượng JSON", "must be a JSON object");
  }
  Procedure p;
  std::string code_for_errors;
  if (auto it = j.find("code"); it != j.end() && it->is_string()) code_for_errors = *it;

  auto text = [&](const char* key, bool required, std::string* out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return FieldError(index, code_for_errors, key, "bắt buộc", "is required");
      return OkStatus();
    }
    if (!it->is_string()) {
      return FieldError(index, code_for_errors, key, "phải là chuỗi", "must be a string");
    }
    *out = text::ToNfc(it->get_ref<const std::string&>());
    return OkStatus();
  };
  auto list = [&](const char* key, std::vector<std::string>* out) -> Status {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return OkStatus();
    if (!it->is_array()) {
      return FieldError(index, code_for_errors, key, "phải là mảng chuỗi",
                        "must be an array of strings");
    }
    for (const auto& v : *it) {
      if (!v.is_string()) {
        return FieldError(index, code_for_errors, key, "phải là mảng chuỗi",
                          "must be an array of strings");
      }
      out->push_back(text::ToNfc(v.get_ref<const std::string&>()));
    }
    return OkStatus();
  };
  auto optional_int = [&](const char* key, int64_t max, std::optional<int64_t>* out) -> Status {
    auto it = j.find(key);
    if (it == j.end()) {
      return FieldError(index, code_for_errors, key, "bắt buộc (dùng null nếu chưa xác định)",
                        "is required (null when not confirmed)");
    }
    if (it->is_null()) return OkStatus();
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > max) {
      return FieldError(index, code_for_errors, key,
                        "phải là số nguyên từ 0 đến " + std::to_string(max) + " hoặc null",
                        "must be an integer from 0 to " + std::to_string(max) + " or null");
    }
    *out = it->get<int64_t>();
    return OkStatus();
  };

  std::string level, online;
  for (Status st : {text("name_vi", true, &p.name_vi), text("name_en", true, &p.name_en),
                    text("field", true, &p.field), text("level", true, &level),
                    text("online", true, &online), text("agency", true, &p.agency),
                    text("source", false, &p.source), text("notes", false, &p.notes)}) {
    if (!st.ok()) return st.error();
  }
  if (auto it = j.find("code"); it == j.end() || it->is_null()) {
    p.code = catalog::LocalCodeFor(p.name_vi);
    p.has_national_code = false;
  } else if (it->is_string()) {
    p.code = it->get<std::string>();
  } else {
    return FieldError(index, "", "code", "phải là chuỗi hoặc null", "must be a string or null");
  }
  code_for_errors = p.code;
  const auto parsed_level = catalog::ParseLevel(level);
  if (!parsed_level) {
    return FieldError(index, p.code, "level", "phải là commune, city hoặc central_police",
                      "must be commune, city or central_police");
  }
  p.level = *parsed_level;
  const auto parsed_online = catalog::ParseOnlineLevel(online);
  if (!parsed_online) {
    return FieldError(index, p.code, "online", "phải là full, partial hoặc none",
                      "must be full, partial or none");
  }
  p.online = *parsed_online;
  if (Status st = list("documents", &p.documents); !st.ok()) return st.error();
  if (Status st = list("keywords", &p.keywords); !st.ok()) return st.error();
  std::optional<int64_t> days, fee;
  if (Status st = optional_int("processing_days", 3650, &days); !st.ok()) return st.error();
  if (Status st = optional_int("fee_vnd", 10'000'000'000, &fee); !st.ok()) return st.error();
  catalog::ProcedureRules rules;
  rules.effective_from = effective_from;
  if (days) rules.processing_days = static_cast<int>(*days);
  rules.fee_vnd = fee;
  p.rules.push_back(rules);
  return p;
}

json Segments(const std::string& name, const std::vector<catalog::Span>& spans) {
  json out = json::array();
  size_t pos = 0;
  auto add = [&](size_t b, size_t e, bool match) {
    if (e <= b) return;
    if (!out.empty() && out.back()["match"].get<bool>() == match) {
      out.back()["text"] = out.back()["text"].get<std::string>() + name.substr(b, e - b);
    } else {
      out.push_back({{"text", name.substr(b, e - b)}, {"match", match}});
    }
  };
  for (const auto& s : spans) {
    if (s.begin < pos || s.end > name.size() || s.begin >= s.end) continue;
    // Matched words separated only by spaces read as one highlighted phrase.
    const std::string_view gap = std::string_view(name).substr(pos, s.begin - pos);
    const bool joins = !out.empty() && out.back()["match"].get<bool>() &&
                       gap.find_first_not_of(' ') == std::string_view::npos;
    add(pos, s.begin, joins);
    add(s.begin, s.end, true);
    pos = s.end;
  }
  add(pos, name.size(), false);
  return out;
}

json OptionalNumber(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

void AddRules(json& out, const Procedure& p, Date day) {
  const catalog::ProcedureRules* rules = p.RulesOn(day);
  if (!rules && !p.rules.empty()) rules = &p.rules.front();  // not yet in force: show the first
  out["processing_days"] =
      rules && rules->processing_days ? json(*rules->processing_days) : json(nullptr);
  out["fee_vnd"] = rules ? OptionalNumber(rules->fee_vnd) : json(nullptr);
  out["rules_effective_from"] = rules ? json(rules->effective_from.ToIso()) : json(nullptr);
}

}  // namespace

Result<std::vector<Procedure>> ParseProcedures(std::string_view json_text, Date effective_from) {
  if (!text::IsValidUtf8(json_text)) {
    return MakeError(ErrorCode::kInvalidArgument, "Tệp không phải UTF-8 hợp lệ",
                     "The file is not valid UTF-8");
  }
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return MakeError(ErrorCode::kInvalidArgument, "Tệp không phải JSON hợp lệ",
                     "The file is not valid JSON");
  }
  if (!doc.is_array()) {
    return MakeError(ErrorCode::kInvalidArgument, "Tệp phải là một mảng JSON các thủ tục",
                     "The file must be a JSON array of procedures");
  }
  std::vector<Procedure> out;
  out.reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    auto p = ParseRecord(doc[i], i, effective_from);
    if (!p.ok()) return p.error();
    out.push_back(std::move(p).value());
  }
  return out;
}

json ProcedureSummary(const Procedure& p, Date day, const catalog::SearchHit* hit) {
  json out = {
      {"code", p.code},
      {"has_national_code", p.has_national_code},
      {"name_vi", p.name_vi},
      {"name_en", p.name_en},
      {"field", p.field},
      {"field_en", std::string(catalog::FieldNameEn(p.field))},
      {"level", std::string(catalog::ToString(p.level))},
      {"online", std::string(catalog::ToString(p.online))},
      {"agency", p.agency},
  };
  AddRules(out, p, day);
  out["score"] = hit ? hit->score : 0.0;
  const std::vector<catalog::Span> none;
  out["highlight"] = {{"name_vi", Segments(p.name_vi, hit ? hit->name_vi_spans : none)},
                      {"name_en", Segments(p.name_en, hit ? hit->name_en_spans : none)}};
  return out;
}

json ProcedureDetail(const Procedure& p, Date day) {
  json out = ProcedureSummary(p, day, nullptr);
  out.erase("score");
  out.erase("highlight");
  out["documents"] = p.documents;
  out["keywords"] = p.keywords;
  out["notes"] = p.notes;
  out["source"] = p.source;
  json history = json::array();
  for (const auto& r : p.rules) {
    history.push_back({{"effective_from", r.effective_from.ToIso()},
                       {"processing_days", r.processing_days ? json(*r.processing_days)
                                                             : json(nullptr)},
                       {"fee_vnd", OptionalNumber(r.fee_vnd)}});
  }
  out["rule_history"] = history;
  return out;
}

}  // namespace motcua::api
