#pragma once
// GET /api/v1/events: live Server-Sent Events of what changes (queue calls, dossier transitions,
// catalogue imports, feedback), filtered by topic, resumable with Last-Event-ID.

#include <cstdint>
#include <functional>

#include "http/message.hpp"

namespace motcua::storage {
class Database;
}

namespace motcua::api {

// Thread-safe; borrows the database.
class EventsApi {
 public:
  // `latest_id` tells the id of the newest event the hub has seen (where a new stream starts).
  EventsApi(storage::Database& db, std::function<int64_t()> latest_id)
      : db_(db), latest_id_(std::move(latest_id)) {}
  // Blocking (reads the events missed since Last-Event-ID).
  http::Response Stream(const http::Request& request) const;

 private:
  storage::Database& db_;
  std::function<int64_t()> latest_id_;
};

}  // namespace motcua::api
