#pragma once
// The PostgreSQL backend (multi-instance deployments), over libpq.
//
// Ownership: PostgresDatabase owns a pool of libpq connections to one database.
// Thread-safety: PostgresDatabase is thread-safe; a connection from Acquire() is used by one
// thread at a time.
//
// Parameters go as text (integers and reals printed exactly); result columns come back by type:
// int2/int4/int8 as integers, float4/float8/numeric as reals, bool as 0/1, everything else as
// text, NULL as NULL. A connection that broke (server restart, terminated backend) is
// reconnected the next time it is acquired.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "storage/connection_pool.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

class PostgresConnection;

// Whether the server is stalled, shared by a database and its connections: a connection marks
// it when a statement misses its deadline and clears it when one succeeds.
struct PostgresHealth {
  std::atomic<bool> stalled{false};
  std::atomic<int64_t> next_probe_ns{0};
};

class PostgresDatabase final : public Database {
 public:
  static constexpr size_t kDefaultPoolSize = 4;

  // `url` is a libpq connection URI (postgresql://USER[:PASSWORD]@HOST:PORT/DBNAME?options).
  // Connects once now, so a wrong URL or an unreachable server stops the program at start-up
  // with a DatabaseError that says what to check (never the password).
  // Each statement runs non-blocking with a deadline of options.timeout_ms measured here: a
  // stalled server (frozen, paused VM) still answers TCP, so only a client-side deadline notices
  // it. A connection that missed its deadline is discarded, never reused. Connections also set
  // keepalives, tcp_user_timeout and statement_timeout (a URL's own settings win).
  // After a missed deadline the database counts as stalled: Acquire() fails at once (503) for
  // everyone but one probe every kProbeInterval, until a statement succeeds again. Without this,
  // requests queued behind the first timeouts would each wait a whole timeout in turn.
  explicit PostgresDatabase(std::string url, DatabaseOptions options = {});
  ~PostgresDatabase() override;

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::shared_ptr<Connection> Acquire() override;
  bool Ping() override;
  std::string Describe() const override { return description_; }

 private:
  static constexpr std::chrono::milliseconds kProbeInterval{500};

  std::string url_;
  std::string description_;  // host/port/dbname, no user or password
  std::shared_ptr<PostgresHealth> health_ = std::make_shared<PostgresHealth>();
  ConnectionPool<PostgresConnection> pool_;
};

}  // namespace motcua::storage
