// Versioned schema migrations. To change the schema, append a Migration to kMigrations with the
// next version number; never edit one that has shipped (databases in the field have run it).

#include <chrono>
#include <ctime>
#include <set>
#include <string>
#include <string_view>

#include "storage/database.hpp"

namespace motcua::storage {
namespace {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql_sqlite;
  // Empty when the SQLite text works unchanged on PostgreSQL.
  std::string_view sql_postgres;
};

// Migration 1: the procedure catalogue (with its rule versions) and the organisation.
// Enum columns carry the strings of the domain's ToString(); the CHECKs keep them honest.
// Foreign keys between rows written in one Save() are deferred to commit, so the order of the
// rows in a batch does not matter.
constexpr std::string_view kCatalogAndOrganisation = R"sql(
CREATE TABLE procedures (
  code TEXT PRIMARY KEY CHECK (length(code) > 0),
  has_national_code INTEGER NOT NULL CHECK (has_national_code IN (0, 1)),
  name_vi TEXT NOT NULL CHECK (length(name_vi) > 0),
  name_en TEXT NOT NULL DEFAULT '',
  field TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL CHECK (level IN ('commune', 'city', 'central_police')),
  online TEXT NOT NULL CHECK (online IN ('full', 'partial', 'none')),
  agency TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  documents TEXT NOT NULL DEFAULT '[]',
  keywords TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
);
CREATE TABLE procedure_rules (
  code TEXT NOT NULL REFERENCES procedures(code) ON DELETE CASCADE,
  effective_from TEXT NOT NULL CHECK (length(effective_from) = 10),
  processing_days INTEGER CHECK (processing_days IS NULL OR processing_days >= 0),
  fee_vnd BIGINT CHECK (fee_vnd IS NULL OR fee_vnd >= 0),
  PRIMARY KEY (code, effective_from)
);
CREATE TABLE units (
  code TEXT PRIMARY KEY CHECK (length(code) > 0),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('province', 'commune', 'ward')),
  parent_code TEXT REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE service_points (
  code TEXT PRIMARY KEY CHECK (length(code) > 0),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('centre_branch', 'commune_office', 'postal_agent')),
  unit_code TEXT NOT NULL REFERENCES units(code) DEFERRABLE INITIALLY DEFERRED,
  address TEXT NOT NULL DEFAULT '',
  hours TEXT NOT NULL DEFAULT '[]',
  fields TEXT NOT NULL DEFAULT '[]',
  counters INTEGER NOT NULL DEFAULT 0 CHECK (counters >= 0)
);
CREATE INDEX service_points_unit ON service_points(unit_code);
)sql";

// Migration 2: a counter bumped by every catalogue import that changes something, so each of
// several server instances on one database can tell cheaply that its in-memory catalogue is stale.
constexpr std::string_view kCatalogVersion = R"sql(
CREATE TABLE catalog_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);
)sql";

constexpr Migration kMigrations[] = {
    {1, "catalog_and_organisation", kCatalogAndOrganisation, {}},
    {2, "catalog_version", kCatalogVersion, {}},
};

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

// Serialises migrations of instances sharing one PostgreSQL database; released at commit.
// An arbitrary constant: "motcua" in ASCII.
constexpr std::string_view kPostgresLock = "SELECT pg_advisory_xact_lock(111581709317473)";

std::string NowUtcIso() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Takes the migration lock (PostgreSQL: concurrent CREATE TABLE IF NOT EXISTS is not safe;
// SQLite: BEGIN IMMEDIATE already holds the write lock), makes sure the bookkeeping table exists
// and returns the applied versions.
std::set<int> LockAndReadApplied(Connection& conn) {
  if (conn.dialect() == Dialect::kPostgres) conn.Query(kPostgresLock);
  conn.Execute(kCreateMigrationsTable);
  std::set<int> applied;
  for (const Row& row : conn.Query("SELECT version FROM schema_migrations")) {
    applied.insert(static_cast<int>(row.Int(0)));
  }
  return applied;
}

}  // namespace

int LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

int Migrate(Database& db) {
  std::set<int> applied =
      InTransaction(db, [](Connection& conn) { return LockAndReadApplied(conn); });
  if (!applied.empty() && *applied.rbegin() > LatestSchemaVersion()) {
    throw DatabaseError("the database " + db.Describe() + " has schema version " +
                        std::to_string(*applied.rbegin()) + ", newer than this build knows (" +
                        std::to_string(LatestSchemaVersion()) +
                        "); run a newer motcua or restore a matching backup");
  }
  int count = 0;
  for (const Migration& m : kMigrations) {
    if (applied.contains(m.version)) continue;
    // Each migration in its own transaction, re-checking under the lock: another instance may
    // have applied it since we looked.
    bool ran = InTransaction(db, [&m](Connection& conn) {
      if (LockAndReadApplied(conn).contains(m.version)) return false;
      std::string_view sql = conn.dialect() == Dialect::kPostgres && !m.sql_postgres.empty()
                                 ? m.sql_postgres
                                 : m.sql_sqlite;
      try {
        conn.ExecuteScript(sql);
      } catch (const DatabaseError& e) {
        throw DatabaseError("migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                            ") failed: " + e.what());
      }
      const Value params[] = {int64_t{m.version}, std::string(m.name), NowUtcIso()};
      conn.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                   params);
      return true;
    });
    if (ran) ++count;
  }
  return count;
}

}  // namespace motcua::storage
