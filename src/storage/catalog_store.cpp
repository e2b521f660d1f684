#include "storage/catalog_store.hpp"

#include <chrono>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

namespace motcua::storage {
namespace {

using catalog::Level;
using catalog::OnlineLevel;
using catalog::Procedure;
using catalog::ProcedureRules;

// The database stores the enums in their one spelling (the API's and the import file's too):
// stable codes, pinned by migration 1's CHECK constraints. Written with the domain's ToString; read
// back here, where a value the domain does not know is a corrupt database.
Level ParseLevelText(const std::string& s) {
  if (auto level = catalog::ParseLevel(s)) return *level;
  throw DatabaseError("procedures.level holds an unknown value '" + s + "'");
}

OnlineLevel ParseOnlineText(const std::string& s) {
  if (auto online = catalog::ParseOnlineLevel(s)) return *online;
  throw DatabaseError("procedures.online holds an unknown value '" + s + "'");
}

std::string ToJson(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

std::vector<std::string> FromJson(const std::string& text, const char* column) {
  try {
    return nlohmann::json::parse(text).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw DatabaseError(std::string(column) + " is not a JSON array of strings: " + e.what());
  }
}

Value OptionalValue(std::optional<int64_t> v) {
  if (v) return *v;
  return std::monostate{};
}

constexpr std::string_view kSelectProcedures =
    "SELECT code, has_national_code, name_vi, name_en, field, level, online, agency, source, "
    "notes, documents, keywords FROM procedures";

// The descriptive fields of a row of kSelectProcedures (rules left empty).
Procedure ProcedureFromRow(const Row& row) {
  Procedure p;
  p.code = row.Text(0);
  p.has_national_code = row.Int(1) != 0;
  p.name_vi = row.Text(2);
  p.name_en = row.Text(3);
  p.field = row.Text(4);
  p.level = ParseLevelText(row.Text(5));
  p.online = ParseOnlineText(row.Text(6));
  p.agency = row.Text(7);
  p.source = row.Text(8);
  p.notes = row.Text(9);
  p.documents = FromJson(row.Text(10), "procedures.documents");
  p.keywords = FromJson(row.Text(11), "procedures.keywords");
  return p;
}

bool SameDescription(const Procedure& a, const Procedure& b) {
  return a.has_national_code == b.has_national_code && a.name_vi == b.name_vi &&
         a.name_en == b.name_en && a.field == b.field && a.level == b.level &&
         a.online == b.online && a.agency == b.agency && a.source == b.source &&
         a.notes == b.notes && a.documents == b.documents && a.keywords == b.keywords;
}

ProcedureRules RulesFromRow(const Row& row, size_t first_column) {
  const std::string& day = row.Text(first_column);
  std::optional<Date> from = Date::Parse(day);
  if (!from) throw DatabaseError("procedure_rules.effective_from is not a date: '" + day + "'");
  ProcedureRules r;
  r.effective_from = *from;
  if (auto days = row.OptionalInt(first_column + 1)) r.processing_days = static_cast<int>(*days);
  r.fee_vnd = row.OptionalInt(first_column + 2);
  return r;
}

// Parameters for the descriptive columns, in the order of kUpsertProcedure.
std::vector<Value> DescriptionParams(const Procedure& p, const std::string& now) {
  return {p.code,
          int64_t{p.has_national_code ? 1 : 0},
          p.name_vi,
          p.name_en,
          p.field,
          std::string(catalog::ToString(p.level)),
          std::string(catalog::ToString(p.online)),
          p.agency,
          p.source,
          p.notes,
          ToJson(p.documents),
          ToJson(p.keywords),
          now};
}

// ON CONFLICT ... DO UPDATE is the same in SQLite (3.24+) and PostgreSQL.
constexpr std::string_view kUpsertProcedure =
    "INSERT INTO procedures (code, has_national_code, name_vi, name_en, field, level, online, "
    "agency, source, notes, documents, keywords, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
    "ON CONFLICT (code) DO UPDATE SET has_national_code = excluded.has_national_code, "
    "name_vi = excluded.name_vi, name_en = excluded.name_en, field = excluded.field, "
    "level = excluded.level, online = excluded.online, agency = excluded.agency, "
    "source = excluded.source, notes = excluded.notes, documents = excluded.documents, "
    "keywords = excluded.keywords, updated_at = excluded.updated_at";

constexpr std::string_view kRulesInForce =
    "SELECT effective_from, processing_days, fee_vnd FROM procedure_rules "
    "WHERE code = $1 AND effective_from <= $2 ORDER BY effective_from DESC LIMIT 1";

constexpr std::string_view kUpsertRules =
    "INSERT INTO procedure_rules (code, effective_from, processing_days, fee_vnd) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (code, effective_from) DO UPDATE SET "
    "processing_days = excluded.processing_days, fee_vnd = excluded.fee_vnd";

}  // namespace

SqlProcedureRepository::SqlProcedureRepository(Database& db) : db_(db), clock_(DefaultClock()) {}

SqlProcedureRepository::SqlProcedureRepository(Database& db, const Clock& clock)
    : db_(db), clock_(clock) {}

const Clock& SqlProcedureRepository::DefaultClock() {
  static const SystemClock clock;
  return clock;
}

catalog::LoadedCatalog SqlProcedureRepository::Load() {
  return ReadTransaction(db_, [](Tx& tx) {
    catalog::LoadedCatalog loaded;
    const std::vector<Row> version = tx.Query("SELECT version FROM catalog_version WHERE id = 1");
    loaded.version = version.empty() ? 0 : version[0].Int(0);
    // Ordered here rather than in SQL: PostgreSQL would sort text by the database's collation,
    // SQLite by bytes; std::map gives the same (byte) order on both.
    std::map<std::string, Procedure> by_code;
    for (const Row& row : tx.Query(kSelectProcedures)) {
      Procedure p = ProcedureFromRow(row);
      std::string code = p.code;
      by_code.emplace(std::move(code), std::move(p));
    }
    // effective_from is ISO text, so text order is date order (in any collation).
    for (const Row& row : tx.Query("SELECT code, effective_from, processing_days, fee_vnd "
                                   "FROM procedure_rules ORDER BY code, effective_from")) {
      auto it = by_code.find(row.Text(0));
      if (it != by_code.end()) it->second.rules.push_back(RulesFromRow(row, 1));
    }
    loaded.procedures.reserve(by_code.size());
    for (auto& [code, p] : by_code) loaded.procedures.push_back(std::move(p));
    return loaded;
  });
}

catalog::ImportReport SqlProcedureRepository::Import(Transaction& transaction,
                                                     const std::vector<Procedure>& procedures,
                                                     Date effective_from) {
  const std::string now = ToIsoUtc(clock_.Now());
  const std::string from = effective_from.ToIso();
  Tx& conn = AsTx(transaction);
  {
    catalog::ImportReport report;
    for (const Procedure& p : procedures) {
      const Value code_param[] = {p.code};
      std::vector<Row> existing =
          conn.Query(std::string(kSelectProcedures) + " WHERE code = $1", code_param);
      const bool is_new = existing.empty();
      bool described_anew = is_new || !SameDescription(ProcedureFromRow(existing[0]), p);
      if (described_anew) conn.Execute(kUpsertProcedure, DescriptionParams(p, now));

      // A record without rules means "fee and time limit not confirmed".
      ProcedureRules incoming;
      if (!p.rules.empty()) incoming = p.rules[0];
      const Value in_force_params[] = {p.code, from};
      std::vector<Row> in_force = conn.Query(kRulesInForce, in_force_params);
      bool rules_changed = true;
      if (!in_force.empty()) {
        ProcedureRules current = RulesFromRow(in_force[0], 0);
        rules_changed = current.processing_days != incoming.processing_days ||
                        current.fee_vnd != incoming.fee_vnd;
      }
      if (rules_changed) {
        std::optional<int64_t> days;
        if (incoming.processing_days) days = *incoming.processing_days;
        const Value rule_params[] = {p.code, from, OptionalValue(days),
                                     OptionalValue(incoming.fee_vnd)};
        conn.Execute(kUpsertRules, rule_params);
      }

      if (is_new) {
        ++report.added;  // its first rules are part of being added, not a change
      } else {
        if (described_anew) ++report.updated;
        if (rules_changed) ++report.new_rules;
        if (!described_anew && !rules_changed) ++report.unchanged;
      }
    }
    if (report.added + report.updated + report.new_rules > 0) {
      conn.Execute("UPDATE catalog_version SET version = version + 1 WHERE id = 1");
    }
    return report;
  }
}

int64_t SqlProcedureRepository::Version() {
  auto conn = db_.Acquire();
  const std::vector<Row> rows = conn->Query("SELECT version FROM catalog_version WHERE id = 1");
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace motcua::storage
