#pragma once
// Prometheus metrics: request counts and latency histograms per route, database timings, build
// info. Recording is lock-free (atomics); Render() may run concurrently with recording.

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace motcua::metrics {

// A latency histogram with fixed buckets (seconds), Prometheus style.
class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void Observe(double seconds);
  // Appends name_bucket/_sum/_count lines with the given label set ("" or `a="b",c="d"`).
  void Render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};  // last one is +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};
};

// Counters and a histogram for one route (method + pattern).
struct RouteStats {
  std::string method;
  std::string route;
  std::array<std::atomic<uint64_t>, 6> by_class{};  // index = status / 100 (1xx..5xx)
  Histogram latency;
  void Record(int status, double seconds);
};

class Registry {
 public:
  // The stats of a route, created on first use; the pointer stays valid for the registry's life.
  RouteStats* ForRoute(std::string_view method, std::string_view route);
  Histogram* ForDatabase(std::string_view operation);
  void SetBuildInfo(std::string version, std::string backend);
  // A gauge or counter read when the metrics are rendered (state that lives elsewhere, such as
  // the group committer's counts). `read` must be thread-safe.
  void AddValue(std::string name, std::string help, std::string type, std::function<double()> read);
  std::string Render() const;

 private:
  mutable std::mutex mutex_;  // guards the containers, not the atomics inside
  std::deque<RouteStats> routes_;
  std::deque<std::pair<std::string, Histogram>> database_;
  struct Value {
    std::string name, help, type;
    std::function<double()> read;
  };
  std::deque<Value> values_;
  std::string version_, backend_;
};

}  // namespace motcua::metrics
