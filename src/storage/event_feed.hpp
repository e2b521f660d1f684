#pragma once
// EventFeed: follows the events table and hands every new event, in id order, to a callback (the
// HTTP layer's hub, which fans it out to live streams). Each instance runs one; an event written
// by any instance on the same database reaches every instance's streams. The feed polls every
// `poll_interval` and at once when Wake() is called (after a local commit), so local events are
// immediate and other instances' events arrive within one interval.
//
// Polling the table rather than PostgreSQL LISTEN/NOTIFY: it works unchanged through a
// transaction-pooling proxy (pgbouncer) and on SQLite shared by a CLI, it needs no dedicated
// connection to re-listen after a failover, and a feed that was disconnected catches up from the
// table by id with nothing lost, which LISTEN alone cannot do.
//
// Thread-safety: Wake() from any thread; the callback runs on the feed's own thread.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

#include "storage/database.hpp"
#include "storage/event_store.hpp"
#include "storage/wakeable_loop.hpp"

namespace motcua::storage {

class EventFeed {
 public:
  using Callback = std::function<void(const StoredEvent&)>;

  // Starts after the newest event in the database: history is for catch-up, not for the hub.
  EventFeed(Database& db, std::chrono::milliseconds poll_interval, Callback callback);
  ~EventFeed();
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  void Wake();
  int64_t last_id() const;

 private:
  void Poll();

  Database& db_;
  Callback callback_;
  mutable std::mutex mu_;
  int64_t last_id_ = 0;                 // guarded by mu_
  bool failing_ = false;                // only on the loop's thread
  std::unique_ptr<WakeableLoop> loop_;  // last: stopped first
};

}  // namespace motcua::storage
