#pragma once
// The events log and the outbox, written inside the caller's unit of work (Tx), so a change and
// its announcement commit together or not at all.
//
// events: what changed, in commit order, for live streams (every instance's EventFeed reads the
// table after the last id it saw, which also gives Last-Event-ID catch-up and works through a
// transaction-pooling proxy). outbox: messages for other systems (notifications, the national
// portal), delivered at least once by the OutboxDispatcher.
//
// Stateless functions; thread-safe as the Tx they are given is used by one thread.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace motcua::storage {

struct StoredEvent {
  int64_t id = 0;
  std::string topic;    // e.g. "queue.B01" (a board subscribes to its branch's topic)
  std::string type;     // e.g. "ticket.called"
  std::string payload;  // JSON
  std::string created_at;
};

// Appends an event; returns its id. On PostgreSQL it first takes a transaction-level advisory
// lock, so transactions that append events commit one after another and ids become visible in
// increasing order: a reader that has seen id N never later finds a smaller id appear (which
// BIGSERIAL alone does not promise). The lock is held until commit; with group commit that is
// once per batch.
int64_t AppendEvent(Tx& tx, std::string_view topic, std::string_view type,
                    std::string_view payload_json, std::string_view now_iso);
// Events with id > after_id, oldest first, at most `limit`.
std::vector<StoredEvent> EventsAfter(Tx& tx, int64_t after_id, size_t limit);
// The newest event id (0 when there is none).
int64_t LatestEventId(Tx& tx);

struct OutboxMessage {
  int64_t id = 0;
  std::string channel;  // which sender delivers it ("log", later "sms", "email", "portal")
  std::string payload;  // JSON
  int attempts = 0;     // deliveries tried before this one
};

// Queues a message; returns its id.
int64_t EnqueueOutbox(Tx& tx, std::string_view channel, std::string_view payload_json,
                      std::string_view now_iso);
// Claims up to `limit` due, undelivered messages whose claim (if any) has expired, for
// `instance` until `lease_until_iso`. A crashed instance's claims expire and are taken over, so
// delivery is at least once. On PostgreSQL, FOR UPDATE SKIP LOCKED lets instances claim at the
// same time without waiting on each other; on SQLite the write transaction serialises them.
std::vector<OutboxMessage> ClaimOutbox(Tx& tx, std::string_view instance, std::string_view now_iso,
                                       std::string_view lease_until_iso, size_t limit);
void MarkDelivered(Tx& tx, int64_t id, std::string_view now_iso);
// Records a failed delivery and when to try again.
void MarkFailed(Tx& tx, int64_t id, std::string_view error, std::string_view next_attempt_iso);

}  // namespace motcua::storage
