#pragma once
// HTTP handlers of the procedure catalogue: search/list, one procedure, fields, import.

#include <string>

#include "api/response_cache.hpp"
#include "core/clock.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "http/message.hpp"

namespace motcua::api {

class CatalogApi {
 public:
  // `cache_entries` 0 disables the cache of rendered search and procedure bodies.
  CatalogApi(catalog::CatalogService& catalog, const Clock& clock, size_t cache_entries)
      : catalog_(catalog), clock_(clock), cache_(cache_entries) {}

  http::Response ListProcedures(const http::Request& request) const;    // GET /api/v1/procedures
  http::Response GetProcedure(const http::Request& request) const;      // GET .../{code}
  http::Response ListFields(const http::Request& request) const;        // GET /api/v1/fields
  http::Response ImportProcedures(const http::Request& request) const;  // POST .../import

 private:
  catalog::CatalogService& catalog_;
  const Clock& clock_;
  mutable ResponseCache cache_;
};

// The one place that turns an expected error into a response (problem+json).
http::Response ErrorResponse(const Error& error, const http::Request& request);
// Serialises a JSON document (built by the caller) as a 200 response.
http::Response JsonOk(std::string body);

}  // namespace motcua::api
