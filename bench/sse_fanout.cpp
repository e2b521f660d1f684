// SSE fan-out benchmark client: opens many Server-Sent Events subscriptions on one server, then
// publishes notices over a separate connection and measures, for every (subscriber, event) pair,
// the delay from the moment the POST was written to the socket to the moment the subscriber's
// read() returned the event. One thread, non-blocking sockets and epoll, so that 10,000 idle
// connections cost the client nothing and every timestamp is taken as the bytes arrive.
//
// Usage:
//   sse_fanout --port PORT --token TOKEN --service-point CODE [--subscribers 10000]
//              [--events 20] [--interval-ms 250] [--server-pid PID] [--parallel 128]
//              [--topics notices.*] [--settle-ms 5000]
//
// Prints a human-readable report, then one line "RESULT key=value ..." for scripts/bench.
// Exit status 0 when every subscriber connected and every POST was answered 201 (missed
// deliveries are reported, not an error: the caller decides).
//
// Notes on what is measured:
// - "from POST" starts just before the request is written; it includes the durable commit
//   (fsync), the event feed, the hub's fan-out to every connection, the server's writes, the
//   loopback, and the client's own turn in this single-threaded loop (the client reads about
//   10,000 sockets per event, so the last subscriber it serves waits for the others: the figure
//   is an upper bound of what a subscriber on its own machine would see).
// - "from 201" starts when the POST's answer arrived; it can be negative (an event may reach a
//   subscriber before its publisher's answer).
// - Subscribers are matched to POSTs by the notice id ("data: {"id":N,...") in the event and in
//   the 201 body.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// CPU time (user + system) this process has used, in ms.
double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Options {
  int port = 0;
  std::string token;
  std::string service_point;
  std::string topics = "notices.*";
  int subscribers = 10000;
  int events = 20;
  int interval_ms = 250;
  int server_pid = 0;
  int parallel = 128;    // connections being set up at once (each costs the server a worker)
  int settle_ms = 5000;  // after the last 201, how long to wait for late deliveries
  int connect_timeout_s = 180;
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "sse_fanout: %s\nusage: sse_fanout --port PORT --token TOKEN --service-point CODE "
               "[--subscribers N] [--events N] [--interval-ms MS] [--server-pid PID] "
               "[--parallel N] [--topics T] [--settle-ms MS]\n",
               why);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + key).c_str());
    const std::string value = argv[++i];
    const int number = std::atoi(value.c_str());
    if (key == "--port") {
      o.port = number;
    } else if (key == "--token") {
      o.token = value;
    } else if (key == "--service-point") {
      o.service_point = value;
    } else if (key == "--topics") {
      o.topics = value;
    } else if (key == "--subscribers") {
      o.subscribers = number;
    } else if (key == "--events") {
      o.events = number;
    } else if (key == "--interval-ms") {
      o.interval_ms = number;
    } else if (key == "--server-pid") {
      o.server_pid = number;
    } else if (key == "--parallel") {
      o.parallel = number;
    } else if (key == "--settle-ms") {
      o.settle_ms = number;
    } else {
      Usage(("unknown option " + key).c_str());
    }
  }
  if (o.port <= 0 || o.subscribers <= 0 || o.events <= 0 || o.parallel <= 0) {
    Usage("--port, --subscribers, --events and --parallel must be positive");
  }
  return o;
}

// VmRSS of a process in KiB, or -1.
long RssKiB(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// The integer after `"id":` at the start of a JSON object, or -1.
int64_t LeadingId(std::string_view json) {
  const size_t at = json.find("\"id\":");
  if (at == std::string_view::npos) return -1;
  int64_t v = 0;
  bool any = false;
  for (size_t i = at + 5; i < json.size() && json[i] >= '0' && json[i] <= '9'; ++i) {
    v = v * 10 + (json[i] - '0');
    any = true;
  }
  return any ? v : -1;
}

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

// Closes with RST rather than FIN: 10,000 client sockets in TIME_WAIT would hold ephemeral ports
// into the next run.
void Abort(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

bool WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t w = write(fd, data.data() + off, data.size() - off);
    if (w > 0) {
      off += static_cast<size_t>(w);
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));  // tiny requests: rare
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

enum class State { kIdle, kConnecting, kHead, kStreaming, kClosed };

struct Subscriber {
  int fd = -1;
  State state = State::kIdle;
  int attempts = 0;
  std::string buf;
  std::vector<std::pair<int64_t, int64_t>> receipts;  // (notice id, time ns)
};

struct Publisher {
  int fd = -1;
  bool waiting = false;  // a POST is outstanding
  std::string buf;
};

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = Parse(argc, argv);

  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < static_cast<rlim_t>(o.subscribers) + 64) {
    std::fprintf(stderr, "sse_fanout: open-file limit %llu is below %d subscribers (ulimit -n)\n",
                 static_cast<unsigned long long>(lim.rlim_cur), o.subscribers);
    return 1;
  }

  const int ep = epoll_create1(EPOLL_CLOEXEC);
  const uint64_t kPublisherKey = static_cast<uint64_t>(o.subscribers);
  std::vector<Subscriber> subs(static_cast<size_t>(o.subscribers));
  for (auto& s : subs) s.receipts.reserve(static_cast<size_t>(o.events));
  const std::string sub_request = "GET /api/v1/events?topics=" + o.topics +
                                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                                  "Cache-Control: no-cache\r\n\r\n";

  const long rss_before = RssKiB(o.server_pid);
  std::vector<epoll_event> events(4096);
  char rbuf[65536];
  long long retries = 0, dropped = 0, unexpected = 0;
  int streaming = 0;
  std::vector<int64_t> send_ns(static_cast<size_t>(o.events), 0);
  std::vector<int64_t> ack_ns(static_cast<size_t>(o.events), 0);
  std::vector<int64_t> notice_id(static_cast<size_t>(o.events), -1);
  int sent = 0, acked = 0, failed_posts = 0;
  Publisher pub;

  // Reads everything available on a streaming subscriber; records the notices it completes.
  auto read_stream = [&](size_t idx) {
    Subscriber& s = subs[idx];
    for (;;) {
      const ssize_t r = read(s.fd, rbuf, sizeof rbuf);
      if (r > 0) {
        const int64_t t = NowNs();
        s.buf.append(rbuf, static_cast<size_t>(r));
        size_t end;
        while ((end = s.buf.find("\n\n")) != std::string::npos) {
          const std::string_view block(s.buf.data(), end);
          if (block.find("event: notice.published") != std::string_view::npos) {
            const size_t data = block.find("data: ");
            const int64_t id =
                data == std::string_view::npos ? -1 : LeadingId(block.substr(data + 6));
            s.receipts.emplace_back(id, t);
          }
          s.buf.erase(0, end + 2);
        }
        continue;
      }
      if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (r < 0 && errno == EINTR) continue;
      // The server closed a stream: it dropped this subscriber.
      ++dropped;
      --streaming;
      epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
      Abort(s.fd);
      s.fd = -1;
      s.state = State::kClosed;
      return;
    }
  };

  // --- Phase 1: subscribe ------------------------------------------------------------------
  std::deque<size_t> to_connect;
  for (size_t i = 0; i < subs.size(); ++i) to_connect.push_back(i);
  int in_setup = 0;
  const int64_t connect_started = NowNs();
  auto start_connect = [&](size_t idx) {
    Subscriber& s = subs[idx];
    ++s.attempts;
    s.buf.clear();
    s.fd = Connect(o.port);
    if (s.fd < 0) {
      std::fprintf(stderr, "sse_fanout: socket/connect: %s\n", std::strerror(errno));
      std::exit(1);
    }
    epoll_event ev{};
    ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = idx;
    epoll_ctl(ep, EPOLL_CTL_ADD, s.fd, &ev);
    s.state = State::kConnecting;
    ++in_setup;
  };
  auto retry = [&](size_t idx) {
    Subscriber& s = subs[idx];
    epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
    Abort(s.fd);
    s.fd = -1;
    s.state = State::kIdle;
    --in_setup;
    ++retries;
    if (s.attempts >= 50) {
      std::fprintf(stderr, "sse_fanout: subscriber %zu failed 50 times\n", idx);
      std::exit(1);
    }
    to_connect.push_back(idx);
  };
  while (streaming < o.subscribers) {
    while (in_setup < o.parallel && !to_connect.empty()) {
      const size_t idx = to_connect.front();
      to_connect.pop_front();
      start_connect(idx);
    }
    if ((NowNs() - connect_started) / 1000000000 > o.connect_timeout_s) {
      std::fprintf(stderr, "sse_fanout: only %d of %d subscribers after %d s\n", streaming,
                   o.subscribers, o.connect_timeout_s);
      return 1;
    }
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 1000);
    for (int i = 0; i < n; ++i) {
      const size_t idx = events[i].data.u64;
      Subscriber& s = subs[idx];
      if (s.state == State::kConnecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || (events[i].events & (EPOLLERR | EPOLLHUP))) {
          retry(idx);
          continue;
        }
        if (!WriteAll(s.fd, sub_request)) {
          retry(idx);
          continue;
        }
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.u64 = idx;
        epoll_ctl(ep, EPOLL_CTL_MOD, s.fd, &ev);
        s.state = State::kHead;
        continue;
      }
      if (s.state == State::kHead) {
        bool closed = false;
        for (;;) {
          const ssize_t r = read(s.fd, rbuf, sizeof rbuf);
          if (r > 0) {
            s.buf.append(rbuf, static_cast<size_t>(r));
          } else {
            closed = r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
            break;
          }
        }
        const size_t head_end = s.buf.find("\r\n\r\n");
        if (head_end == std::string::npos) {
          if (closed) retry(idx);
          continue;
        }
        // A refusal (503 when the worker queue is full, for instance) is retried.
        if (s.buf.compare(0, 12, "HTTP/1.1 200") != 0) {
          retry(idx);
          continue;
        }
        s.buf.erase(0, head_end + 4);
        s.state = State::kStreaming;
        --in_setup;
        ++streaming;
        if (closed) {
          ++dropped;
          --streaming;
          epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
          Abort(s.fd);
          s.fd = -1;
          s.state = State::kClosed;
        }
        continue;
      }
      if (s.state == State::kStreaming) read_stream(idx);
    }
    if (dropped > 0) {
      std::fprintf(stderr, "sse_fanout: the server closed %lld streams while subscribing\n",
                   dropped);
      return 1;
    }
  }
  const double connect_s = static_cast<double>(NowNs() - connect_started) / 1e9;
  // Let the server settle (connection set-up work, allocator) before reading its memory.
  for (int64_t until = NowNs() + 1000000000; NowNs() < until;) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) read_stream(events[i].data.u64);
  }
  const long rss_subscribed = RssKiB(o.server_pid);

  // --- Phase 2: publish --------------------------------------------------------------------
  auto open_publisher = [&] {
    pub.fd = Connect(o.port);
    if (pub.fd < 0) {
      std::fprintf(stderr, "sse_fanout: publisher connect failed\n");
      std::exit(1);
    }
    // Wait for the connection (loopback: at once).
    for (int k = 0; k < 1000; ++k) {
      int err = 0;
      socklen_t len = sizeof err;
      sockaddr_in peer{};
      socklen_t plen = sizeof peer;
      getsockopt(pub.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) break;
      if (getpeername(pub.fd, reinterpret_cast<sockaddr*>(&peer), &plen) == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = kPublisherKey;
    epoll_ctl(ep, EPOLL_CTL_ADD, pub.fd, &ev);
    pub.buf.clear();
    pub.waiting = false;
  };
  open_publisher();
  const double cpu_before_publish = CpuMs();
  const int64_t publish_started = NowNs() + 100000000;  // first POST in 100 ms
  int64_t last_ack = 0;

  auto send_post = [&](int i) {
    const std::string body = "{\"service_point\":\"" + o.service_point +
                             "\",\"text_vi\":\"Thông báo thử nghiệm số " + std::to_string(i + 1) +
                             " (sse_fanout)\"}";
    const std::string req =
        "POST /api/v1/notices HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Bearer " +
        o.token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    send_ns[static_cast<size_t>(i)] = NowNs();
    if (!WriteAll(pub.fd, req)) {
      std::fprintf(stderr, "sse_fanout: publisher write failed\n");
      std::exit(1);
    }
    pub.waiting = true;
  };

  // Parses one complete response from the publisher buffer; false if incomplete.
  auto take_response = [&]() -> bool {
    const size_t head_end = pub.buf.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    size_t length = 0;
    std::string head = pub.buf.substr(0, head_end);
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const size_t cl = lower.find("content-length:");
    if (cl != std::string::npos) length = std::strtoul(lower.c_str() + cl + 15, nullptr, 10);
    if (pub.buf.size() < head_end + 4 + length) return false;
    const int64_t t = NowNs();
    const std::string body = pub.buf.substr(head_end + 4, length);
    pub.buf.erase(0, head_end + 4 + length);
    const int status = head.size() > 12 ? std::atoi(head.c_str() + 9) : 0;
    const size_t i = static_cast<size_t>(sent - 1);
    pub.waiting = false;
    if (status == 201) {
      ack_ns[i] = t;
      notice_id[i] = LeadingId(body);
      ++acked;
      last_ack = t;
    } else {
      ++failed_posts;
      std::fprintf(stderr, "sse_fanout: POST %zu answered %d: %s\n", i + 1, status, body.c_str());
    }
    return true;
  };

  for (;;) {
    const int64_t now = NowNs();
    if (sent < o.events && !pub.waiting &&
        now >= publish_started + int64_t{sent} * o.interval_ms * 1000000) {
      send_post(sent);
      ++sent;
    }
    const bool all_answered = sent == o.events && !pub.waiting;
    if (all_answered) {
      // Done when every subscriber has every event, or the settle time has passed.
      bool complete = true;
      for (const auto& s : subs) {
        if (s.receipts.size() < static_cast<size_t>(acked)) {
          complete = false;
          break;
        }
      }
      if (complete || now - std::max(last_ack, send_ns.back()) > int64_t{o.settle_ms} * 1000000) {
        break;
      }
    }
    int timeout_ms = 50;
    if (sent < o.events && !pub.waiting) {
      const int64_t due = publish_started + int64_t{sent} * o.interval_ms * 1000000;
      timeout_ms = static_cast<int>(std::clamp<int64_t>((due - now) / 1000000, 0, 50));
    }
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int i = 0; i < n; ++i) {
      const uint64_t key = events[i].data.u64;
      if (key == kPublisherKey) {
        for (;;) {
          const ssize_t r = read(pub.fd, rbuf, sizeof rbuf);
          if (r > 0) {
            pub.buf.append(rbuf, static_cast<size_t>(r));
            continue;
          }
          if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
          if (r < 0 && errno == EINTR) continue;
          // The server closed the publisher's connection: reopen (the POST outstanding, if
          // any, counts as failed).
          while (take_response()) {
          }
          if (pub.waiting) {
            ++failed_posts;
            pub.waiting = false;
          }
          epoll_ctl(ep, EPOLL_CTL_DEL, pub.fd, nullptr);
          close(pub.fd);
          open_publisher();
          break;
        }
        while (take_response()) {
        }
        continue;
      }
      if (subs[key].state == State::kStreaming) read_stream(key);
    }
  }
  const long rss_after = RssKiB(o.server_pid);
  // The client's own share of the delays: its CPU time per event while publishing, mostly
  // reading one event from every subscriber's socket, in turn.
  const double client_ms_per_event = (CpuMs() - cpu_before_publish) / std::max(acked, 1);

  // --- Results -----------------------------------------------------------------------------
  std::unordered_map<int64_t, size_t> index_of;
  for (size_t i = 0; i < notice_id.size(); ++i) {
    if (notice_id[i] >= 0) index_of[notice_id[i]] = i;
  }
  std::vector<double> from_post, from_ack;
  from_post.reserve(static_cast<size_t>(o.subscribers) * static_cast<size_t>(o.events));
  from_ack.reserve(from_post.capacity());
  long long duplicates = 0;
  std::vector<char> seen(static_cast<size_t>(o.events));
  for (const auto& s : subs) {
    std::fill(seen.begin(), seen.end(), 0);
    for (const auto& [id, t] : s.receipts) {
      const auto it = index_of.find(id);
      if (it == index_of.end()) {
        ++unexpected;
        continue;
      }
      if (seen[it->second]) {
        ++duplicates;
        continue;
      }
      seen[it->second] = 1;
      from_post.push_back(static_cast<double>(t - send_ns[it->second]) / 1e6);
      from_ack.push_back(static_cast<double>(t - ack_ns[it->second]) / 1e6);
    }
  }
  const long long expected = static_cast<long long>(o.subscribers) * acked;
  const long long delivered = static_cast<long long>(from_post.size());
  const long long missed = expected - delivered;
  std::sort(from_post.begin(), from_post.end());
  std::sort(from_ack.begin(), from_ack.end());
  std::vector<double> commit_ms;
  for (int i = 0; i < o.events; ++i) {
    if (ack_ns[static_cast<size_t>(i)] > 0) {
      commit_ms.push_back(
          static_cast<double>(ack_ns[static_cast<size_t>(i)] - send_ns[static_cast<size_t>(i)]) /
          1e6);
    }
  }
  std::sort(commit_ms.begin(), commit_ms.end());

  const double p50 = Percentile(from_post, 0.50), p99 = Percentile(from_post, 0.99),
               mx = from_post.empty() ? 0 : from_post.back();
  std::printf("subscribers: %d connected in %.1f s (%lld refused or failed and retried)\n",
              o.subscribers, connect_s, retries);
  std::printf(
      "events: %d POSTs %d ms apart, %d answered 201, %d failed; POST->201 median %.1f ms\n",
      o.events, o.interval_ms, acked, failed_posts, Percentile(commit_ms, 0.5));
  std::printf(
      "deliveries: %lld of %lld, missed %lld, duplicates %lld, unexpected %lld, streams "
      "dropped by the server %lld\n",
      delivered, expected, missed, duplicates, unexpected, dropped);
  std::printf("delay from POST sent: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", p50, p99, mx);
  std::printf("delay from 201 received: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              Percentile(from_ack, 0.5), Percentile(from_ack, 0.99),
              from_ack.empty() ? 0 : from_ack.back());
  std::printf("client CPU per event (reading it on every subscriber): %.1f ms\n",
              client_ms_per_event);
  if (o.server_pid > 0) {
    std::printf(
        "server VmRSS: %.1f MiB before, %.1f MiB with %d subscribers, %.1f MiB after the "
        "events\n",
        rss_before / 1024.0, rss_subscribed / 1024.0, o.subscribers, rss_after / 1024.0);
  }
  std::printf(
      "RESULT subscribers=%d events=%d acked=%d expected=%lld delivered=%lld missed=%lld "
      "duplicates=%lld dropped=%lld p50_ms=%.2f p99_ms=%.2f max_ms=%.2f ack_p50_ms=%.2f "
      "ack_p99_ms=%.2f rss_before_kib=%ld rss_subscribed_kib=%ld rss_after_kib=%ld "
      "connect_s=%.2f retries=%lld client_ms_per_event=%.1f\n",
      o.subscribers, o.events, acked, expected, delivered, missed, duplicates, dropped, p50, p99,
      mx, Percentile(from_ack, 0.5), Percentile(from_ack, 0.99), rss_before, rss_subscribed,
      rss_after, connect_s, retries, client_ms_per_event);
  std::fflush(stdout);

  for (auto& s : subs) {
    if (s.fd >= 0) Abort(s.fd);
  }
  if (pub.fd >= 0) close(pub.fd);
  close(ep);
  return acked == o.events && failed_posts == 0 ? 0 : 1;
}
