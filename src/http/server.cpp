#include "http/server.hpp"

#include <utility>  // before Asio: a known missing include in 1.81

#include <poll.h>
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
#include <chrono>
#include <csignal>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/event_hub.hpp"
#include "http/event_stream.hpp"
#include "http/gzip.hpp"
#include "http/problem.hpp"
#include "http/request_parser.hpp"
#include "http/response_head.hpp"
#include "http/trusted_proxies.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace motcua::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

class Session;

struct Server::Impl {
  Impl(ServerOptions o, Router r, std::shared_ptr<const StaticFiles> s, metrics::Registry& m)
      : options(std::move(o)),
        router(std::move(r)),
        static_files(std::move(s)),
        metrics(m),
        proxies(options.trusted_proxies),
        contexts(MakeContexts(options.io_threads)),
        workers(static_cast<size_t>(options.worker_threads)),
        acceptor(*contexts.front()),
        signals(*contexts.front()),
        drain_timer(*contexts.front()),
        accept_timer(*contexts.front()) {
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
  // False when a connection limit refuses the session (it is then closed without a word).
  bool Register(const std::shared_ptr<Session>& s);
  void Unregister(Session* s);

  // Declared first, destroyed last: destroying the io_context destroys pending handlers, and
  // with them sessions, which unregister themselves here.
  std::mutex sessions_mutex;
  std::unordered_set<Session*> sessions;  // live sessions, for closing idle ones at shutdown
  std::unordered_map<std::string, size_t> per_client;  // live connections per peer address
  std::vector<std::weak_ptr<Session>> session_refs;

  ServerOptions options;
  Router router;
  Authenticator authenticator;
  std::shared_ptr<const StaticFiles> static_files;
  metrics::Registry& metrics;
  TrustedProxies proxies;
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
  net::steady_timer accept_timer;  // the pause after a failed accept
  SteadyClock::time_point drain_deadline;
  std::atomic<bool> stopping{false};
  int bound_port = 0;
  EventHub* hub = nullptr;
  std::atomic<size_t> queued_work{0};  // blocking requests posted to the workers, not yet started
};

// One connection. Reads bytes, parses them with RequestParser, answers each request, and parses
// the next: requests pipelined by the client wait in the read buffer and are answered in order.
// Lives on one event-loop thread (its io_context has no other), so its handlers never run
// concurrently. Every completion handler runs through Guarded(): an exception ends this
// connection, never the process.
//
// Memory per connection is bounded: the read buffer holds at most ReadBufferLimit() bytes (the
// parser never needs more unparsed bytes than the head limit), the body at most max_body_bytes,
// plus the response being written.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl* server)
      : stream_(std::move(socket)),
        server_(server),
        buffer_(ReadBufferLimit(server->options)),
        parser_(ParseLimits{.max_header_bytes = server->options.max_header_bytes,
                            .max_body_bytes = server->options.max_body_bytes}) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    deadline_ = SteadyClock::now() + std::chrono::seconds(server_->options.read_timeout_seconds);
  }
  ~Session() { server_->Unregister(this); }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->Guarded([&] { self->ReadRequest(); }); });
  }

  // Called at shutdown: an idle connection is closed now; a busy one after its response.
  void CloseIfIdle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (auto stream = self->event_stream_.lock()) return stream->Stop();
      if (!self->busy_ && !self->parser_.started()) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

  const std::string& peer() const { return remote_; }

  // Over a connection limit: closed at once (a reset, so it costs the server nothing more).
  void Refuse() {
    beast::error_code ec;
    stream_.socket().set_option(net::socket_base::linger(true, 0), ec);
    stream_.socket().close(ec);
  }

  static size_t ReadBufferLimit(const ServerOptions& o) {
    return std::max(o.max_header_bytes, kMaxChunkLineBytes) + kReadChunk;
  }

 private:
  static constexpr size_t kReadChunk = 16 << 10;
  // After an error answer the client may still be sending (a refused upload): the rest is read
  // and dropped for at most this long and this much, so the client sees the answer instead of
  // a reset connection, then the connection is closed.
  static constexpr auto kLingerTime = std::chrono::seconds(2);
  static constexpr size_t kLingerBytes = 4 << 20;

  Request& request() { return parser_.request(); }

  template <typename F>
  void Guarded(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      log::Error("connection failed", {{"error", e.what()}, {"remote", remote_}});
      Close();
    } catch (...) {
      log::Error("connection failed", {{"remote", remote_}});
      Close();
    }
  }

  std::string_view Buffered() const {
    return {static_cast<const char*>(buffer_.data().data()), buffer_.size()};
  }

  // Starts the next message. The idle timeout covers only the wait for its first byte; from that
  // byte on, the whole request must arrive within the read timeout. The first request on a
  // connection gets the read timeout from the accept.
  void ReadRequest() {
    if (server_->stopping) return Close();
    parser_.Reset();
    Request& req = request();
    req.path.clear();
    req.params.clear();
    req.query.clear();
    req.request_id.clear();
    if (!first_) {
      const int seconds = buffer_.size() ? server_->options.read_timeout_seconds
                                         : server_->options.idle_timeout_seconds;
      deadline_ = SteadyClock::now() + std::chrono::seconds(seconds);
    }
    awaiting_first_byte_ = buffer_.size() == 0 && !first_;
    Parse();
  }

  void Parse() {
    while (true) {
      const size_t used = parser_.Feed(Buffered());
      buffer_.consume(used);
      switch (parser_.state()) {
        case RequestParser::State::kHeadComplete:
          if (parser_.expects_continue() && buffer_.size() == 0) return SendContinue();
          continue;
        case RequestParser::State::kComplete:
          return OnRequest();
        case RequestParser::State::kError:
          return OnParseError();
        case RequestParser::State::kNeedMore:
          return ReadMore();
      }
    }
  }

  void ReadMore() {
    const size_t room = buffer_.max_size() - buffer_.size();
    if (room == 0) {  // cannot happen while the parser keeps its bounds; never grow past them
      return Close();
    }
    stream_.expires_at(deadline_);
    stream_.async_read_some(buffer_.prepare(std::min(room, kReadChunk)),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->Guarded([&] { self->OnReadSome(ec, n); });
                            });
  }

  void OnReadSome(beast::error_code ec, size_t n) {
    if (ec) return Close();  // closed, reset or timed out: nobody to answer
    buffer_.commit(n);
    if (awaiting_first_byte_ && n > 0) {
      awaiting_first_byte_ = false;
      deadline_ = SteadyClock::now() + std::chrono::seconds(server_->options.read_timeout_seconds);
    }
    Parse();
  }

  void SendContinue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_at(deadline_);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->Guarded([&] {
                         if (ec) return self->Close();
                         self->ReadMore();
                       });
                     });
  }

  // A malformed, oversized or ambiguous message: answer it with the parser's status, then close
  // (the rest of the stream cannot be trusted to start at a message boundary).
  void OnParseError() {
    busy_ = true;
    started_ = SteadyClock::now();
    Request& req = request();
    if (req.method.empty()) req.method = "-";
    NewRequestId(&req.request_id);
    keep_alive_ = false;
    linger_ = true;
    const ParseError& e = parser_.error();
    Send(WireProblem(e.status, e.message_vi, e.message_en, req.request_id),
         server_->unmatched_stats);
  }

  void OnRequest() {
    first_ = false;
    busy_ = true;
    started_ = SteadyClock::now();
    Request& req = request();
    keep_alive_ = parser_.keep_alive() && !server_->stopping;
    req.remote = server_->proxies.ClientOf(remote_, req.Header("x-forwarded-for"));
    const std::string_view given_id = req.Header("x-request-id");
    if (IsValidRequestId(given_id)) {
      req.request_id.assign(given_id);
    } else {
      NewRequestId(&req.request_id);
    }

    if (Status st = DecodeTarget(&req); !st.ok()) {
      return Send(ProblemResponse(st.error(), req.request_id), server_->unmatched_stats);
    }
    Dispatch();
  }

  void Dispatch() {
    Request& req = request();
    req.principal.reset();
    Match match = server_->router.Find(req.method, req.path);
    if (match.route) {
      const Route* route = match.route;
      req.params = std::move(match.params);
      // Who is calling is answered from memory when it can be; when it needs the database, the
      // route starts on a worker, which finds out first.
      if (!route->access.is_public()) {
        if (auto refused = Authorize(*route, /*may_block=*/false)) {
          return Send(std::move(*refused), route->stats);
        }
        if (!req.principal) return RunOnWorker(*route);
      }
      if (route->blocking) return RunOnWorker(*route);
      if (route->async_handler) return InvokeAsync(*route);
      return Send(Invoke(*route), route->stats);
    }
    if ((req.method == "GET" || req.method == "HEAD") && server_->static_files) {
      if (auto r = server_->static_files->Serve(req)) {
        return Send(std::move(*r), server_->static_stats);
      }
    }
    if (match.path_matched) {
      return Send(ProblemResponse(
                      MakeError(ErrorCode::kMethodNotAllowed,
                                "Phương thức " + req.method + " không được hỗ trợ cho " + req.path,
                                "Method " + req.method + " is not allowed on " + req.path),
                      req.request_id),
                  server_->unmatched_stats);
    }
    Send(ProblemResponse(MakeError(ErrorCode::kNotFound, "Không có địa chỉ " + req.path,
                                   "No resource at " + req.path),
                         req.request_id),
         server_->unmatched_stats);
  }

  // Runs a route on the worker pool, whose queue is bounded: when the database is slow the
  // answer is a quick 503, not a growing queue of requests whose clients gave up. A non-public
  // route is authorized there first; an asynchronous handler is started there and answers later.
  void RunOnWorker(const Route& route) {
    if (server_->queued_work.fetch_add(1) >= server_->options.worker_queue_limit) {
      server_->queued_work.fetch_sub(1);
      return Send(Overloaded(), route.stats);
    }
    net::post(server_->workers, [self = shared_from_this(), route = &route,
                                 queued_at = SteadyClock::now()] {
      self->server_->queued_work.fetch_sub(1);
      // A client that has gone while the request waited gets no work done for it; one that
      // waited longer than the queue timeout gets a 503 at once instead of a late answer.
      Response response;
      if (!self->ClientGone()) {
        const bool stale =
            SteadyClock::now() - queued_at >
            std::chrono::milliseconds(self->server_->options.worker_queue_timeout_ms);
        if (stale) {
          response = self->Overloaded();
        } else if (auto refused = self->Authorize(*route, /*may_block=*/true)) {
          response = std::move(*refused);
        } else if (route->async_handler) {
          return self->InvokeAsync(*route);
        } else {
          response = self->Invoke(*route);
        }
      }
      net::post(self->stream_.get_executor(), [self, route, r = std::move(response)]() mutable {
        self->Guarded([&] {
          if (r.status == 0) return self->Close();
          self->Send(std::move(r), route->stats);
        });
      });
    });
  }

  // nullopt when the route may run for this request: it is public, a principal was found earlier,
  // or the authenticator finds one now whose role the route admits. Otherwise the refusal (401,
  // 403, 503). Without `may_block`, nullopt with no principal means "ask again on a worker".
  std::optional<Response> Authorize(const Route& route, bool may_block) {
    if (route.access.is_public()) return std::nullopt;
    Request& req = request();
    if (req.principal) return std::nullopt;  // admitted on the event loop already
    if (!server_->authenticator) {
      return ProblemResponse(
          MakeError(ErrorCode::kUnauthenticated, "Cần đăng nhập", "Sign-in required"),
          req.request_id);
    }
    try {
      if (auto refused = server_->authenticator(req, may_block)) return refused;
    } catch (const UnavailableError& e) {
      log::Error("dependency unavailable",
                 {{"request_id", req.request_id}, {"route", route.pattern}, {"error", e.what()}});
      return Unavailable();
    } catch (const std::exception& e) {
      log::Error("authentication failed",
                 {{"request_id", req.request_id}, {"route", route.pattern}, {"error", e.what()}});
      return ProblemResponse(MakeError(ErrorCode::kInternal, "", ""), req.request_id);
    }
    if (!req.principal && !may_block) return std::nullopt;  // needs the database
    if (!req.principal) {  // an authenticator must set one or refuse: never let it through
      return ProblemResponse(
          MakeError(ErrorCode::kUnauthenticated, "Cần đăng nhập", "Sign-in required"),
          req.request_id);
    }
    if (auto refusal = route.access.RefusalFor(*req.principal)) {
      return ProblemResponse(*refusal, req.request_id);
    }
    return std::nullopt;
  }

  Response Invoke(const Route& route) {
    Request& req = request();
    try {
      return route.handler(req);
    } catch (const UnavailableError& e) {
      log::Error("dependency unavailable",
                 {{"request_id", req.request_id}, {"route", route.pattern}, {"error", e.what()}});
      return Unavailable();
    } catch (const std::exception& e) {
      log::Error("handler failed",
                 {{"request_id", req.request_id}, {"route", route.pattern}, {"error", e.what()}});
    } catch (...) {
      log::Error("handler failed", {{"request_id", req.request_id}, {"route", route.pattern}});
    }
    return ProblemResponse(MakeError(ErrorCode::kInternal, "", ""), req.request_id);
  }

  // Starts an asynchronous handler. Its Respond may be called from any thread; the answer is
  // sent from this connection's loop. A Respond dropped uncalled answers 500.
  void InvokeAsync(const Route& route) {
    struct Pending {
      std::shared_ptr<Session> session;
      const Route* route;
      std::atomic<bool> answered{false};
      void Answer(Response r) {
        if (answered.exchange(true)) return;
        net::post(session->stream_.get_executor(),
                  [s = session, route = route, r = std::move(r)]() mutable {
                    s->Guarded([&] { s->Send(std::move(r), route->stats); });
                  });
      }
      ~Pending() {
        if (!answered) {
          log::Error("asynchronous handler dropped its request", {{"route", route->pattern}});
          Answer(ProblemResponse(MakeError(ErrorCode::kInternal, "", ""),
                                 session->request().request_id));
        }
      }
    };
    auto pending = std::make_shared<Pending>();
    pending->session = shared_from_this();
    pending->route = &route;
    Respond respond = [pending](Response r) { pending->Answer(std::move(r)); };
    try {
      route.async_handler(request(), std::move(respond));
    } catch (const UnavailableError&) {
      pending->Answer(Unavailable());
    } catch (const std::exception& e) {
      log::Error(
          "handler failed",
          {{"request_id", request().request_id}, {"route", route.pattern}, {"error", e.what()}});
      pending->Answer(
          ProblemResponse(MakeError(ErrorCode::kInternal, "", ""), request().request_id));
    }
  }

  Response Unavailable() {
    Response r = ProblemResponse(
        MakeError(ErrorCode::kUnavailable, "Cơ sở dữ liệu tạm thời không sẵn sàng, xin thử lại",
                  "The database is temporarily unavailable; please retry"),
        request().request_id);
    r.headers.emplace_back("Retry-After", "2");
    return r;
  }

  Response Overloaded() {
    Response r =
        ProblemResponse(MakeError(ErrorCode::kUnavailable, "Hệ thống đang quá tải, xin thử lại sau",
                                  "The server is overloaded; please retry shortly"),
                        request().request_id);
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }

  // True when the client has closed or reset the connection (checked without reading).
  bool ClientGone() {
    pollfd p{stream_.socket().native_handle(), POLLRDHUP, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
  }

  void Send(Response response, metrics::RouteStats* stats) {
    if (response.event_stream && request().method == "HEAD") {
      response.event_stream.reset();  // the head of a stream, and no stream
    }
    if (response.event_stream && response.status == 200) {
      if (server_->hub != nullptr && !server_->stopping) {
        return StartStream(*response.event_stream, stats);
      }
      response = Unavailable();
    }
    const Request& req = request();
    if (!HeadersAreSafe(response)) {
      log::Error("response header refused (control character or bad name)",
                 {{"request_id", req.request_id}, {"path", req.path}});
      response = ProblemResponse(MakeError(ErrorCode::kInternal, "", ""), req.request_id);
    }
    head_builder_.Reset();
    if (!response.content_type.empty()) head_builder_.Set("Content-Type", response.content_type);
    head_builder_.Set("X-Request-Id", req.request_id);
    head_builder_.Set("X-Content-Type-Options", "nosniff");
    head_builder_.Set("Referrer-Policy", "same-origin");
    head_builder_.Set("X-Frame-Options", "DENY");
    if (response.content_type.starts_with("text/html")) {
      head_builder_.Set("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self' "
                        "'unsafe-inline'; frame-ancestors 'none'");
    }
    std::string allow;
    if (response.status == 405) {
      for (const auto& r : server_->router.routes()) {
        if (server_->router.Find(r.method, req.path).route == &r) {
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
        AcceptsGzip(req.Header("accept-encoding"))) {
      body_ = Gzip(body, 5);
      shared_body_.reset();
      body = body_;
      head_builder_.Set("Content-Encoding", "gzip");
      head_builder_.Set("Vary", "Accept-Encoding");
    }
    const size_t body_size = body.size();
    std::optional<size_t> content_length;
    if (req.method == "HEAD") {
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
    // Each response gets a fresh write deadline: a slow handler still gets its answer out.
    stream_.expires_after(std::chrono::seconds(server_->options.write_timeout_seconds));
    const std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(body)};
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                       self->Guarded([&] { self->OnWrite(ec, keep_alive); });
                     });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    shared_body_.reset();  // do not pin a cached body while the connection idles
    const Request& req = request();
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started_).count();
    if (stats_) stats_->Record(status_, seconds);
    if (server_->options.access_log) {
      log::Info("request", {{"request_id", req.request_id},
                            {"method", req.method},
                            {"path", req.path.empty() ? std::string_view(req.target) : req.path},
                            {"status", static_cast<long long>(status_)},
                            {"bytes", static_cast<long long>(bytes_)},
                            {"duration_ms", seconds * 1000.0},
                            {"remote", req.remote.empty() ? remote_ : req.remote}});
    }
    busy_ = false;
    if (ec) return Close();
    if (!keep_alive) return linger_ ? Linger() : Close();
    // A large body or head may have grown the buffers: give the memory back between requests.
    if (body_.capacity() > (64 << 10)) std::string().swap(body_);
    ReadRequest();
  }

  // Graceful close after an error answer: stop sending, read and drop what the client is still
  // sending (bounded in time and bytes), then close. Closing at once with unread input would
  // make the kernel reset the connection, and the client might never read the answer.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    buffer_.consume(buffer_.size());
    linger_until_ = SteadyClock::now() + kLingerTime;
    LingerRead();
  }

  void LingerRead() {
    if (lingered_bytes_ >= kLingerBytes || SteadyClock::now() >= linger_until_) return Close();
    stream_.expires_at(linger_until_);
    stream_.async_read_some(buffer_.prepare(std::min(buffer_.max_size(), kReadChunk)),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->Guarded([&] {
                                if (ec) return self->Close();
                                self->lingered_bytes_ += n;
                                self->LingerRead();
                              });
                            });
  }

  // The connection becomes an event stream, which takes the socket over; this session stays
  // alive (an open connection, for shutdown) until the stream ends.
  void StartStream(const EventStreamRequest& spec, metrics::RouteStats* stats) {
    busy_ = false;
    const Request& req = request();
    const ServerOptions& o = server_->options;
    event_stream_ = StartEventStream(
        stream_.release_socket(), *server_->hub, spec,
        EventStreamOptions{.heartbeat_seconds = o.sse_heartbeat_seconds,
                           .queue_limit = o.sse_queue_limit,
                           .write_timeout_seconds = o.write_timeout_seconds,
                           .access_log = o.access_log},
        EventStreamRecord{req.request_id, req.method, req.path, remote_, stats, started_},
        shared_from_this());
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Server::Impl* server_;       // outlives every session (see the member order of Impl)
  beast::flat_buffer buffer_;  // received bytes not yet parsed; bounded by its max_size
  RequestParser parser_;       // owns the request being handled
  std::string remote_;
  bool keep_alive_ = false;
  bool busy_ = false;
  bool first_ = true;
  bool awaiting_first_byte_ = false;
  bool linger_ = false;
  SteadyClock::time_point deadline_;  // of the request being read
  SteadyClock::time_point started_;
  SteadyClock::time_point linger_until_;
  size_t lingered_bytes_ = 0;
  HeadBuilder head_builder_;
  std::string head_;                                // the response head being written
  std::string body_;                                // the body, when the session owns it
  std::shared_ptr<const std::string> shared_body_;  // the body, when shared
  int status_ = 0;
  size_t bytes_ = 0;
  metrics::RouteStats* stats_ = nullptr;
  std::weak_ptr<EventStream> event_stream_;  // once the response became an event stream
};

bool Server::Impl::Register(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(sessions_mutex);
  if (sessions.size() >= options.max_connections) return false;
  if (options.max_connections_per_client > 0) {
    size_t& n = per_client[s->peer()];
    if (n >= options.max_connections_per_client) return false;
    ++n;
  }
  sessions.insert(s.get());
  session_refs.emplace_back(s);
  if (session_refs.size() > 2 * sessions.size() + 64) {
    std::erase_if(session_refs, [](const auto& w) { return w.expired(); });
  }
  return true;
}

void Server::Impl::Unregister(Session* s) {
  std::lock_guard lock(sessions_mutex);
  if (sessions.erase(s) == 0) return;  // refused at Register
  if (options.max_connections_per_client > 0) {
    auto it = per_client.find(s->peer());
    if (it != per_client.end() && --it->second == 0) per_client.erase(it);
  }
}

void Server::Impl::Accept() {
  net::io_context& target = *contexts[next_context++ % contexts.size()];
  acceptor.async_accept(net::any_io_executor(target.get_executor()),
                        [self = this](beast::error_code ec, tcp::socket socket) {
                          if (self->stopping) return;
                          if (ec) {
                            // Out of file descriptors and similar: log, and accept again after a
                            // pause on a timer (sleeping here would stall every connection that
                            // this loop serves).
                            log::Warn("accept failed", {{"error", ec.message()}});
                            self->accept_timer.expires_after(std::chrono::milliseconds(50));
                            self->accept_timer.async_wait([self](beast::error_code) {
                              if (!self->stopping) self->Accept();
                            });
                            return;
                          }
                          try {
                            socket.set_option(tcp::no_delay(true), ec);
                            auto session = std::make_shared<Session>(std::move(socket), self);
                            if (self->Register(session)) {
                              session->Start();
                            } else {
                              session->Refuse();
                            }
                          } catch (const std::exception& e) {
                            log::Error("connection setup failed", {{"error", e.what()}});
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
  accept_timer.cancel();
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

void Server::SetAuthenticator(Authenticator authenticator) {
  impl_->authenticator = std::move(authenticator);
}

Server::~Server() {
  impl_->StopLoops();
  impl_->workers.join();
  if (impl_->options.handle_signals) {
    // Removing the signal set restores the default disposition, under which a repeated SIGTERM
    // (a supervisor insisting) would kill a process still closing its database: from here on
    // the stop is under way and both signals are ignored.
    beast::error_code ec;
    impl_->signals.clear(ec);
    std::signal(SIGTERM, SIG_IGN);
    std::signal(SIGINT, SIG_IGN);
  }
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

void Server::SetEventHub(EventHub* hub) { impl_->hub = hub; }

void Server::Run() {
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->contexts.size(); ++i) {
    threads.emplace_back([ctx = impl_->contexts[i].get()] { ctx->run(); });
  }
  impl_->contexts.front()->run();
  for (auto& t : threads) t.join();
  // Past the grace period: queued blocking work is dropped (its clients are gone with the
  // loops); what is running finishes within the database timeout.
  impl_->workers.stop();
  impl_->workers.join();
}

void Server::Stop() {
  net::post(*impl_->contexts.front(), [self = impl_.get()] { self->BeginStop(); });
}

}  // namespace motcua::http
