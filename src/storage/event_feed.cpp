#include "storage/event_feed.hpp"

#include "platform/log.hpp"

namespace motcua::storage {
namespace {
constexpr size_t kBatch = 1000;
}

EventFeed::EventFeed(Database& db, std::chrono::milliseconds poll_interval, Callback callback)
    : db_(db), callback_(std::move(callback)) {
  last_id_ = ReadTransaction(db_, [](Tx& tx) { return LatestEventId(tx); });
  loop_ = std::make_unique<WakeableLoop>(poll_interval, [this] { Poll(); });
}

EventFeed::~EventFeed() { loop_.reset(); }

void EventFeed::Wake() { loop_->Wake(); }

int64_t EventFeed::last_id() const {
  std::lock_guard lock(mu_);
  return last_id_;
}

void EventFeed::Poll() {
  int64_t after = last_id();
  try {
    while (true) {
      const std::vector<StoredEvent> events =
          ReadTransaction(db_, [&](Tx& tx) { return EventsAfter(tx, after, kBatch); });
      for (const StoredEvent& e : events) {
        callback_(e);
        after = e.id;
      }
      {
        std::lock_guard lock(mu_);
        last_id_ = after;
      }
      if (events.size() < kBatch) break;
    }
    if (failing_) log::Info("event feed recovered", {{"last_id", static_cast<long long>(after)}});
    failing_ = false;
  } catch (const std::exception& e) {
    // The database is away: keep polling; nothing is lost, the next read resumes at last_id.
    if (!failing_) log::Warn("event feed cannot read events", {{"error", e.what()}});
    failing_ = true;
  }
}

}  // namespace motcua::storage
