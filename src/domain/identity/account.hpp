#pragma once
// Accounts, sessions and API keys: the records identity keeps, and the repository that stores
// them (storage/identity_store implements it on both databases).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.hpp"
#include "core/unit_of_work.hpp"

namespace motcua::identity {

struct Account {
  int64_t id = 0;
  std::string login;  // lower case; unique
  std::string display_name;
  Role role = Role::kCitizen;
  std::string unit;           // officials: their unit's code; empty otherwise
  std::string password_hash;  // Argon2id, encoded
  bool must_change_password = false;
  bool disabled = false;
  std::string totp_secret;     // raw bytes; empty while the second factor is off
  std::string totp_pending;    // raw bytes of a secret being enrolled, not yet confirmed
  int64_t totp_last_step = 0;  // the last accepted time step (a code is never accepted twice)
  int failed_attempts = 0;     // consecutive failed sign-ins
  std::string locked_until;    // ISO 8601 UTC; empty when not locked
  std::string created_at;
};

// A signed-in browser or client. Only the token's digest is stored.
struct Session {
  std::string token_digest;
  int64_t account_id = 0;
  std::string csrf_token;  // echoed in X-CSRF-Token by cookie-authenticated writes
  std::string created_at;
  std::string expires_at;
  std::string client;
};

// A credential for a machine client ("mck_" and 43 random characters); only its digest is
// stored, and it is found by that digest.
struct ApiKey {
  int64_t id = 0;
  std::string name;
  Role role = Role::kAgent;
  std::string unit;
  std::string secret_digest;
  std::string created_at;
  std::string revoked_at;  // empty while valid
};

// A sign-in through an OpenID provider between the redirect to the provider and its callback.
struct PendingLogin {
  std::string state_digest;  // of the `state` parameter (the state itself is not stored)
  std::string nonce;
  std::string code_verifier;  // PKCE
  std::string return_to;      // a path of this site
  // Digest of the random value in the browser's short-lived cookie: the callback must come from
  // the browser that started the sign-in (else an attacker's finished sign-in could be opened
  // by a victim, who would be signed in as the attacker).
  std::string browser_digest;
  std::string created_at;
};

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // Inside a unit of work.
  virtual std::optional<Account> FindByLogin(Transaction& tx, std::string_view login) = 0;
  virtual std::optional<Account> FindById(Transaction& tx, int64_t id) = 0;
  virtual bool UnitExists(Transaction& tx, std::string_view unit_code) = 0;
  virtual int64_t Insert(Transaction& tx, const Account& account) = 0;
  virtual void Update(Transaction& tx, const Account& account) = 0;
  virtual void InsertSession(Transaction& tx, const Session& session) = 0;
  virtual void DeleteSession(Transaction& tx, std::string_view token_digest) = 0;
  virtual void DeleteSessionsOf(Transaction& tx, int64_t account_id) = 0;
  virtual int64_t InsertApiKey(Transaction& tx, const ApiKey& key) = 0;
  virtual std::optional<ApiKey> FindApiKey(Transaction& tx, int64_t id) = 0;
  virtual bool ApiKeyDigestExists(Transaction& tx, std::string_view secret_digest) = 0;
  virtual void RevokeApiKey(Transaction& tx, int64_t id, std::string_view at) = 0;
  virtual void InsertPendingLogin(Transaction& tx, const PendingLogin& login) = 0;
  // Removes and returns it (a state is good for one callback); also drops those older than
  // `older_than` (ISO 8601 UTC).
  virtual std::optional<PendingLogin> TakePendingLogin(Transaction& tx,
                                                       std::string_view state_digest,
                                                       std::string_view older_than) = 0;
  virtual std::optional<int64_t> FindExternalIdentity(Transaction& tx, std::string_view issuer,
                                                      std::string_view subject) = 0;
  virtual void LinkExternalIdentity(Transaction& tx, std::string_view issuer,
                                    std::string_view subject, int64_t account_id,
                                    std::string_view at) = 0;
  // Reads of their own (a read transaction each).
  virtual std::optional<Account> ReadByLogin(std::string_view login) = 0;
  virtual std::optional<std::pair<Session, Account>> ReadSession(std::string_view token_digest) = 0;
  virtual std::optional<ApiKey> ReadApiKeyByDigest(std::string_view secret_digest) = 0;
  virtual std::vector<Account> ListAccounts() = 0;
  virtual std::vector<ApiKey> ListApiKeys() = 0;
};

}  // namespace motcua::identity
