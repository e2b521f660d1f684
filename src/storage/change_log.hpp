#pragma once
// The storage implementation of the domain's ChangeLog: events and outbox messages appended in
// the caller's transaction (see event_store.hpp). Thread-safe; borrows the clock.

#include "core/clock.hpp"
#include "core/unit_of_work.hpp"

namespace motcua::storage {

class SqlChangeLog final : public ChangeLog {
 public:
  explicit SqlChangeLog(const Clock& clock) : clock_(clock) {}
  void Publish(Transaction& tx, std::string_view topic, std::string_view type,
               std::string_view payload_json) override;
  void Notify(Transaction& tx, std::string_view channel, std::string_view payload_json) override;

 private:
  const Clock& clock_;
};

}  // namespace motcua::storage
