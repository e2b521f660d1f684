#include "http/router.hpp"

#include <stdexcept>

namespace motcua::http {
namespace {

// Matches "/a/{x}/b" against "/a/1/b"; a parameter matches one non-empty segment.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::vector<std::pair<std::string, std::string>>* params) {
  params->clear();
  size_t p = 0, q = 0;
  while (p < pattern.size() && q < path.size()) {
    if (pattern[p] == '{') {
      const size_t close = pattern.find('}', p);
      const std::string_view name = pattern.substr(p + 1, close - p - 1);
      size_t end = path.find('/', q);
      if (end == std::string_view::npos) end = path.size();
      if (end == q) return false;
      params->emplace_back(std::string(name), std::string(path.substr(q, end - q)));
      p = close + 1;
      q = end;
    } else {
      if (pattern[p] != path[q]) return false;
      ++p;
      ++q;
    }
  }
  return p == pattern.size() && q == path.size();
}

}  // namespace

std::optional<Error> Access::RefusalFor(const Principal& who) const {
  if (is_public()) return std::nullopt;
  if (who.must_change_password && !during_password_change) {
    return MakeError(ErrorCode::kForbidden, "Cần đổi mật khẩu ban đầu trước khi tiếp tục",
                     "Change the initial password before going on");
  }
  if (!Contains(roles, who.role)) {
    return MakeError(ErrorCode::kForbidden,
                     "Vai trò " + std::string(RoleTitleVi(who.role)) + " không được làm việc này",
                     "The role " + std::string(RoleName(who.role)) + " may not do this");
  }
  return std::nullopt;
}

void Router::Add(Route route) {
  if (route.access.kind == Access::Kind::kUndeclared) {
    throw std::logic_error("route without an access rule: " + route.method + " " + route.pattern);
  }
  if (route.access.kind == Access::Kind::kSignedIn && route.access.roles == 0) {
    throw std::logic_error("route admits no role: " + route.method + " " + route.pattern);
  }
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern) {
      throw std::logic_error("route added twice: " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
}

Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& r : routes_) {
    if (!MatchPattern(r.pattern, path, &params)) continue;
    // HEAD is answered by the GET handler (the server drops the body).
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.path_matched = true;
  }
  return m;
}

}  // namespace motcua::http
