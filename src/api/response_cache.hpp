#pragma once
// A bounded cache of rendered JSON bodies for the catalogue's read endpoints. Citizens ask the
// same questions over and over ("đăng ký tạm trú", "làm căn cước"), and a catalogue snapshot is
// immutable, so a body rendered once is right until the snapshot changes.
//
// Entries belong to one catalogue snapshot: the first lookup with a newer snapshot empties the
// cache. Sharded, each shard an LRU list under its own mutex: thread-safe.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace motcua::api {

class ResponseCache {
 public:
  // `max_entries` 0 disables the cache. Bodies over `max_body_bytes` are not kept, and the
  // bodies and keys kept never add up to more than `max_total_bytes` (so a stream of distinct
  // large queries cannot grow the process).
  explicit ResponseCache(size_t max_entries, size_t max_body_bytes = size_t{64} * 1024,
                         size_t max_total_bytes = size_t{32} << 20);

  using Body = std::shared_ptr<const std::string>;

  // `owner` is the catalogue snapshot the body was rendered from. Bodies are shared, immutable
  // strings: a hit costs a reference count, not a copy of the body. Null when absent.
  Body Get(const std::shared_ptr<const void>& owner, std::string_view key);
  void Put(const std::shared_ptr<const void>& owner, std::string_view key, Body body);
  bool enabled() const { return per_shard_ > 0; }

 private:
  struct Shard {
    std::mutex mutex;
    std::shared_ptr<const void> owner;  // held, so its address cannot be reused by a newer one
    std::list<std::pair<std::string, Body>> lru;  // front = most recent
    // Keys are views of the strings held by `lru`, so a lookup needs no std::string.
    std::unordered_map<std::string_view, std::list<std::pair<std::string, Body>>::iterator> index;
    size_t bytes = 0;  // keys + bodies held
  };
  Shard& ShardFor(std::string_view key);
  static void Adopt(Shard& shard, const std::shared_ptr<const void>& owner);

  size_t per_shard_;
  size_t max_body_bytes_;
  size_t per_shard_bytes_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace motcua::api
