#include "app/routes.hpp"

#include "app/services.hpp"

namespace motcua::app {

http::Router BuildRouter(Services& s) {
  using http::Access;
  http::Router router;
  constexpr bool kInMemory = false;  // answered from memory on the event loop
  constexpr bool kBlocking = true;   // touches the database (or hashes a password): worker pool
  auto add = [&router](std::string method, std::string pattern, std::string summary, Access access,
                       bool blocking, http::Handler handler) {
    http::Route route;
    route.method = std::move(method);
    route.pattern = std::move(pattern);
    route.summary = std::move(summary);
    route.access = access;
    route.blocking = blocking;
    route.handler = std::move(handler);
    router.Add(std::move(route));
  };
  // Writes: answered after their unit of work is durable, holding no thread meanwhile.
  auto add_async = [&router](std::string method, std::string pattern, std::string summary,
                             Access access, bool blocking, http::AsyncHandler handler) {
    http::Route route;
    route.method = std::move(method);
    route.pattern = std::move(pattern);
    route.summary = std::move(summary);
    route.access = access;
    route.blocking = blocking;
    route.async_handler = std::move(handler);
    router.Add(std::move(route));
  };
  // Who may call what. Every route names one of these (or Access::Public()).
  const Access kPublic = Access::Public();
  const Access kAdmin = Access::Roles(RolesOf({Role::kAdministrator}));
  const Access kOversight = Access::Roles(RolesOf({Role::kAdministrator, Role::kMonitoring}));
  const Access kNoticeWriters = Access::Roles(RolesOf({Role::kAdministrator, Role::kUnitLeader}));
  const Access kSignedIn = Access::Roles(kAnyRole);
  Access kSignedInEvenBeforePasswordChange = Access::Roles(kAnyRole);
  kSignedInEvenBeforePasswordChange.during_password_change = true;

  // Catalogue (served from the in-memory snapshot).
  add("GET", "/api/v1/procedures", "Search and list procedures", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.catalog_api.ListProcedures(r); });
  add("GET", "/api/v1/procedures/{code}", "One procedure", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.catalog_api.GetProcedure(r); });
  add("GET", "/api/v1/fields", "Fields with counts", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.catalog_api.ListFields(r); });
  add("POST", "/api/v1/procedures/import", "Import procedures", kAdmin, kBlocking,
      [&s](const http::Request& r) { return s.catalog_api.ImportProcedures(r); });

  // The working-day calendar.
  add("GET", "/api/v1/calendar/days", "Working days and why others are not", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.calendar_api.Days(r); });
  add("GET", "/api/v1/calendar/due-date", "A due date that explains itself", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.calendar_api.DueDate(r); });

  // Organisation.
  add("GET", "/api/v1/units", "Administrative units", kPublic, kBlocking,
      [&s](const http::Request& r) { return s.organisation_api.ListUnits(r); });
  add("GET", "/api/v1/service-points", "Service points", kPublic, kBlocking,
      [&s](const http::Request& r) { return s.organisation_api.ListServicePoints(r); });

  // Public notices for boards, kiosks and the portal.
  add_async("POST", "/api/v1/notices", "Publish a notice", kNoticeWriters, kInMemory,
            [&s](const http::Request& r, http::Respond respond) {
              s.notices_api.Publish(r, std::move(respond));
            });
  add("GET", "/api/v1/notices", "Notices, newest first", kPublic, kBlocking,
      [&s](const http::Request& r) { return s.notices_api.List(r); });

  // Signing in and out, the second factor.
  add_async("POST", "/api/v1/auth/sign-in", "Sign in", kPublic, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.SignIn(r, std::move(respond));
            });
  add("GET", "/api/v1/auth/methods", "Ways of signing in", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.auth_api.Methods(r, s.oidc_api.enabled()); });
  add_async("POST", "/api/v1/auth/register", "Register a local citizen account", kPublic, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.Register(r, std::move(respond));
            });
  add_async("POST", "/api/v1/auth/sign-out", "Sign out (this session)",
            kSignedInEvenBeforePasswordChange, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.SignOut(r, std::move(respond));
            });
  add_async("POST", "/api/v1/auth/sign-out-everywhere", "Sign out every session",
            kSignedInEvenBeforePasswordChange, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.SignOutEverywhere(r, std::move(respond));
            });
  add("GET", "/api/v1/auth/me", "Who is signed in", kSignedInEvenBeforePasswordChange, kBlocking,
      [&s](const http::Request& r) { return s.auth_api.Me(r); });
  add_async("POST", "/api/v1/auth/password", "Change the password",
            kSignedInEvenBeforePasswordChange, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.ChangePassword(r, std::move(respond));
            });
  add_async("POST", "/api/v1/auth/totp", "Begin enrolling a TOTP second factor", kSignedIn,
            kBlocking, [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.BeginTotp(r, std::move(respond));
            });
  add_async("POST", "/api/v1/auth/totp/confirm", "Turn the second factor on", kSignedIn, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.ConfirmTotp(r, std::move(respond));
            });
  add_async("POST", "/api/v1/auth/totp/disable", "Turn the second factor off", kSignedIn, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.auth_api.DisableTotp(r, std::move(respond));
            });

  // Citizens' sign-in through the OpenID provider (talks to it: workers).
  add_async("GET", "/api/v1/auth/oidc/start", "Sign in through the OpenID provider", kPublic,
            kBlocking, [&s](const http::Request& r, http::Respond respond) {
              s.oidc_api.Start(r, std::move(respond));
            });
  add_async("GET", "/api/v1/auth/oidc/callback", "Return from the OpenID provider", kPublic,
            kBlocking, [&s](const http::Request& r, http::Respond respond) {
              s.oidc_api.Callback(r, std::move(respond));
            });

  // Accounts and API keys (administrators).
  add("GET", "/api/v1/accounts", "Accounts", kAdmin, kBlocking,
      [&s](const http::Request& r) { return s.accounts_api.List(r); });
  add_async("POST", "/api/v1/accounts", "Create an account", kAdmin, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.accounts_api.Create(r, std::move(respond));
            });
  add_async("POST", "/api/v1/accounts/{login}/disable", "Disable an account", kAdmin, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.accounts_api.Disable(r, std::move(respond));
            });
  add_async("POST", "/api/v1/accounts/{login}/enable", "Enable an account", kAdmin, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.accounts_api.Enable(r, std::move(respond));
            });
  add_async("POST", "/api/v1/accounts/{login}/reset-password", "Reset a password", kAdmin,
            kBlocking, [&s](const http::Request& r, http::Respond respond) {
              s.accounts_api.ResetPassword(r, std::move(respond));
            });
  add("GET", "/api/v1/api-keys", "API keys", kAdmin, kBlocking,
      [&s](const http::Request& r) { return s.accounts_api.ListApiKeys(r); });
  add_async("POST", "/api/v1/api-keys", "Create an API key", kAdmin, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.accounts_api.CreateApiKey(r, std::move(respond));
            });
  add_async("DELETE", "/api/v1/api-keys/{id}", "Revoke an API key", kAdmin, kBlocking,
            [&s](const http::Request& r, http::Respond respond) {
              s.accounts_api.RevokeApiKey(r, std::move(respond));
            });

  // The audit trail.
  add("GET", "/api/v1/audit", "Search the audit trail",
      Access::Roles(RolesOf({Role::kAdministrator, Role::kMonitoring, Role::kUnitLeader})),
      kBlocking, [&s](const http::Request& r) { return s.audit_api.Search(r); });
  add("GET", "/api/v1/audit/verify", "Verify the audit trail", kOversight, kBlocking,
      [&s](const http::Request& r) { return s.audit_api.Verify(r); });

  // Live events (Server-Sent Events), resumable with Last-Event-ID. Today's topics (notices)
  // are public; topics that are not get their own check when they are added.
  add("GET", "/api/v1/events", "Live event stream", kPublic, kBlocking,
      [&s](const http::Request& r) { return s.events_api.Stream(r); });

  // Operations. Metrics show volumes and error rates: monitoring and administrators only
  // (Prometheus scrapes with an API key of the monitoring role).
  add("GET", "/healthz", "Liveness", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.system_api.Healthz(r); });
  add("GET", "/readyz", "Readiness", kPublic, kBlocking,
      [&s](const http::Request& r) { return s.system_api.Readyz(r); });
  add("GET", "/metrics", "Prometheus metrics", kOversight, kInMemory,
      [&s](const http::Request& r) { return s.system_api.Metrics(r); });
  add("GET", "/api/openapi.json", "OpenAPI description", kPublic, kInMemory,
      [&s](const http::Request& r) { return s.system_api.OpenApi(r); });
  return router;
}

}  // namespace motcua::app
