#pragma once
// Accounts, sessions and API keys in the database (tables accounts, sessions, api_keys).
// Thread-safe; borrows the Database.

#include "domain/identity/account.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

class SqlAccountRepository final : public identity::AccountRepository {
 public:
  explicit SqlAccountRepository(Database& db) : db_(db) {}
  std::optional<identity::Account> FindByLogin(Transaction& tx, std::string_view login) override;
  std::optional<identity::Account> FindById(Transaction& tx, int64_t id) override;
  bool UnitExists(Transaction& tx, std::string_view unit_code) override;
  int64_t Insert(Transaction& tx, const identity::Account& account) override;
  void Update(Transaction& tx, const identity::Account& account) override;
  void InsertSession(Transaction& tx, const identity::Session& session) override;
  void DeleteSession(Transaction& tx, std::string_view token_digest) override;
  void DeleteSessionsOf(Transaction& tx, int64_t account_id) override;
  int64_t InsertApiKey(Transaction& tx, const identity::ApiKey& key) override;
  std::optional<identity::ApiKey> FindApiKey(Transaction& tx, int64_t id) override;
  bool ApiKeyDigestExists(Transaction& tx, std::string_view secret_digest) override;
  void RevokeApiKey(Transaction& tx, int64_t id, std::string_view at) override;
  void InsertPendingLogin(Transaction& tx, const identity::PendingLogin& login) override;
  std::optional<identity::PendingLogin> TakePendingLogin(Transaction& tx,
                                                         std::string_view state_digest,
                                                         std::string_view older_than) override;
  std::optional<int64_t> FindExternalIdentity(Transaction& tx, std::string_view issuer,
                                              std::string_view subject) override;
  void LinkExternalIdentity(Transaction& tx, std::string_view issuer, std::string_view subject,
                            int64_t account_id, std::string_view at) override;
  std::optional<identity::Account> ReadByLogin(std::string_view login) override;
  std::optional<std::pair<identity::Session, identity::Account>> ReadSession(
      std::string_view token_digest) override;
  std::optional<identity::ApiKey> ReadApiKeyByDigest(std::string_view secret_digest) override;
  std::vector<identity::Account> ListAccounts() override;
  std::vector<identity::ApiKey> ListApiKeys() override;
  // Removes sessions that expired before `now` (ISO 8601 UTC); returns how many.
  int64_t DeleteExpiredSessions(Transaction& tx, std::string_view now);

 private:
  Database& db_;
};

}  // namespace motcua::storage
