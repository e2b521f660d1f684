#include "platform/log.hpp"

#include "core/json_text.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>

namespace motcua::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

// Lines are collected in a buffer and written by a flusher thread every kFlushInterval (or at
// once when the buffer passes kFlushBytes, for a warning or an error, and at exit), so a busy
// server makes one write(2) per batch instead of one per request line: measured here as about a
// third of the CPU of a durable write under load. Order is kept: a flush writes everything
// buffered before it. A kill -9 can lose at most the last interval's info lines.
// The state is never destroyed: the flusher thread and atexit() may run after static
// destructors.
constexpr auto kFlushInterval = std::chrono::milliseconds(10);
constexpr size_t kFlushBytes = 64 << 10;

struct Sink {
  std::mutex mu;        // guards buffer and started
  std::mutex write_mu;  // held while writing to stderr: flushes go out in order
  std::condition_variable wake;
  std::string buffer;
  bool started = false;
  std::atomic<bool> unbuffered{false};
};

Sink& TheSink() {
  static Sink* sink = new Sink;  // deliberately never destroyed (see above)
  return *sink;
}

void FlushSink() {
  Sink& sink = TheSink();
  std::lock_guard write_lock(sink.write_mu);
  std::string out;
  {
    std::lock_guard lock(sink.mu);
    out.swap(sink.buffer);
  }
  if (!out.empty()) {
    std::fwrite(out.data(), 1, out.size(), stderr);
    std::fflush(stderr);
  }
}

void StartFlusher(Sink& sink) {  // with sink.mu held
  sink.started = true;
  std::atexit([] { FlushSink(); });
  std::thread([&sink] {
    for (;;) {
      {
        std::unique_lock lock(sink.mu);
        sink.wake.wait_for(lock, kFlushInterval);
      }
      FlushSink();
    }
  }).detach();
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

// ISO 8601 UTC with milliseconds. The part up to the seconds is formatted once per second and
// thread: this runs for every access-log line.
void AppendTimestamp(std::string& out) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  thread_local std::time_t cached_second = -1;
  thread_local char cached[96];  // generous: the compiler cannot bound tm fields
  if (t != cached_second) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = t;
  }
  out += cached;
  const int milli = static_cast<int>(ms % 1000);
  out += '.';
  out += static_cast<char>('0' + milli / 100);
  out += static_cast<char>('0' + milli / 10 % 10);
  out += static_cast<char>('0' + milli % 10);
  out += 'Z';
}

}  // namespace

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }

bool ParseLevel(std::string_view s, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (LevelName(l) == s) {
      *out = l;
      return true;
    }
  }
  return false;
}

void Flush() { FlushSink(); }

void SetUnbuffered(bool unbuffered) {
  TheSink().unbuffered = unbuffered;
  if (unbuffered) FlushSink();
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  std::string line;
  line.reserve(256);
  line += "{\"ts\":\"";
  AppendTimestamp(line);
  line += "\",\"level\":\"";
  line += LevelName(level);
  line += "\",\"msg\":\"";
  AppendJsonEscaped(line, msg);
  line += '"';
  for (const auto& [key, value] : fields) {
    line += ",\"";
    AppendJsonEscaped(line, key);
    line += "\":";
    if (const auto* s = std::get_if<std::string_view>(&value)) {
      line += '"';
      AppendJsonEscaped(line, *s);
      line += '"';
    } else if (const auto* i = std::get_if<long long>(&value)) {
      line += std::to_string(*i);
    } else {
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, std::get<double>(value),
                                   std::chars_format::fixed, 3);
      line.append(buf, r.ptr);
    }
  }
  line += "}\n";
  Sink& sink = TheSink();
  bool now = level >= Level::kWarn || sink.unbuffered.load(std::memory_order_relaxed);
  {
    std::lock_guard lock(sink.mu);
    sink.buffer += line;
    now = now || sink.buffer.size() >= kFlushBytes;
    if (!now && !sink.started) StartFlusher(sink);
  }
  if (now) FlushSink();
}

}  // namespace motcua::log
