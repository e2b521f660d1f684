#include "storage/notice_store.hpp"

namespace motcua::storage {

bool SqlNoticeRepository::ServicePointExists(Transaction& tx, const std::string& code) {
  const Value params[] = {code};
  return !AsTx(tx).Query("SELECT 1 FROM service_points WHERE code = $1", params).empty();
}

int64_t SqlNoticeRepository::Insert(Transaction& tx, const notices::Notice& n) {
  Value point = std::monostate{};
  if (n.service_point) point = *n.service_point;
  const Value params[] = {point, n.text_vi, n.text_en, n.published_at};
  return AsTx(tx)
      .Query(
          "INSERT INTO notices (service_point, text_vi, text_en, published_at) "
          "VALUES ($1, $2, $3, $4) RETURNING id",
          params)
      .at(0)
      .Int(0);
}

std::vector<notices::Notice> SqlNoticeRepository::List(
    const std::optional<std::string>& service_point, size_t limit) {
  return ReadTransaction(db_, [&](Tx& tx) {
    constexpr std::string_view kColumns =
        "SELECT id, service_point, text_vi, text_en, published_at FROM notices ";
    std::vector<Row> rows;
    if (service_point) {
      const Value params[] = {*service_point, static_cast<int64_t>(limit)};
      rows = tx.Query(std::string(kColumns) +
                          "WHERE service_point = $1 OR service_point IS NULL "
                          "ORDER BY id DESC LIMIT $2",
                      params);
    } else {
      const Value params[] = {static_cast<int64_t>(limit)};
      rows = tx.Query(std::string(kColumns) + "ORDER BY id DESC LIMIT $1", params);
    }
    std::vector<notices::Notice> out;
    out.reserve(rows.size());
    for (const Row& r : rows) {
      out.push_back({r.Int(0), r.OptionalText(1), r.Text(2), r.Text(3), r.Text(4)});
    }
    return out;
  });
}

}  // namespace motcua::storage
