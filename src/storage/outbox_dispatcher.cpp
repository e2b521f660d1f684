#include "storage/outbox_dispatcher.hpp"

#include <algorithm>

#include "platform/log.hpp"

namespace motcua::storage {

Status LogSender(const OutboxMessage& message) {
  log::Info("outbox message", {{"id", static_cast<long long>(message.id)},
                               {"channel", message.channel},
                               {"payload", message.payload}});
  return OkStatus();
}

OutboxDispatcher::OutboxDispatcher(Database& db, const Clock& clock, Options options,
                                   std::map<std::string, Sender> senders)
    : db_(db), clock_(clock), options_(std::move(options)), senders_(std::move(senders)) {
  loop_ = std::make_unique<WakeableLoop>(options_.poll_interval, [this] { Tick(); });
}

OutboxDispatcher::~OutboxDispatcher() { loop_.reset(); }

void OutboxDispatcher::Wake() { loop_->Wake(); }

int OutboxDispatcher::DeliverDue() {
  const auto now = clock_.Now();
  const std::string now_iso = ToIsoUtc(now);
  const std::string lease_until = ToIsoUtc(now + options_.lease);
  const std::vector<OutboxMessage> claimed = WriteTransaction(db_, [&](Tx& tx) {
    return ClaimOutbox(tx, options_.instance, now_iso, lease_until, options_.batch);
  });
  int delivered = 0;
  for (const OutboxMessage& m : claimed) {
    Status outcome = OkStatus();
    const auto sender = senders_.find(m.channel);
    if (sender == senders_.end()) {
      outcome = MakeError(ErrorCode::kUnavailable, "Chưa cấu hình kênh gửi " + m.channel,
                          "No sender configured for channel " + m.channel);
    } else {
      try {
        outcome = sender->second(m);
      } catch (const std::exception& e) {
        outcome = MakeError(ErrorCode::kUnavailable, e.what(), e.what());
      }
    }
    if (outcome.ok()) {
      WriteTransaction(db_, [&](Tx& tx) { MarkDelivered(tx, m.id, ToIsoUtc(clock_.Now())); });
      ++delivered;
    } else {
      const int shift = std::min(m.attempts, 10);  // 1 s, 2 s, ... 1024 s, capped at 10 min
      const auto delay = std::min<std::chrono::seconds>(std::chrono::seconds(1LL << shift),
                                                        std::chrono::minutes(10));
      WriteTransaction(db_, [&](Tx& tx) {
        MarkFailed(tx, m.id, outcome.error().message_en, ToIsoUtc(clock_.Now() + delay));
      });
      log::Warn("outbox delivery failed", {{"id", static_cast<long long>(m.id)},
                                           {"channel", m.channel},
                                           {"error", outcome.error().message_en}});
    }
  }
  return delivered;
}

void OutboxDispatcher::Tick() {
  try {
    while (DeliverDue() > 0) {
    }
    failing_ = false;
  } catch (const std::exception& e) {
    if (!failing_) log::Warn("outbox dispatcher cannot reach the database", {{"error", e.what()}});
    failing_ = true;
  }
}

}  // namespace motcua::storage
