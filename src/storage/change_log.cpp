#include "storage/change_log.hpp"

#include "storage/event_store.hpp"

namespace motcua::storage {

void SqlChangeLog::Publish(Transaction& tx, std::string_view topic, std::string_view type,
                           std::string_view payload_json) {
  AppendEvent(AsTx(tx), topic, type, payload_json, ToIsoUtc(clock_.Now()));
  published_ = true;
}

void SqlChangeLog::Notify(Transaction& tx, std::string_view channel,
                          std::string_view payload_json) {
  EnqueueOutbox(AsTx(tx), channel, payload_json, ToIsoUtc(clock_.Now()));
  notified_ = true;
}

}  // namespace motcua::storage
