#pragma once
// The administrator bearer token that guards the write endpoints until accounts and roles exist,
// and the checks every JSON write endpoint makes before reading its body.

#include <optional>
#include <string_view>

#include "core/audit.hpp"
#include "http/message.hpp"

namespace motcua::api {

// nullopt when the request carries the administrator token; otherwise the answer: 403 when no
// token is configured (the endpoint is off), 401 with WWW-Authenticate when it is missing or
// wrong. Tokens are compared in time independent of where they differ.
std::optional<http::Response> RequireAdmin(const http::Request& request,
                                           std::string_view admin_token, std::string_view what_vi,
                                           std::string_view what_en);

// The actor behind a request that RequireAdmin let through (for the audit trail).
Actor AdminActor(const http::Request& request);

// nullopt when the body is declared application/json; otherwise a 415 answer.
std::optional<http::Response> RequireJson(const http::Request& request);

}  // namespace motcua::api
