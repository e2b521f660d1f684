#include "app/routes.hpp"

#include "app/services.hpp"

namespace motcua::app {

http::Router BuildRouter(Services& s) {
  http::Router router;
  auto add = [&router](std::string method, std::string pattern, std::string summary, bool blocking,
                       http::Handler handler) {
    http::Route route;
    route.method = std::move(method);
    route.pattern = std::move(pattern);
    route.summary = std::move(summary);
    route.blocking = blocking;
    route.handler = std::move(handler);
    router.Add(std::move(route));
  };
  // Writes: answered after their unit of work is durable, holding no thread meanwhile.
  auto add_async = [&router](std::string method, std::string pattern, std::string summary,
                             http::AsyncHandler handler) {
    http::Route route;
    route.method = std::move(method);
    route.pattern = std::move(pattern);
    route.summary = std::move(summary);
    route.async_handler = std::move(handler);
    router.Add(std::move(route));
  };
  constexpr bool kInMemory = false;  // answered from memory on the event loop
  constexpr bool kBlocking = true;   // touches the database: runs on the worker pool

  // Catalogue (served from the in-memory snapshot).
  add("GET", "/api/v1/procedures", "Search and list procedures", kInMemory,
      [&s](const http::Request& r) { return s.catalog_api.ListProcedures(r); });
  add("GET", "/api/v1/procedures/{code}", "One procedure", kInMemory,
      [&s](const http::Request& r) { return s.catalog_api.GetProcedure(r); });
  add("GET", "/api/v1/fields", "Fields with counts", kInMemory,
      [&s](const http::Request& r) { return s.catalog_api.ListFields(r); });
  add("POST", "/api/v1/procedures/import", "Import procedures", kBlocking,
      [&s](const http::Request& r) { return s.catalog_api.ImportProcedures(r); });

  // Organisation.
  add("GET", "/api/v1/units", "Administrative units", kBlocking,
      [&s](const http::Request& r) { return s.organisation_api.ListUnits(r); });
  add("GET", "/api/v1/service-points", "Service points", kBlocking,
      [&s](const http::Request& r) { return s.organisation_api.ListServicePoints(r); });

  // Public notices for boards, kiosks and the portal.
  add_async("POST", "/api/v1/notices", "Publish a notice",
            [&s](const http::Request& r, http::Respond respond) {
              s.notices_api.Publish(r, std::move(respond));
            });
  add("GET", "/api/v1/notices", "Notices, newest first", kBlocking,
      [&s](const http::Request& r) { return s.notices_api.List(r); });

  // The audit trail.
  add("GET", "/api/v1/audit/verify", "Verify the audit trail", kBlocking,
      [&s](const http::Request& r) { return s.audit_api.Verify(r); });

  // Live events (Server-Sent Events), resumable with Last-Event-ID.
  add("GET", "/api/v1/events", "Live event stream", kBlocking,
      [&s](const http::Request& r) { return s.events_api.Stream(r); });

  // Operations.
  add("GET", "/healthz", "Liveness", kInMemory,
      [&s](const http::Request& r) { return s.system_api.Healthz(r); });
  add("GET", "/readyz", "Readiness", kBlocking,
      [&s](const http::Request& r) { return s.system_api.Readyz(r); });
  add("GET", "/metrics", "Prometheus metrics", kInMemory,
      [&s](const http::Request& r) { return s.system_api.Metrics(r); });
  add("GET", "/api/openapi.json", "OpenAPI description", kInMemory,
      [&s](const http::Request& r) { return s.system_api.OpenApi(r); });
  return router;
}

}  // namespace motcua::app
