#pragma once
// The HTTP/1.1 server (Boost.Beast, plain TCP; TLS is terminated by the reverse proxy in front).
// Keep-alive and pipelined requests are answered in order; heads and bodies are limited; reads
// time out; SIGTERM stops accepting, lets in-flight requests finish, then returns from Run().
//
// Owns its event loop and worker pool. Start/Run/Stop may be called from any thread.

#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "http/static_files.hpp"

namespace motcua::metrics {
class Registry;
}

namespace motcua::http {

class EventHub;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port; port() tells which
  int io_threads = 2;
  int worker_threads = 4;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 20;
  // Blocking requests waiting for a worker beyond this are answered 503 with Retry-After at
  // once, instead of queueing without bound while the database is slow.
  size_t worker_queue_limit = 1024;
  // A blocking request that waited longer than this for a worker is answered 503 without running
  // (its client is better told to retry than kept waiting for a database that is slow).
  int worker_queue_timeout_ms = 5000;
  // Event streams: a comment line this often keeps proxies from closing an idle stream; a
  // subscriber with this many events not yet written is dropped (it reconnects with its
  // Last-Event-ID and catches up); one event write may take at most write_timeout_seconds.
  int sse_heartbeat_seconds = 15;
  size_t sse_queue_limit = 256;
  int write_timeout_seconds = 30;
  // Connections beyond these are closed at once: in all, and from one client address (0: no
  // per-address limit; behind a reverse proxy every client shares the proxy's address).
  size_t max_connections = 20000;
  size_t max_connections_per_client = 0;
  // Peers whose X-Forwarded-For is believed (addresses or CIDR blocks, e.g. "10.0.0.0/8"):
  // the client address is then the rightmost address in that header not itself a trusted proxy.
  std::vector<std::string> trusted_proxies;
  bool access_log = true;
  bool handle_signals = true;  // stop on SIGTERM / SIGINT
};

class Server {
 public:
  Server(ServerOptions options, Router router, std::shared_ptr<const StaticFiles> static_files,
         metrics::Registry& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The hub that event streams subscribe to (before Start). Without one, a route answering with
  // an event stream gets 503.
  void SetEventHub(EventHub* hub);
  // Finds the principal of requests to non-public routes (before Start). Without one, every
  // non-public route answers 401.
  void SetAuthenticator(Authenticator authenticator);
  // Binds and listens. Throws std::runtime_error saying what went wrong (port in use, ...).
  void Start();
  // The bound port (after Start).
  int port() const;
  // Serves until Stop() or a signal, then drains in-flight requests and returns.
  void Run();
  // Begins a graceful stop. Thread-safe; returns at once.
  void Stop();

 private:
  friend class Session;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::http
