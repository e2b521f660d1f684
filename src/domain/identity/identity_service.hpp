#pragma once
// Identity: accounts, sign-in with lockout and an optional TOTP second factor, sessions, API
// keys. Every change is one unit of work with its audit record (sign-in failures included), so
// nothing about who may act is changed without a trace.
//
// Password hashing is deliberately slow (Argon2id): the methods that verify or hash a password
// run it on the calling thread before submitting their unit of work, never inside it (the
// group committer's thread must not wait on it). Call them from a worker thread, not an event
// loop. `done` runs on another thread, or at once when the request is refused before any work.
// Thread-safe; borrows everything.

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"
#include "core/secrets.hpp"
#include "core/unit_of_work.hpp"
#include "domain/identity/account.hpp"
#include "domain/identity/policy.hpp"

namespace motcua::identity {

struct NewAccount {
  std::string login;
  std::string display_name;
  Role role = Role::kCitizen;
  std::string unit;
  std::string password;  // empty: an initial password is generated, to be changed at first sign-in
};

struct CreatedAccount {
  Account account;
  std::string initial_password;  // set when one was generated: shown once, to the administrator
};

struct SignInRequest {
  std::string login;
  std::string password;
  std::string totp_code;  // required when the account has a second factor
  std::string client;     // client address, kept with the session
};

struct SignedIn {
  std::string token;  // the session token: the cookie's value or a bearer token; shown once
  std::string csrf_token;
  std::string expires_at;
  Principal principal;
};

// The refusal of a sign-in: the error and, when the account is locked, when to try again.
struct SignInRefusal {
  Error error;
  int retry_after_seconds = 0;
};

struct Authenticated {
  Principal principal;
  std::string csrf_token;  // sessions only
  std::string expires_at;  // sessions only
};

struct TotpEnrolment {
  std::string secret;  // raw bytes: the API shows them in base32 and as an otpauth:// URI
};

struct NewApiKey {
  ApiKey key;
  std::string secret;  // "mck_<random>": shown once
};

inline constexpr std::string_view kApiKeyPrefix = "mck_";

// Who an OpenID provider says signed in (claims already verified by the api layer).
struct ExternalIdentity {
  std::string issuer;
  std::string subject;
  std::string display_name;
  std::string client;  // client address, kept with the session
};

template <typename T>
using Done = std::function<void(Result<T>)>;

class IdentityService {
 public:
  // `citizen_key`: the secret that turns an ID number into a citizen's login (a keyed hash, so a
  // database dump does not reveal ID numbers); empty turns local citizen accounts off.
  IdentityService(AccountRepository& repository, UnitOfWork& unit_of_work, AuditTrail& audit,
                  Secrets& secrets, const Clock& clock, Policy policy = {},
                  std::string citizen_key = {})
      : repository_(repository),
        unit_of_work_(unit_of_work),
        audit_(audit),
        secrets_(secrets),
        clock_(clock),
        policy_(policy),
        citizen_key_(std::move(citizen_key)) {}

  const Policy& policy() const { return policy_; }

  // Accounts (administrators; the first one from the command line).
  void CreateAccount(NewAccount request, Actor actor, Done<CreatedAccount> done);
  // A new generated initial password, unlocks, ends every session of the account.
  void ResetPassword(std::string login, Actor actor, Done<std::string> done);
  // Disabling ends every session of the account at once.
  void SetDisabled(std::string login, bool disabled, Actor actor, Done<Account> done);
  std::vector<Account> ListAccounts() { return repository_.ListAccounts(); }

  // Local citizen accounts (stand-alone installations without an OpenID provider): a citizen
  // registers with the 12-digit ID number, a name and a password, and signs in with the ID
  // number. The ID number is stored only as a keyed hash (the account's login).
  bool citizen_local_accounts() const { return !citizen_key_.empty(); }
  void RegisterCitizen(std::string id_number, std::string full_name, std::string password,
                       Actor actor, Done<Account> done);
  // The login of the citizen with this ID number; the login itself for anything else.
  std::string LoginFor(std::string_view login_or_id_number);

  // Sign-in: lockout after repeated failures, the second factor when enrolled, a new session.
  // Every attempt is audited. The refusal for a wrong login and for a wrong password is the same.
  void SignIn(SignInRequest request, Actor actor,
              std::function<void(Result<SignedIn>, int retry_after_seconds)> done);
  void SignOut(const std::string& token, Actor actor, Done<Unit> done);
  void SignOutEverywhere(const Principal& who, Actor actor, Done<Unit> done);
  // The current password is required, also after a reset; ends the account's other sessions.
  void ChangePassword(const Principal& who, std::string current, std::string next, Actor actor,
                      Done<Unit> done);

  // TOTP: Begin makes a secret to show (pending); Confirm turns it on once a code from the
  // authenticator app matches; Disable needs a current code.
  void BeginTotp(const Principal& who, Actor actor, Done<TotpEnrolment> done);
  void ConfirmTotp(const Principal& who, std::string code, Actor actor, Done<Unit> done);
  void DisableTotp(const Principal& who, std::string code, Actor actor, Done<Unit> done);

  // API keys for machine clients. `secret` empty: a new random one; otherwise the operator's
  // own (from a secret store: "mck_" and at least 32 more characters of A-Z a-z 0-9 - _).
  void CreateApiKey(std::string name, Role role, std::string unit, std::string secret, Actor actor,
                    Done<NewApiKey> done);
  void RevokeApiKey(int64_t id, Actor actor, Done<Unit> done);
  std::vector<ApiKey> ListApiKeys() { return repository_.ListApiKeys(); }

  // Sign-in through an OpenID provider (the protocol itself is the api layer's): a pending
  // login is kept between the redirect and the callback and taken back once, within
  // `kPendingLoginLifetime`; the citizen whose subject it is gets a session, and an account of
  // their own at the first sign-in (no password: it cannot be used for a local sign-in).
  static constexpr std::chrono::seconds kPendingLoginLifetime{600};
  void BeginExternalSignIn(PendingLogin login, Done<Unit> done);
  void TakeExternalSignIn(std::string state_digest, Done<PendingLogin> done);
  void SignInExternal(ExternalIdentity who, Actor actor, Done<SignedIn> done);

  // Who a credential (session token or API key) belongs to, if it is valid now. A read, kept
  // for `Policy::credential_cache`: a sign-out, password change, reset, disabling or key
  // revocation made through this instance takes effect at once; made through another instance
  // sharing the database, within that time.
  std::optional<Authenticated> Authenticate(std::string_view credential);
  // Authenticate's answer when it is in the cache (no database read); nullopt otherwise.
  std::optional<Authenticated> CachedAuthentication(std::string_view credential);

 private:
  // True when `code` is a valid TOTP code for `secret` now (±1 step) and newer than
  // `last_step`; sets `*step` to the step it matched.
  bool TotpMatches(const std::string& secret, std::string_view code, int64_t last_step,
                   int64_t* step);
  std::string GeneratedPassword();
  std::optional<Authenticated> CachedByDigest(const std::string& digest,
                                              std::chrono::system_clock::time_point now);
  std::optional<Authenticated> LookUpCredential(std::string_view credential,
                                                const std::string& digest);
  // One unit of work on the caller's own account: `change` edits it (or refuses), then it is
  // stored and `action` audited.
  template <typename T, typename Change>
  void ChangeOwnAccount(int64_t id, Actor actor, std::string action, Change change, Done<T> done);
  // Submit for a change that ends sessions or keys: cached credentials are forgotten.
  template <typename T, typename Work>
  void SubmitRevoking(Work work, Done<T> done);
  std::string NowIso() const { return ToIsoUtc(clock_.Now()); }

  AccountRepository& repository_;
  UnitOfWork& unit_of_work_;
  AuditTrail& audit_;
  Secrets& secrets_;
  const Clock& clock_;
  Policy policy_;
  const std::string citizen_key_;

  struct CachedCredential {
    Authenticated who;
    uint64_t generation;
    std::chrono::system_clock::time_point until;
  };
  std::atomic<uint64_t> credentials_generation_{0};
  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedCredential> cache_;  // by credential digest
};

// A chip ID card number (căn cước): 12 digits.
bool IsIdNumber(std::string_view s);

}  // namespace motcua::identity
