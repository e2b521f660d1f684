#include "storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace motcua::storage {
namespace {

// Statements longer than this are cut in error messages.
constexpr size_t kSqlInErrorMax = 200;
// A connection keeps at most this many prepared statements; the cache is flushed when full.
// The code has a fixed, small set of statements, so this only guards against a runaway caller.
constexpr size_t kStatementCacheMax = 256;

std::string Shorten(std::string_view sql) {
  if (sql.size() <= kSqlInErrorMax) return std::string(sql);
  return std::string(sql.substr(0, kSqlInErrorMax)) + "...";
}

[[noreturn]] void ThrowError(sqlite3* db, int rc, std::string_view what, std::string_view sql) {
  std::string msg = "sqlite: ";
  msg += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  msg += " (";
  msg += what;
  if (!sql.empty()) {
    msg += ": ";
    msg += Shorten(sql);
  }
  msg += ")";
  if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConstraintViolation(msg);
  throw DatabaseError(msg);
}

}  // namespace

std::string RewritePlaceholdersForSqlite(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      // A quoted literal or identifier; a doubled quote inside it is an escaped quote, which the
      // loop handles as the end of one quoted part and the start of the next.
      size_t end = sql.find(c, i + 1);
      end = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back('?');
      ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

// One sqlite3 handle and its statement cache. Used by one thread at a time.
class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, int busy_timeout_ms) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = "cannot open SQLite database '" + path +
                        "': " + (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)) +
                        "; check that the directory exists and is writable";
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw DatabaseError(msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    try {
      // journal_mode answers with the mode it got; an in-memory database stays "memory".
      auto mode = Query("PRAGMA journal_mode=WAL", {});
      if (path != ":memory:" && (mode.empty() || mode[0].Text(0) != "wal")) {
        throw DatabaseError("cannot switch SQLite database '" + path +
                            "' to WAL mode; put it on a local file system");
      }
      ExecuteScript("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    } catch (...) {
      Close();
      throw;
    }
  }

  ~SqliteConnection() override { Close(); }

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }

  std::vector<Row> Query(std::string_view sql, std::span<const Value> params) override {
    Statement stmt(*this, sql, params);
    std::vector<Row> rows;
    while (stmt.Step()) {
      int n = sqlite3_column_count(stmt.Handle());
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) values.push_back(ColumnValue(stmt.Handle(), i));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  int64_t Execute(std::string_view sql, std::span<const Value> params) override {
    Statement stmt(*this, sql, params);
    while (stmt.Step()) {
    }
    return sqlite3_changes64(db_);
  }

  void ExecuteScript(std::string_view sql) override {
    std::string script(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = "sqlite: " + std::string(err != nullptr ? err : sqlite3_errstr(rc)) +
                        " (script: " + Shorten(sql) + ")";
      sqlite3_free(err);
      if ((rc & 0xff) == SQLITE_CONSTRAINT) throw ConstraintViolation(msg);
      throw DatabaseError(msg);
    }
  }

  void Begin() override { Execute("BEGIN IMMEDIATE", {}); }
  void BeginRead() override { Execute("BEGIN", {}); }
  void Commit() override { Execute("COMMIT", {}); }
  void Rollback() override { Execute("ROLLBACK", {}); }

  // Called when the handle goes back to the pool: a transaction left open by a caller would
  // hold the write lock forever, so it is rolled back.
  bool Recycle() noexcept {
    if (db_ == nullptr) return false;
    if (sqlite3_get_autocommit(db_) == 0) {
      return sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    return true;
  }

 private:
  // A cached prepared statement, bound for one execution and reset when done.
  class Statement {
   public:
    Statement(SqliteConnection& conn, std::string_view sql, std::span<const Value> params)
        : conn_(conn), sql_(sql), stmt_(conn.Prepare(sql)) {
      int expected = sqlite3_bind_parameter_count(stmt_);
      if (static_cast<size_t>(expected) != params.size()) {
        Reset();
        throw DatabaseError("sqlite: the statement takes " + std::to_string(expected) +
                            " parameters, " + std::to_string(params.size()) +
                            " given (statement: " + Shorten(sql) + ")");
      }
      for (size_t i = 0; i < params.size(); ++i) Bind(static_cast<int>(i + 1), params[i]);
    }
    ~Statement() { Reset(); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    sqlite3_stmt* Handle() const { return stmt_; }

    // True when a row is ready; false when done.
    bool Step() {
      int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      ThrowError(conn_.db_, rc, "statement", sql_);
    }

   private:
    void Bind(int index, const Value& v) {
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt_, index);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt_, index, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt_, index, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt_, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        Reset();
        ThrowError(conn_.db_, rc, "binding parameter " + std::to_string(index), sql_);
      }
    }

    void Reset() {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }

    SqliteConnection& conn_;
    std::string_view sql_;
    sqlite3_stmt* stmt_;
  };

  sqlite3_stmt* Prepare(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) return it->second;
    if (cache_.size() >= kStatementCacheMax) FinalizeAll();
    std::string rewritten = RewritePlaceholdersForSqlite(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) ThrowError(db_, rc, "prepare", sql);
    if (stmt == nullptr) throw DatabaseError("sqlite: empty statement");
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  static Value ColumnValue(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_NULL:
        return std::monostate{};
      default: {  // TEXT or BLOB
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
        int n = sqlite3_column_bytes(stmt, i);
        return std::string(p != nullptr ? p : "", static_cast<size_t>(n));
      }
    }
  }

  void FinalizeAll() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  void Close() {
    FinalizeAll();
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

SqliteDatabase::SqliteDatabase(std::string path, DatabaseOptions options)
    : path_(std::move(path)),
      pool_(
          path_ == ":memory:" ? 1 : (options.pool_size ? options.pool_size : kDefaultPoolSize),
          [p = path_, ms = options.timeout_ms] {
            return std::make_unique<SqliteConnection>(p, ms);
          },
          std::chrono::milliseconds(options.timeout_ms)) {
  // Open one connection now, so a bad path stops the program at start-up.
  Acquire();
}

SqliteDatabase::~SqliteDatabase() = default;

std::shared_ptr<Connection> SqliteDatabase::Acquire() { return pool_.Acquire(); }

bool SqliteDatabase::Ping() {
  try {
    return !Acquire()->Query("SELECT 1", {}).empty();
  } catch (const DatabaseError&) {
    return false;
  }
}

std::string SqliteDatabase::Describe() const { return "sqlite:" + path_; }

}  // namespace motcua::storage
