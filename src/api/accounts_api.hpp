#pragma once
// Account and API key management for administrators:
//   GET  /api/v1/accounts                       list
//   POST /api/v1/accounts                       create (an initial password is generated unless
//   given) POST /api/v1/accounts/{login}/disable|enable|reset-password GET  /api/v1/api-keys, POST
//   /api/v1/api-keys, DELETE /api/v1/api-keys/{id}
// Thread-safe; borrows the service.

#include "domain/identity/identity_service.hpp"
#include "http/router.hpp"

namespace motcua::api {

class AccountsApi {
 public:
  explicit AccountsApi(identity::IdentityService& identity) : identity_(identity) {}
  http::Response List(const http::Request& request) const;
  void Create(const http::Request& request, http::Respond respond) const;
  void Disable(const http::Request& request, http::Respond respond) const;
  void Enable(const http::Request& request, http::Respond respond) const;
  void ResetPassword(const http::Request& request, http::Respond respond) const;
  http::Response ListApiKeys(const http::Request& request) const;
  void CreateApiKey(const http::Request& request, http::Respond respond) const;
  void RevokeApiKey(const http::Request& request, http::Respond respond) const;

 private:
  void SetDisabled(const http::Request& request, http::Respond respond, bool disabled) const;
  identity::IdentityService& identity_;
};

}  // namespace motcua::api
