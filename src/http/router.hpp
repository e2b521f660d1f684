#pragma once
// The explicit router: every route is added in one place (app/routes.cpp), with a pattern such as
// "/api/v1/procedures/{code}". Built once at start-up, then read-only and thread-safe.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.hpp"
#include "http/message.hpp"

namespace motcua::metrics {
struct RouteStats;
}

namespace motcua::http {

using Handler = std::function<Response(const Request&)>;
// Completes an asynchronous request. Call it exactly once, from any thread; the response is sent
// from the connection's own event loop. If every copy is dropped uncalled, the client gets a 500.
using Respond = std::function<void(Response)>;
// A handler that starts work elsewhere (the group committer) and answers later, holding no
// event-loop or worker thread while it waits. Runs on the event loop: it must not block. The
// request stays valid until Respond is called.
using AsyncHandler = std::function<void(const Request&, Respond)>;

// Who may call a route, declared next to it in app/routes.cpp. Every route declares one:
// Router::Add refuses a route without (so an endpoint cannot be added unprotected by forgetting).
struct Access {
  enum class Kind : uint8_t { kUndeclared, kPublic, kSignedIn };
  Kind kind = Kind::kUndeclared;
  RoleSet roles = 0;  // kSignedIn: the roles admitted (others get 403)
  // Admitted while the account must still change its initial password (sign-out, password).
  bool during_password_change = false;

  static Access Public() { return {Kind::kPublic, 0, false}; }
  static Access Roles(RoleSet roles) { return {Kind::kSignedIn, roles, false}; }
  bool is_public() const { return kind == Kind::kPublic; }
  // Why `who` may not call a route with this rule (403: an initial password still to change, a
  // role not admitted); nullopt when it may.
  std::optional<Error> RefusalFor(const Principal& who) const;
};

// Finds who a request comes from (session cookie, bearer session token or API key) and checks
// what the credential itself requires (CSRF token on cookie-authenticated writes). Returns the
// refusal (401, 403), or nullopt with request.principal set. With `may_block` false (the server
// tries that first, on the event loop) it answers only from what it has in memory, and returns
// nullopt without a principal when a database read is needed: the server then calls it again on
// a worker with `may_block` true.
using Authenticator = std::function<std::optional<Response>(Request& request, bool may_block)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string summary;  // one line, for logs and the API description check
  Access access;
  // True when the handler may block (database I/O): it then runs on the worker pool, not on an
  // event-loop thread.
  bool blocking = false;
  Handler handler;                       // either this
  AsyncHandler async_handler;            // or this
  metrics::RouteStats* stats = nullptr;  // set by the server
};

struct Match {
  const Route* route = nullptr;
  bool path_matched = false;  // a route has this path but not this method (405)
  std::vector<std::pair<std::string, std::string>> params;
};

class Router {
 public:
  void Add(Route route);
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }
  std::vector<Route>& mutable_routes() { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace motcua::http
