// PostgreSQL-only behaviour. Like the contract suite, these fail (not skip) without a server.

#include "storage/postgres/postgres_database.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "storage/storage_test_support.hpp"

namespace motcua::storage {
namespace {

using testing::Backend;
using testing::ScratchDatabase;

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason = testing::PostgresUnavailableReason();
    if (!reason.empty()) FAIL() << reason;
    base_url_ = std::getenv(testing::kPostgresUrlEnv);
  }

  // The test URL with a password added (trust authentication ignores it).
  std::string UrlWithPassword(const std::string& password) const {
    std::string url = base_url_;
    size_t at = url.find('@');
    if (at == std::string::npos) return url;
    return url.substr(0, at) + ":" + password + url.substr(at);
  }

  std::string base_url_;
};

TEST_F(PostgresDatabaseTest, DescribeNeverShowsThePassword) {
  auto db = OpenDatabase(UrlWithPassword("s3cret-pw"));
  std::string d = db->Describe();
  EXPECT_EQ(d.find("s3cret-pw"), std::string::npos) << d;
  EXPECT_NE(d.find("host=127.0.0.1"), std::string::npos) << d;
  EXPECT_NE(d.find("dbname=motcua_test"), std::string::npos) << d;
}

TEST_F(PostgresDatabaseTest, ConnectionFailureSaysWhatToCheckWithoutThePassword) {
  try {
    OpenDatabase("postgresql://someone:s3cret-pw@127.0.0.1:1/nothing");
    FAIL() << "connected to port 1";
  } catch (const DatabaseError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find("s3cret-pw"), std::string::npos) << msg;
    EXPECT_NE(msg.find("check the database URL"), std::string::npos) << msg;
  }
  EXPECT_THROW(OpenDatabase("postgresql://host:notaport/db"), DatabaseError);
}

TEST_F(PostgresDatabaseTest, TerminatedConnectionIsReconnectedOnNextAcquire) {
  // A pool of one, so the next Acquire gets the same (broken) connection back.
  PostgresDatabase db(base_url_, {.pool_size = 1});
  int64_t pid = 0;
  {
    auto conn = db.Acquire();
    pid = conn->Query("SELECT pg_backend_pid()")[0].Int(0);
  }
  auto admin = OpenDatabase(base_url_);
  const Value params[] = {pid};
  ASSERT_EQ(admin->Acquire()->Query("SELECT pg_terminate_backend($1::int)", params)[0].Int(0), 1);
  // pg_terminate_backend returns before the backend has gone; wait until it has left
  // pg_stat_activity, then a little longer for its socket to close.
  for (int i = 0; i < 200; ++i) {
    if (admin->Acquire()
            ->Query("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1::int", params)[0]
            .Int(0) == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  {
    auto conn = db.Acquire();
    auto rows = conn->Query("SELECT pg_backend_pid()");
    EXPECT_NE(rows[0].Int(0), pid);
  }
  EXPECT_TRUE(db.Ping());
}

TEST_F(PostgresDatabaseTest, FailedStatementInTransactionMakesCommitFail) {
  ScratchDatabase scratch(Backend::kPostgres);
  auto conn = scratch.db().Acquire();
  conn->ExecuteScript("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  conn->Begin();
  conn->Execute("INSERT INTO t (id) VALUES (1)");
  EXPECT_THROW(conn->Execute("INSERT INTO t (id) VALUES (1)"), ConstraintViolation);
  // The caller swallowed the error; COMMIT must not pretend the first insert was kept.
  EXPECT_THROW(conn->Commit(), DatabaseError);
  EXPECT_EQ(conn->Query("SELECT COUNT(*) FROM t")[0].Int(0), 0);
}

TEST_F(PostgresDatabaseTest, TypesComeBackByColumnType) {
  auto db = OpenDatabase(base_url_);
  auto rows = db->Acquire()->Query(
      "SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.5::float8, 3.25::numeric, true, "
      "'2025-01-01'::date, NULL::int4");
  ASSERT_EQ(rows.size(), 1u);
  const Row& r = rows[0];
  EXPECT_EQ(r.Int(0), 1);
  EXPECT_EQ(r.Int(1), 2);
  EXPECT_EQ(r.Int(2), 3);
  EXPECT_EQ(r.Real(3), 1.5);
  EXPECT_EQ(r.Real(4), 2.5);
  EXPECT_EQ(r.Real(5), 3.25);
  EXPECT_EQ(r.Int(6), 1);
  EXPECT_EQ(r.Text(7), "2025-01-01");
  EXPECT_TRUE(r.IsNull(8));
}

}  // namespace
}  // namespace motcua::storage
