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
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace motcua::api {

class ResponseCache {
 public:
  // `max_entries` 0 disables the cache. Bodies over `max_body_bytes` are not kept.
  explicit ResponseCache(size_t max_entries, size_t max_body_bytes = 64 * 1024);

  // `owner` is the catalogue snapshot the body was rendered from.
  std::optional<std::string> Get(const std::shared_ptr<const void>& owner, const std::string& key);
  void Put(const std::shared_ptr<const void>& owner, const std::string& key,
           const std::string& body);
  bool enabled() const { return per_shard_ > 0; }

 private:
  struct Shard {
    std::mutex mutex;
    std::shared_ptr<const void> owner;  // held, so its address cannot be reused by a newer one
    std::list<std::pair<std::string, std::string>> lru;  // front = most recent
    std::unordered_map<std::string, std::list<std::pair<std::string, std::string>>::iterator> index;
  };
  Shard& ShardFor(const std::string& key);
  static void Adopt(Shard& shard, const std::shared_ptr<const void>& owner);

  size_t per_shard_;
  size_t max_body_bytes_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace motcua::api
