#pragma once
// A token bucket per key (a client address, a login): `rate` requests per second on average,
// bursts of up to `burst`. Used where bots strike first: sign-in, ticket issue, booking, public
// lookup. Per instance: with several instances behind a balancer, each enforces its own share.
// Thread-safe. Bounded: when more than `max_keys` keys are tracked, the fullest buckets (which
// hold no information) are forgotten first.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace motcua {

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  RateLimiter(double rate_per_second, double burst, size_t max_keys = 100000)
      : rate_(rate_per_second), burst_(burst), max_keys_(max_keys) {}

  // 0 when the request may go ahead (and is counted); otherwise the whole seconds to wait.
  int Acquire(std::string_view key, TimePoint now);
  // Gives back what Acquire took (when only failures should count, as for sign-in).
  void Refund(std::string_view key);

 private:
  struct Bucket {
    double tokens;
    TimePoint updated;
  };
  void Prune(TimePoint now);

  const double rate_;
  const double burst_;
  const size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace motcua
