#pragma once
// The SQLite backend (embedded default), over the sqlite3 C API.
//
// Ownership: SqliteDatabase owns a small pool of connections to one database file; each
// connection owns its prepared-statement cache.
// Thread-safety: SqliteDatabase is thread-safe; a connection from Acquire() is used by one thread
// at a time (connections are opened with SQLITE_OPEN_NOMUTEX).
//
// Every connection runs with journal_mode=WAL (readers do not block the writer),
// synchronous=FULL (a committed write survives a power loss), foreign_keys=ON and
// busy_timeout = the options' timeout_ms. Write transactions start with BEGIN IMMEDIATE, so two
// writers queue on the busy timeout instead of failing with SQLITE_BUSY when a read lock is
// upgraded.

#include <memory>
#include <string>

#include "storage/connection_pool.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

class SqliteConnection;

class SqliteDatabase final : public Database {
 public:
  static constexpr size_t kDefaultPoolSize = 4;

  // Opens (and creates) the database file at `path` and checks that it is usable now; throws
  // DatabaseError with what to fix otherwise. ":memory:" gives a private in-memory database
  // (then the pool holds one connection, as every connection would see its own database).
  explicit SqliteDatabase(std::string path, DatabaseOptions options = {});
  ~SqliteDatabase() override;

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::shared_ptr<Connection> Acquire() override;
  bool Ping() override;
  std::string Describe() const override;

 private:
  std::string path_;
  ConnectionPool<SqliteConnection> pool_;
};

// Rewrites the $1..$N placeholders of `sql` into SQLite's ?1..?N, leaving string literals,
// quoted identifiers and comments alone. Exposed for tests.
std::string RewritePlaceholdersForSqlite(std::string_view sql);

}  // namespace motcua::storage
