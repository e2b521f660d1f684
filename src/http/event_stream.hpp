#pragma once
// A Server-Sent Events connection: what an HTTP connection becomes once its response is an event
// stream. It owns the socket from then on and has its own policy: no read deadline (the client
// only listens; a completed read means it left), a heartbeat comment every heartbeat_seconds, a
// deadline per write, and a bounded backlog of events not yet written: a subscriber that falls
// behind is dropped, never allowed to hold memory or the others.
//
// Internal to the http layer (it knows Asio). Runs on the executor of the socket it is given;
// Stop() may be called from any thread.

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "http/event_hub.hpp"
#include "http/message.hpp"

namespace motcua::metrics {
struct RouteStats;
}

namespace motcua::http {

struct EventStreamOptions {
  int heartbeat_seconds = 15;
  size_t queue_limit = 256;
  int write_timeout_seconds = 30;
  bool access_log = true;
};

// What the access-log line written when the stream ends says about it.
struct EventStreamRecord {
  std::string request_id, method, path, remote;
  metrics::RouteStats* stats = nullptr;
  std::chrono::steady_clock::time_point started;
};

class EventStream {
 public:
  virtual ~EventStream() = default;
  // Ends the stream (server shutdown). Thread-safe.
  virtual void Stop() = 0;
};

// Writes the response head and the replayed events, subscribes to `hub` and streams until the
// client leaves, falls behind, or Stop(). `owner` is kept alive as long as the stream runs (the
// HTTP session, which the server counts as an open connection until then).
std::shared_ptr<EventStream> StartEventStream(boost::asio::ip::tcp::socket socket, EventHub& hub,
                                              const EventStreamRequest& request,
                                              const EventStreamOptions& options,
                                              EventStreamRecord record,
                                              std::shared_ptr<void> owner);

}  // namespace motcua::http
