#pragma once
// HTTP handlers of the organisation (units, service points) and the seed file format.

#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "domain/organisation/organisation.hpp"
#include "http/message.hpp"

namespace motcua::api {

struct OrganisationSeed {
  std::vector<organisation::Unit> units;
  std::vector<organisation::ServicePoint> service_points;
};

// Parses an organisation file ({"units": [...], "service_points": [...]}, see
// data/hanoi-organisation.json). Errors name the record and field.
Result<OrganisationSeed> ParseOrganisation(std::string_view json_text);

class OrganisationApi {
 public:
  explicit OrganisationApi(organisation::OrganisationRepository& repository)
      : repository_(repository) {}
  http::Response ListUnits(const http::Request& request) const;  // GET /api/v1/units
  http::Response ListServicePoints(
      const http::Request& request) const;  // GET /api/v1/service-points

 private:
  organisation::OrganisationRepository& repository_;
};

}  // namespace motcua::api
