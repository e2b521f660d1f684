#include "domain/identity/identity_service.hpp"

#include <algorithm>
#include <memory>

#include "core/json_text.hpp"
#include "core/vn_text.hpp"

namespace motcua::identity {
namespace {

// The password hash of an account that signs in only through the identity provider: no Argon2
// string, so no password ever verifies against it.
constexpr std::string_view kNoLocalPassword = "!";

Error Invalid(std::string vi, std::string en, std::string field = {}) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

Error NoSuchAccount(std::string_view login) {
  return MakeError(ErrorCode::kNotFound, "Không có tài khoản " + std::string(login),
                   "No account " + std::string(login), "login");
}

Error WrongCredentials() {
  return MakeError(ErrorCode::kUnauthenticated, "Tên đăng nhập hoặc mật khẩu không đúng",
                   "Wrong login or password");
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool NeedsUnit(Role role) { return Contains(kOfficials, role); }

std::string AccountTarget(const Account& a) { return "account/" + std::to_string(a.id); }

// Runs `work` as a unit of work and hands its value to `done` once durable; an error from
// `work` rolls the unit back and goes to `done`.
template <typename T, typename Work>
void Submit(UnitOfWork& unit_of_work, Work work, Done<T> done) {
  auto out = std::make_shared<std::optional<T>>();
  unit_of_work.Submit(
      [work = std::move(work), out](Transaction& tx) -> Status {
        Result<T> r = work(tx);
        if (!r.ok()) return r.error();
        *out = std::move(r).value();
        return OkStatus();
      },
      [out, done = std::move(done)](Status st) {
        if (!st.ok()) return done(st.error());
        done(std::move(**out));
      });
}

Principal PrincipalOf(const Account& a) {
  Principal p;
  p.id = a.id;
  p.login = a.login;
  p.role = a.role;
  p.unit = a.unit;
  p.via = Principal::Via::kSession;
  p.must_change_password = a.must_change_password;
  p.second_factor = !a.totp_secret.empty();
  p.display_name = a.display_name;
  return p;
}

}  // namespace

std::string IdentityService::GeneratedPassword() {
  // 20 random characters from 32 unambiguous ones (100 bits), in groups of five for reading
  // aloud: "abcde-fghij-kmnpq-rstuv".
  constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const std::string bytes = secrets_.RandomBytes(20);
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 5 == 0) out += '-';
    out += kAlphabet[static_cast<unsigned char>(bytes[i]) % kAlphabet.size()];
  }
  return out;
}

void IdentityService::CreateAccount(NewAccount request, Actor actor, Done<CreatedAccount> done) {
  request.login = Lower(std::move(request.login));
  if (Status st = ValidateLogin(request.login); !st.ok()) return done(st.error());
  if (request.display_name.empty() || request.display_name.size() > 200) {
    return done(Invalid("Họ tên phải có từ 1 đến 200 ký tự",
                        "The display name must be 1 to 200 characters", "display_name"));
  }
  if (NeedsUnit(request.role) && request.unit.empty()) {
    return done(
        Invalid("Cán bộ phải thuộc một đơn vị", "An official must belong to a unit", "unit"));
  }
  auto created = std::make_shared<CreatedAccount>();
  Account& a = created->account;
  a.login = request.login;
  a.display_name = std::move(request.display_name);
  a.role = request.role;
  a.unit = std::move(request.unit);
  if (request.password.empty()) {
    created->initial_password = GeneratedPassword();
    a.must_change_password = true;
  } else if (Status st = ValidateNewPassword(a.login, request.password, policy_); !st.ok()) {
    return done(st.error());
  }
  a.password_hash = secrets_.HashPassword(request.password.empty() ? created->initial_password
                                                                   : request.password);
  a.created_at = NowIso();
  Submit<CreatedAccount>(
      unit_of_work_,
      [this, created, actor = std::move(actor)](Transaction& tx) -> Result<CreatedAccount> {
        Account& account = created->account;
        if (repository_.FindByLogin(tx, account.login)) {
          return MakeError(ErrorCode::kConflict, "Tên đăng nhập " + account.login + " đã có",
                           "The login " + account.login + " is taken", "login");
        }
        if (!account.unit.empty() && !repository_.UnitExists(tx, account.unit)) {
          return Invalid("Không có đơn vị " + account.unit, "No unit " + account.unit, "unit");
        }
        account.id = repository_.Insert(tx, account);
        audit_.Record(tx, actor, "account.create", AccountTarget(account),
                      JsonObject({{"login", std::string_view(account.login)},
                                  {"role", RoleName(account.role)},
                                  {"unit", std::string_view(account.unit)}}));
        return *created;
      },
      std::move(done));
}

void IdentityService::ResetPassword(std::string login, Actor actor, Done<std::string> done) {
  login = Lower(std::move(login));
  auto password = std::make_shared<std::string>(GeneratedPassword());
  auto hash = std::make_shared<std::string>(secrets_.HashPassword(*password));
  SubmitRevoking<std::string>(
      [this, login, password, hash,
       actor = std::move(actor)](Transaction& tx) -> Result<std::string> {
        auto a = repository_.FindByLogin(tx, login);
        if (!a) return NoSuchAccount(login);
        a->password_hash = *hash;
        a->must_change_password = true;
        a->failed_attempts = 0;
        a->locked_until.clear();
        repository_.Update(tx, *a);
        repository_.DeleteSessionsOf(tx, a->id);
        audit_.Record(tx, actor, "account.reset_password", AccountTarget(*a), "{}");
        return *password;
      },
      std::move(done));
}

void IdentityService::SetDisabled(std::string login, bool disabled, Actor actor,
                                  Done<Account> done) {
  login = Lower(std::move(login));
  SubmitRevoking<Account>(
      [this, login, disabled, actor = std::move(actor)](Transaction& tx) -> Result<Account> {
        auto a = repository_.FindByLogin(tx, login);
        if (!a) return NoSuchAccount(login);
        a->disabled = disabled;
        if (!disabled) {
          a->failed_attempts = 0;
          a->locked_until.clear();
        }
        repository_.Update(tx, *a);
        if (disabled) repository_.DeleteSessionsOf(tx, a->id);
        audit_.Record(tx, actor, disabled ? "account.disable" : "account.enable", AccountTarget(*a),
                      "{}");
        return *a;
      },
      std::move(done));
}

bool IdentityService::TotpMatches(const std::string& secret, std::string_view code,
                                  int64_t last_step, int64_t* step) {
  if (code.size() != 6 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const int given = std::stoi(std::string(code));
  const int64_t now = TotpStep(clock_.Now());
  bool matched = false;
  // Every candidate is computed (no early exit), so timing does not tell which step matched.
  for (int64_t s = now - 1; s <= now + 1; ++s) {
    if (s > last_step && secrets_.HotpCode(secret, static_cast<uint64_t>(s)) == given && !matched) {
      matched = true;
      *step = s;
    }
  }
  return matched;
}

bool IsIdNumber(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string IdentityService::LoginFor(std::string_view login) {
  if (citizen_key_.empty() || !IsIdNumber(login)) return std::string(login);
  return "cd." + secrets_.KeyedDigest(citizen_key_, login).substr(0, 32);
}

void IdentityService::RegisterCitizen(std::string id_number, std::string full_name,
                                      std::string password, Actor actor, Done<Account> done) {
  if (citizen_key_.empty()) {
    return done(MakeError(ErrorCode::kForbidden, "Đăng ký tài khoản tại chỗ không được bật",
                          "Local citizen accounts are not enabled"));
  }
  if (!IsIdNumber(id_number)) {
    return done(Invalid("Số định danh cá nhân (căn cước) phải gồm 12 chữ số",
                        "The personal ID number must be 12 digits", "id_number"));
  }
  if (full_name.find_first_not_of(" \t") == std::string::npos ||
      text::CountCodePoints(full_name) > 200) {
    return done(Invalid("Họ tên phải có từ 1 đến 200 ký tự",
                        "The full name must be 1 to 200 characters", "full_name"));
  }
  if (Status st = ValidateNewPassword(id_number, password, policy_); !st.ok())
    return done(st.error());
  auto account = std::make_shared<Account>();
  account->login = LoginFor(id_number);
  account->display_name = std::move(full_name);
  account->role = Role::kCitizen;
  account->password_hash = secrets_.HashPassword(password);
  account->created_at = NowIso();
  Submit<Account>(
      unit_of_work_,
      [this, account, actor = std::move(actor)](Transaction& tx) -> Result<Account> {
        if (repository_.FindByLogin(tx, account->login)) {
          return MakeError(ErrorCode::kConflict, "Số định danh này đã có tài khoản",
                           "This ID number already has an account", "id_number");
        }
        account->id = repository_.Insert(tx, *account);
        audit_.Record(tx, actor, "account.create", AccountTarget(*account),
                      JsonObject({{"role", "citizen"}, {"via", "self-registration"}}));
        return *account;
      },
      std::move(done));
}

void IdentityService::SignIn(SignInRequest request, Actor actor,
                             std::function<void(Result<SignedIn>, int)> done) {
  request.login = LoginFor(Lower(std::move(request.login)));
  const auto now = clock_.Now();
  const std::string now_iso = ToIsoUtc(now);
  // The password is checked here, outside the unit of work (Argon2id is slow on purpose). An
  // unknown login costs the same as a known one, so timing does not reveal which logins exist.
  std::optional<Account> seen;
  if (ValidateLogin(request.login).ok() && request.password.size() <= policy_.max_password_bytes) {
    seen = repository_.ReadByLogin(request.login);
  }
  static const std::string kDummyHash = secrets_.HashPassword("motcua-no-such-account");
  const bool password_ok =
      secrets_.VerifyPassword(seen ? seen->password_hash : kDummyHash, request.password) &&
      seen.has_value();

  struct Outcome {
    std::optional<SignedIn> signed_in;
    Error error;
    int retry_after = 0;
  };
  auto outcome = std::make_shared<Outcome>();
  unit_of_work_.Submit(
      [this, request = std::move(request), actor = std::move(actor), password_ok, now, now_iso,
       outcome](Transaction& tx) -> Status {
        auto a = repository_.FindByLogin(tx, request.login);
        const auto fail = [&](std::string_view reason) {
          outcome->error = WrongCredentials();
          audit_.Record(tx, actor, "auth.sign_in_failed", a ? AccountTarget(*a) : "account/?",
                        JsonObject({{"login", a ? std::string_view(a->login)
                                                : std::string_view(Masked(request.login))},
                                    {"reason", reason}}));
        };
        if (!a) {
          fail("unknown login");
          return OkStatus();
        }
        if (a->disabled) {
          fail("account disabled");
          return OkStatus();
        }
        if (!a->locked_until.empty() && a->locked_until > now_iso) {
          outcome->retry_after = static_cast<int>(std::max<int64_t>(
              1, ParseIsoUtcSeconds(a->locked_until) -
                     std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
                         .count()));
          outcome->error =
              MakeError(ErrorCode::kTooManyRequests,
                        "Tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau " +
                            std::to_string(outcome->retry_after) + " giây",
                        "The account is locked after repeated failures; try again in " +
                            std::to_string(outcome->retry_after) + " seconds");
          audit_.Record(tx, actor, "auth.sign_in_failed", AccountTarget(*a),
                        JsonObject({{"reason", "locked"}}));
          return OkStatus();
        }
        int64_t step = 0;
        const bool totp_needed = !a->totp_secret.empty();
        const bool totp_given = !request.totp_code.empty();
        const bool totp_ok =
            !totp_needed || (totp_given && TotpMatches(a->totp_secret, request.totp_code,
                                                       a->totp_last_step, &step));
        if (password_ok && totp_needed && !totp_given) {
          // The password was right: ask for the second factor without counting a failure.
          outcome->error =
              MakeError(ErrorCode::kUnauthenticated, "Nhập mã xác thực 6 số từ ứng dụng xác thực",
                        "Enter the 6-digit code from your authenticator app", "totp_code");
          return OkStatus();
        }
        if (!password_ok || !totp_ok) {
          a->failed_attempts += 1;
          const auto lock = LockDuration(a->failed_attempts, policy_);
          if (lock.count() > 0) a->locked_until = ToIsoUtc(now + lock);
          repository_.Update(tx, *a);
          fail(password_ok ? "wrong totp code" : "wrong password");
          return OkStatus();
        }
        a->failed_attempts = 0;
        a->locked_until.clear();
        if (totp_needed) a->totp_last_step = step;
        repository_.Update(tx, *a);
        SignedIn s;
        s.token = secrets_.NewToken();
        s.csrf_token = secrets_.NewToken();
        s.expires_at = ToIsoUtc(now + policy_.session_lifetime);
        s.principal = PrincipalOf(*a);
        repository_.InsertSession(tx, Session{secrets_.TokenDigest(s.token), a->id, s.csrf_token,
                                              now_iso, s.expires_at, actor.client});
        Actor as_self = actor;
        as_self.id = AccountTarget(*a);
        as_self.role = std::string(RoleName(a->role));
        as_self.unit = a->unit;
        audit_.Record(tx, as_self, "auth.sign_in", AccountTarget(*a),
                      JsonObject({{"second_factor", totp_needed}}));
        outcome->signed_in = std::move(s);
        return OkStatus();
      },
      [outcome, done = std::move(done)](Status st) {
        if (!st.ok()) return done(st.error(), 0);
        if (outcome->signed_in) return done(std::move(*outcome->signed_in), 0);
        done(outcome->error, outcome->retry_after);
      });
}

void IdentityService::SignOut(const std::string& token, Actor actor, Done<Unit> done) {
  const std::string digest = secrets_.TokenDigest(token);
  SubmitRevoking<Unit>(
      [this, digest, actor = std::move(actor)](Transaction& tx) -> Result<Unit> {
        repository_.DeleteSession(tx, digest);
        audit_.Record(tx, actor, "auth.sign_out", actor.id, "{}");
        return Unit{};
      },
      std::move(done));
}

void IdentityService::SignOutEverywhere(const Principal& who, Actor actor, Done<Unit> done) {
  if (who.via != Principal::Via::kSession) {
    return done(Invalid("Khóa API không có phiên đăng nhập", "An API key has no sessions"));
  }
  SubmitRevoking<Unit>(
      [this, id = who.id, actor = std::move(actor)](Transaction& tx) -> Result<Unit> {
        repository_.DeleteSessionsOf(tx, id);
        audit_.Record(tx, actor, "auth.sign_out_everywhere", "account/" + std::to_string(id), "{}");
        return Unit{};
      },
      std::move(done));
}

void IdentityService::ChangePassword(const Principal& who, std::string current, std::string next,
                                     Actor actor, Done<Unit> done) {
  if (who.via != Principal::Via::kSession) {
    return done(Invalid("Khóa API không có mật khẩu", "An API key has no password"));
  }
  auto seen = repository_.ReadByLogin(who.login);
  if (!seen || seen->id != who.id) return done(NoSuchAccount(who.login));
  if (!secrets_.VerifyPassword(seen->password_hash, current)) {
    return done(MakeError(ErrorCode::kForbidden, "Mật khẩu hiện tại không đúng",
                          "The current password is wrong", "current_password"));
  }
  if (Status st = ValidateNewPassword(who.login, next, policy_); !st.ok()) {
    Error e = st.error();
    e.field = "new_password";
    return done(e);
  }
  if (next == current) {
    return done(Invalid("Mật khẩu mới phải khác mật khẩu cũ",
                        "The new password must differ from the old one", "new_password"));
  }
  auto hash = std::make_shared<std::string>(secrets_.HashPassword(next));
  SubmitRevoking<Unit>(
      [this, id = who.id, hash, actor = std::move(actor)](Transaction& tx) -> Result<Unit> {
        auto a = repository_.FindById(tx, id);
        if (!a || a->disabled) return NoSuchAccount(std::to_string(id));
        a->password_hash = *hash;
        a->must_change_password = false;
        repository_.Update(tx, *a);
        // Every session ends, this one too: the client signs in again with the new password.
        repository_.DeleteSessionsOf(tx, id);
        audit_.Record(tx, actor, "account.change_password", AccountTarget(*a), "{}");
        return Unit{};
      },
      std::move(done));
}

template <typename T, typename Change>
void IdentityService::ChangeOwnAccount(int64_t id, Actor actor, std::string action, Change change,
                                       Done<T> done) {
  Submit<T>(
      unit_of_work_,
      [this, id, actor = std::move(actor), action = std::move(action),
       change = std::move(change)](Transaction& tx) -> Result<T> {
        auto a = repository_.FindById(tx, id);
        if (!a) return NoSuchAccount(std::to_string(id));
        Result<T> result = change(*a);
        if (!result.ok()) return result;
        repository_.Update(tx, *a);
        audit_.Record(tx, actor, action, AccountTarget(*a), "{}");
        return result;
      },
      std::move(done));
}

void IdentityService::BeginTotp(const Principal& who, Actor actor, Done<TotpEnrolment> done) {
  if (who.via != Principal::Via::kSession) {
    return done(Invalid("Khóa API không dùng mã xác thực", "An API key has no second factor"));
  }
  ChangeOwnAccount<TotpEnrolment>(
      who.id, std::move(actor), "account.totp_begin",
      [secret = secrets_.RandomBytes(20)](Account& a) -> Result<TotpEnrolment> {
        if (!a.totp_secret.empty()) {
          return MakeError(ErrorCode::kConflict, "Xác thực hai lớp đã được bật",
                           "The second factor is already on");
        }
        if (a.password_hash == kNoLocalPassword) {
          return MakeError(ErrorCode::kInvalidState,
                           "Tài khoản đăng nhập qua định danh điện tử dùng xác thực của nhà cung "
                           "cấp định danh",
                           "An account signed in through the identity provider uses the "
                           "provider's authentication");
        }
        a.totp_pending = secret;
        return TotpEnrolment{secret};
      },
      std::move(done));
}

void IdentityService::ConfirmTotp(const Principal& who, std::string code, Actor actor,
                                  Done<Unit> done) {
  ChangeOwnAccount<Unit>(
      who.id, std::move(actor), "account.totp_enable",
      [this, code = std::move(code)](Account& a) -> Result<Unit> {
        if (a.totp_pending.empty()) {
          return MakeError(ErrorCode::kInvalidState, "Chưa bắt đầu đăng ký xác thực hai lớp",
                           "No second factor is being enrolled");
        }
        int64_t step = 0;
        if (!TotpMatches(a.totp_pending, code, 0, &step)) {
          return Invalid("Mã xác thực không đúng", "The code is wrong", "code");
        }
        a.totp_secret = std::move(a.totp_pending);
        a.totp_pending.clear();
        a.totp_last_step = step;
        return Unit{};
      },
      std::move(done));
}

void IdentityService::DisableTotp(const Principal& who, std::string code, Actor actor,
                                  Done<Unit> done) {
  ChangeOwnAccount<Unit>(
      who.id, std::move(actor), "account.totp_disable",
      [this, code = std::move(code)](Account& a) -> Result<Unit> {
        int64_t step = 0;
        if (a.totp_secret.empty() || !TotpMatches(a.totp_secret, code, a.totp_last_step, &step)) {
          return Invalid("Mã xác thực không đúng", "The code is wrong", "code");
        }
        a.totp_secret.clear();
        a.totp_last_step = 0;
        return Unit{};
      },
      std::move(done));
}

void IdentityService::CreateApiKey(std::string name, Role role, std::string unit,
                                   std::string secret, Actor actor, Done<NewApiKey> done) {
  if (name.empty() || name.size() > 100 || !std::all_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
      })) {
    return done(Invalid("Tên khóa phải có từ 1 đến 100 ký tự",
                        "The key name must be 1 to 100 characters", "name"));
  }
  if (role == Role::kCitizen) {
    return done(Invalid("Công dân không dùng khóa API", "Citizens do not use API keys", "role"));
  }
  if (NeedsUnit(role) && unit.empty()) {
    return done(Invalid("Khóa của cán bộ phải thuộc một đơn vị",
                        "An official's key must belong to a unit", "unit"));
  }
  auto made = std::make_shared<NewApiKey>();
  made->key.name = std::move(name);
  made->key.role = role;
  made->key.unit = std::move(unit);
  made->key.created_at = NowIso();
  if (secret.empty()) {
    secret = std::string(kApiKeyPrefix) + secrets_.NewToken();
  } else if (!secret.starts_with(kApiKeyPrefix) || secret.size() < kApiKeyPrefix.size() + 32 ||
             secret.size() > 200 ||
             secret.find_first_not_of(
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                 kApiKeyPrefix.size()) != std::string::npos) {
    return done(Invalid("Khóa phải bắt đầu bằng mck_ và có thêm ít nhất 32 ký tự A-Z a-z 0-9 - _",
                        "A key must start with mck_ followed by at least 32 of A-Z a-z 0-9 - _",
                        "secret"));
  }
  made->secret = secret;
  made->key.secret_digest = secrets_.TokenDigest(secret);
  Submit<NewApiKey>(
      unit_of_work_,
      [this, made, actor = std::move(actor)](Transaction& tx) -> Result<NewApiKey> {
        if (!made->key.unit.empty() && !repository_.UnitExists(tx, made->key.unit)) {
          return Invalid("Không có đơn vị " + made->key.unit, "No unit " + made->key.unit, "unit");
        }
        if (repository_.ApiKeyDigestExists(tx, made->key.secret_digest)) {
          return MakeError(ErrorCode::kConflict, "Khóa này đã được đăng ký",
                           "This key is already registered", "secret");
        }
        made->key.id = repository_.InsertApiKey(tx, made->key);
        audit_.Record(tx, actor, "api_key.create", "api-key/" + std::to_string(made->key.id),
                      JsonObject({{"name", std::string_view(made->key.name)},
                                  {"role", RoleName(made->key.role)},
                                  {"unit", std::string_view(made->key.unit)}}));
        return *made;
      },
      std::move(done));
}

void IdentityService::RevokeApiKey(int64_t id, Actor actor, Done<Unit> done) {
  SubmitRevoking<Unit>(
      [this, id, actor = std::move(actor)](Transaction& tx) -> Result<Unit> {
        auto key = repository_.FindApiKey(tx, id);
        if (!key) {
          return MakeError(ErrorCode::kNotFound, "Không có khóa API " + std::to_string(id),
                           "No API key " + std::to_string(id));
        }
        if (!key->revoked_at.empty()) return Unit{};
        repository_.RevokeApiKey(tx, id, NowIso());
        audit_.Record(tx, actor, "api_key.revoke", "api-key/" + std::to_string(id), "{}");
        return Unit{};
      },
      std::move(done));
}

void IdentityService::BeginExternalSignIn(PendingLogin login, Done<Unit> done) {
  login.created_at = NowIso();
  Submit<Unit>(
      unit_of_work_,
      [this, login = std::move(login)](Transaction& tx) -> Result<Unit> {
        repository_.InsertPendingLogin(tx, login);
        return Unit{};
      },
      std::move(done));
}

void IdentityService::TakeExternalSignIn(std::string state_digest, Done<PendingLogin> done) {
  const std::string oldest = ToIsoUtc(clock_.Now() - kPendingLoginLifetime);
  Submit<PendingLogin>(
      unit_of_work_,
      [this, state_digest = std::move(state_digest),
       oldest](Transaction& tx) -> Result<PendingLogin> {
        auto login = repository_.TakePendingLogin(tx, state_digest, oldest);
        if (!login) {
          return MakeError(
              ErrorCode::kUnauthenticated,
              "Phiên đăng nhập qua nhà cung cấp định danh đã hết hạn hoặc không hợp lệ; hãy đăng "
              "nhập lại",
              "The sign-in through the identity provider expired or is not valid; sign in again",
              "state");
        }
        return *login;
      },
      std::move(done));
}

void IdentityService::SignInExternal(ExternalIdentity who, Actor actor, Done<SignedIn> done) {
  if (who.issuer.empty() || who.subject.empty() || who.subject.size() > 255) {
    return done(MakeError(ErrorCode::kUnauthenticated, "Thông tin định danh không hợp lệ",
                          "The identity is not valid"));
  }
  if (who.display_name.empty()) who.display_name = "Công dân";
  if (who.display_name.size() > 200) who.display_name.resize(200);
  const auto now = clock_.Now();
  auto signed_in = std::make_shared<SignedIn>();
  signed_in->token = secrets_.NewToken();
  signed_in->csrf_token = secrets_.NewToken();
  signed_in->expires_at = ToIsoUtc(now + policy_.session_lifetime);
  // The account's login: derived from the provider and subject, never the subject itself (a
  // national identity number may be the subject).
  const std::string login =
      "oidc." + secrets_.TokenDigest(who.issuer + "\n" + who.subject).substr(0, 20);
  Submit<SignedIn>(
      unit_of_work_,
      [this, who = std::move(who), actor = std::move(actor), signed_in, login,
       now](Transaction& tx) -> Result<SignedIn> {
        std::optional<Account> account;
        if (auto id = repository_.FindExternalIdentity(tx, who.issuer, who.subject)) {
          account = repository_.FindById(tx, *id);
        }
        if (!account) {
          Account a;
          a.login = login;
          a.display_name = who.display_name;
          a.role = Role::kCitizen;
          a.password_hash = std::string(kNoLocalPassword);
          a.created_at = ToIsoUtc(now);
          a.id = repository_.Insert(tx, a);
          repository_.LinkExternalIdentity(tx, who.issuer, who.subject, a.id, a.created_at);
          audit_.Record(
              tx, actor, "account.create", AccountTarget(a),
              JsonObject({{"role", RoleName(a.role)}, {"provider", std::string_view(who.issuer)}}));
          account = a;
        }
        if (account->disabled) {
          return MakeError(ErrorCode::kForbidden, "Tài khoản đã bị khóa",
                           "The account is disabled");
        }
        repository_.InsertSession(
            tx, Session{secrets_.TokenDigest(signed_in->token), account->id, signed_in->csrf_token,
                        ToIsoUtc(now), signed_in->expires_at, who.client});
        signed_in->principal = PrincipalOf(*account);
        Actor as_self = actor;
        as_self.id = AccountTarget(*account);
        as_self.role = std::string(RoleName(account->role));
        audit_.Record(tx, as_self, "auth.sign_in", AccountTarget(*account),
                      JsonObject({{"provider", std::string_view(who.issuer)}}));
        return *signed_in;
      },
      std::move(done));
}

template <typename T, typename Work>
void IdentityService::SubmitRevoking(Work work, Done<T> done) {
  // Before: a lookup already under way is not cached. After the commit: nothing read before
  // it stays cached.
  credentials_generation_.fetch_add(1);
  Submit<T>(unit_of_work_, std::move(work), [this, done = std::move(done)](Result<T> r) {
    credentials_generation_.fetch_add(1);
    done(std::move(r));
  });
}

std::optional<Authenticated> IdentityService::CachedAuthentication(std::string_view credential) {
  if (credential.empty() || credential.size() > 200) return std::nullopt;
  return CachedByDigest(secrets_.TokenDigest(credential), clock_.Now());
}

std::optional<Authenticated> IdentityService::CachedByDigest(
    const std::string& digest, std::chrono::system_clock::time_point now) {
  std::lock_guard lock(cache_mutex_);
  auto it = cache_.find(digest);
  if (it == cache_.end()) return std::nullopt;
  if (it->second.generation == credentials_generation_.load() && it->second.until > now &&
      (it->second.who.expires_at.empty() || it->second.who.expires_at > ToIsoUtc(now))) {
    return it->second.who;
  }
  cache_.erase(it);
  return std::nullopt;
}

std::optional<Authenticated> IdentityService::Authenticate(std::string_view credential) {
  if (credential.empty() || credential.size() > 200) return std::nullopt;
  // Read before the cache is consulted: an entry stored from this lookup is stamped with the
  // generation it was read under.
  const uint64_t generation = credentials_generation_.load();
  const auto now_point = clock_.Now();
  const std::string digest = secrets_.TokenDigest(credential);
  if (auto cached = CachedByDigest(digest, now_point)) return cached;
  auto found = LookUpCredential(credential, digest);
  if (found && policy_.credential_cache.count() > 0) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= 10000) cache_.clear();  // bounded; refilled by the next lookups
    cache_[digest] = CachedCredential{*found, generation, now_point + policy_.credential_cache};
  }
  return found;
}

std::optional<Authenticated> IdentityService::LookUpCredential(std::string_view credential,
                                                               const std::string& digest) {
  const std::string now = NowIso();
  if (credential.starts_with(kApiKeyPrefix)) {
    // Found by the digest of the whole key: the database compares digests, never the secret.
    auto key = repository_.ReadApiKeyByDigest(digest);
    if (!key || !key->revoked_at.empty()) return std::nullopt;
    Authenticated a;
    a.principal.id = key->id;
    a.principal.login = key->name;
    a.principal.role = key->role;
    a.principal.unit = key->unit;
    a.principal.via = Principal::Via::kApiKey;
    return a;
  }
  auto found = repository_.ReadSession(digest);
  if (!found) return std::nullopt;
  const auto& [session, account] = *found;
  if (session.expires_at <= now || account.disabled) return std::nullopt;
  return Authenticated{PrincipalOf(account), session.csrf_token, session.expires_at};
}

}  // namespace motcua::identity
