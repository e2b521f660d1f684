// Versioned schema migrations. To change the schema, append a Migration to kMigrations with the
// next version number; never edit one that has shipped (databases in the field have run it).

#include <chrono>
#include <ctime>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "core/clock.hpp"
#include "storage/database.hpp"

namespace motcua::storage {
namespace {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql_sqlite;
  // Empty when the SQLite text works unchanged on PostgreSQL ("$AUTO_ID" is spelled per dialect).
  std::string_view sql_postgres;
  // False for a statement that cannot run inside a transaction (PostgreSQL's CREATE INDEX
  // CONCURRENTLY, which builds an index without blocking writes to a large table). Such a
  // migration runs on its own, outside any transaction, while the migration lock is held, and is
  // recorded only after it succeeded; write it to be safely re-run (IF NOT EXISTS), since a crash
  // between the statement and the record runs it again at the next start.
  bool transactional = true;
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

// Migration 3: the stateful core. `events` is the ordered log of what changed, read by every
// instance's event feed (live streams, Last-Event-ID catch-up); `outbox` holds messages for other
// systems, written in the same transaction as the change they announce and delivered at least
// once by the dispatcher (claimed with a lease, so several instances never send one at once).
constexpr std::string_view kEventsAndOutbox = R"sql(
CREATE TABLE events (
  id $AUTO_ID,
  topic TEXT NOT NULL CHECK (length(topic) > 0),
  type TEXT NOT NULL CHECK (length(type) > 0),
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE outbox (
  id $AUTO_ID,
  channel TEXT NOT NULL CHECK (length(channel) > 0),
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_by TEXT,
  claimed_until TEXT,
  delivered_at TEXT,
  last_error TEXT
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL;
)sql";

// Migration 4: events are read by topic when a stream resumes; built without blocking writers on
// PostgreSQL (the first migration that shows the non-transactional path).
constexpr std::string_view kEventsTopicIndexSqlite =
    "CREATE INDEX IF NOT EXISTS events_topic ON events(topic, id)";
constexpr std::string_view kEventsTopicIndexPostgres =
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_topic ON events(topic, id)";

// Migration 5: public notices (the first capability to write through group commit).
constexpr std::string_view kNotices = R"sql(
CREATE TABLE notices (
  id $AUTO_ID,
  service_point TEXT REFERENCES service_points(code),
  text_vi TEXT NOT NULL CHECK (length(text_vi) > 0),
  text_en TEXT NOT NULL DEFAULT '',
  published_at TEXT NOT NULL
);
CREATE INDEX notices_point ON notices(service_point, id);
)sql";

// Migration 6: the tamper-evident audit trail (see storage/audit_store.hpp).
constexpr std::string_view kAudit = R"sql(
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY CHECK (seq > 0),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  unit TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  request_id TEXT NOT NULL,
  client TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE TABLE audit_heads (
  seq BIGINT PRIMARY KEY,
  hash TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signature TEXT NOT NULL,
  signed_at TEXT NOT NULL
);
)sql";

// Migration 7: accounts, sessions and API keys (see domain/identity). Only digests of session
// tokens and API key secrets are stored.
constexpr std::string_view kIdentity = R"sql(
CREATE TABLE accounts (
  id $AUTO_ID,
  login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 3 AND 64),
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  unit_code TEXT REFERENCES units(code),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  totp_secret TEXT NOT NULL DEFAULT '',
  totp_pending TEXT NOT NULL DEFAULT '',
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_digest TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  client TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE TABLE api_keys (
  id $AUTO_ID,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  unit_code TEXT REFERENCES units(code),
  secret_digest TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX api_keys_digest ON api_keys(secret_digest);
)sql";

// Migration 8: sign-in through an OpenID provider: the pending logins (state, nonce and PKCE
// verifier between the redirect and the callback, kept minutes) and the accounts linked to a
// provider's subject.
constexpr std::string_view kExternalIdentity = R"sql(
CREATE TABLE oidc_logins (
  state_digest TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL,
  browser_digest TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE external_identities (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
)sql";

constexpr Migration kMigrations[] = {
    {1, "catalog_and_organisation", kCatalogAndOrganisation, {}},
    {2, "catalog_version", kCatalogVersion, {}},
    {3, "events_and_outbox", kEventsAndOutbox, {}},
    {4, "events_topic_index", kEventsTopicIndexSqlite, kEventsTopicIndexPostgres, false},
    {5, "notices", kNotices, {}},
    {6, "audit_trail", kAudit, {}},
    {7, "identity", kIdentity, {}},
    {8, "external_identity", kExternalIdentity, {}},
};

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

// Serialises migrations of instances sharing one PostgreSQL database: a session-level advisory
// lock held for the whole run. An arbitrary constant: "motcua" in ASCII. It is taken with
// pg_try_advisory_lock in a loop, never by waiting in pg_advisory_lock: a waiting statement holds
// a snapshot, and CREATE INDEX CONCURRENTLY in the instance holding the lock waits for every
// older snapshot to end (a deadlock PostgreSQL detects and breaks by failing one side).
constexpr std::string_view kPostgresTryLock = "SELECT pg_try_advisory_lock(111581709317473)";
constexpr std::string_view kPostgresUnlock = "SELECT pg_advisory_unlock(111581709317473)";

// Makes sure the bookkeeping table exists and returns the applied versions. Called under the
// migration lock (PostgreSQL: concurrent CREATE TABLE IF NOT EXISTS is not safe; SQLite: the
// write transaction's lock serialises instead).
std::set<int> EnsureTableAndReadApplied(Tx& conn) {
  conn.Execute(kCreateMigrationsTable);
  std::set<int> applied;
  for (const Row& row : conn.Query("SELECT version FROM schema_migrations")) {
    applied.insert(static_cast<int>(row.Int(0)));
  }
  return applied;
}

}  // namespace

int LatestSchemaVersion() { return std::end(kMigrations)[-1].version; }

namespace {

// The migration's text for the dialect. "$AUTO_ID" stands for an auto-incrementing 64-bit key,
// the one column type the dialects spell differently.
std::string SqlFor(const Migration& m, Dialect dialect) {
  const bool postgres = dialect == Dialect::kPostgres;
  std::string sql(postgres && !m.sql_postgres.empty() ? m.sql_postgres : m.sql_sqlite);
  const std::string_view auto_id =
      postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
  for (size_t at = sql.find("$AUTO_ID"); at != std::string::npos; at = sql.find("$AUTO_ID")) {
    sql.replace(at, 8, auto_id);
  }
  return sql;
}

void Record(Tx& tx, const Migration& m) {
  const Value params[] = {int64_t{m.version}, std::string(m.name),
                          ToIsoUtc(std::chrono::system_clock::now())};
  tx.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
             params);
}

DatabaseError Failed(const Migration& m, const std::exception& e) {
  return DatabaseError("migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                       ") failed: " + e.what());
}

// The migration lock of one run, on the connection that does all of the run's work.
class MigrationLock {
 public:
  explicit MigrationLock(Connection& conn) : conn_(conn) {
    if (conn_.dialect() != Dialect::kPostgres) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    while (conn_.Query(kPostgresTryLock).at(0).Int(0) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        throw DatabaseError("another instance has been migrating the database for 10 minutes");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    held_ = true;
  }
  ~MigrationLock() {
    try {
      if (held_) conn_.Query(kPostgresUnlock);
    } catch (...) {  // a lost connection releases the lock anyway
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Connection& conn_;
  bool held_ = false;
};

// Runs `work(Tx&)` in a write transaction on `conn`.
template <typename F>
auto OnConnection(Connection& conn, F&& work) {
  conn.Begin();
  Tx tx(conn);
  try {
    auto result = work(tx);
    conn.Commit();
    return result;
  } catch (...) {
    try {
      conn.Rollback();
    } catch (...) {
    }
    throw;
  }
}

std::set<int> CheckedAppliedVersions(Connection& conn, const Database& db) {
  std::set<int> applied = OnConnection(conn, [](Tx& tx) { return EnsureTableAndReadApplied(tx); });
  if (!applied.empty() && *applied.rbegin() > LatestSchemaVersion()) {
    throw DatabaseError("the database " + db.Describe() + " has schema version " +
                        std::to_string(*applied.rbegin()) + ", newer than this build knows (" +
                        std::to_string(LatestSchemaVersion()) +
                        "); run a newer motcua or restore a matching backup");
  }
  return applied;
}

}  // namespace

std::vector<PendingMigration> PendingMigrations(Database& db) {
  auto conn = db.Acquire();
  MigrationLock lock(*conn);
  const std::set<int> applied = CheckedAppliedVersions(*conn, db);
  std::vector<PendingMigration> out;
  for (const Migration& m : kMigrations) {
    if (applied.contains(m.version)) continue;
    out.push_back(
        {m.version, std::string(m.name), m.transactional, std::string(SqlFor(m, db.dialect()))});
  }
  return out;
}

int Migrate(Database& db) {
  auto conn = db.Acquire();
  MigrationLock lock(*conn);
  const std::set<int> applied = CheckedAppliedVersions(*conn, db);
  int count = 0;
  for (const Migration& m : kMigrations) {
    if (applied.contains(m.version)) continue;
    if (!m.transactional) {
      // Alone, in autocommit mode; recorded only once it succeeded.
      if (OnConnection(
              *conn, [&m](Tx& tx) { return EnsureTableAndReadApplied(tx).contains(m.version); })) {
        continue;
      }
      try {
        conn->ExecuteScript(SqlFor(m, conn->dialect()));
      } catch (const DatabaseError& e) {
        throw Failed(m, e);
      }
      // Recorded unless another instance (SQLite has no migration lock) recorded it meanwhile:
      // the script itself is idempotent (IF NOT EXISTS), the record must be too.
      const bool recorded = OnConnection(*conn, [&m](Tx& tx) {
        if (EnsureTableAndReadApplied(tx).contains(m.version)) return false;
        Record(tx, m);
        return true;
      });
      if (recorded) ++count;
      continue;
    }
    // Each migration in its own transaction, re-checking under the lock: on SQLite another
    // instance may have applied it since we looked.
    const bool ran = OnConnection(*conn, [&m](Tx& tx) {
      if (EnsureTableAndReadApplied(tx).contains(m.version)) return false;
      try {
        tx.ExecuteScript(SqlFor(m, tx.dialect()));
      } catch (const DatabaseError& e) {
        throw Failed(m, e);
      }
      Record(tx, m);
      return true;
    });
    if (ran) ++count;
  }
  return count;
}

}  // namespace motcua::storage
