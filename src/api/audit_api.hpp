#pragma once
// GET /api/v1/audit/verify: recomputes the audit trail's hash chain and checks its signed heads.
// Administrator token until accounts and roles exist.

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
  AuditApi(storage::Database& db, std::function<std::vector<std::string>()> trusted_keys,
           std::string admin_token)
      : db_(db), trusted_keys_(std::move(trusted_keys)), admin_token_(std::move(admin_token)) {}
  http::Response Verify(const http::Request& request) const;  // blocking

 private:
  storage::Database& db_;
  std::function<std::vector<std::string>()> trusted_keys_;
  std::string admin_token_;
};

}  // namespace motcua::api
