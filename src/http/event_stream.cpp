#include "http/event_stream.hpp"

#include <utility>  // before Asio: a known missing include in 1.81

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>

#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace motcua::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

class SseConnection final : public EventStream, public std::enable_shared_from_this<SseConnection> {
 public:
  SseConnection(tcp::socket socket, EventHub& hub, const EventStreamOptions& options,
                EventStreamRecord record, std::shared_ptr<void> owner)
      : socket_(std::move(socket)),
        hub_(hub),
        options_(options),
        record_(std::move(record)),
        owner_(std::move(owner)),
        heartbeat_timer_(socket_.get_executor()),
        write_timer_(socket_.get_executor()) {}

  void Start(const EventStreamRequest& request) {
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
        "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\nX-Content-Type-Options: nosniff\r\n"
        "X-Request-Id: " +
        record_.request_id + "\r\nConnection: close\r\n\r\nretry: 3000\n\n";
    QueueOut(std::move(head));
    int64_t after = request.after_id;
    for (const Event& e : request.replay) {
      QueueOut(FormatServerSentEvent(e));
      after = std::max(after, e.id);
    }
    last_sent_id_ = after;
    // The sink runs on whichever thread publishes; it only counts and posts.
    std::weak_ptr<SseConnection> weak = weak_from_this();
    auto backlog = backlog_;
    const size_t limit = options_.queue_limit;
    subscription_ =
        hub_.Subscribe(request.topics, after, [weak, backlog, limit](const EventPtr& event) {
          auto self = weak.lock();
          if (!self) return false;
          if (backlog->fetch_add(1) >= limit) {
            net::post(self->socket_.get_executor(), [self] {
              log::Warn(
                  "event stream dropped: the client reads too slowly",
                  {{"request_id", self->record_.request_id}, {"remote", self->record_.remote}});
              self->Finish();
            });
            return false;
          }
          net::post(self->socket_.get_executor(), [self, event] { self->OnEvent(event); });
          return true;
        });
    if (subscription_ == 0) return Finish();
    WatchForDisconnect();
    ArmHeartbeat();
    WriteNext();
  }

  void Stop() override {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->Finish(); });
  }

 private:
  // Every completion handler runs through Guarded(): an exception ends this stream only.
  template <typename F>
  void Guarded(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      log::Error("event stream failed", {{"error", e.what()}, {"remote", record_.remote}});
      Finish();
    }
  }

  void OnEvent(const EventPtr& event) {
    if (!running_ || event->id <= last_sent_id_) {
      backlog_->fetch_sub(1);
      return;
    }
    last_sent_id_ = event->id;
    QueueOut(FormatServerSentEvent(*event), /*counted=*/true);
    WriteNext();
  }

  // `counted`: an event from the hub, which stays in the backlog until it is written.
  void QueueOut(std::string text, bool counted = false) {
    out_.emplace_back(std::move(text), counted);
  }

  void WriteNext() {
    if (writing_ || out_.empty() || !running_) return;
    writing_ = true;
    write_timer_.expires_after(std::chrono::seconds(options_.write_timeout_seconds));
    write_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->Finish();  // the client stopped reading
    });
    net::async_write(socket_, net::buffer(out_.front().first),
                     [self = shared_from_this()](error_code ec, size_t n) {
                       self->Guarded([&] {
                         self->writing_ = false;
                         self->write_timer_.cancel();
                         if (ec) return self->Finish();
                         self->bytes_ += n;
                         if (self->out_.front().second) self->backlog_->fetch_sub(1);
                         self->out_.pop_front();
                         self->WriteNext();
                       });
                     });
  }

  void ArmHeartbeat() {
    heartbeat_timer_.expires_after(std::chrono::seconds(options_.heartbeat_seconds));
    heartbeat_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || !self->running_) return;
      self->Guarded([&] {
        if (self->out_.empty()) self->QueueOut(": keep-alive\n\n");
        self->WriteNext();
        self->ArmHeartbeat();
      });
    });
  }

  // The client sends nothing on a stream; a completed read means it closed (or misbehaves).
  void WatchForDisconnect() {
    socket_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this()](error_code, size_t) { self->Finish(); });
  }

  void Finish() {
    if (!running_) return;
    running_ = false;
    if (subscription_ != 0) hub_.Unsubscribe(subscription_);
    subscription_ = 0;
    heartbeat_timer_.cancel();
    write_timer_.cancel();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - record_.started).count();
    if (record_.stats) record_.stats->Record(200, seconds);
    if (options_.access_log) {
      log::Info("request", {{"request_id", record_.request_id},
                            {"method", record_.method},
                            {"path", record_.path},
                            {"status", 200LL},
                            {"bytes", static_cast<long long>(bytes_)},
                            {"duration_ms", seconds * 1000.0},
                            {"remote", record_.remote},
                            {"stream", "sse"}});
    }
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    socket_.close(ec);
    owner_.reset();  // the session may go now: its connection is closed
  }

  tcp::socket socket_;
  EventHub& hub_;
  const EventStreamOptions options_;
  const EventStreamRecord record_;
  std::shared_ptr<void> owner_;
  bool running_ = true;
  bool writing_ = false;
  uint64_t subscription_ = 0;
  int64_t last_sent_id_ = 0;
  size_t bytes_ = 0;
  // Formatted, not yet written (text, counted in the backlog); bounded through backlog_.
  std::deque<std::pair<std::string, bool>> out_;
  std::shared_ptr<std::atomic<size_t>> backlog_ = std::make_shared<std::atomic<size_t>>(0);
  net::steady_timer heartbeat_timer_;
  net::steady_timer write_timer_;
  std::array<char, 64> discard_{};
};

}  // namespace

std::shared_ptr<EventStream> StartEventStream(tcp::socket socket, EventHub& hub,
                                              const EventStreamRequest& request,
                                              const EventStreamOptions& options,
                                              EventStreamRecord record,
                                              std::shared_ptr<void> owner) {
  auto stream = std::make_shared<SseConnection>(std::move(socket), hub, options, std::move(record),
                                                std::move(owner));
  stream->Start(request);
  return stream;
}

}  // namespace motcua::http
