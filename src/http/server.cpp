#include "http/server.hpp"

#include <utility>  // before Asio: a known missing include in 1.81

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
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

// 16 lower-case hex digits. Formatted by hand: this runs for every request.
void NewRequestId(std::string* out) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t v = rng();
  out->resize(16);
  for (int i = 15; i >= 0; --i, v >>= 4) (*out)[static_cast<size_t>(i)] = kHex[v & 0xf];
}

// The response head is written by hand rather than by Beast's serializer, which measured as a
// large share of the time of a small response. Same semantics as Beast's fields: Set() replaces a
// field of the same name (case-insensitive); fields are written in insertion order. Views only:
// everything referenced must outlive Serialize().
class HeadBuilder {
 public:
  void Reset() { fields_.clear(); }
  void Set(std::string_view name, std::string_view value) {
    for (auto& f : fields_) {
      if (beast::iequals(f.first, name)) {
        f.second = value;
        return;
      }
    }
    fields_.emplace_back(name, value);
  }
  // "HTTP/1.1 200 OK\r\n" + fields + the optional Content-Length and "Connection: close".
  void Serialize(int status, std::optional<size_t> content_length, bool keep_alive,
                 std::string* out) const {
    out->clear();
    out->append("HTTP/1.1 ");
    AppendNumber(static_cast<uint64_t>(status), out);
    out->push_back(' ');
    out->append(std::string_view(bhttp::obsolete_reason(static_cast<bhttp::status>(status))));
    out->append("\r\n");
    for (const auto& [name, value] : fields_) {
      out->append(name).append(": ").append(value).append("\r\n");
    }
    if (content_length) {
      out->append("Content-Length: ");
      AppendNumber(*content_length, out);
      out->append("\r\n");
    }
    if (!keep_alive) out->append("Connection: close\r\n");
    out->append("\r\n");
  }

 private:
  static void AppendNumber(uint64_t v, std::string* out) {
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out->append(buf, end);
  }
  std::vector<std::pair<std::string_view, std::string_view>> fields_;
};

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
        contexts(MakeContexts(options.io_threads)),
        workers(static_cast<size_t>(options.worker_threads)),
        acceptor(*contexts.front()),
        signals(*contexts.front()),
        drain_timer(*contexts.front()) {
    // Event-loop threads without connections yet must not return from run().
    for (auto& c : contexts) work.push_back(net::make_work_guard(*c));
    for (auto& route : router.mutable_routes()) {
      route.stats = metrics.ForRoute(route.method, route.pattern);
    }
    static_stats = metrics.ForRoute("GET", "static");
    unmatched_stats = metrics.ForRoute("ANY", "unmatched");
  }

  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<net::io_context>> v;
    for (int i = 0; i < std::max(threads, 1); ++i)
      v.push_back(std::make_unique<net::io_context>(1));
    return v;
  }
  void StopLoops() {
    for (auto& c : contexts) c->stop();
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

  // One io_context per event-loop thread, each run by exactly that thread; connections are dealt
  // out in turn. A connection's handlers then never change threads: no strand, and no futex
  // wake-ups handing work between loop threads, which one io_context shared by io_threads threads
  // spent a large share of its time on. The acceptor, signals and drain timer live on the first.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;  // after contexts
  size_t next_context = 0;  // only touched by the accept handler (first context)
  net::thread_pool workers;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  SteadyClock::time_point drain_deadline;
  std::atomic<bool> stopping{false};
  int bound_port = 0;
};

// One connection. Reads a request, answers it, and reads the next: requests pipelined by the
// client wait in the read buffer and are answered in order. Lives on one event-loop thread (its
// io_context has no other), so its handlers never run concurrently.
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
    // Most requests have no body: the head was the whole message. Going on directly saves the
    // posted completion that an async_read of an already complete message costs.
    if (parser_->is_done()) return OnRead({}, 0);
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
    NewRequestId(&request_.request_id);
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
    // The request object is reused from one request to the next: assigning into its strings
    // keeps their capacity, so a typical request allocates nothing here.
    request_.method.assign(req.method_string());
    request_.target.assign(req.target());
    request_.path.clear();
    request_.params.clear();
    request_.remote.assign(remote_);
    const std::string_view given_id = req["x-request-id"];
    if (IsValidRequestId(given_id)) {
      request_.request_id.assign(given_id);
    } else {
      NewRequestId(&request_.request_id);
    }
    size_t n = 0;
    for (const auto& field : req) {
      if (n == request_.headers.size()) request_.headers.emplace_back();
      auto& [name, value] = request_.headers[n++];
      name.assign(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      value.assign(field.value());
    }
    request_.headers.resize(n);
    request_.body = std::move(req.body());

    const std::string_view target = request_.target;
    const auto qmark = target.find('?');
    const std::string_view raw_path = target.substr(0, qmark);
    if (!PercentDecode(raw_path, false, &request_.path) || !IsSafePath(request_.path)) {
      return Send(ProblemResponse(BadRequest("Đường dẫn không hợp lệ", "Invalid request path"),
                                  request_.request_id),
                  server_->unmatched_stats);
    }
    // Always parsed (an empty query empties the list): the strings are reused across requests.
    {
      const std::string_view raw_query =
          qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);
      bool valid = ParseQuery(raw_query, &request_.query);
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
      // Blocking work goes to the worker pool; the answer comes back to this session's thread.
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
    head_builder_.Reset();
    if (!response.content_type.empty()) head_builder_.Set("Content-Type", response.content_type);
    head_builder_.Set("X-Request-Id", request_.request_id);
    head_builder_.Set("X-Content-Type-Options", "nosniff");
    head_builder_.Set("Referrer-Policy", "same-origin");
    if (response.content_type.starts_with("text/html")) {
      head_builder_.Set("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self' "
                        "'unsafe-inline'; frame-ancestors 'none'");
    }
    std::string allow;
    if (response.status == 405) {
      for (const auto& r : server_->router.routes()) {
        if (server_->router.Find(r.method, request_.path).route == &r) {
          if (!allow.empty()) allow += ", ";
          allow += r.method;
        }
      }
      head_builder_.Set("Allow", allow);
    }
    bool compressed = false;
    for (const auto& [name, value] : response.headers) {
      if (name == "Content-Encoding") compressed = true;
      head_builder_.Set(name, value);
    }
    // The body is sent from the session's own string or from the shared (cached, static) one,
    // kept alive here until the write completes.
    body_ = std::move(response.body);
    shared_body_ = std::move(response.shared_body);
    std::string_view body = shared_body_ ? std::string_view(*shared_body_) : body_;
    if (!compressed && WorthCompressing(response.content_type, body.size()) &&
        AcceptsGzip(request_.Header("accept-encoding"))) {
      body_ = Gzip(body, 5);
      shared_body_.reset();
      body = body_;
      head_builder_.Set("Content-Encoding", "gzip");
      head_builder_.Set("Vary", "Accept-Encoding");
    }
    const size_t body_size = body.size();
    std::optional<size_t> content_length;
    if (request_.method == "HEAD") {
      content_length = body_size;
      body = {};
    } else if (response.status != 304 && response.status != 204) {
      content_length = body_size;
    } else {
      body = {};
    }
    const bool keep_alive = keep_alive_ && !server_->stopping;
    head_builder_.Serialize(response.status, content_length, keep_alive, &head_);
    status_ = response.status;
    bytes_ = body_size;
    stats_ = stats;
    const std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(body)};
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                       self->OnWrite(ec, keep_alive);
                     });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    shared_body_.reset();  // do not pin a cached body while the connection idles
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
  HeadBuilder head_builder_;
  std::string head_;                                // the response head being written
  std::string body_;                                // the body, when the session owns it
  std::shared_ptr<const std::string> shared_body_;  // the body, when shared
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
  net::io_context& target = *contexts[next_context++ % contexts.size()];
  acceptor.async_accept(net::any_io_executor(target.get_executor()),
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
    StopLoops();
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
  impl_->StopLoops();
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
  for (size_t i = 1; i < impl_->contexts.size(); ++i) {
    threads.emplace_back([ctx = impl_->contexts[i].get()] { ctx->run(); });
  }
  impl_->contexts.front()->run();
  for (auto& t : threads) t.join();
  impl_->workers.join();
}

void Server::Stop() {
  net::post(*impl_->contexts.front(), [self = impl_.get()] { self->BeginStop(); });
}

}  // namespace motcua::http
