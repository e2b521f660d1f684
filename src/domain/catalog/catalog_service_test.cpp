#include "domain/catalog/catalog_service.hpp"

#include <gtest/gtest.h>

#include <map>

#include "core/unit_of_work_fakes.hpp"

namespace motcua::catalog {
namespace {

// An in-memory repository with the contract of the SQL one: all-or-nothing imports, a version
// that moves only when something changed.
class MemoryRepository final : public ProcedureRepository {
 public:
  LoadedCatalog Load() override {
    ++loads;
    LoadedCatalog out;
    out.version = version;
    for (const auto& [code, p] : by_code) out.procedures.push_back(p);
    return out;
  }
  ImportReport Import(Transaction&, const std::vector<Procedure>& procedures, Date) override {
    ImportReport r;
    for (const auto& p : procedures) {
      r.added += by_code.count(p.code) ? 0 : 1;
      by_code[p.code] = p;
    }
    if (r.added) ++version;
    return r;
  }
  int64_t Version() override { return version; }

  std::map<std::string, Procedure> by_code;
  int64_t version = 0;
  int loads = 0;
};

const Actor kActor{"admin-token", "administrator", "", "req-1", "203.0.113.7"};

Procedure Make(std::string code, std::string name) {
  Procedure p;
  p.code = std::move(code);
  p.name_vi = std::move(name);
  p.name_en = "Name";
  p.field = "Cư trú";
  p.agency = "UBND";
  p.rules.push_back({*Date::FromYmd(2025, 7, 1), 3, 0});
  return p;
}

TEST(CatalogService, ImportValidatesEverythingFirstAndNamesTheRecord) {
  MemoryRepository repo;
  testing::RecordingChangeLog changes;
  testing::InlineUnitOfWork unit_of_work(changes);
  testing::RecordingAuditTrail audit;
  CatalogService service(repo, unit_of_work, changes, audit);
  service.Reload();
  Procedure bad = Make("1.000003", "");
  auto r = service.Import({Make("1.000001", "Đăng ký tạm trú"), Make("1.000002", "Khai sinh"), bad},
                          *Date::FromYmd(2026, 1, 1), kActor);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_en.find("Record #3"), std::string::npos) << r.error().message_en;
  EXPECT_EQ(r.error().field.rfind("/2", 0), 0u) << r.error().field;
  EXPECT_TRUE(repo.by_code.empty()) << "nothing stored";
  EXPECT_TRUE(service.Snapshot()->procedures().empty());

  auto dup = service.Import({Make("1.000001", "A"), Make("1.000001", "B")},
                            *Date::FromYmd(2026, 1, 1), kActor);
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(repo.by_code.empty());
}

TEST(CatalogService, ImportSwapsInANewSnapshotAndOldReadersKeepTheirs) {
  MemoryRepository repo;
  testing::RecordingChangeLog changes;
  testing::InlineUnitOfWork unit_of_work(changes);
  testing::RecordingAuditTrail audit;
  CatalogService service(repo, unit_of_work, changes, audit);
  service.Reload();
  const auto before = service.Snapshot();
  auto r =
      service.Import({Make("1.000001", "Đăng ký tạm trú")}, *Date::FromYmd(2026, 1, 1), kActor);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->added, 1);
  EXPECT_TRUE(before->procedures().empty()) << "a reader's snapshot never changes under it";
  ASSERT_NE(service.Snapshot()->Find("1.000001"), nullptr);
}

TEST(CatalogService, RefreshReloadsOnlyWhenAnotherWriterChangedTheCatalogue) {
  MemoryRepository repo;
  testing::RecordingChangeLog changes;
  testing::InlineUnitOfWork unit_of_work(changes);
  testing::RecordingAuditTrail audit;
  CatalogService service(repo, unit_of_work, changes, audit);
  service.Reload();
  const int loads = repo.loads;
  EXPECT_FALSE(service.RefreshIfChanged());
  EXPECT_EQ(repo.loads, loads) << "an unchanged version costs no reload";
  // Another instance imports straight into the shared store.
  testing::FakeTransaction elsewhere;
  ASSERT_EQ(repo.Import(elsewhere, {Make("1.000009", "Cấp bản sao trích lục hộ tịch")}, {}).added,
            1);
  EXPECT_EQ(service.Snapshot()->Find("1.000009"), nullptr);
  EXPECT_TRUE(service.RefreshIfChanged());
  EXPECT_NE(service.Snapshot()->Find("1.000009"), nullptr);
  EXPECT_FALSE(service.RefreshIfChanged());
}

TEST(CatalogService, AnImportAnnouncesItselfInItsUnitOfWork) {
  MemoryRepository repo;
  testing::RecordingChangeLog changes;
  testing::InlineUnitOfWork unit_of_work(changes);
  testing::RecordingAuditTrail audit;
  CatalogService service(repo, unit_of_work, changes, audit);
  ASSERT_TRUE(
      service.Import({Make("1.000001", "Khai sinh")}, *Date::FromYmd(2026, 1, 1), kActor).ok());
  ASSERT_EQ(changes.committed.size(), 2u);
  ASSERT_EQ(audit.entries.size(), 1u);
  EXPECT_EQ(audit.entries[0].action, "catalog.import");
  EXPECT_EQ(audit.entries[0].actor.id, "admin-token");
  EXPECT_EQ(audit.entries[0].actor.client, "203.0.113.7");
  EXPECT_EQ(changes.committed[0].topic_or_channel, "catalog");
  EXPECT_EQ(changes.committed[0].type, "catalog.changed");
  EXPECT_EQ(changes.committed[0].payload,
            R"({"added":1,"updated":0,"new_rules":0,"effective_from":"2026-01-01"})");
  EXPECT_EQ(changes.committed[1].topic_or_channel, "log");
  // An import that changes nothing announces nothing.
  ASSERT_TRUE(
      service.Import({Make("1.000001", "Khai sinh")}, *Date::FromYmd(2026, 1, 1), kActor).ok());
  EXPECT_EQ(changes.committed.size(), 2u);
}

TEST(CatalogService, ADatabaseOutageDuringAnImportIsAnErrorNotACrash) {
  MemoryRepository repo;
  testing::RecordingChangeLog changes;
  testing::InlineUnitOfWork unit_of_work(changes);
  testing::RecordingAuditTrail audit;
  CatalogService service(repo, unit_of_work, changes, audit);
  unit_of_work.fail_commits = true;
  auto r = service.Import({Make("1.000001", "Khai sinh")}, *Date::FromYmd(2026, 1, 1), kActor);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(changes.committed.empty());
}

}  // namespace
}  // namespace motcua::catalog
