#pragma once
// Where a request's identity is read and written: the authenticator the server runs before every
// non-public route (session cookie, bearer session token or API key; CSRF check on
// cookie-authenticated writes), the session cookie, the audit actor of a request, and the answers
// shared by the handlers of authenticated endpoints.

#include <optional>
#include <string>
#include <string_view>

#include "api/json_body.hpp"
#include "core/audit.hpp"
#include "core/result.hpp"
#include "domain/identity/identity_service.hpp"
#include "http/router.hpp"

namespace motcua::api {

inline constexpr std::string_view kSessionCookie = "motcua_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

// The credential a request carries: the bearer token when there is an Authorization header,
// otherwise the session cookie (`*from_cookie` tells which). Empty when none.
std::string CredentialOf(const http::Request& request, bool* from_cookie = nullptr);
// The value of cookie `name`, or empty.
std::string CookieOf(const http::Request& request, std::string_view name);

http::Authenticator MakeAuthenticator(identity::IdentityService& identity);

// The session cookie that signs a browser in (or, with an empty token, out).
std::string SessionCookie(std::string_view token, std::chrono::seconds lifetime, bool secure);

// The audit actor of a request: its principal, or "anonymous" on public routes.
Actor ActorOf(const http::Request& request);

// A problem answer for an error; 503 carries Retry-After, 429 `retry_after_seconds`.
http::Response ErrorAnswer(const Error& error, std::string_view request_id,
                           int retry_after_seconds = 0);
// 204 No Content, not to be cached.
http::Response NoContent();
// Marks a response as holding personal or secret data: never stored by caches.
http::Response NoStore(http::Response response);

// For asynchronous handlers: the fields of a body without query parameters, or nullopt when
// the request was refused (the refusal has then been sent through `respond`).
std::optional<JsonFields> BodyFieldsOrRefuse(const http::Request& request,
                                             const http::Respond& respond,
                                             std::initializer_list<FieldSpec> fields);

// nullopt when the body is declared application/json; otherwise a 415 answer.
std::optional<http::Response> RequireJson(const http::Request& request);

}  // namespace motcua::api
