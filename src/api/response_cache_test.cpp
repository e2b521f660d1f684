#include "api/response_cache.hpp"

#include <gtest/gtest.h>

namespace motcua::api {
namespace {

ResponseCache::Body Body(size_t n) { return std::make_shared<const std::string>(n, 'x'); }

TEST(ResponseCache, HitsBelongToOneSnapshot) {
  ResponseCache cache(64);
  auto snapshot1 = std::make_shared<int>(1);
  auto snapshot2 = std::make_shared<int>(2);
  cache.Put(snapshot1, "2026-01-01/api/v1/procedures?q=a", Body(10));
  ASSERT_NE(cache.Get(snapshot1, "2026-01-01/api/v1/procedures?q=a"), nullptr);
  EXPECT_EQ(cache.Get(snapshot1, "2026-01-01/api/v1/procedures?q=b"), nullptr);
  EXPECT_EQ(cache.Get(snapshot2, "2026-01-01/api/v1/procedures?q=a"), nullptr)
      << "a new catalogue snapshot never sees bodies rendered from the old one";
  EXPECT_EQ(cache.Get(snapshot1, "2026-01-01/api/v1/procedures?q=a"), nullptr)
      << "and the old entries are gone";
}

TEST(ResponseCache, BoundedByEntriesBodySizeAndTotalBytes) {
  auto owner = std::make_shared<int>(0);
  ResponseCache by_entries(8);  // one entry per shard
  for (int i = 0; i < 100; ++i) by_entries.Put(owner, "k" + std::to_string(i), Body(10));
  int kept = 0;
  for (int i = 0; i < 100; ++i) kept += by_entries.Get(owner, "k" + std::to_string(i)) != nullptr;
  EXPECT_LE(kept, 8);
  EXPECT_GE(kept, 1);

  ResponseCache small_bodies(1000, /*max_body_bytes=*/100);
  small_bodies.Put(owner, "big", Body(101));
  EXPECT_EQ(small_bodies.Get(owner, "big"), nullptr);

  // 8 shards of 1,000 bytes: distinct 500-byte bodies can never hold more than ~16 at once.
  ResponseCache by_bytes(100000, 64 * 1024, /*max_total_bytes=*/8000);
  for (int i = 0; i < 1000; ++i) by_bytes.Put(owner, "q" + std::to_string(i), Body(500));
  kept = 0;
  for (int i = 0; i < 1000; ++i) kept += by_bytes.Get(owner, "q" + std::to_string(i)) != nullptr;
  EXPECT_LE(kept, 16);
  EXPECT_GE(kept, 8);
  EXPECT_NE(by_bytes.Get(owner, "q999"), nullptr) << "the most recent entry is kept";

  ResponseCache off(0);
  off.Put(owner, "k", Body(1));
  EXPECT_EQ(off.Get(owner, "k"), nullptr);
}

}  // namespace
}  // namespace motcua::api
