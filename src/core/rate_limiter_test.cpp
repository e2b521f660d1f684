#include "core/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace motcua {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, AllowsTheBurstThenRefillsAtTheRate) {
  RateLimiter limiter(/*rate_per_second=*/0.5, /*burst=*/3);
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(limiter.Acquire("1.2.3.4", t0), 0);
  EXPECT_EQ(limiter.Acquire("1.2.3.4", t0), 0);
  EXPECT_EQ(limiter.Acquire("1.2.3.4", t0), 0);
  EXPECT_EQ(limiter.Acquire("1.2.3.4", t0), 2);  // one token takes 2 s at 0.5/s
  EXPECT_EQ(limiter.Acquire("5.6.7.8", t0), 0);  // keys are independent
  EXPECT_GT(limiter.Acquire("1.2.3.4", t0 + milliseconds(1000)), 0);
  EXPECT_EQ(limiter.Acquire("1.2.3.4", t0 + milliseconds(2001)), 0);
  EXPECT_GT(limiter.Acquire("1.2.3.4", t0 + milliseconds(2001)), 0);
  limiter.Refund("1.2.3.4");
  EXPECT_EQ(limiter.Acquire("1.2.3.4", t0 + milliseconds(2001)), 0);
}

TEST(RateLimiter, StaysBoundedAndKeepsLimitingUnderManyKeys) {
  RateLimiter limiter(1, 1, /*max_keys=*/100);
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(limiter.Acquire("victim", t0), 0);
  for (int i = 0; i < 1000; ++i) limiter.Acquire("k" + std::to_string(i), t0);
  // The map was pruned, never grew past its bound; a fresh key is still limited after its burst.
  EXPECT_EQ(limiter.Acquire("fresh", t0), 0);
  EXPECT_GT(limiter.Acquire("fresh", t0), 0);
}

}  // namespace
}  // namespace motcua
