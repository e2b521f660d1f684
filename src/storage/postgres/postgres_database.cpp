#include "storage/postgres/postgres_database.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace motcua::storage {
namespace {

constexpr size_t kSqlInErrorMax = 200;

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

std::string Shorten(std::string_view sql) {
  if (sql.size() <= kSqlInErrorMax) return std::string(sql);
  return std::string(sql.substr(0, kSqlInErrorMax)) + "...";
}

std::string TrimEnd(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Frees a PGresult when it goes out of scope.
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// "host=H port=P dbname=D" from a connection URL: never the user or the password.
std::string DescribeUrl(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (options == nullptr) {
    std::string msg = err != nullptr ? TrimEnd(err) : "out of memory";
    PQfreemem(err);
    throw DatabaseError("invalid PostgreSQL URL: " + msg +
                        "; write postgresql://USER@HOST:PORT/DBNAME");
  }
  std::string host, port, dbname;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    std::string_view key = o->keyword;
    std::string value = o->val != nullptr ? o->val : "";
    if (key == "host" || (key == "hostaddr" && host.empty())) {
      host = value;
    } else if (key == "port") {
      port = value;
    } else if (key == "dbname") {
      dbname = value;
    }
  }
  PQconninfoFree(options);
  return "postgresql host=" + (host.empty() ? std::string("(default)") : host) +
         " port=" + (port.empty() ? std::string("5432") : port) +
         " dbname=" + (dbname.empty() ? std::string("(user name)") : dbname);
}

Value ColumnValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return std::monostate{};
  const char* p = PQgetvalue(res, row, col);
  const size_t n = static_cast<size_t>(PQgetlength(res, row, col));
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(p, p + n, v);
      if (ec != std::errc() || end != p + n) {
        throw DatabaseError("postgres: cannot read integer '" + std::string(p, n) + "'");
      }
      return v;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      // strtod also reads "NaN" and "Infinity" as PostgreSQL prints them.
      return std::strtod(p, nullptr);
    case kBoolOid:
      return static_cast<int64_t>(n > 0 && p[0] == 't' ? 1 : 0);
    default:
      return std::string(p, n);
  }
}

}  // namespace

// One libpq connection. Used by one thread at a time.
class PostgresConnection final : public Connection {
 public:
  PostgresConnection(const std::string& url, const std::string& description, int timeout_ms,
                     std::shared_ptr<PostgresHealth> health)
      : timeout_(std::chrono::milliseconds(timeout_ms)), health_(std::move(health)) {
    // Later keywords override earlier ones. The defaults come first, so a URL may set its own
    // application_name, timeouts and options (e.g. search_path); the client encoding comes last:
    // all our text is UTF-8.
    const std::string connect_timeout = std::to_string(std::max(2, (timeout_ms + 999) / 1000));
    const std::string user_timeout = std::to_string(timeout_ms);
    const std::string options = "-c statement_timeout=" + std::to_string(timeout_ms);
    const char* keywords[] = {"application_name",
                              "connect_timeout",
                              "keepalives",
                              "keepalives_idle",
                              "keepalives_interval",
                              "keepalives_count",
                              "tcp_user_timeout",
                              "options",
                              "dbname",
                              "client_encoding",
                              nullptr};
    const char* values[] = {"motcua",
                            connect_timeout.c_str(),
                            "1",
                            "30",
                            "10",
                            "3",
                            user_timeout.c_str(),
                            options.c_str(),
                            url.c_str(),
                            "UTF8",
                            nullptr};
    conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (conn_ == nullptr) throw DatabaseError("postgres: out of memory while connecting");
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = TrimEnd(PQerrorMessage(conn_));
      PQfinish(conn_);
      conn_ = nullptr;
      throw DatabaseError("cannot connect to PostgreSQL (" + description + "): " + msg +
                          "; check the database URL and that the server is running and accepts "
                          "the user");
    }
    if (PQsetnonblocking(conn_, 1) != 0) {
      PQfinish(conn_);
      conn_ = nullptr;
      throw DatabaseError("postgres: cannot switch the connection to non-blocking mode");
    }
    // Without this, libpq prints notices ("relation already exists, skipping") to stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }

  ~PostgresConnection() override {
    if (conn_ != nullptr) PQfinish(conn_);
  }

  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  std::vector<Row> Query(std::string_view sql, std::span<const Value> params) override {
    ResultPtr res = Run(sql, params);
    const int rows = PQntuples(res.get());
    const int cols = PQnfields(res.get());
    std::vector<Row> out;
    out.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) values.push_back(ColumnValue(res.get(), r, c));
      out.emplace_back(std::move(values));
    }
    return out;
  }

  int64_t Execute(std::string_view sql, std::span<const Value> params) override {
    ResultPtr res = Run(sql, params);
    const char* tuples = PQcmdTuples(res.get());
    int64_t n = 0;
    if (tuples != nullptr) std::from_chars(tuples, tuples + std::strlen(tuples), n);
    return n;
  }

  void ExecuteScript(std::string_view sql) override {
    std::string script(sql);
    ResultPtr res = Exec(sql, [&] { return PQsendQuery(conn_, script.c_str()); });
    Check(res.get(), sql);
  }

  void Begin() override { Execute("BEGIN", {}); }
  void BeginRead() override { Execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}); }

  void Commit() override {
    ResultPtr res = Run("COMMIT", {});
    // COMMIT of a transaction in which a statement failed succeeds with the tag ROLLBACK:
    // reporting that as success would acknowledge a write that never happened.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      throw DatabaseError(
          "postgres: the transaction was rolled back because a statement in it failed");
    }
  }

  void Rollback() override { Execute("ROLLBACK", {}); }

  // Reconnects when the connection broke while idle or during its last use. An idle connection
  // has nothing to read unless the server has spoken on its own, which in practice means it
  // sent a FATAL and closed the socket (restart, terminated backend): reading until the end of
  // the input notices that, without a round trip in the common case.
  void ReconnectIfBroken() {
    for (int i = 0; i < 4 && PQstatus(conn_) == CONNECTION_OK; ++i) {
      pollfd p{PQsocket(conn_), POLLIN, 0};
      if (poll(&p, 1, /*timeout=*/0) <= 0) break;
      if (PQconsumeInput(conn_) == 0) break;  // EOF or error: the status is now BAD
      PQisBusy(conn_);  // parses what arrived, so the buffer does not hold it next time
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      PQreset(conn_);
      if (PQstatus(conn_) != CONNECTION_OK) {
        throw DatabaseError("postgres: lost the connection and cannot reconnect: " +
                            TrimEnd(PQerrorMessage(conn_)));
      }
      PQsetnonblocking(conn_, 1);
    }
  }

  // Called when the handle goes back to the pool: rolls back a transaction left open. A broken
  // connection is kept; the next Acquire() reconnects it.
  bool Recycle() noexcept {
    if (conn_ == nullptr || unusable_) return false;  // a stalled connection is never reused
    if (PQstatus(conn_) != CONNECTION_OK) return true;
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_IDLE:
        return true;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR:
        try {
          Execute("ROLLBACK", {});
          return true;
        } catch (...) {
          return false;
        }
      default:  // a command still running, or unknown: do not reuse
        return false;
    }
  }

 private:
  ResultPtr Run(std::string_view sql, std::span<const Value> params) {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);  // 0: let the server infer the type
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (const auto* n = std::get_if<int64_t>(&v)) {
        texts[i] = std::to_string(*n);
        types[i] = kInt8Oid;  // so that "SELECT $1" gives back an integer, as in SQLite
      } else if (const auto* d = std::get_if<double>(&v)) {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
        texts[i].assign(buf, end);
        types[i] = kFloat8Oid;
      } else {
        texts[i] = std::get<std::string>(v);
      }
      values[i] = texts[i].c_str();
    }
    std::string query(sql);
    ResultPtr res = Exec(sql, [&] {
      return PQsendQueryParams(conn_, query.c_str(), static_cast<int>(params.size()), types.data(),
                               values.data(), nullptr, nullptr, /*resultFormat=*/0);
    });
    Check(res.get(), sql);
    return res;
  }

  // Sends with `send` and waits for every result, never past the deadline. Returns the last
  // result (an error result when any failed). On a missed deadline the connection is marked
  // unusable (its pool discards it) and DatabaseError is thrown: the server may be stalled, and
  // a late answer must never be read as the answer to a later statement.
  template <typename Send>
  ResultPtr Exec(std::string_view sql, Send&& send) {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    if (!send()) {
      throw DatabaseError("postgres: cannot send the statement: " + TrimEnd(PQerrorMessage(conn_)) +
                          " (statement: " + Shorten(sql) + ")");
    }
    while (true) {  // flush what libpq could not write at once
      const int flushed = PQflush(conn_);
      if (flushed == 0) break;
      if (flushed < 0) throw Broken("cannot send the statement", sql);
      WaitSocket(POLLOUT | POLLIN, deadline, sql);
      if (PQconsumeInput(conn_) == 0) throw Broken("lost the connection", sql);
    }
    ResultPtr last;
    while (true) {
      while (PQisBusy(conn_)) {
        WaitSocket(POLLIN, deadline, sql);
        if (PQconsumeInput(conn_) == 0) throw Broken("lost the connection", sql);
      }
      PGresult* r = PQgetResult(conn_);
      if (r == nullptr) break;
      // Keep the first error, else the last result.
      if (!last || PQresultStatus(last.get()) == PGRES_COMMAND_OK ||
          PQresultStatus(last.get()) == PGRES_TUPLES_OK ||
          PQresultStatus(last.get()) == PGRES_EMPTY_QUERY) {
        last.reset(r);
      } else {
        PQclear(r);
      }
    }
    if (!last) throw Broken("no result", sql);
    if (health_->stalled.load(std::memory_order_relaxed)) health_->stalled = false;  // answered
    return last;
  }

  void WaitSocket(short events, std::chrono::steady_clock::time_point deadline,
                  std::string_view sql) {
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) {
        unusable_ = true;
        health_->stalled = true;
        throw DatabaseError("postgres: no answer within " + std::to_string(timeout_.count()) +
                            " ms; the server may be stalled (statement: " + Shorten(sql) + ")");
      }
      pollfd p{PQsocket(conn_), events, 0};
      const int n = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
      if (n > 0) return;
      if (n < 0 && errno != EINTR) throw Broken("poll failed", sql);
    }
  }

  DatabaseError Broken(std::string_view what, std::string_view sql) {
    unusable_ = true;  // not reusable either
    return DatabaseError("postgres: " + std::string(what) + ": " + TrimEnd(PQerrorMessage(conn_)) +
                         " (statement: " + Shorten(sql) + ")");
  }

  void Check(const PGresult* res, std::string_view sql) {
    ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      return;
    }
    std::string msg = "postgres: ";
    const char* primary =
        res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    msg += primary != nullptr ? std::string(primary) : TrimEnd(PQerrorMessage(conn_));
    const char* detail = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
    if (detail != nullptr) msg += std::string(" (") + detail + ")";
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    if (state != nullptr) msg += std::string(" [SQLSTATE ") + state + "]";
    msg += " (statement: " + Shorten(sql) + ")";
    // Class 23: integrity constraint violation.
    if (state != nullptr && std::string_view(state).substr(0, 2) == "23") {
      throw ConstraintViolation(msg);
    }
    throw DatabaseError(msg);
  }

  PGconn* conn_ = nullptr;
  const std::chrono::milliseconds timeout_;
  std::shared_ptr<PostgresHealth> health_;
  bool unusable_ = false;  // missed a deadline or broke mid-statement: discard, do not reuse
};

PostgresDatabase::PostgresDatabase(std::string url, DatabaseOptions options)
    : url_(std::move(url)),
      description_(DescribeUrl(url_)),
      pool_(
          options.pool_size ? options.pool_size : kDefaultPoolSize,
          [u = url_, d = description_, ms = options.timeout_ms, h = health_] {
            return std::make_unique<PostgresConnection>(u, d, ms, h);
          },
          std::chrono::milliseconds(options.timeout_ms)) {
  // Connect once now, so a wrong URL stops the program at start-up.
  Acquire();
}

PostgresDatabase::~PostgresDatabase() = default;

std::shared_ptr<Connection> PostgresDatabase::Acquire() {
  if (health_->stalled.load()) {
    // Stalled: fail fast, except one probe per interval that finds out whether it is back.
    const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
    int64_t next = health_->next_probe_ns.load();
    if (now < next || !health_->next_probe_ns.compare_exchange_strong(
                          next, now + std::chrono::nanoseconds(kProbeInterval).count())) {
      throw DatabaseError(
          "postgres: the server did not answer in time recently (stalled or "
          "overloaded); failing fast until it answers again");
    }
  }
  std::shared_ptr<PostgresConnection> conn = pool_.Acquire();
  conn->ReconnectIfBroken();
  return conn;
}

bool PostgresDatabase::Ping() {
  try {
    return !Acquire()->Query("SELECT 1", {}).empty();
  } catch (const DatabaseError&) {
    return false;
  }
}

}  // namespace motcua::storage
