#pragma once
// Notices kept in the database (table notices). Thread-safe; borrows the Database.

#include "domain/notices/notice.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

class SqlNoticeRepository final : public notices::NoticeRepository {
 public:
  explicit SqlNoticeRepository(Database& db) : db_(db) {}
  bool ServicePointExists(Transaction& tx, const std::string& code) override;
  int64_t Insert(Transaction& tx, const notices::Notice& notice) override;
  std::vector<notices::Notice> List(const std::optional<std::string>& service_point,
                                    size_t limit) override;

 private:
  Database& db_;
};

}  // namespace motcua::storage
