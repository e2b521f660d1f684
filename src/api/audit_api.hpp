#pragma once
// GET /api/v1/audit/verify: recomputes the audit trail's hash chain and checks its signed heads.
// Administrators and monitoring.

#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace motcua::storage {
class Database;
}

namespace motcua::api {

// Thread-safe; borrows the database.
class AuditApi {
 public:
  AuditApi(storage::Database& db, std::function<std::vector<std::string>()> trusted_keys)
      : db_(db), trusted_keys_(std::move(trusted_keys)) {}
  http::Response Verify(const http::Request& request) const;  // blocking
  // GET /api/v1/audit: search, newest first (administrators and monitoring city-wide, unit
  // leaders within their unit).
  http::Response Search(const http::Request& request) const;  // blocking

 private:
  storage::Database& db_;
  std::function<std::vector<std::string>()> trusted_keys_;
};

}  // namespace motcua::api
