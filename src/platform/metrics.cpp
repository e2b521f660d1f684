#include "platform/metrics.hpp"

#include <cstdio>

namespace motcua::metrics {
namespace {

void AppendDouble(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  out += buf;
}

void AppendLabels(std::string& out, std::string_view labels, std::string_view extra) {
  if (labels.empty() && extra.empty()) return;
  out += '{';
  out += labels;
  if (!labels.empty() && !extra.empty()) out += ',';
  out += extra;
  out += '}';
}

}  // namespace

void Histogram::Observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Histogram::Render(std::string& out, std::string_view name, std::string_view labels) const {
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += name;
    out += "_bucket";
    std::string le = "le=\"";
    if (i < kBounds.size()) {
      AppendDouble(le, kBounds[i]);
    } else {
      le += "+Inf";
    }
    le += '"';
    AppendLabels(out, labels, le);
    out += ' ' + std::to_string(cumulative) + '\n';
  }
  out += name;
  out += "_sum";
  AppendLabels(out, labels, "");
  out += ' ';
  AppendDouble(out, static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6);
  out += '\n';
  out += name;
  out += "_count";
  AppendLabels(out, labels, "");
  out += ' ' + std::to_string(count_.load(std::memory_order_relaxed)) + '\n';
}

void RouteStats::Record(int status, double seconds) {
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) by_class[cls].fetch_add(1, std::memory_order_relaxed);
  latency.Observe(seconds);
}

RouteStats* Registry::ForRoute(std::string_view method, std::string_view route) {
  std::lock_guard lock(mutex_);
  for (auto& r : routes_) {
    if (r.method == method && r.route == route) return &r;
  }
  auto& r = routes_.emplace_back();
  r.method = std::string(method);
  r.route = std::string(route);
  return &r;
}

Histogram* Registry::ForDatabase(std::string_view operation) {
  std::lock_guard lock(mutex_);
  for (auto& [name, h] : database_) {
    if (name == operation) return &h;
  }
  database_.emplace_back(std::piecewise_construct, std::forward_as_tuple(operation),
                         std::forward_as_tuple());
  return &database_.back().second;
}

void Registry::SetBuildInfo(std::string version, std::string backend) {
  std::lock_guard lock(mutex_);
  version_ = std::move(version);
  backend_ = std::move(backend);
}

void Registry::AddValue(std::string name, std::string help, std::string type,
                        std::function<double()> read) {
  std::lock_guard lock(mutex_);
  values_.push_back({std::move(name), std::move(help), std::move(type), std::move(read)});
}

std::string Registry::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(8192);
  out += "# HELP motcua_build_info Build and runtime information.\n";
  out += "# TYPE motcua_build_info gauge\n";
  out += "motcua_build_info{version=\"" + version_ + "\",database=\"" + backend_ + "\"} 1\n";
  out += "# HELP motcua_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE motcua_http_requests_total counter\n";
  for (const auto& r : routes_) {
    for (int cls = 1; cls <= 5; ++cls) {
      const uint64_t n = r.by_class[cls].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "motcua_http_requests_total{method=\"" + r.method + "\",route=\"" + r.route +
             "\",status=\"" + std::to_string(cls) + "xx\"} " + std::to_string(n) + '\n';
    }
  }
  out += "# HELP motcua_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE motcua_http_request_duration_seconds histogram\n";
  for (const auto& r : routes_) {
    r.latency.Render(out, "motcua_http_request_duration_seconds",
                     "method=\"" + r.method + "\",route=\"" + r.route + "\"");
  }
  out += "# HELP motcua_db_operation_duration_seconds Database operation latency.\n";
  out += "# TYPE motcua_db_operation_duration_seconds histogram\n";
  for (const auto& [name, h] : database_) {
    h.Render(out, "motcua_db_operation_duration_seconds", "operation=\"" + name + "\"");
  }
  for (const Value& v : values_) {
    char number[32];
    std::snprintf(number, sizeof number, "%.17g", v.read());
    out += "# HELP " + v.name + " " + v.help + "\n# TYPE " + v.name + " " + v.type + "\n" + v.name +
           " " + number + "\n";
  }
  return out;
}

}  // namespace motcua::metrics
