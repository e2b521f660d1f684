#include "storage/event_feed.hpp"

#include "platform/log.hpp"

namespace motcua::storage {
namespace {
constexpr size_t kBatch = 1000;
}

EventFeed::EventFeed(Database& db, std::chrono::milliseconds poll_interval, Callback callback)
    : db_(db), poll_interval_(poll_interval), callback_(std::move(callback)) {
  last_id_ = ReadTransaction(db_, [](Tx& tx) { return LatestEventId(tx); });
  thread_ = std::thread([this] { Loop(); });
}

EventFeed::~EventFeed() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void EventFeed::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

int64_t EventFeed::last_id() const {
  std::lock_guard lock(mu_);
  return last_id_;
}

void EventFeed::Loop() {
  bool failing = false;
  while (true) {
    int64_t after;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, poll_interval_, [&] { return woken_ || stopping_; });
      if (stopping_) return;
      woken_ = false;
      after = last_id_;
    }
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
      if (failing) log::Info("event feed recovered", {{"last_id", static_cast<long long>(after)}});
      failing = false;
    } catch (const std::exception& e) {
      // The database is away: keep polling; nothing is lost, the next read resumes at last_id.
      if (!failing) log::Warn("event feed cannot read events", {{"error", e.what()}});
      failing = true;
    }
  }
}

}  // namespace motcua::storage
