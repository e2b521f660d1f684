#include "api/organisation_api.hpp"

#include <nlohmann/json.hpp>

#include "api/catalog_api.hpp"
#include "api/params.hpp"
#include "core/vn_text.hpp"

namespace motcua::api {
namespace {

using nlohmann::json;
using organisation::ServicePoint;
using organisation::Unit;

Error Bad(const std::string& where, const std::string& field, const std::string& vi,
          const std::string& en) {
  return MakeError(ErrorCode::kInvalidArgument, where + ", trường '" + field + "': " + vi,
                   where + ", field '" + field + "': " + en, field);
}

bool IsTime(const std::string& s) {
  return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[3])) &&
         std::isdigit(static_cast<unsigned char>(s[4])) && s.substr(0, 2) < "24" &&
         s.substr(3, 2) < "60";
}

Status Text(const json& j, const char* key, const std::string& where, bool required,
            std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) return Bad(where, key, "bắt buộc", "is required");
    return OkStatus();
  }
  if (!it->is_string() || !text::IsValidUtf8(it->get_ref<const std::string&>())) {
    return Bad(where, key, "phải là chuỗi", "must be a string");
  }
  *out = text::ToNfc(it->get_ref<const std::string&>());
  if (required && out->empty()) return Bad(where, key, "không được để trống", "must not be empty");
  return OkStatus();
}

json HoursJson(const std::vector<organisation::OpeningHours>& hours) {
  json out = json::array();
  for (const auto& h : hours) {
    out.push_back({{"weekday", h.weekday},
                   {"morning", {h.morning_open, h.morning_close}},
                   {"afternoon", {h.afternoon_open, h.afternoon_close}}});
  }
  return out;
}

}  // namespace

Result<OrganisationSeed> ParseOrganisation(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "Tệp tổ chức phải là một đối tượng JSON",
                     "The organisation file must be a JSON object");
  }
  OrganisationSeed seed;
  const json units = doc.value("units", json::array());
  const json points = doc.value("service_points", json::array());
  if (!units.is_array() || !points.is_array()) {
    return MakeError(ErrorCode::kInvalidArgument, "units và service_points phải là mảng",
                     "units and service_points must be arrays");
  }
  for (size_t i = 0; i < units.size(); ++i) {
    const std::string where = "units #" + std::to_string(i + 1);
    Unit u;
    std::string kind;
    for (Status st :
         {Text(units[i], "code", where, true, &u.code),
          Text(units[i], "name", where, true, &u.name), Text(units[i], "kind", where, true, &kind),
          Text(units[i], "parent_code", where, false, &u.parent_code)}) {
      if (!st.ok()) return st.error();
    }
    auto k = organisation::ParseUnitKind(kind);
    if (!k)
      return Bad(where, "kind", "phải là province, commune hoặc ward",
                 "must be province, commune or ward");
    u.kind = *k;
    seed.units.push_back(std::move(u));
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const json& j = points[i];
    const std::string where = "service_points #" + std::to_string(i + 1);
    ServicePoint p;
    std::string kind;
    for (Status st :
         {Text(j, "code", where, true, &p.code), Text(j, "name", where, true, &p.name),
          Text(j, "kind", where, true, &kind), Text(j, "unit_code", where, true, &p.unit_code),
          Text(j, "address", where, false, &p.address)}) {
      if (!st.ok()) return st.error();
    }
    auto k = organisation::ParseServicePointKind(kind);
    if (!k) {
      return Bad(where, "kind", "phải là centre_branch, commune_office hoặc postal_agent",
                 "must be centre_branch, commune_office or postal_agent");
    }
    p.kind = *k;
    const json counters = j.value("counters", json(0));
    // Range-check the 64-bit value before narrowing it (4294967301 must not become 5).
    if (!counters.is_number_integer() || counters.get<int64_t>() < 0 ||
        counters.get<int64_t>() > 500) {
      return Bad(where, "counters", "phải là số nguyên từ 0 đến 500",
                 "must be an integer from 0 to 500");
    }
    p.counters = counters.get<int>();
    for (const auto& f : j.value("fields", json::array())) {
      if (!f.is_string())
        return Bad(where, "fields", "phải là mảng chuỗi", "must be an array of strings");
      p.fields.push_back(text::ToNfc(f.get<std::string>()));
    }
    for (const auto& h : j.value("hours", json::array())) {
      organisation::OpeningHours oh;
      try {
        const json& weekday = h.at("weekday");
        // An integer from 0 to 6, checked before narrowing (1e10, 1.9 and 2^32+1 are refused).
        if (!weekday.is_number_integer() || weekday.get<int64_t>() < 0 ||
            weekday.get<int64_t>() > 6) {
          return Bad(where, "hours", "weekday phải là số nguyên từ 0 (Chủ nhật) đến 6",
                     "weekday must be an integer from 0 (Sunday) to 6");
        }
        oh.weekday = static_cast<int>(weekday.get<int64_t>());
        oh.morning_open = h.at("morning").at(0).get<std::string>();
        oh.morning_close = h.at("morning").at(1).get<std::string>();
        oh.afternoon_open = h.at("afternoon").at(0).get<std::string>();
        oh.afternoon_close = h.at("afternoon").at(1).get<std::string>();
      } catch (const json::exception&) {
        return Bad(where, "hours", "mỗi mục cần weekday, morning [mở, đóng], afternoon [mở, đóng]",
                   "each entry needs weekday, morning [open, close], afternoon [open, close]");
      }
      if (oh.weekday < 0 || oh.weekday > 6 || !IsTime(oh.morning_open) ||
          !IsTime(oh.morning_close) || !IsTime(oh.afternoon_open) || !IsTime(oh.afternoon_close) ||
          !(oh.morning_open < oh.morning_close && oh.morning_close <= oh.afternoon_open &&
            oh.afternoon_open < oh.afternoon_close)) {
        return Bad(where, "hours", "giờ làm việc không hợp lệ (HH:MM, sáng trước chiều)",
                   "invalid opening hours (HH:MM, morning before afternoon)");
      }
      p.hours.push_back(oh);
    }
    seed.service_points.push_back(std::move(p));
  }
  return seed;
}

http::Response OrganisationApi::ListUnits(const http::Request& r) const {
  if (Status st = OnlyParams(r, {}); !st.ok()) return ErrorResponse(st.error(), r);
  json items = json::array();
  for (const auto& u : repository_.LoadUnits()) {
    items.push_back({{"code", u.code},
                     {"name", u.name},
                     {"kind", std::string(organisation::ToString(u.kind))},
                     {"parent_code", u.parent_code.empty() ? json(nullptr) : json(u.parent_code)}});
  }
  return JsonOk(json{{"items", std::move(items)}}.dump());
}

http::Response OrganisationApi::ListServicePoints(const http::Request& r) const {
  if (Status st = OnlyParams(r, {"kind"}); !st.ok()) return ErrorResponse(st.error(), r);
  std::optional<organisation::ServicePointKind> kind;
  if (const auto k = r.Query("kind"); !k.empty()) {
    kind = organisation::ParseServicePointKind(k);
    if (!kind) {
      return ErrorResponse(
          MakeError(ErrorCode::kInvalidArgument,
                    "kind phải là centre_branch, commune_office hoặc postal_agent",
                    "kind must be centre_branch, commune_office or postal_agent", "kind"),
          r);
    }
  }
  json items = json::array();
  for (const auto& p : repository_.LoadServicePoints()) {
    if (kind && p.kind != *kind) continue;
    items.push_back({{"code", p.code},
                     {"name", p.name},
                     {"kind", std::string(organisation::ToString(p.kind))},
                     {"unit_code", p.unit_code},
                     {"address", p.address},
                     {"counters", p.counters},
                     {"fields", p.fields},
                     {"hours", HoursJson(p.hours)}});
  }
  return JsonOk(json{{"items", std::move(items)}}.dump());
}

}  // namespace motcua::api
