#include "storage/event_store.hpp"

namespace motcua::storage {
namespace {

// Serialises event-appending transactions on PostgreSQL (see AppendEvent). "events" in ASCII.
constexpr std::string_view kEventOrderLock = "SELECT pg_advisory_xact_lock(435624039027)";

}  // namespace

int64_t AppendEvent(Tx& tx, std::string_view topic, std::string_view type,
                    std::string_view payload_json, std::string_view now_iso) {
  if (tx.dialect() == Dialect::kPostgres) tx.Query(kEventOrderLock);
  const Value params[] = {std::string(topic), std::string(type), std::string(payload_json),
                          std::string(now_iso)};
  const auto rows = tx.Query(
      "INSERT INTO events (topic, type, payload, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
      params);
  return rows.at(0).Int(0);
}

std::vector<StoredEvent> EventsAfter(Tx& tx, int64_t after_id, size_t limit) {
  const Value params[] = {after_id, static_cast<int64_t>(limit)};
  std::vector<StoredEvent> out;
  for (const Row& row : tx.Query("SELECT id, topic, type, payload, created_at FROM events "
                                 "WHERE id > $1 ORDER BY id LIMIT $2",
                                 params)) {
    out.push_back({row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4)});
  }
  return out;
}

int64_t LatestEventId(Tx& tx) {
  const auto rows = tx.Query("SELECT COALESCE(MAX(id), 0) FROM events");
  return rows.at(0).Int(0);
}

int64_t EnqueueOutbox(Tx& tx, std::string_view channel, std::string_view payload_json,
                      std::string_view now_iso) {
  const Value params[] = {std::string(channel), std::string(payload_json), std::string(now_iso)};
  const auto rows = tx.Query(
      "INSERT INTO outbox (channel, payload, created_at, next_attempt_at) "
      "VALUES ($1, $2, $3, $3) RETURNING id",
      params);
  return rows.at(0).Int(0);
}

std::vector<OutboxMessage> ClaimOutbox(Tx& tx, std::string_view instance, std::string_view now_iso,
                                       std::string_view lease_until_iso, size_t limit) {
  const bool postgres = tx.dialect() == Dialect::kPostgres;
  const Value select_params[] = {std::string(now_iso), static_cast<int64_t>(limit)};
  const std::string select =
      std::string(
          "SELECT id, channel, payload, attempts FROM outbox WHERE delivered_at IS NULL "
          "AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1) "
          "ORDER BY id LIMIT $2") +
      (postgres ? " FOR UPDATE SKIP LOCKED" : "");
  std::vector<OutboxMessage> claimed;
  for (const Row& row : tx.Query(select, select_params)) {
    claimed.push_back({row.Int(0), row.Text(1), row.Text(2), static_cast<int>(row.Int(3))});
  }
  for (const OutboxMessage& m : claimed) {
    const Value params[] = {std::string(instance), std::string(lease_until_iso), m.id};
    tx.Execute("UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE id = $3", params);
  }
  return claimed;
}

void MarkDelivered(Tx& tx, int64_t id, std::string_view now_iso) {
  const Value params[] = {std::string(now_iso), id};
  tx.Execute(
      "UPDATE outbox SET delivered_at = $1, attempts = attempts + 1, claimed_by = NULL, "
      "claimed_until = NULL, last_error = NULL WHERE id = $2",
      params);
}

void MarkFailed(Tx& tx, int64_t id, std::string_view error, std::string_view next_attempt_iso) {
  const Value params[] = {std::string(error.substr(0, 500)), std::string(next_attempt_iso), id};
  tx.Execute(
      "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, "
      "claimed_by = NULL, claimed_until = NULL WHERE id = $3",
      params);
}

}  // namespace motcua::storage
