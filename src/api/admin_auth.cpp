#include "api/admin_auth.hpp"

#include <string>

#include "http/problem.hpp"

namespace motcua::api {
namespace {

bool TokenMatches(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  }
  return diff == 0;
}

}  // namespace

std::optional<http::Response> RequireAdmin(const http::Request& r, std::string_view admin_token,
                                           std::string_view what_vi, std::string_view what_en) {
  if (admin_token.empty()) {
    return http::ProblemResponse(
        MakeError(ErrorCode::kForbidden,
                  "Chức năng " + std::string(what_vi) + " qua API chưa được bật (admin_token)",
                  std::string(what_en) + " over the API is disabled (admin_token)"),
        r.request_id);
  }
  if (!TokenMatches(http::BearerToken(r), admin_token)) {
    http::Response res =
        http::ProblemResponse(MakeError(ErrorCode::kUnauthenticated, "Thiếu hoặc sai mã quản trị",
                                        "Missing or wrong administrator token"),
                              r.request_id);
    res.headers.emplace_back("WWW-Authenticate", "Bearer");
    return res;
  }
  return std::nullopt;
}

Actor AdminActor(const http::Request& r) {
  return Actor{"admin-token", "administrator", "", r.request_id, r.remote};
}

std::optional<http::Response> RequireJson(const http::Request& r) {
  if (r.Header("content-type").starts_with("application/json")) return std::nullopt;
  return http::ProblemResponse(
      MakeError(ErrorCode::kUnsupportedMediaType, "Nội dung phải là application/json",
                "Content-Type must be application/json"),
      r.request_id);
}

}  // namespace motcua::api
