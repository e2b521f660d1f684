#pragma once
// One database interface with two backends: SQLite (embedded default) and PostgreSQL (libpq).
//
// SQL is written once, in the common subset of both dialects, with $1, $2 ... placeholders (the
// SQLite backend maps them). Where the dialects differ (auto ids, upserts) a migration or store
// asks dialect().
//
// Thread-safety: Database is thread-safe (it owns a pool); a Connection is used by one thread at
// a time. Faults (lost connection, I/O error, constraint violation) are thrown as DatabaseError.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "core/unit_of_work.hpp"

namespace motcua::storage {

enum class Dialect { kSqlite, kPostgres };

// A database fault. An UnavailableError, so a request that meets one is answered 503.
class DatabaseError : public UnavailableError {
 public:
  using UnavailableError::UnavailableError;
};

// A statement broke a constraint (unique, primary key, foreign key, CHECK, NOT NULL). A store may
// catch it to turn a clash with existing data into an expected outcome (a conflict).
class ConstraintViolation : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

// A SQL value: NULL, integer, real or text (text also carries JSON and ISO dates).
using Value = std::variant<std::monostate, int64_t, double, std::string>;

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(At(i)); }
  // The typed accessors throw DatabaseError when the column is missing or holds another type
  // (a NULL included): a mismatch is a bug in the query or the schema, not bad user input.
  int64_t Int(size_t i) const;
  double Real(size_t i) const;
  const std::string& Text(size_t i) const;
  std::optional<int64_t> OptionalInt(size_t i) const;
  std::optional<std::string> OptionalText(size_t i) const;
  size_t size() const { return values_.size(); }

 private:
  // The value at `i`; throws DatabaseError when the row has no such column.
  const Value& At(size_t i) const;

  std::vector<Value> values_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement and returns its rows (empty for statements without results).
  virtual std::vector<Row> Query(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual int64_t Execute(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual void ExecuteScript(std::string_view sql) = 0;
  // A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue for the lock up front;
  // PostgreSQL: BEGIN, READ COMMITTED).
  virtual void Begin() = 0;
  // A read-only transaction that sees one consistent snapshot for all its statements (SQLite:
  // BEGIN, which in WAL mode reads one snapshot; PostgreSQL: REPEATABLE READ, READ ONLY).
  virtual void BeginRead() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // A connection from the pool; returned to the pool when the handle is destroyed.
  virtual std::shared_ptr<Connection> Acquire() = 0;
  // True when the database answers a trivial query now.
  virtual bool Ping() = 0;
  // A short human description (file path or host/db, never a password).
  virtual std::string Describe() const = 0;
};

// Opens a database from a URL: "sqlite:PATH" (the file is created) or "postgresql://..." /
// "postgres://..." (a libpq connection string). Throws DatabaseError with a message that says
// what to fix.
struct DatabaseOptions {
  size_t pool_size = 0;  // connections at most (0: the backend's default)
  // The longest the server waits for the database: one statement (PostgreSQL: measured on the
  // client, so a stalled server is noticed even when TCP keepalives are still answered), the
  // SQLite write lock, or a free pooled connection. Past it, DatabaseError (503 to a client).
  int timeout_ms = 5000;
};
std::unique_ptr<Database> OpenDatabase(const std::string& url, DatabaseOptions options = {});

// The unit of work: the handle repositories operate on. A business operation (a state change,
// its audit record, its outbox row, its event) takes one Tx and so commits or rolls back as one.
// Repositories never begin, commit or roll back; whoever opened the Tx does (ReadTransaction,
// WriteTransaction or the GroupCommitter).
// Not thread-safe: a Tx belongs to the thread running the unit of work.
class Tx final : public Transaction {
 public:
  explicit Tx(Connection& conn) : conn_(conn) {}
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  Dialect dialect() const { return conn_.dialect(); }
  std::vector<Row> Query(std::string_view sql, std::span<const Value> params = {}) {
    return conn_.Query(sql, params);
  }
  int64_t Execute(std::string_view sql, std::span<const Value> params = {}) {
    return conn_.Execute(sql, params);
  }
  // Several statements without parameters (migrations).
  void ExecuteScript(std::string_view sql) { conn_.ExecuteScript(sql); }

 private:
  Connection& conn_;
};

// The storage handle behind a domain Transaction. Every Transaction is made by this layer (a Tx),
// so repositories may turn one back.
inline Tx& AsTx(Transaction& t) { return static_cast<Tx&>(t); }

namespace detail {
template <typename F>
auto RunInTransaction(Database& db, bool write, F&& work) -> decltype(work(std::declval<Tx&>())) {
  auto conn = db.Acquire();
  if (write) {
    conn->Begin();
  } else {
    conn->BeginRead();
  }
  Tx tx(*conn);
  try {
    if constexpr (std::is_void_v<decltype(work(tx))>) {
      work(tx);
      conn->Commit();
    } else {
      auto result = work(tx);
      conn->Commit();
      return result;
    }
  } catch (...) {
    try {
      conn->Rollback();
    } catch (...) {
    }
    throw;
  }
}
}  // namespace detail

// Runs `work(Tx&)` in a write transaction on one pooled connection: committed when it returns,
// rolled back when it throws. For requests that write, prefer the GroupCommitter, which shares
// one commit (one fsync) among concurrent requests.
template <typename F>
auto WriteTransaction(Database& db, F&& work) {
  return detail::RunInTransaction(db, true, std::forward<F>(work));
}

// Runs `work(Tx&)` in a read-only transaction that sees one snapshot of the database, so data
// read by several statements is never torn by a concurrent write.
template <typename F>
auto ReadTransaction(Database& db, F&& work) {
  return detail::RunInTransaction(db, false, std::forward<F>(work));
}

// Applies the versioned migrations that are not applied yet, each in its own transaction, and
// records them in schema_migrations. Returns how many were applied.
int Migrate(Database& db);

// A migration that Migrate() would run now (for `motcua migrate --dry-run`).
struct PendingMigration {
  int version;
  std::string name;
  bool transactional;  // false: runs outside a transaction (e.g. CREATE INDEX CONCURRENTLY)
  std::string sql;
};
std::vector<PendingMigration> PendingMigrations(Database& db);
// The highest migration version this build knows.
int LatestSchemaVersion();

}  // namespace motcua::storage
