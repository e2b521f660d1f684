#include "storage/organisation_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace motcua::storage {
namespace {

using organisation::OpeningHours;
using organisation::ServicePoint;
using organisation::ServicePointKind;
using organisation::Unit;
using organisation::UnitKind;

// The database stores the enums in their one spelling (the API's and the seed file's too):
// stable codes, pinned by migration 1's CHECK constraints. Written with the domain's ToString; read
// back here, where a value the domain does not know is a corrupt database.
UnitKind ParseUnitKindText(const std::string& s) {
  if (auto kind = organisation::ParseUnitKind(s)) return *kind;
  throw DatabaseError("units.kind holds an unknown value '" + s + "'");
}

ServicePointKind ParsePointKindText(const std::string& s) {
  if (auto kind = organisation::ParseServicePointKind(s)) return *kind;
  throw DatabaseError("service_points.kind holds an unknown value '" + s + "'");
}

std::string HoursToJson(const std::vector<OpeningHours>& hours) {
  nlohmann::json out = nlohmann::json::array();
  for (const OpeningHours& h : hours) {
    out.push_back({{"weekday", h.weekday},
                   {"morning_open", h.morning_open},
                   {"morning_close", h.morning_close},
                   {"afternoon_open", h.afternoon_open},
                   {"afternoon_close", h.afternoon_close}});
  }
  return out.dump();
}

std::vector<OpeningHours> HoursFromJson(const std::string& text) {
  try {
    std::vector<OpeningHours> out;
    for (const auto& h : nlohmann::json::parse(text)) {
      OpeningHours o;
      o.weekday = h.at("weekday").get<int>();
      o.morning_open = h.value("morning_open", "");
      o.morning_close = h.value("morning_close", "");
      o.afternoon_open = h.value("afternoon_open", "");
      o.afternoon_close = h.value("afternoon_close", "");
      out.push_back(std::move(o));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw DatabaseError(std::string("service_points.hours is not valid JSON: ") + e.what());
  }
}

std::vector<std::string> FieldsFromJson(const std::string& text) {
  try {
    return nlohmann::json::parse(text).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw DatabaseError(std::string("service_points.fields is not a JSON array: ") + e.what());
  }
}

constexpr std::string_view kUpsertUnit =
    "INSERT INTO units (code, name, kind, parent_code) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
    "parent_code = excluded.parent_code";

constexpr std::string_view kUpsertPoint =
    "INSERT INTO service_points (code, name, kind, unit_code, address, hours, fields, counters) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
    "unit_code = excluded.unit_code, address = excluded.address, hours = excluded.hours, "
    "fields = excluded.fields, counters = excluded.counters";

}  // namespace

std::vector<Unit> SqlOrganisationRepository::LoadUnits() {
  std::vector<Unit> out;
  for (const Row& row : db_.Acquire()->Query("SELECT code, name, kind, parent_code FROM units")) {
    Unit u;
    u.code = row.Text(0);
    u.name = row.Text(1);
    u.kind = ParseUnitKindText(row.Text(2));
    u.parent_code = row.OptionalText(3).value_or("");
    out.push_back(std::move(u));
  }
  // Sorted here: SQL ORDER BY on text follows PostgreSQL's collation, not byte order.
  std::sort(out.begin(), out.end(), [](const Unit& a, const Unit& b) { return a.code < b.code; });
  return out;
}

std::vector<ServicePoint> SqlOrganisationRepository::LoadServicePoints() {
  std::vector<ServicePoint> out;
  for (const Row& row :
       db_.Acquire()->Query("SELECT code, name, kind, unit_code, address, hours, fields, counters "
                            "FROM service_points")) {
    ServicePoint p;
    p.code = row.Text(0);
    p.name = row.Text(1);
    p.kind = ParsePointKindText(row.Text(2));
    p.unit_code = row.Text(3);
    p.address = row.Text(4);
    p.hours = HoursFromJson(row.Text(5));
    p.fields = FieldsFromJson(row.Text(6));
    p.counters = static_cast<int>(row.Int(7));
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(),
            [](const ServicePoint& a, const ServicePoint& b) { return a.code < b.code; });
  return out;
}

void SqlOrganisationRepository::Save(const std::vector<Unit>& units,
                                     const std::vector<ServicePoint>& points) {
  WriteTransaction(db_, [&](Tx& conn) {
    for (const Unit& u : units) {
      Value parent = std::monostate{};
      if (!u.parent_code.empty()) parent = u.parent_code;
      const Value params[] = {u.code, u.name, std::string(organisation::ToString(u.kind)), parent};
      conn.Execute(kUpsertUnit, params);
    }
    for (const ServicePoint& p : points) {
      const Value params[] = {p.code,
                              p.name,
                              std::string(organisation::ToString(p.kind)),
                              p.unit_code,
                              p.address,
                              HoursToJson(p.hours),
                              nlohmann::json(p.fields).dump(),
                              int64_t{p.counters}};
      conn.Execute(kUpsertPoint, params);
    }
  });
}

}  // namespace motcua::storage
