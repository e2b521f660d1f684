#include "storage/sqlite/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <string>

#include "storage/storage_test_support.hpp"

namespace motcua::storage {
namespace {

using testing::Backend;
using testing::ScratchDatabase;

TEST(SqliteDatabaseTest, EveryPooledConnectionIsDurable) {
  ScratchDatabase scratch(Backend::kSqlite);
  // Hold two connections at once so that the pool opens two.
  auto a = scratch.db().Acquire();
  auto b = scratch.db().Acquire();
  for (auto* conn : {a.get(), b.get()}) {
    EXPECT_EQ(conn->Query("PRAGMA synchronous")[0].Int(0), 2);  // FULL
    EXPECT_EQ(conn->Query("PRAGMA journal_mode")[0].Text(0), "wal");
    EXPECT_EQ(conn->Query("PRAGMA foreign_keys")[0].Int(0), 1);
    EXPECT_EQ(conn->Query("PRAGMA busy_timeout")[0].Int(0), 5000);
  }
}

TEST(SqliteDatabaseTest, DescribeShowsThePath) {
  ScratchDatabase scratch(Backend::kSqlite);
  EXPECT_EQ(scratch.db().Describe(), scratch.url());
}

TEST(SqliteDatabaseTest, InMemoryDatabaseWorks) {
  auto db = OpenDatabase("sqlite::memory:");
  EXPECT_EQ(Migrate(*db), LatestSchemaVersion());
  EXPECT_TRUE(db->Ping());
}

TEST(SqliteDatabaseTest, RewritesPlaceholdersOutsideLiterals) {
  EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT $1, $12 FROM t WHERE a = $2"),
            "SELECT ?1, ?12 FROM t WHERE a = ?2");
  EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT '$1', \"$2\", 'it''s $3', $4 -- $5\n, $6"),
            "SELECT '$1', \"$2\", 'it''s $3', ?4 -- $5\n, ?6");
  EXPECT_EQ(RewritePlaceholdersForSqlite("SELECT /* $1 */ $2, price$"),
            "SELECT /* $1 */ ?2, price$");
}

TEST(SqliteDatabaseTest, UnwritablePathSaysWhatToFix) {
  try {
    OpenDatabase("sqlite:/nonexistent-dir-motcua/x/db.sqlite");
    FAIL() << "opened a database in a missing directory";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("directory exists"), std::string::npos) << e.what();
  }
}

TEST(OpenDatabaseTest, RejectsUnknownSchemesWithoutEchoingSecrets) {
  try {
    OpenDatabase("mysql://root:hunter2@db/motcua");
    FAIL();
  } catch (const DatabaseError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("sqlite:PATH"), std::string::npos) << msg;
    EXPECT_NE(msg.find("postgresql://"), std::string::npos) << msg;
  }
  EXPECT_THROW(OpenDatabase("sqlite:"), DatabaseError);
  EXPECT_THROW(OpenDatabase(""), DatabaseError);
}

}  // namespace
}  // namespace motcua::storage
