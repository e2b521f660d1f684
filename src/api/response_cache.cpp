#include "api/response_cache.hpp"

#include <functional>

namespace motcua::api {
namespace {
constexpr size_t kShards = 8;
}

ResponseCache::ResponseCache(size_t max_entries, size_t max_body_bytes, size_t max_total_bytes)
    : per_shard_((max_entries + kShards - 1) / kShards),
      max_body_bytes_(max_body_bytes),
      per_shard_bytes_(max_total_bytes / kShards) {
  for (size_t i = 0; i < kShards; ++i) shards_.push_back(std::make_unique<Shard>());
}

ResponseCache::Shard& ResponseCache::ShardFor(std::string_view key) {
  return *shards_[std::hash<std::string_view>{}(key) % kShards];
}

void ResponseCache::Adopt(Shard& shard, const std::shared_ptr<const void>& owner) {
  if (shard.owner != owner) {
    shard.index.clear();
    shard.lru.clear();
    shard.bytes = 0;
    shard.owner = owner;
  }
}

ResponseCache::Body ResponseCache::Get(const std::shared_ptr<const void>& owner,
                                       std::string_view key) {
  if (!enabled()) return nullptr;
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mutex);
  Adopt(shard, owner);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) return nullptr;
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->second;
}

void ResponseCache::Put(const std::shared_ptr<const void>& owner, std::string_view key, Body body) {
  if (!enabled() || !body || body->size() > max_body_bytes_) return;
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mutex);
  Adopt(shard, owner);
  if (shard.index.count(key)) return;
  shard.bytes += key.size() + body->size();
  shard.lru.emplace_front(std::string(key), std::move(body));
  shard.index.emplace(shard.lru.front().first, shard.lru.begin());
  while (shard.lru.size() > per_shard_ || shard.bytes > per_shard_bytes_) {
    const auto& [old_key, old_body] = shard.lru.back();
    shard.bytes -= old_key.size() + old_body->size();
    shard.index.erase(std::string_view(old_key));
    shard.lru.pop_back();
  }
}

}  // namespace motcua::api
