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

OutboxDispatcher::OutboxDispatcher(UnitOfWork& unit_of_work, const Clock& clock, Options options,
                                   std::map<std::string, Sender> senders)
    : unit_of_work_(unit_of_work),
      clock_(clock),
      options_(std::move(options)),
      senders_(std::move(senders)) {
  loop_ = std::make_unique<WakeableLoop>(options_.poll_interval, [this] { Tick(); });
}

OutboxDispatcher::~OutboxDispatcher() { loop_.reset(); }

void OutboxDispatcher::Wake() { loop_->Wake(); }

int OutboxDispatcher::DeliverDue() {
  const auto now = clock_.Now();
  const std::string now_iso = ToIsoUtc(now);
  const std::string lease_until = ToIsoUtc(now + options_.lease);
  std::vector<OutboxMessage> claimed;
  const Status claim = unit_of_work_.Run([&](Transaction& tx) {
    claimed = ClaimOutbox(AsTx(tx), options_.instance, now_iso, lease_until, options_.batch);
    return OkStatus();
  });
  if (!claim.ok())
    throw DatabaseError("outbox: cannot claim messages: " + claim.error().message_en);
  if (claimed.empty()) return 0;

  struct Outcome {
    int64_t id;
    int attempts;
    Status status;
  };
  std::vector<Outcome> outcomes;
  outcomes.reserve(claimed.size());
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
    if (!outcome.ok()) {
      log::Warn("outbox delivery failed", {{"id", static_cast<long long>(m.id)},
                                           {"channel", m.channel},
                                           {"error", outcome.error().message_en}});
    }
    outcomes.push_back({m.id, m.attempts, std::move(outcome)});
  }
  // The outcomes of the whole batch in one unit. Should it fail, the leases run out and the
  // messages are sent again: at least once.
  int delivered = 0;
  const Status recorded = unit_of_work_.Run([&](Transaction& t) {
    Tx& tx = AsTx(t);
    delivered = 0;
    const auto at = clock_.Now();
    for (const Outcome& o : outcomes) {
      if (o.status.ok()) {
        MarkDelivered(tx, o.id, ToIsoUtc(at));
        ++delivered;
      } else {
        const int shift = std::min(o.attempts, 10);  // 1 s, 2 s, ... 1024 s, capped at 10 min
        const auto delay = std::min<std::chrono::seconds>(std::chrono::seconds(1LL << shift),
                                                          std::chrono::minutes(10));
        MarkFailed(tx, o.id, o.status.error().message_en, ToIsoUtc(at + delay));
      }
    }
    return OkStatus();
  });
  if (!recorded.ok()) {
    throw DatabaseError("outbox: cannot record deliveries: " + recorded.error().message_en);
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
