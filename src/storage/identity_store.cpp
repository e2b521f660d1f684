#include "storage/identity_store.hpp"

#include "platform/secrets.hpp"

namespace motcua::storage {
namespace {

using identity::Account;
using identity::ApiKey;
using identity::Session;

constexpr std::string_view kAccountColumns =
    "a.id, a.login, a.display_name, a.role, a.unit_code, a.password_hash, "
    "a.must_change_password, a.disabled, a.totp_secret, a.totp_pending, a.totp_last_step, "
    "a.failed_attempts, a.locked_until, a.created_at";
constexpr size_t kAccountColumnCount = 14;

Role RoleFromColumn(const std::string& name) {
  const auto role = ParseRole(name);
  if (!role) throw DatabaseError("unknown role in the database: " + name);
  return *role;
}

// Secrets are raw bytes in the domain and base32 text in the database.
std::string SecretFromColumn(const std::string& text) {
  return secrets::FromBase32(text).value_or(std::string());
}

Account AccountFrom(const Row& r, size_t at = 0) {
  Account a;
  a.id = r.Int(at + 0);
  a.login = r.Text(at + 1);
  a.display_name = r.Text(at + 2);
  a.role = RoleFromColumn(r.Text(at + 3));
  a.unit = r.OptionalText(at + 4).value_or("");
  a.password_hash = r.Text(at + 5);
  a.must_change_password = r.Int(at + 6) != 0;
  a.disabled = r.Int(at + 7) != 0;
  a.totp_secret = SecretFromColumn(r.Text(at + 8));
  a.totp_pending = SecretFromColumn(r.Text(at + 9));
  a.totp_last_step = r.Int(at + 10);
  a.failed_attempts = static_cast<int>(r.Int(at + 11));
  a.locked_until = r.Text(at + 12);
  a.created_at = r.Text(at + 13);
  return a;
}

constexpr std::string_view kApiKeyColumns =
    "id, name, role, unit_code, secret_digest, created_at, revoked_at";

ApiKey ApiKeyFrom(const Row& r) {
  return ApiKey{
      r.Int(0),  r.Text(1), RoleFromColumn(r.Text(2)), r.OptionalText(3).value_or(""), r.Text(4),
      r.Text(5), r.Text(6)};
}

Value UnitValue(const std::string& unit) {
  if (unit.empty()) return std::monostate{};
  return unit;
}

std::optional<Account> FindAccount(Tx& tx, std::string_view where, const Value& key) {
  const Value params[] = {key};
  auto rows = tx.Query(
      "SELECT " + std::string(kAccountColumns) + " FROM accounts a WHERE " + std::string(where),
      params);
  if (rows.empty()) return std::nullopt;
  return AccountFrom(rows[0]);
}

}  // namespace

std::optional<Account> SqlAccountRepository::FindByLogin(Transaction& tx, std::string_view login) {
  return FindAccount(AsTx(tx), "a.login = $1", std::string(login));
}

std::optional<Account> SqlAccountRepository::FindById(Transaction& tx, int64_t id) {
  return FindAccount(AsTx(tx), "a.id = $1", id);
}

bool SqlAccountRepository::UnitExists(Transaction& tx, std::string_view unit_code) {
  const Value params[] = {std::string(unit_code)};
  return !AsTx(tx).Query("SELECT 1 FROM units WHERE code = $1", params).empty();
}

int64_t SqlAccountRepository::Insert(Transaction& tx, const Account& a) {
  const Value params[] = {a.login,
                          a.display_name,
                          std::string(RoleName(a.role)),
                          UnitValue(a.unit),
                          a.password_hash,
                          int64_t{a.must_change_password},
                          int64_t{a.disabled},
                          a.created_at};
  return AsTx(tx)
      .Query(
          "INSERT INTO accounts (login, display_name, role, unit_code, password_hash, "
          "must_change_password, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
          "RETURNING id",
          params)
      .at(0)
      .Int(0);
}

void SqlAccountRepository::Update(Transaction& tx, const Account& a) {
  const Value params[] = {a.id,
                          a.display_name,
                          std::string(RoleName(a.role)),
                          UnitValue(a.unit),
                          a.password_hash,
                          int64_t{a.must_change_password},
                          int64_t{a.disabled},
                          secrets::Base32(a.totp_secret),
                          secrets::Base32(a.totp_pending),
                          a.totp_last_step,
                          int64_t{a.failed_attempts},
                          a.locked_until};
  AsTx(tx).Execute(
      "UPDATE accounts SET display_name = $2, role = $3, unit_code = $4, password_hash = $5, "
      "must_change_password = $6, disabled = $7, totp_secret = $8, totp_pending = $9, "
      "totp_last_step = $10, failed_attempts = $11, locked_until = $12 WHERE id = $1",
      params);
}

void SqlAccountRepository::InsertSession(Transaction& tx, const Session& s) {
  const Value params[] = {s.token_digest, s.account_id, s.csrf_token,
                          s.created_at,   s.expires_at, s.client};
  AsTx(tx).Execute(
      "INSERT INTO sessions (token_digest, account_id, csrf_token, created_at, expires_at, client) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      params);
}

void SqlAccountRepository::DeleteSession(Transaction& tx, std::string_view token_digest) {
  const Value params[] = {std::string(token_digest)};
  AsTx(tx).Execute("DELETE FROM sessions WHERE token_digest = $1", params);
}

void SqlAccountRepository::DeleteSessionsOf(Transaction& tx, int64_t account_id) {
  const Value params[] = {account_id};
  AsTx(tx).Execute("DELETE FROM sessions WHERE account_id = $1", params);
}

int64_t SqlAccountRepository::InsertApiKey(Transaction& tx, const ApiKey& k) {
  const Value params[] = {k.name, std::string(RoleName(k.role)), UnitValue(k.unit), k.secret_digest,
                          k.created_at};
  return AsTx(tx)
      .Query(
          "INSERT INTO api_keys (name, role, unit_code, secret_digest, created_at) "
          "VALUES ($1, $2, $3, $4, $5) RETURNING id",
          params)
      .at(0)
      .Int(0);
}

std::optional<ApiKey> SqlAccountRepository::FindApiKey(Transaction& tx, int64_t id) {
  const Value params[] = {id};
  auto rows = AsTx(tx).Query(
      "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys WHERE id = $1", params);
  if (rows.empty()) return std::nullopt;
  return ApiKeyFrom(rows[0]);
}

void SqlAccountRepository::RevokeApiKey(Transaction& tx, int64_t id, std::string_view at) {
  const Value params[] = {id, std::string(at)};
  AsTx(tx).Execute("UPDATE api_keys SET revoked_at = $2 WHERE id = $1", params);
}

void SqlAccountRepository::InsertPendingLogin(Transaction& tx, const identity::PendingLogin& l) {
  const Value params[] = {l.state_digest, l.nonce,          l.code_verifier,
                          l.return_to,    l.browser_digest, l.created_at};
  AsTx(tx).Execute(
      "INSERT INTO oidc_logins (state_digest, nonce, code_verifier, return_to, browser_digest, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      params);
}

std::optional<identity::PendingLogin> SqlAccountRepository::TakePendingLogin(
    Transaction& tx, std::string_view state_digest, std::string_view older_than) {
  const Value stale[] = {std::string(older_than)};
  AsTx(tx).Execute("DELETE FROM oidc_logins WHERE created_at < $1", stale);
  const Value params[] = {std::string(state_digest)};
  auto rows = AsTx(tx).Query(
      "DELETE FROM oidc_logins WHERE state_digest = $1 "
      "RETURNING state_digest, nonce, code_verifier, return_to, browser_digest, created_at",
      params);
  if (rows.empty()) return std::nullopt;
  const Row& r = rows[0];
  return identity::PendingLogin{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
}

std::optional<int64_t> SqlAccountRepository::FindExternalIdentity(Transaction& tx,
                                                                  std::string_view issuer,
                                                                  std::string_view subject) {
  const Value params[] = {std::string(issuer), std::string(subject)};
  auto rows = AsTx(tx).Query(
      "SELECT account_id FROM external_identities WHERE issuer = $1 AND subject = $2", params);
  if (rows.empty()) return std::nullopt;
  return rows[0].Int(0);
}

void SqlAccountRepository::LinkExternalIdentity(Transaction& tx, std::string_view issuer,
                                                std::string_view subject, int64_t account_id,
                                                std::string_view at) {
  const Value params[] = {std::string(issuer), std::string(subject), account_id, std::string(at)};
  AsTx(tx).Execute(
      "INSERT INTO external_identities (issuer, subject, account_id, created_at) "
      "VALUES ($1, $2, $3, $4)",
      params);
}

std::optional<Account> SqlAccountRepository::ReadByLogin(std::string_view login) {
  return ReadTransaction(
      db_, [&](Tx& tx) { return FindAccount(tx, "a.login = $1", std::string(login)); });
}

std::optional<std::pair<Session, Account>> SqlAccountRepository::ReadSession(
    std::string_view token_digest) {
  return ReadTransaction(db_, [&](Tx& tx) -> std::optional<std::pair<Session, Account>> {
    const Value params[] = {std::string(token_digest)};
    auto rows = tx.Query("SELECT " + std::string(kAccountColumns) +
                             ", s.token_digest, s.csrf_token, s.created_at, s.expires_at, s.client "
                             "FROM sessions s JOIN accounts a ON a.id = s.account_id "
                             "WHERE s.token_digest = $1",
                         params);
    if (rows.empty()) return std::nullopt;
    const Row& r = rows[0];
    Account a = AccountFrom(r);
    constexpr size_t k = kAccountColumnCount;
    Session s{r.Text(k), a.id, r.Text(k + 1), r.Text(k + 2), r.Text(k + 3), r.Text(k + 4)};
    return std::make_pair(std::move(s), std::move(a));
  });
}

bool SqlAccountRepository::ApiKeyDigestExists(Transaction& tx, std::string_view secret_digest) {
  const Value params[] = {std::string(secret_digest)};
  return !AsTx(tx).Query("SELECT 1 FROM api_keys WHERE secret_digest = $1", params).empty();
}

std::optional<ApiKey> SqlAccountRepository::ReadApiKeyByDigest(std::string_view secret_digest) {
  return ReadTransaction(db_, [&](Tx& tx) -> std::optional<ApiKey> {
    const Value params[] = {std::string(secret_digest)};
    auto rows = tx.Query(
        "SELECT " + std::string(kApiKeyColumns) + " FROM api_keys WHERE secret_digest = $1",
        params);
    if (rows.empty()) return std::nullopt;
    return ApiKeyFrom(rows[0]);
  });
}

std::vector<Account> SqlAccountRepository::ListAccounts() {
  return ReadTransaction(db_, [&](Tx& tx) {
    std::vector<Account> out;
    for (const Row& r :
         tx.Query("SELECT " + std::string(kAccountColumns) + " FROM accounts a ORDER BY a.login")) {
      out.push_back(AccountFrom(r));
    }
    return out;
  });
}

std::vector<ApiKey> SqlAccountRepository::ListApiKeys() {
  return ReadTransaction(db_, [&](Tx& tx) {
    std::vector<ApiKey> out;
    for (const Row& r :
         tx.Query("SELECT " + std::string(kApiKeyColumns) + " FROM api_keys ORDER BY id")) {
      out.push_back(ApiKeyFrom(r));
    }
    return out;
  });
}

int64_t SqlAccountRepository::DeleteExpiredSessions(Transaction& tx, std::string_view now) {
  const Value params[] = {std::string(now)};
  return AsTx(tx).Execute("DELETE FROM sessions WHERE expires_at <= $1", params);
}

}  // namespace motcua::storage
