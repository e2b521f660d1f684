#include "api/procedure_json.hpp"

#include <nlohmann/json.hpp>

#include "core/vn_text.hpp"

namespace motcua::api {
namespace {

using catalog::Procedure;
using nlohmann::json;

Error FieldError(size_t index, const std::string& code, const std::string& field,
                 const std::string& vi, const std::string& en) {
  const std::string who = code.empty() ? "" : " (" + code + ")";
  return MakeError(
      ErrorCode::kInvalidArgument,
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

// Writes a name as consecutive segments, matched or not; joined they give the name back.
// Matched words separated only by spaces read as one highlighted phrase.
void WriteSegments(JsonWriter& w, const std::string& name,
                   const std::vector<catalog::Span>& spans) {
  struct Segment {
    size_t begin, end;
    bool match;
  };
  std::vector<Segment> segments;
  auto add = [&](size_t b, size_t e, bool match) {
    if (e <= b) return;
    if (!segments.empty() && segments.back().match == match && segments.back().end == b) {
      segments.back().end = e;
    } else {
      segments.push_back({b, e, match});
    }
  };
  size_t pos = 0;
  for (const auto& s : spans) {
    if (s.begin < pos || s.end > name.size() || s.begin >= s.end) continue;
    const std::string_view gap = std::string_view(name).substr(pos, s.begin - pos);
    const bool joins = !segments.empty() && segments.back().match &&
                       gap.find_first_not_of(' ') == std::string_view::npos;
    add(pos, s.begin, joins);
    add(s.begin, s.end, true);
    pos = s.end;
  }
  add(pos, name.size(), false);
  w.BeginArray();
  for (const auto& seg : segments) {
    w.BeginObject()
        .Key("text")
        .String(std::string_view(name).substr(seg.begin, seg.end - seg.begin))
        .Key("match")
        .Bool(seg.match)
        .EndObject();
  }
  w.EndArray();
}

void WriteRules(JsonWriter& w, const catalog::ProcedureRules* rules) {
  w.Key("processing_days");
  if (rules && rules->processing_days) {
    w.Int(*rules->processing_days);
  } else {
    w.Null();
  }
  w.Key("fee_vnd").OptionalInt(rules ? rules->fee_vnd : std::nullopt);
}

// The fields every procedure object has: identity, names, classification, rules on `day`.
void WriteCommon(JsonWriter& w, const Procedure& p, Date day) {
  w.Key("code").String(p.code);
  w.Key("has_national_code").Bool(p.has_national_code);
  w.Key("name_vi").String(p.name_vi);
  w.Key("name_en").String(p.name_en);
  w.Key("field").String(p.field);
  w.Key("field_en").String(catalog::FieldNameEn(p.field));
  w.Key("level").String(catalog::ToString(p.level));
  w.Key("online").String(catalog::ToString(p.online));
  w.Key("agency").String(p.agency);
  const catalog::ProcedureRules* rules = p.RulesOn(day);
  if (!rules && !p.rules.empty()) rules = &p.rules.front();  // not yet in force: show the first
  WriteRules(w, rules);
  w.Key("rules_effective_from");
  if (rules) {
    w.String(rules->effective_from.ToIso());
  } else {
    w.Null();
  }
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

void WriteProcedureSummary(JsonWriter& w, const Procedure& p, Date day,
                           const catalog::SearchHit* hit) {
  static const std::vector<catalog::Span> kNone;
  w.BeginObject();
  WriteCommon(w, p, day);
  w.Key("score").Double(hit ? hit->score : 0.0);
  w.Key("highlight").BeginObject();
  w.Key("name_vi");
  WriteSegments(w, p.name_vi, hit ? hit->name_vi_spans : kNone);
  w.Key("name_en");
  WriteSegments(w, p.name_en, hit ? hit->name_en_spans : kNone);
  w.EndObject();
  w.EndObject();
}

std::string ProcedureDetailJson(const Procedure& p, Date day) {
  JsonWriter w;
  w.Reserve(4096);
  w.BeginObject();
  WriteCommon(w, p, day);
  w.Key("documents").StringArray(p.documents);
  w.Key("keywords").StringArray(p.keywords);
  w.Key("notes").String(p.notes);
  w.Key("source").String(p.source);
  w.Key("rule_history").BeginArray();
  for (const auto& r : p.rules) {
    w.BeginObject().Key("effective_from").String(r.effective_from.ToIso());
    WriteRules(w, &r);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace motcua::api
