// The storage contract: the same cases on SQLite and on PostgreSQL. The PostgreSQL instantiation
// fails (it does not skip) when no server is given, so CI cannot pass without testing it.

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "storage/catalog_store.hpp"
#include "storage/database.hpp"
#include "storage/organisation_store.hpp"
#include "storage/storage_test_support.hpp"

namespace motcua::storage {
namespace {

using catalog::ImportReport;
using catalog::Procedure;
using catalog::ProcedureRules;
using testing::Backend;
using testing::ImportNow;
using testing::ScratchDatabase;

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

Procedure MakeProcedure(std::string code, std::optional<int64_t> fee, std::optional<int> days) {
  Procedure p;
  p.code = std::move(code);
  p.name_vi = "Đăng ký thường trú " + p.code;
  p.name_en = "Permanent residence registration";
  p.field = "Cư trú";
  p.level = catalog::Level::kCommune;
  p.online = catalog::OnlineLevel::kFull;
  p.documents = {"Tờ khai thay đổi thông tin cư trú (mẫu CT01)"};
  p.keywords = {"nhập hộ khẩu", "làm thường trú"};
  p.agency = "Công an xã/phường";
  p.source = "https://dichvucong.gov.vn/";
  p.notes = "Lệ phí 20.000 đ";
  p.rules = {ProcedureRules{D(2025, 1, 1), days, fee}};
  return p;
}

void ExpectSameProcedure(const Procedure& want, const Procedure& got) {
  EXPECT_EQ(want.code, got.code);
  EXPECT_EQ(want.has_national_code, got.has_national_code);
  EXPECT_EQ(want.name_vi, got.name_vi);
  EXPECT_EQ(want.name_en, got.name_en);
  EXPECT_EQ(want.field, got.field);
  EXPECT_EQ(want.level, got.level);
  EXPECT_EQ(want.online, got.online);
  EXPECT_EQ(want.documents, got.documents);
  EXPECT_EQ(want.keywords, got.keywords);
  EXPECT_EQ(want.agency, got.agency);
  EXPECT_EQ(want.source, got.source);
  EXPECT_EQ(want.notes, got.notes);
  EXPECT_EQ(want.rules, got.rules);
}

int64_t CountRows(Database& db, const std::string& table) {
  return db.Acquire()->Query("SELECT COUNT(*) FROM " + table)[0].Int(0);
}

class StorageContractTest : public testing::BackendTest {
 protected:
  // A migrated database, for the store tests.
  Database& MigratedDb() {
    Migrate(db());
    return db();
  }
};

TEST_P(StorageContractTest, DialectMatchesBackend) {
  EXPECT_EQ(db().dialect(), GetParam() == Backend::kSqlite ? Dialect::kSqlite : Dialect::kPostgres);
  EXPECT_TRUE(db().Ping());
}

TEST_P(StorageContractTest, MigrationsAreIdempotent) {
  EXPECT_EQ(Migrate(db()), LatestSchemaVersion());
  EXPECT_EQ(Migrate(db()), 0);
  auto rows = db().Acquire()->Query(
      "SELECT version, name, applied_at FROM schema_migrations "
      "ORDER BY version");
  ASSERT_EQ(rows.size(), static_cast<size_t>(LatestSchemaVersion()));
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_FALSE(rows[0].Text(1).empty());
  EXPECT_EQ(rows[0].Text(2).size(), 20u);  // YYYY-MM-DDTHH:MM:SSZ
}

TEST_P(StorageContractTest, ConcurrentMigrationsOfTwoInstancesApplyEachOnce) {
  auto other = scratch().OpenAnother();
  std::atomic<int> applied{0};
  std::vector<std::string> errors(2);
  std::thread a([&] {
    try {
      applied += Migrate(db());
    } catch (const std::exception& e) {
      errors[0] = e.what();
    }
  });
  std::thread b([&] {
    try {
      applied += Migrate(*other);
    } catch (const std::exception& e) {
      errors[1] = e.what();
    }
  });
  a.join();
  b.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(applied.load(), LatestSchemaVersion());
  EXPECT_EQ(CountRows(db(), "schema_migrations"), LatestSchemaVersion());
}

TEST_P(StorageContractTest, ProcedureRoundTripKeepsVietnameseTextAndNulls) {
  SqlProcedureRepository repo(MigratedDb());
  Procedure p = MakeProcedure("1.004222", std::nullopt, std::nullopt);
  p.name_vi = "Cấp đổi Căn cước; ghi 'trích dẫn' và \"ngoặc kép\" — Ứng dụng ĐỊNH DANH";
  p.documents = {"Bản sao Giấy khai sinh", "Ảnh 4×6", "ngõ ngách ườn ượt"};
  p.keywords = {};
  Procedure local = MakeProcedure("local-0a1b2c3d", 0, 0);
  local.has_national_code = false;
  local.level = catalog::Level::kCentralPolice;
  local.online = catalog::OnlineLevel::kPartial;

  ImportReport report = ImportNow(db(), repo, {p, local}, D(2025, 1, 1));
  EXPECT_EQ(report.added, 2);
  EXPECT_EQ(report.updated + report.new_rules + report.unchanged, 0);

  std::vector<Procedure> all = repo.Load().procedures;
  ASSERT_EQ(all.size(), 2u);
  ExpectSameProcedure(p, all[0]);  // "1.004222" < "local-..."
  ExpectSameProcedure(local, all[1]);
  EXPECT_FALSE(all[0].rules[0].fee_vnd.has_value());
  EXPECT_FALSE(all[0].rules[0].processing_days.has_value());
  EXPECT_EQ(all[1].rules[0].fee_vnd, 0);
}

TEST_P(StorageContractTest, ImportIsAllOrNothing) {
  SqlProcedureRepository repo(MigratedDb());
  ASSERT_EQ(ImportNow(db(), repo, {MakeProcedure("1.000001", 10000, 5)}, D(2025, 1, 1)).added, 1);
  const std::vector<Procedure> before = repo.Load().procedures;

  Procedure changed = MakeProcedure("1.000001", 99000, 9);
  changed.name_en = "Changed";
  Procedure fresh = MakeProcedure("1.000002", 5000, 3);
  Procedure bad = MakeProcedure("1.000003", -1, 3);  // breaks CHECK (fee_vnd >= 0)
  EXPECT_THROW(ImportNow(db(), repo, {changed, fresh, bad}, D(2026, 1, 1)), ConstraintViolation);

  const std::vector<Procedure> after = repo.Load().procedures;
  ASSERT_EQ(after.size(), before.size());
  ExpectSameProcedure(before[0], after[0]);
  EXPECT_EQ(CountRows(db(), "procedure_rules"), 1);
}

TEST_P(StorageContractTest, RulesAreVersionedByEffectiveDate) {
  SqlProcedureRepository repo(MigratedDb());
  ImportReport first = ImportNow(db(), repo, {MakeProcedure("1.004222", 15000, 7)}, D(2025, 1, 1));
  EXPECT_EQ(first.added, 1);

  ImportReport second = ImportNow(db(), repo, {MakeProcedure("1.004222", 20000, 7)}, D(2026, 1, 1));
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(second.new_rules, 1);
  EXPECT_EQ(second.updated, 0);
  EXPECT_EQ(second.unchanged, 0);

  ImportReport again = ImportNow(db(), repo, {MakeProcedure("1.004222", 20000, 7)}, D(2026, 1, 1));
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(again.new_rules, 0);
  // Same rules on a later date: the version in force already says so.
  EXPECT_EQ(ImportNow(db(), repo, {MakeProcedure("1.004222", 20000, 7)}, D(2026, 6, 1)).unchanged,
            1);

  std::vector<Procedure> all = repo.Load().procedures;
  ASSERT_EQ(all.size(), 1u);
  const Procedure& p = all[0];
  ASSERT_EQ(p.rules.size(), 2u);
  EXPECT_EQ(p.rules[0], (ProcedureRules{D(2025, 1, 1), 7, 15000}));
  EXPECT_EQ(p.rules[1], (ProcedureRules{D(2026, 1, 1), 7, 20000}));
  ASSERT_NE(p.RulesOn(D(2025, 12, 31)), nullptr);
  EXPECT_EQ(p.RulesOn(D(2025, 12, 31))->fee_vnd, 15000);
  EXPECT_EQ(p.RulesOn(D(2026, 1, 1))->fee_vnd, 20000);
  EXPECT_EQ(p.RulesOn(D(2024, 12, 31)), nullptr);

  // A correction on the same effective date replaces that version.
  ImportReport fix = ImportNow(db(), repo, {MakeProcedure("1.004222", 25000, 5)}, D(2026, 1, 1));
  EXPECT_EQ(fix.new_rules, 1);
  all = repo.Load().procedures;
  ASSERT_EQ(all[0].rules.size(), 2u);
  EXPECT_EQ(all[0].rules[1], (ProcedureRules{D(2026, 1, 1), 5, 25000}));
}

TEST_P(StorageContractTest, EveryEnumValueFitsTheSchemaAndRoundTrips) {
  SqlProcedureRepository repo(MigratedDb());
  std::vector<Procedure> all;
  int n = 0;
  for (auto level :
       {catalog::Level::kCommune, catalog::Level::kCity, catalog::Level::kCentralPolice}) {
    for (auto online : {catalog::OnlineLevel::kFull, catalog::OnlineLevel::kPartial,
                        catalog::OnlineLevel::kNone}) {
      Procedure p = MakeProcedure("1.00000" + std::to_string(++n), 0, 1);
      p.level = level;
      p.online = online;
      all.push_back(p);
    }
  }
  ASSERT_EQ(ImportNow(db(), repo, all, D(2025, 1, 1)).added, 9);
  const std::vector<Procedure> loaded = repo.Load().procedures;
  ASSERT_EQ(loaded.size(), 9u);
  for (size_t i = 0; i < loaded.size(); ++i) {
    EXPECT_EQ(loaded[i].level, all[i].level);
    EXPECT_EQ(loaded[i].online, all[i].online);
  }
}

TEST_P(StorageContractTest, VersionMovesOnlyWhenAnImportChangesSomething) {
  SqlProcedureRepository repo(MigratedDb());
  const int64_t v0 = repo.Version();
  (void)ImportNow(db(), repo, {MakeProcedure("1.000001", 1000, 1)}, D(2025, 1, 1));
  const int64_t v1 = repo.Version();
  EXPECT_GT(v1, v0);
  (void)ImportNow(db(), repo, {MakeProcedure("1.000001", 1000, 1)}, D(2025, 1, 1));
  EXPECT_EQ(repo.Version(), v1) << "an import that changes nothing keeps the version";
  (void)ImportNow(db(), repo, {MakeProcedure("1.000001", 2000, 1)}, D(2026, 1, 1));
  EXPECT_GT(repo.Version(), v1);
  const int64_t v2 = repo.Version();
  EXPECT_THROW(ImportNow(db(), repo, {MakeProcedure("1.000002", -1, 1)}, D(2026, 1, 1)),
               ConstraintViolation);
  EXPECT_EQ(repo.Version(), v2) << "a failed import leaves the version alone";
}

TEST_P(StorageContractTest, DescriptiveChangeCountsAsUpdated) {
  SqlProcedureRepository repo(MigratedDb());
  (void)ImportNow(db(), repo, {MakeProcedure("1.000001", 1000, 1)}, D(2025, 1, 1));
  Procedure p = MakeProcedure("1.000001", 1000, 1);
  p.keywords.push_back("hộ khẩu mới");
  ImportReport report = ImportNow(db(), repo, {p}, D(2025, 1, 1));
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(report.new_rules, 0);
  EXPECT_EQ(report.unchanged, 0);
  EXPECT_EQ(repo.Load().procedures[0].keywords, p.keywords);
}

TEST_P(StorageContractTest, TransactionRollsBackOnException) {
  auto conn = db().Acquire();
  conn->ExecuteScript("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  conn.reset();
  EXPECT_THROW(WriteTransaction(db(),
                                [](Tx& c) {
                                  c.Execute("INSERT INTO t (id, name) VALUES (1, 'a')");
                                  throw std::runtime_error("boom");
                                }),
               std::runtime_error);
  EXPECT_EQ(CountRows(db(), "t"), 0);
  int64_t changed = WriteTransaction(
      db(), [](Tx& c) { return c.Execute("INSERT INTO t (id, name) VALUES (2, 'b')"); });
  EXPECT_EQ(changed, 1);
  EXPECT_EQ(CountRows(db(), "t"), 1);
}

TEST_P(StorageContractTest, ForgottenTransactionIsRolledBackWhenConnectionReturns) {
  db().Acquire()->ExecuteScript("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  {
    auto conn = db().Acquire();
    conn->Begin();
    conn->Execute("INSERT INTO t (id) VALUES (1)");
  }  // returned to the pool without Commit
  EXPECT_EQ(CountRows(db(), "t"), 0);
  // And the pool still works for writers.
  WriteTransaction(db(), [](Tx& c) { c.Execute("INSERT INTO t (id) VALUES (2)"); });
  EXPECT_EQ(CountRows(db(), "t"), 1);
}

TEST_P(StorageContractTest, BindsNullIntRealAndText) {
  auto conn = db().Acquire();
  conn->ExecuteScript("CREATE TABLE v (i BIGINT, r DOUBLE PRECISION, s TEXT, n TEXT)");
  const Value params[] = {int64_t{-9007199254740993}, 0.1, std::string("Hà Nội '$1'"),
                          std::monostate{}};
  EXPECT_EQ(conn->Execute("INSERT INTO v (i, r, s, n) VALUES ($1, $2, $3, $4)", params), 1);
  auto rows = conn->Query("SELECT i, r, s, n FROM v");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), -9007199254740993);
  EXPECT_EQ(rows[0].Real(1), 0.1);  // exact: reals travel in their shortest exact form
  EXPECT_EQ(rows[0].Text(2), "Hà Nội '$1'");
  EXPECT_TRUE(rows[0].IsNull(3));
  EXPECT_EQ(rows[0].OptionalText(3), std::nullopt);

  // Placeholders may repeat and come in any order; "$1" inside a literal is text.
  const Value two[] = {int64_t{7}, std::string("x")};
  auto picked = conn->Query("SELECT $2, '$1', $1, $1 + 1", two);
  ASSERT_EQ(picked.size(), 1u);
  EXPECT_EQ(picked[0].Text(0), "x");
  EXPECT_EQ(picked[0].Text(1), "$1");
  EXPECT_EQ(picked[0].Int(2), 7);
  EXPECT_EQ(picked[0].Int(3), 8);

  const Value lookup[] = {std::monostate{}};
  EXPECT_EQ(conn->Query("SELECT i FROM v WHERE n IS NOT DISTINCT FROM $1", lookup).size(), 1u);
}

TEST_P(StorageContractTest, WrongParameterCountIsDatabaseError) {
  auto conn = db().Acquire();
  const Value one[] = {int64_t{1}};
  EXPECT_THROW(conn->Query("SELECT $1, $2", one), DatabaseError);
  EXPECT_EQ(conn->Query("SELECT 1")[0].Int(0), 1);  // the connection is still usable
}

TEST_P(StorageContractTest, RowAccessorsRejectWrongTypes) {
  auto rows = db().Acquire()->Query("SELECT 42, 'text', NULL, 1.5");
  ASSERT_EQ(rows.size(), 1u);
  const Row& row = rows[0];
  EXPECT_EQ(row.size(), 4u);
  EXPECT_EQ(row.Int(0), 42);
  EXPECT_EQ(row.Real(0), 42.0);
  EXPECT_EQ(row.Real(3), 1.5);
  EXPECT_EQ(row.OptionalInt(2), std::nullopt);
  EXPECT_EQ(row.OptionalInt(0), 42);
  EXPECT_THROW(row.Int(1), DatabaseError);
  EXPECT_THROW(row.Text(0), DatabaseError);
  EXPECT_THROW(row.Int(2), DatabaseError);
  EXPECT_THROW(row.Text(2), DatabaseError);
  EXPECT_THROW(row.Int(3), DatabaseError);
  EXPECT_THROW(row.Real(1), DatabaseError);
  EXPECT_THROW(row.OptionalInt(1), DatabaseError);
  EXPECT_THROW(row.IsNull(4), DatabaseError);
  EXPECT_THROW(row.Int(99), DatabaseError);
}

TEST_P(StorageContractTest, UniqueViolationIsDatabaseError) {
  Database& d = MigratedDb();
  auto conn = d.Acquire();
  const std::string insert =
      "INSERT INTO procedures (code, has_national_code, name_vi, level, online, updated_at) "
      "VALUES ('1.1', 1, 'Thủ tục', 'commune', 'none', '2025-01-01T00:00:00Z')";
  conn->Execute(insert);
  try {
    conn->Execute(insert);
    FAIL() << "a duplicate primary key was accepted";
  } catch (const ConstraintViolation& e) {
    const DatabaseError& as_base = e;  // callers that catch DatabaseError see it too
    EXPECT_NE(std::string(as_base.what()).find("procedures"), std::string::npos) << e.what();
  }
  EXPECT_EQ(CountRows(d, "procedures"), 1);
}

TEST_P(StorageContractTest, SchemaEnforcesChecksAndForeignKeys) {
  Database& d = MigratedDb();
  auto conn = d.Acquire();
  EXPECT_THROW(conn->Execute("INSERT INTO procedures (code, has_national_code, name_vi, level, "
                             "online, updated_at) VALUES ('1.2', 1, 'x', 'district', 'none', "
                             "'2025-01-01T00:00:00Z')"),
               ConstraintViolation);
  EXPECT_THROW(conn->Execute("INSERT INTO procedure_rules (code, effective_from) "
                             "VALUES ('no-such', '2025-01-01')"),
               ConstraintViolation);
}

TEST_P(StorageContractTest, UnitsAndServicePointsRoundTrip) {
  SqlOrganisationRepository repo(MigratedDb());
  using organisation::ServicePoint;
  using organisation::ServicePointKind;
  using organisation::Unit;
  using organisation::UnitKind;
  // Children before their parent: the foreign keys are checked at commit.
  std::vector<Unit> units = {
      {"HN-BD", "Phường Ba Đình", UnitKind::kWard, "HN"},
      {"HN", "Thành phố Hà Nội", UnitKind::kProvince, ""},
      {"HN-SS", "Xã Sóc Sơn", UnitKind::kCommune, "HN"},
  };
  ServicePoint point;
  point.code = "HN-CN01";
  point.name = "Chi nhánh số 1 — Trung tâm Phục vụ hành chính công";
  point.kind = ServicePointKind::kCentreBranch;
  point.unit_code = "HN-BD";
  point.address = "số 1 phố Hoàng Hoa Thám, Ba Đình";
  point.hours = {{1, "08:00", "12:00", "13:00", "17:00"}, {6, "08:00", "12:00", "", ""}};
  point.fields = {"Cư trú", "Hộ tịch"};
  point.counters = 12;
  ServicePoint postal;
  postal.code = "HN-BD-BD01";
  postal.name = "Bưu điện Ba Đình";
  postal.kind = ServicePointKind::kPostalAgent;
  postal.unit_code = "HN-BD";
  repo.Save(units, {postal, point});

  auto loaded_units = repo.LoadUnits();
  ASSERT_EQ(loaded_units.size(), 3u);
  EXPECT_EQ(loaded_units[0].code, "HN");
  EXPECT_EQ(loaded_units[0].parent_code, "");
  EXPECT_EQ(loaded_units[0].kind, UnitKind::kProvince);
  EXPECT_EQ(loaded_units[1].code, "HN-BD");
  EXPECT_EQ(loaded_units[1].name, "Phường Ba Đình");
  EXPECT_EQ(loaded_units[1].parent_code, "HN");
  EXPECT_EQ(loaded_units[2].kind, UnitKind::kCommune);

  auto points = repo.LoadServicePoints();
  ASSERT_EQ(points.size(), 2u);
  const ServicePoint& got = points[0];  // "HN-BD-BD01" < "HN-CN01"
  EXPECT_EQ(got.code, "HN-BD-BD01");
  EXPECT_TRUE(got.hours.empty());
  EXPECT_TRUE(got.fields.empty());
  const ServicePoint& p = points[1];
  EXPECT_EQ(p.name, point.name);
  EXPECT_EQ(p.kind, point.kind);
  EXPECT_EQ(p.unit_code, point.unit_code);
  EXPECT_EQ(p.address, point.address);
  EXPECT_EQ(p.fields, point.fields);
  EXPECT_EQ(p.counters, 12);
  ASSERT_EQ(p.hours.size(), 2u);
  EXPECT_EQ(p.hours[0].weekday, 1);
  EXPECT_EQ(p.hours[0].afternoon_close, "17:00");
  EXPECT_EQ(p.hours[1].weekday, 6);
  EXPECT_EQ(p.hours[1].afternoon_open, "");

  // Save again replaces.
  point.counters = 14;
  repo.Save({}, {point});
  EXPECT_EQ(repo.LoadServicePoints()[1].counters, 14);

  // A point of an unknown unit is refused, and nothing of that call is written.
  ServicePoint orphan = point;
  orphan.code = "XX-01";
  orphan.unit_code = "XX";
  Unit extra{"HN-TH", "Phường Tây Hồ", UnitKind::kWard, "HN"};
  EXPECT_THROW(repo.Save({extra}, {orphan}), ConstraintViolation);
  EXPECT_EQ(repo.LoadUnits().size(), 3u);
}

TEST_P(StorageContractTest, ConcurrentWritersAllCommit) {
  db().Acquire()->ExecuteScript("CREATE TABLE c (id INTEGER PRIMARY KEY, who TEXT)");
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          WriteTransaction(db(), [&](Tx& c) {
            // Read then write: with plain BEGIN this would be an SQLite upgrade deadlock.
            auto n = c.Query("SELECT COUNT(*) FROM c")[0].Int(0);
            const Value params[] = {int64_t{t * 1000 + i}, std::to_string(n)};
            c.Execute("INSERT INTO c (id, who) VALUES ($1, $2)", params);
          });
        } catch (const DatabaseError&) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountRows(db(), "c"), kThreads * kEach);
}

// A named function, not a lambda: the macro's own parameter is called `info` (-Wshadow).
INSTANTIATE_TEST_SUITE_P(Backends, StorageContractTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendTestName);

}  // namespace
}  // namespace motcua::storage
