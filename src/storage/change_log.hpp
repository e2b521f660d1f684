#pragma once
// The storage implementation of the domain's ChangeLog: events and outbox messages appended in
// the caller's transaction (see event_store.hpp). Thread-safe; borrows the clock.

#include <atomic>

#include "core/clock.hpp"
#include "core/unit_of_work.hpp"

namespace motcua::storage {

class SqlChangeLog final : public ChangeLog {
 public:
  explicit SqlChangeLog(const Clock& clock) : clock_(clock) {}
  void Publish(Transaction& tx, std::string_view topic, std::string_view type,
               std::string_view payload_json) override;
  void Notify(Transaction& tx, std::string_view channel, std::string_view payload_json) override;

  // Whether events / outbox messages were written since the last call (then cleared): after a
  // commit, the event feed and the dispatcher are woken only when there is something for them
  // (the dispatcher's own writes would otherwise wake it again after every commit, for ever).
  bool TakePublished() { return published_.exchange(false); }
  bool TakeNotified() { return notified_.exchange(false); }

 private:
  const Clock& clock_;
  std::atomic<bool> published_{false};
  std::atomic<bool> notified_{false};
};

}  // namespace motcua::storage
