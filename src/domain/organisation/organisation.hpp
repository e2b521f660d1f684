#pragma once
// The organisation model: administrative units and the service points that receive citizens.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::organisation {

enum class UnitKind { kProvince, kCommune, kWard };
enum class ServicePointKind { kCentreBranch, kCommuneOffice, kPostalAgent };

std::string_view ToString(UnitKind kind);  // "province" | "commune" | "ward"
std::string_view ToString(
    ServicePointKind kind);  // "centre_branch" | "commune_office" | "postal_agent"
std::optional<UnitKind> ParseUnitKind(std::string_view s);
std::optional<ServicePointKind> ParseServicePointKind(std::string_view s);

// An administrative unit (tỉnh/thành phố, xã, phường). `code` prefixes its dossier codes.
struct Unit {
  std::string code;
  std::string name;
  UnitKind kind = UnitKind::kWard;
  std::string parent_code;  // empty for a province
};

// Opening hours of one weekday: morning and afternoon sessions, "HH:MM".
struct OpeningHours {
  int weekday = 1;  // 1 = Monday ... 6 = Saturday, 0 = Sunday
  std::string morning_open, morning_close, afternoon_open, afternoon_close;
};

struct ServicePoint {
  std::string code;  // e.g. "HN-CN01"
  std::string name;
  ServicePointKind kind = ServicePointKind::kCommuneOffice;
  std::string unit_code;  // the unit it belongs to
  std::string address;
  std::vector<OpeningHours> hours;
  std::vector<std::string> fields;  // fields (lĩnh vực) it serves; empty = all
  int counters = 0;                 // number of reception counters
};

class OrganisationRepository {
 public:
  virtual ~OrganisationRepository() = default;
  virtual std::vector<Unit> LoadUnits() = 0;
  virtual std::vector<ServicePoint> LoadServicePoints() = 0;
  // Inserts or replaces, in one transaction.
  virtual void Save(const std::vector<Unit>& units, const std::vector<ServicePoint>& points) = 0;
};

}  // namespace motcua::organisation
