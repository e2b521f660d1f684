#include "core/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace motcua {

int RateLimiter::Acquire(std::string_view key, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) Prune(now);
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * rate_);
  b.updated = std::max(b.updated, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
}

void RateLimiter::Refund(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it != buckets_.end()) it->second.tokens = std::min(burst_, it->second.tokens + 1.0);
}

void RateLimiter::Prune(TimePoint now) {
  // Buckets that have refilled completely carry no state: drop them; if none has, drop half.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    if (it->second.tokens + elapsed * rate_ >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
  if (buckets_.size() >= max_keys_) {
    size_t n = buckets_.size() / 2;
    for (auto it = buckets_.begin(); it != buckets_.end() && n > 0; --n) it = buckets_.erase(it);
  }
}

}  // namespace motcua
