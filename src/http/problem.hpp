#pragma once
// The one mapping from error codes to HTTP statuses and the one error shape: RFC 9457
// application/problem+json with a Vietnamese and an English message.

#include "core/result.hpp"
#include "http/message.hpp"

namespace motcua::http {

int StatusFor(ErrorCode code);
Response ProblemResponse(const Error& error, std::string_view request_id);
// A problem about the HTTP message itself (framing, limits, version), answered before any route
// is known: 400, 408, 413, 414, 417, 431, 501 or 505. The body's status matches the response's.
Response WireProblem(int status, std::string_view message_vi, std::string_view message_en,
                     std::string_view request_id);

}  // namespace motcua::http
