#include "domain/organisation/organisation.hpp"

namespace motcua::organisation {

std::string_view ToString(UnitKind kind) {
  switch (kind) {
    case UnitKind::kProvince:
      return "province";
    case UnitKind::kCommune:
      return "commune";
    case UnitKind::kWard:
      return "ward";
  }
  return "ward";
}

std::string_view ToString(ServicePointKind kind) {
  switch (kind) {
    case ServicePointKind::kCentreBranch:
      return "centre_branch";
    case ServicePointKind::kCommuneOffice:
      return "commune_office";
    case ServicePointKind::kPostalAgent:
      return "postal_agent";
  }
  return "commune_office";
}

std::optional<UnitKind> ParseUnitKind(std::string_view s) {
  for (UnitKind k : {UnitKind::kProvince, UnitKind::kCommune, UnitKind::kWard}) {
    if (ToString(k) == s) return k;
  }
  return std::nullopt;
}

std::optional<ServicePointKind> ParseServicePointKind(std::string_view s) {
  for (ServicePointKind k : {ServicePointKind::kCentreBranch, ServicePointKind::kCommuneOffice,
                             ServicePointKind::kPostalAgent}) {
    if (ToString(k) == s) return k;
  }
  return std::nullopt;
}

}  // namespace motcua::organisation
