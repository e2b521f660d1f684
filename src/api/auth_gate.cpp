#include "api/auth_gate.hpp"

#include <memory>

#include "api/params.hpp"
#include "http/problem.hpp"

namespace motcua::api {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of cookie `name` in a Cookie header ("a=1; motcua_session=xyz").
std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

bool IsSafeMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

http::Response Unauthenticated(const http::Request& r, std::string vi, std::string en) {
  http::Response res = http::ProblemResponse(
      MakeError(ErrorCode::kUnauthenticated, std::move(vi), std::move(en)), r.request_id);
  res.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"motcua\"");
  return NoStore(std::move(res));
}

}  // namespace

std::string CookieOf(const http::Request& r, std::string_view name) {
  for (const auto& [header, value] : r.headers) {
    if (header != "cookie") continue;
    if (auto v = CookieValue(value, name); !v.empty()) return std::string(v);
  }
  return {};
}

std::string CredentialOf(const http::Request& r, bool* from_cookie) {
  if (from_cookie) *from_cookie = false;
  if (!r.Header("authorization").empty()) return std::string(http::BearerToken(r));
  std::string session = CookieOf(r, kSessionCookie);
  if (from_cookie) *from_cookie = !session.empty();
  return session;
}

http::Authenticator MakeAuthenticator(identity::IdentityService& identity) {
  return [&identity](http::Request& r, bool may_block) -> std::optional<http::Response> {
    bool from_cookie = false;
    const std::string credential = CredentialOf(r, &from_cookie);
    if (credential.empty()) {
      return Unauthenticated(r, "Cần đăng nhập", "Sign-in required");
    }
    std::optional<identity::Authenticated> who;
    if (may_block) {
      who = identity.Authenticate(credential);
    } else if (!(who = identity.CachedAuthentication(credential))) {
      return std::nullopt;  // not known in memory: the server asks again on a worker
    }
    if (!who) {
      return Unauthenticated(r, "Phiên đăng nhập đã hết hạn hoặc mã truy cập không hợp lệ",
                             "The session has expired or the credential is not valid");
    }
    // A cookie is sent by the browser whoever made the page that sends the request: a write
    // authenticated by cookie must also prove it comes from our own page (the CSRF token it
    // received at sign-in). Bearer credentials are never sent implicitly and need no token.
    if (from_cookie && !IsSafeMethod(r.method) &&
        (who->csrf_token.empty() || r.Header(kCsrfHeader) != who->csrf_token)) {
      return NoStore(http::ProblemResponse(
          MakeError(ErrorCode::kForbidden, "Thiếu hoặc sai mã chống giả mạo yêu cầu (X-CSRF-Token)",
                    "Missing or wrong anti-forgery token (X-CSRF-Token)"),
          r.request_id));
    }
    r.principal = std::make_shared<const Principal>(std::move(who->principal));
    return std::nullopt;
  };
}

std::string SessionCookie(std::string_view token, std::chrono::seconds lifetime, bool secure) {
  std::string c(kSessionCookie);
  c += '=';
  c += token;
  c += "; Path=/; HttpOnly; SameSite=Strict; Max-Age=";
  c += token.empty() ? "0" : std::to_string(lifetime.count());
  if (secure) c += "; Secure";
  return c;
}

Actor ActorOf(const http::Request& r) {
  if (!r.principal) return Actor{"anonymous", "", "", r.request_id, r.remote};
  const Principal& p = *r.principal;
  return Actor{p.ActorId(), std::string(RoleName(p.role)), p.unit, r.request_id, r.remote};
}

http::Response ErrorAnswer(const Error& error, std::string_view request_id,
                           int retry_after_seconds) {
  http::Response res = http::ProblemResponse(error, request_id);
  if (res.status == 503) res.headers.emplace_back("Retry-After", "2");
  if (res.status == 429) {
    res.headers.emplace_back("Retry-After", std::to_string(std::max(1, retry_after_seconds)));
  }
  return NoStore(std::move(res));
}

http::Response NoContent() {
  http::Response res;
  res.status = 204;
  res.content_type.clear();
  return NoStore(std::move(res));
}

http::Response NoStore(http::Response response) {
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

std::optional<JsonFields> BodyFieldsOrRefuse(const http::Request& r, const http::Respond& respond,
                                             std::initializer_list<FieldSpec> specs) {
  if (Status st = OnlyParams(r, {}); !st.ok()) {
    respond(ErrorAnswer(st.error(), r.request_id));
    return std::nullopt;
  }
  auto fields = ParseJsonFields(r, specs);
  if (!fields.ok()) {
    respond(ErrorAnswer(fields.error(), r.request_id));
    return std::nullopt;
  }
  return std::move(fields).value();
}

std::optional<http::Response> RequireJson(const http::Request& r) {
  if (r.Header("content-type").starts_with("application/json")) return std::nullopt;
  return http::ProblemResponse(
      MakeError(ErrorCode::kUnsupportedMediaType, "Nội dung phải là application/json",
                "Content-Type must be application/json"),
      r.request_id);
}

}  // namespace motcua::api
