// Identity on both databases, through the real service, group committer, audit trail and
// cryptography, with a clock the test moves: lockout and its back-off, TOTP replay, session
// expiry, disabling, API keys, and failed sign-ins racing each other.

#include "storage/identity_store.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "core/await.hpp"
#include "domain/identity/identity_service.hpp"
#include "platform/secrets.hpp"
#include "storage/audit_store.hpp"
#include "storage/group_commit.hpp"
#include "storage/storage_test_support.hpp"

namespace motcua::storage {
namespace {

using identity::IdentityService;
using std::chrono::seconds;

constexpr std::string_view kPassword = "một mật khẩu dài 42";

struct SignInOutcome {
  Result<identity::SignedIn> result;
  int retry_after;
};

class IdentityTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    Migrate(db());
    db().Acquire()->ExecuteScript(
        "INSERT INTO units (code, name, kind) VALUES ('P01', 'Phường Một', 'ward')");
    committer_ = std::make_unique<GroupCommitter>(db(), GroupCommitOptions{});
    trail_ = std::make_unique<SqlAuditTrail>(clock_);
    repo_ = std::make_unique<SqlAccountRepository>(db());
    service_ = std::make_unique<IdentityService>(*repo_, *committer_, *trail_, secrets_, clock_);
  }
  void TearDown() override {
    service_.reset();
    committer_.reset();
  }

  identity::CreatedAccount Create(const std::string& login, Role role, std::string unit = {},
                                  std::string password = std::string(kPassword)) {
    auto created = Await<identity::CreatedAccount>([&](auto done) {
      service_->CreateAccount({login, "Người thử", role, unit, password}, actor_, done);
    });
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message_en);
    return created.ok() ? *created : identity::CreatedAccount{};
  }
  SignInOutcome SignIn(const std::string& login, std::string_view password, std::string code = {}) {
    std::promise<SignInOutcome> promise;
    auto future = promise.get_future();
    service_->SignIn({login, std::string(password), std::move(code), "203.0.113.9"}, actor_,
                     [&](Result<identity::SignedIn> r, int retry) {
                       promise.set_value({std::move(r), retry});
                     });
    return future.get();
  }
  int64_t Count(const std::string& sql) { return db().Acquire()->Query(sql).at(0).Int(0); }
  void Advance(seconds s) { clock_.Set(clock_.Now() + s); }

  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} +
                    std::chrono::hours(1)};
  secrets::LibrarySecrets secrets_;
  const Actor actor_{"cli:test", "administrator", "", "req-1", "local"};
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<SqlAuditTrail> trail_;
  std::unique_ptr<SqlAccountRepository> repo_;
  std::unique_ptr<IdentityService> service_;
};

TEST_P(IdentityTest, AccountsAreStoredWithUniqueLoginsAndTheirUnitChecked) {
  const auto admin = Create("Admin", Role::kAdministrator);
  EXPECT_EQ(admin.account.login, "admin") << "logins are lower-cased";
  Create("canbo.p01", Role::kReceptionOfficer, "P01");
  auto dup = Await<identity::CreatedAccount>([&](auto done) {
    service_->CreateAccount({"ADMIN", "x", Role::kCitizen, "", std::string(kPassword)}, actor_,
                            done);
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto no_unit = Await<identity::CreatedAccount>([&](auto done) {
    service_->CreateAccount({"canbo2", "x", Role::kUnitLeader, "KHONG", std::string(kPassword)},
                            actor_, done);
  });
  ASSERT_FALSE(no_unit.ok());
  EXPECT_EQ(no_unit.error().field, "unit");
  const auto accounts = service_->ListAccounts();
  ASSERT_EQ(accounts.size(), 2u);
  EXPECT_EQ(accounts[1].unit, "P01");
  EXPECT_TRUE(accounts[0].password_hash.starts_with("$argon2id$"));
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'account.create'"), 2);
}

TEST_P(IdentityTest, FiveFailuresLockTheAccountAndEachFurtherOneDoublesTheLock) {
  Create("canbo", Role::kProcessingOfficer, "P01");
  for (int i = 0; i < 5; ++i) {
    const auto r = SignIn("canbo", "sai");
    ASSERT_FALSE(r.result.ok());
    EXPECT_EQ(r.result.error().code, ErrorCode::kUnauthenticated) << i;
  }
  auto locked = SignIn("canbo", kPassword);
  ASSERT_FALSE(locked.result.ok()) << "the right password does not open a locked account";
  EXPECT_EQ(locked.result.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(locked.retry_after, 60);
  Advance(seconds(61));
  EXPECT_FALSE(SignIn("canbo", "sai").result.ok());  // the 6th failure: two minutes
  locked = SignIn("canbo", kPassword);
  EXPECT_EQ(locked.retry_after, 120);
  Advance(seconds(121));
  auto ok = SignIn("canbo", kPassword);
  ASSERT_TRUE(ok.result.ok());
  EXPECT_EQ(ok.result->principal.role, Role::kProcessingOfficer);
  EXPECT_EQ(ok.result->principal.unit, "P01");
  // Success resets the count: four more failures do not lock.
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(SignIn("canbo", "sai").result.ok());
  EXPECT_TRUE(SignIn("canbo", kPassword).result.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'auth.sign_in_failed'"), 12);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'auth.sign_in'"), 2);
}

TEST_P(IdentityTest, FailedSignInsRacingEachOtherAllCount) {
  Create("racer", Role::kCitizen);
  constexpr int kAttempts = 4;
  std::vector<std::thread> threads;
  for (int i = 0; i < kAttempts; ++i) {
    threads.emplace_back([&] { EXPECT_FALSE(SignIn("racer", "sai").result.ok()); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Count("SELECT failed_attempts FROM accounts WHERE login = 'racer'"), kAttempts);
}

TEST_P(IdentityTest, ATotpCodeIsAcceptedOnceAndOnlyNearItsTime) {
  const auto created = Create("leader", Role::kUnitLeader, "P01");
  auto first = SignIn("leader", kPassword);
  ASSERT_TRUE(first.result.ok());
  const Principal who = first.result->principal;
  auto enrol =
      Await<identity::TotpEnrolment>([&](auto done) { service_->BeginTotp(who, actor_, done); });
  ASSERT_TRUE(enrol.ok());
  ASSERT_EQ(enrol->secret.size(), 20u);
  const auto code_at = [&](int64_t step) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06d",
                  secrets::HotpCode(enrol->secret, static_cast<uint64_t>(step)));
    return std::string(buf);
  };
  const int64_t now = identity::TotpStep(clock_.Now());
  ASSERT_TRUE(
      Await<Unit>([&](auto done) { service_->ConfirmTotp(who, code_at(now), actor_, done); }).ok());
  // The password alone now asks for the code, without counting a failure.
  auto need = SignIn("leader", kPassword);
  ASSERT_FALSE(need.result.ok());
  EXPECT_EQ(need.result.error().field, "totp_code");
  EXPECT_FALSE(SignIn("leader", kPassword, code_at(now)).result.ok()) << "spent at enrolment";
  EXPECT_FALSE(SignIn("leader", kPassword, code_at(now - 5)).result.ok()) << "too old";
  EXPECT_FALSE(SignIn("leader", kPassword, code_at(now + 5)).result.ok()) << "too new";
  Advance(seconds(30));
  EXPECT_TRUE(SignIn("leader", kPassword, code_at(now + 1)).result.ok());
  EXPECT_FALSE(SignIn("leader", kPassword, code_at(now + 1)).result.ok()) << "replayed";
}

TEST_P(IdentityTest, SessionsExpireAndEndWhenTheAccountIsDisabled) {
  Create("citizen1", Role::kCitizen);
  auto a = SignIn("citizen1", kPassword);
  auto b = SignIn("citizen1", kPassword);
  ASSERT_TRUE(a.result.ok() && b.result.ok());
  EXPECT_NE(a.result->token, b.result->token);
  EXPECT_EQ(Count("SELECT count(*) FROM sessions WHERE token_digest = '" +
                  secrets::TokenDigest(a.result->token) + "'"),
            1)
      << "only the digest is stored";
  EXPECT_EQ(Count("SELECT count(*) FROM sessions WHERE token_digest = '" + a.result->token + "'"),
            0);
  auto who = service_->Authenticate(a.result->token);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->principal.login, "citizen1");
  EXPECT_EQ(who->csrf_token, a.result->csrf_token);
  EXPECT_FALSE(service_->Authenticate(a.result->token + "x").has_value());

  ASSERT_TRUE(
      Await<Unit>([&](auto done) { service_->SignOut(a.result->token, actor_, done); }).ok());
  EXPECT_FALSE(service_->Authenticate(a.result->token).has_value());
  EXPECT_TRUE(service_->Authenticate(b.result->token).has_value());

  Advance(std::chrono::hours(12) + seconds(1));
  EXPECT_FALSE(service_->Authenticate(b.result->token).has_value()) << "expired";
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 1) << "the expired one, until swept";
  WriteTransaction(db(), [&](Tx& tx) { repo_->DeleteExpiredSessions(tx, ToIsoUtc(clock_.Now())); });
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 0);

  auto c = SignIn("citizen1", kPassword);
  ASSERT_TRUE(c.result.ok());
  ASSERT_TRUE(Await<identity::Account>([&](auto done) {
                service_->SetDisabled("citizen1", true, actor_, done);
              }).ok());
  EXPECT_FALSE(service_->Authenticate(c.result->token).has_value());
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 0);
  EXPECT_FALSE(SignIn("citizen1", kPassword).result.ok());
}

TEST_P(IdentityTest, ApiKeysAreFoundByDigestScopedAndRevocable) {
  auto key = Await<identity::NewApiKey>(
      [&](auto done) { service_->CreateApiKey("Bưu điện", Role::kAgent, "", "", actor_, done); });
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->secret.starts_with("mck_"));
  EXPECT_EQ(Count("SELECT count(*) FROM api_keys WHERE secret_digest = '" +
                  secrets::TokenDigest(key->secret) + "'"),
            1);
  auto who = service_->Authenticate(key->secret);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->principal.role, Role::kAgent);
  EXPECT_EQ(who->principal.via, Principal::Via::kApiKey);
  EXPECT_TRUE(who->csrf_token.empty());
  const std::string own = "mck_operator_provided_secret_0123456789abcdef";
  ASSERT_TRUE(Await<identity::NewApiKey>([&](auto done) {
                service_->CreateApiKey("prometheus", Role::kMonitoring, "", own, actor_, done);
              }).ok());
  auto again = Await<identity::NewApiKey>([&](auto done) {
    service_->CreateApiKey("again", Role::kMonitoring, "", own, actor_, done);
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto weak = Await<identity::NewApiKey>([&](auto done) {
    service_->CreateApiKey("weak", Role::kMonitoring, "", "mck_short", actor_, done);
  });
  EXPECT_FALSE(weak.ok());
  EXPECT_EQ(service_->Authenticate(own)->principal.role, Role::kMonitoring);
  ASSERT_TRUE(
      Await<Unit>([&](auto done) { service_->RevokeApiKey(key->key.id, actor_, done); }).ok());
  EXPECT_FALSE(service_->Authenticate(key->secret).has_value());
  EXPECT_TRUE(service_->Authenticate(own).has_value());
}

TEST_P(IdentityTest, AResetGivesAnInitialPasswordThatMustBeChangedAndEndsSessions) {
  Create("quen", Role::kReceptionOfficer, "P01");
  auto before = SignIn("quen", kPassword);
  ASSERT_TRUE(before.result.ok());
  auto initial =
      Await<std::string>([&](auto done) { service_->ResetPassword("quen", actor_, done); });
  ASSERT_TRUE(initial.ok());
  EXPECT_FALSE(service_->Authenticate(before.result->token).has_value());
  EXPECT_FALSE(SignIn("quen", kPassword).result.ok());
  auto after = SignIn("quen", *initial);
  ASSERT_TRUE(after.result.ok());
  EXPECT_TRUE(after.result->principal.must_change_password);
  auto changed = Await<Unit>([&](auto done) {
    service_->ChangePassword(after.result->principal, *initial, "mật khẩu mới rất dài", actor_,
                             done);
  });
  ASSERT_TRUE(changed.ok());
  auto fresh = SignIn("quen", "mật khẩu mới rất dài");
  ASSERT_TRUE(fresh.result.ok());
  EXPECT_FALSE(fresh.result->principal.must_change_password);
}

// A checked credential is trusted for Policy::credential_cache: a revocation through this
// instance applies at once, through another instance on the same database within that time.
TEST_P(IdentityTest, CachedCredentialsFollowRevocationsHereAtOnceElsewhereWithinTheCacheTime) {
  Create("hai.noi", Role::kMonitoring);
  auto s = SignIn("hai.noi", kPassword);
  ASSERT_TRUE(s.result.ok());
  auto other_db = scratch().OpenAnother();
  GroupCommitter other_committer(*other_db, GroupCommitOptions{});
  SqlAccountRepository other_repo(*other_db);
  IdentityService other(other_repo, other_committer, *trail_, secrets_, clock_);
  ASSERT_TRUE(other.Authenticate(s.result->token).has_value());  // cached there now
  ASSERT_TRUE(service_->Authenticate(s.result->token).has_value());
  ASSERT_TRUE(
      Await<Unit>([&](auto done) { service_->SignOut(s.result->token, actor_, done); }).ok());
  EXPECT_FALSE(service_->Authenticate(s.result->token).has_value()) << "here: at once";
  EXPECT_TRUE(other.Authenticate(s.result->token).has_value()) << "elsewhere: still cached";
  Advance(seconds(6));
  EXPECT_FALSE(other.Authenticate(s.result->token).has_value())
      << "elsewhere: after the cache time";
}

INSTANTIATE_TEST_SUITE_P(Backends, IdentityTest,
                         ::testing::Values(testing::Backend::kSqlite, testing::Backend::kPostgres),
                         testing::BackendTestName);

}  // namespace
}  // namespace motcua::storage
