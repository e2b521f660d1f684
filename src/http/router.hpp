#pragma once
// The explicit router: every route is added in one place (app/routes.cpp), with a pattern such as
// "/api/v1/procedures/{code}". Built once at start-up, then read-only and thread-safe.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

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

struct Route {
  std::string method;
  std::string pattern;
  std::string summary;  // one line, for logs and the API description check
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
