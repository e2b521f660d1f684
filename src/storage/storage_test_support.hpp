#pragma once
// Test support: a fresh, empty database on either backend, thrown away after the test.
// Only test files include this.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/catalog_store.hpp"
#include "storage/database.hpp"

namespace motcua::storage::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(Backend b) { return b == Backend::kSqlite ? "Sqlite" : "Postgres"; }
// For gtest's messages ("where GetParam() = Postgres").
inline void PrintTo(Backend b, std::ostream* os) { *os << BackendName(b); }

inline constexpr const char* kPostgresUrlEnv = "MOTCUA_TEST_POSTGRES_URL";

// Why a PostgreSQL test cannot run; empty when it can.
inline std::string PostgresUnavailableReason() {
  if (std::getenv(kPostgresUrlEnv) != nullptr) return {};
  return std::string(kPostgresUrlEnv) +
         " is not set: the storage tests need a PostgreSQL server; run them as "
         "`scripts/with-postgres build/src/storage_test` (it starts a throw-away server)";
}

inline std::string RandomSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 12; ++i) s.push_back(kHex[rng() % 16]);
  return s;
}

// A fresh database: SQLite in a temporary directory, PostgreSQL in a schema of its own (selected
// with search_path through the URL), so tests do not see each other's tables.
// Owns the Database and removes the file or schema when destroyed.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(Backend backend) : backend_(backend) {
    if (backend == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("motcua-storage-test-" + RandomSuffix());
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "test.db").string();
    } else {
      const char* base = std::getenv(kPostgresUrlEnv);
      if (base == nullptr) throw std::runtime_error(PostgresUnavailableReason());
      admin_ = OpenDatabase(base);
      schema_ = "test_" + RandomSuffix();
      admin_->Acquire()->ExecuteScript("CREATE SCHEMA " + schema_);
      std::string b = base;
      url_ =
          b + (b.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
    }
    db_ = OpenDatabase(url_);
  }

  ~ScratchDatabase() {
    db_.reset();
    if (admin_) {
      try {
        admin_->Acquire()->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
      } catch (const std::exception&) {
        // Leave it: the throw-away server goes away with all its schemas.
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Backend backend() const { return backend_; }
  Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  // Another Database on the same data (as a second server instance would open it).
  std::unique_ptr<Database> OpenAnother() const { return OpenDatabase(url_); }

 private:
  Backend backend_;
  std::filesystem::path dir_;
  std::unique_ptr<Database> admin_;
  std::string schema_;
  std::string url_;
  std::unique_ptr<Database> db_;
};

// A test run once per backend on a fresh scratch database. A PostgreSQL case without a server
// fails (it never skips). Instantiate with
//   INSTANTIATE_TEST_SUITE_P(Backends, X, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
//                            BackendTestName);
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      const std::string reason = PostgresUnavailableReason();
      if (!reason.empty()) FAIL() << reason;
    }
    scratch_ = std::make_unique<ScratchDatabase>(GetParam());
  }
  Database& db() { return scratch_->db(); }
  ScratchDatabase& scratch() { return *scratch_; }

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
};

inline std::string BackendTestName(const ::testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

// Imports in a transaction of its own (the contract of the store, without the service around it).
inline catalog::ImportReport ImportNow(Database& db, SqlProcedureRepository& repo,
                                       const std::vector<catalog::Procedure>& procedures,
                                       Date from) {
  return WriteTransaction(db, [&](Tx& tx) { return repo.Import(tx, procedures, from); });
}

}  // namespace motcua::storage::testing
