// The audit trail on both databases: records chain, heads are signed, and verification detects
// each kind of tampering made directly in the database.

#include "storage/audit_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/storage_test_support.hpp"

namespace motcua::storage {
namespace {

using testing::Backend;

class AuditTrailTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    Migrate(db());
    key_dir_ = std::filesystem::temp_directory_path() / ("motcua-audit-" + testing::RandomSuffix());
    std::filesystem::create_directories(key_dir_);
    key_ = std::make_unique<AuditKey>(AuditKey::LoadOrCreate((key_dir_ / "key").string()));
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(key_dir_, ec);
  }

  // Appends `n` records, as `n` units of work would.
  void Append(int n, const std::string& action = "notice.publish") {
    SqlAuditTrail trail(clock_);
    for (int i = 0; i < n; ++i) {
      WriteTransaction(db(), [&](Tx& tx) {
        const Actor actor{"admin-token", "administrator", "", "req-" + std::to_string(i),
                          "203.0.113.7"};
        trail.Record(tx, actor, action, "notice/" + std::to_string(i), R"({"text":"Tạm dừng"})");
      });
    }
  }
  AuditVerification Verify() { return VerifyAudit(db(), {key_->public_key_hex()}); }
  void Exec(const std::string& sql) { db().Acquire()->ExecuteScript(sql); }

  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 12 / 2}};
  std::filesystem::path key_dir_;
  std::unique_ptr<AuditKey> key_;
};

TEST_P(AuditTrailTest, AnUntouchedTrailVerifies) {
  Append(5);
  EXPECT_EQ(SignAuditHead(db(), *key_, clock_), 5);
  EXPECT_EQ(SignAuditHead(db(), *key_, clock_), 0) << "nothing new to sign";
  Append(2);
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem_en;
  EXPECT_EQ(v.records, 7);
  EXPECT_EQ(v.heads, 1);
  // The key file is reused, not replaced.
  EXPECT_EQ(AuditKey::LoadOrCreate((key_dir_ / "key").string()).public_key_hex(),
            key_->public_key_hex());
}

TEST_P(AuditTrailTest, AnEditedRecordIsDetected) {
  Append(5);
  Exec("UPDATE audit_log SET target = 'notice/999' WHERE seq = 3");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, 3);
  EXPECT_NE(v.problem_en.find("altered"), std::string::npos) << v.problem_en;
}

TEST_P(AuditTrailTest, AnEditWithARecomputedHashBreaksTheNextLink) {
  Append(5);
  // An attacker who edits record 3 and also rewrites its hash still breaks record 4's link.
  Exec("UPDATE audit_log SET actor = 'someone', hash = 'ff' WHERE seq = 3");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, 3);
}

TEST_P(AuditTrailTest, ADeletedRecordIsDetected) {
  Append(5);
  Exec("DELETE FROM audit_log WHERE seq = 2");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, 2);
  EXPECT_NE(v.problem_en.find("missing"), std::string::npos) << v.problem_en;
}

TEST_P(AuditTrailTest, ReorderedRecordsAreDetected) {
  Append(5);
  // Swap the contents of records 2 and 4 by renumbering them.
  Exec(
      "UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 4;"
      "UPDATE audit_log SET seq = 4 WHERE seq = 100;");
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, 2);
}

TEST_P(AuditTrailTest, TruncationBehindASignedHeadIsDetected) {
  Append(6);
  ASSERT_EQ(SignAuditHead(db(), *key_, clock_), 6);
  Exec("DELETE FROM audit_log WHERE seq >= 5");  // a valid, shorter chain is left
  const AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, 6);
  EXPECT_NE(v.problem_en.find("truncated"), std::string::npos) << v.problem_en;
}

TEST_P(AuditTrailTest, AForgedHeadIsDetected) {
  Append(3);
  ASSERT_EQ(SignAuditHead(db(), *key_, clock_), 3);
  // A head signed by a key nobody trusts, and a head whose signature was altered.
  const AuditKey other = AuditKey::LoadOrCreate((key_dir_ / "other").string());
  Append(1);
  ASSERT_EQ(SignAuditHead(db(), other, clock_), 4);
  AuditVerification v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, 4);
  Exec("DELETE FROM audit_heads WHERE seq = 4");
  EXPECT_TRUE(Verify().ok);
  Exec(
      "UPDATE audit_heads SET signature = CASE WHEN substr(signature, 1, 1) = '0' THEN '1' "
      "ELSE '0' END || substr(signature, 2) WHERE seq = 3");
  v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad, 3);
}

TEST_P(AuditTrailTest, ConcurrentAppendsKeepOneChain) {
  auto other = scratch().OpenAnother();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Database& d = t % 2 ? *other : db();
      SqlAuditTrail trail(clock_);
      for (int i = 0; i < 10; ++i) {
        WriteTransaction(d, [&](Tx& tx) {
          trail.Record(tx, Actor{"a" + std::to_string(t), "administrator", "", "r", "c"}, "test",
                       std::to_string(i), "{}");
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  const AuditVerification v = Verify();
  EXPECT_TRUE(v.ok) << v.problem_en;
  EXPECT_EQ(v.records, 40);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTrailTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendTestName);

}  // namespace
}  // namespace motcua::storage
