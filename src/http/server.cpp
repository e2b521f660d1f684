#include "http/server.hpp"

#include <utility>  // before Asio: a known missing include in 1.81

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/vn_text.hpp"
#include "http/gzip.hpp"
#include "http/problem.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace motcua::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

namespace {

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

Error BadRequest(std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en));
}

// Checks the decoded path: no NUL, no backslash, no ".." segment, valid UTF-8.
bool IsSafePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t pos = 0;
  while (pos < path.size()) {
    size_t next = path.find('/', pos + 1);
    if (next == std::string_view::npos) next = path.size();
    const std::string_view seg = path.substr(pos + 1, next - pos - 1);
    if (seg == "..") return false;
    pos = next;
  }
  return text::IsValidUtf8(path);
}

}  // namespace

class Session;

struct Server::Impl {
  Impl(ServerOptions o, Router r, std::shared_ptr<const StaticFiles> s, metrics::Registry& m)
      : options(std::move(o)),
        router(std::move(r)),
        static_files(std::move(s)),
        metrics(m),
        ioc(options.io_threads),
        workers(static_cast<size_t>(options.worker_threads)),
        acceptor(net::make_strand(ioc)),
        signals(ioc),
        drain_timer(ioc) {
    for (auto& route : router.mutable_routes()) {
      route.stats = metrics.ForRoute(route.method, route.pattern);
    }
    static_stats = metrics.ForRoute("GET", "static");
    unmatched_stats = metrics.ForRoute("ANY", "unmatched");
  }

  void Accept();
  void BeginStop();
  void CheckDrained();
  void Register(const std::shared_ptr<Session>& s);
  void Unregister(Session* s);

  // Declared first, destroyed last: destroying the io_context destroys pending handlers, and
  // with them sessions, which unregister themselves here.
  std::mutex sessions_mutex;
  std::unordered_set<Session*> sessions;  // live sessions, for closing idle ones at shutdown
  std::vector<std::weak_ptr<Session>> session_refs;

  ServerOptions options;
  Router router;
  std::shared_ptr<const StaticFiles> static_files;
  metrics::Registry& metrics;
  metrics::RouteStats* static_stats = nullptr;
  metrics::RouteStats* unmatched_stats = nullptr;

  net::io_context ioc;
  net::thread_pool workers;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  SteadyClock::time_point drain_deadline;
  std::atomic<bool> stopping{false};
  int bound_port = 0;
};

// One connection. Reads a request, answers it, and reads the next: requests pipelined by the
// client wait in the read buffer and are answered in order. Lives on its own strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl* server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() { server_->Unregister(this); }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::ReadRequest, shared_from_this()));
  }

  // Called at shutdown: an idle connection is closed now; a busy one after its response.
  void CloseIfIdle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void ReadRequest() {
    if (server_->stopping) return Close();
    parser_.emplace();
    parser_->body_limit(server_->options.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(server_->options.max_header_bytes));
    const int seconds =
        first_ ? server_->options.read_timeout_seconds : server_->options.idle_timeout_seconds;
    stream_.expires_after(std::chrono::seconds(seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    started_ = SteadyClock::now();
    stream_.expires_after(std::chrono::seconds(server_->options.read_timeout_seconds));
    const auto& req = parser_->get();
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       req.version());
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                           if (wec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::connection_reset ||
        ec == net::error::eof || ec == net::error::bad_descriptor) {
      return Close();
    }
    // A malformed or oversized request: answer it, then close (the rest of the stream cannot be
    // trusted to start at a message boundary).
    busy_ = true;
    started_ = SteadyClock::now();
    request_.method = "ANY";
    request_.request_id = NewRequestId();
    keep_alive_ = false;
    Error error;
    if (ec == bhttp::error::body_limit) {
      error = MakeError(
          ErrorCode::kPayloadTooLarge,
          "Nội dung yêu cầu vượt quá " + std::to_string(server_->options.max_body_bytes) + " byte",
          "Request body exceeds " + std::to_string(server_->options.max_body_bytes) + " bytes");
    } else if (ec == bhttp::error::header_limit) {
      Response r =
          ProblemResponse(BadRequest("Phần đầu yêu cầu quá lớn", "Request header fields too large"),
                          request_.request_id);
      r.status = 431;
      return Send(std::move(r), server_->unmatched_stats);
    } else {
      error = BadRequest("Yêu cầu HTTP không hợp lệ: " + ec.message(),
                         "Malformed HTTP request: " + ec.message());
    }
    Send(ProblemResponse(error, request_.request_id), server_->unmatched_stats);
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    first_ = false;
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive() && !server_->stopping;
    request_ = Request{};
    request_.method = std::string(req.method_string());
    request_.target = std::string(req.target());
    request_.remote = remote_;
    const std::string_view given_id = req["x-request-id"];
    request_.request_id = IsValidRequestId(given_id) ? std::string(given_id) : NewRequestId();
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request_.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request_.body = std::move(req.body());

    const std::string_view target = request_.target;
    const auto qmark = target.find('?');
    const std::string_view raw_path = target.substr(0, qmark);
    if (!PercentDecode(raw_path, false, &request_.path) || !IsSafePath(request_.path)) {
      return Send(ProblemResponse(BadRequest("Đường dẫn không hợp lệ", "Invalid request path"),
                                  request_.request_id),
                  server_->unmatched_stats);
    }
    if (qmark != std::string_view::npos) {
      bool valid = ParseQuery(target.substr(qmark + 1), &request_.query);
      for (const auto& [k, v] : request_.query) {
        valid = valid && text::IsValidUtf8(k) && text::IsValidUtf8(v);
      }
      if (!valid) {
        return Send(ProblemResponse(BadRequest("Tham số truy vấn không hợp lệ (mã hóa hoặc UTF-8)",
                                               "Invalid query string (escaping or UTF-8)"),
                                    request_.request_id),
                    server_->unmatched_stats);
      }
    }
    Dispatch();
  }

  void Dispatch() {
    Match match = server_->router.Find(request_.method, request_.path);
    if (match.route) {
      const Route* route = match.route;
      request_.params = std::move(match.params);
      if (!route->blocking) return Send(Invoke(*route), route->stats);
      // Blocking work goes to the worker pool; the answer comes back to this session's strand.
      net::post(server_->workers, [self = shared_from_this(), route] {
        Response response = self->Invoke(*route);
        net::post(self->stream_.get_executor(), [self, route, r = std::move(response)]() mutable {
          self->Send(std::move(r), route->stats);
        });
      });
      return;
    }
    if ((request_.method == "GET" || request_.method == "HEAD") && server_->static_files) {
      if (auto r = server_->static_files->Serve(request_)) {
        return Send(std::move(*r), server_->static_stats);
      }
    }
    if (match.path_matched) {
      return Send(ProblemResponse(MakeError(ErrorCode::kMethodNotAllowed,
                                            "Phương thức " + request_.method +
                                                " không được hỗ trợ cho " + request_.path,
                                            "Method " + request_.method + " is not allowed on " +
                                                request_.path),
                                  request_.request_id),
                  server_->unmatched_stats);
    }
    Send(ProblemResponse(MakeError(ErrorCode::kNotFound, "Không có địa chỉ " + request_.path,
                                   "No resource at " + request_.path),
                         request_.request_id),
         server_->unmatched_stats);
  }

  Response Invoke(const Route& route) {
    try {
      return route.handler(request_);
    } catch (const std::exception& e) {
      log::Error(
          "handler failed",
          {{"request_id", request_.request_id}, {"route", route.pattern}, {"error", e.what()}});
    } catch (...) {
      log::Error("handler failed", {{"request_id", request_.request_id}, {"route", route.pattern}});
    }
    return ProblemResponse(MakeError(ErrorCode::kInternal, "", ""), request_.request_id);
  }

  void Send(Response response, metrics::RouteStats* stats) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    if (!response.content_type.empty()) res->set(bhttp::field::content_type, response.content_type);
    res->set("X-Request-Id", request_.request_id);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("Referrer-Policy", "same-origin");
    if (response.content_type.starts_with("text/html")) {
      res->set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "frame-ancestors 'none'");
    }
    if (response.status == 405) {
      std::string allow;
      for (const auto& r : server_->router.routes()) {
        if (server_->router.Find(r.method, request_.path).route == &r) {
          if (!allow.empty()) allow += ", ";
          allow += r.method;
        }
      }
      res->set(bhttp::field::allow, allow);
    }
    bool compressed = false;
    for (auto& [name, value] : response.headers) {
      if (name == "Content-Encoding") compressed = true;
      res->set(name, value);
    }
    if (!compressed && WorthCompressing(response.content_type, response.body.size()) &&
        AcceptsGzip(request_.Header("accept-encoding"))) {
      response.body = Gzip(response.body, 5);
      res->set(bhttp::field::content_encoding, "gzip");
      res->set(bhttp::field::vary, "Accept-Encoding");
    }
    const size_t body_size = response.body.size();
    if (request_.method == "HEAD") {
      res->content_length(body_size);
    } else if (response.status != 304 && response.status != 204) {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    res->keep_alive(keep_alive_ && !server_->stopping);
    status_ = response.status;
    bytes_ = body_size;
    stats_ = stats;
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res](beast::error_code ec, size_t) {
                         self->OnWrite(ec, res->keep_alive());
                       });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started_).count();
    if (stats_) stats_->Record(status_, seconds);
    if (server_->options.access_log) {
      log::Info("request", {{"request_id", request_.request_id},
                            {"method", request_.method},
                            {"path", request_.path},
                            {"status", static_cast<long long>(status_)},
                            {"bytes", static_cast<long long>(bytes_)},
                            {"duration_ms", seconds * 1000.0},
                            {"remote", remote_}});
    }
    busy_ = false;
    if (ec || !keep_alive) return Close();
    ReadRequest();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl* server_;  // outlives every session (see the member order of Impl)
  Request request_;
  std::string remote_;
  bool keep_alive_ = false;
  bool busy_ = false;
  bool first_ = true;
  SteadyClock::time_point started_;
  int status_ = 0;
  size_t bytes_ = 0;
  metrics::RouteStats* stats_ = nullptr;
};

void Server::Impl::Register(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(sessions_mutex);
  sessions.insert(s.get());
  session_refs.emplace_back(s);
  if (session_refs.size() > 2 * sessions.size() + 64) {
    std::erase_if(session_refs, [](const auto& w) { return w.expired(); });
  }
}

void Server::Impl::Unregister(Session* s) {
  std::lock_guard lock(sessions_mutex);
  sessions.erase(s);
}

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc),
                        [self = this](beast::error_code ec, tcp::socket socket) {
                          if (self->stopping) return;
                          if (ec) {
                            // Out of file descriptors and similar: log, and keep accepting after a
                            // breath.
                            log::Warn("accept failed", {{"error", ec.message()}});
                            std::this_thread::sleep_for(std::chrono::milliseconds(10));
                          } else {
                            socket.set_option(tcp::no_delay(true), ec);
                            auto session = std::make_shared<Session>(std::move(socket), self);
                            self->Register(session);
                            session->Start();
                          }
                          self->Accept();
                        });
}

void Server::Impl::BeginStop() {
  if (stopping.exchange(true)) return;
  log::Info("shutting down: no new connections; finishing requests in flight");
  net::post(acceptor.get_executor(), [self = this] {
    beast::error_code ec;
    self->acceptor.close(ec);
  });
  signals.cancel();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(sessions_mutex);
    for (auto& w : session_refs) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->CloseIfIdle();
  live.clear();
  drain_deadline = SteadyClock::now() + std::chrono::seconds(options.shutdown_grace_seconds);
  CheckDrained();
}

void Server::Impl::CheckDrained() {
  size_t remaining;
  {
    std::lock_guard lock(sessions_mutex);
    remaining = sessions.size();
  }
  if (remaining == 0 || SteadyClock::now() >= drain_deadline) {
    if (remaining)
      log::Warn("shutdown grace period over", {{"open_connections", (long long)remaining}});
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait([self = this](beast::error_code) { self->CheckDrained(); });
}

Server::Server(ServerOptions options, Router router,
               std::shared_ptr<const StaticFiles> static_files, metrics::Registry& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(static_files),
                                   metrics)) {}

Server::~Server() {
  impl_->ioc.stop();
  impl_->workers.join();
}

void Server::Start() {
  auto& impl = *impl_;
  beast::error_code ec;
  const auto address = net::ip::make_address(impl.options.host, ec);
  if (ec)
    throw std::runtime_error("cannot listen: '" + impl.options.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(impl.options.port));
  impl.acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl.acceptor.bind(endpoint, ec);
  if (!ec) impl.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + impl.options.host + ":" +
                             std::to_string(impl.options.port) + ": " + ec.message());
  }
  impl.bound_port = impl.acceptor.local_endpoint().port();
  if (impl.options.handle_signals) {
    impl.signals.add(SIGINT);
    impl.signals.add(SIGTERM);
    impl.signals.async_wait([self = impl_.get()](beast::error_code e, int) {
      if (!e) self->BeginStop();
    });
  }
  impl.Accept();
}

int Server::port() const { return impl_->bound_port; }

void Server::Run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.io_threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
  impl_->workers.join();
}

void Server::Stop() {
  net::post(impl_->ioc, [self = impl_.get()] { self->BeginStop(); });
}

}  // namespace motcua::http
