#pragma once
// The one mapping from error codes to HTTP statuses and the one error shape: RFC 9457
// application/problem+json with a Vietnamese and an English message.

#include "core/result.hpp"
#include "http/message.hpp"

namespace motcua::http {

int StatusFor(ErrorCode code);
Response ProblemResponse(const Error& error, std::string_view request_id);

}  // namespace motcua::http
