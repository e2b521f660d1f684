#pragma once
// Citizens' sign-in through an OpenID Connect provider (the national digital identity offers one
// to provinces; the provider is configuration): the authorization code flow with PKCE (S256),
// state and nonce, the ID token's RS256 signature checked against the provider's JWKS and its
// claims (iss, aud, azp, exp, iat, nonce) checked against what this server sent.
//   GET /api/v1/auth/oidc/start?return=/tai-khoan   302 to the provider
//   GET /api/v1/auth/oidc/callback?code=..&state=..  302 back to `return`, signed in (cookie)
// Both talk to the provider over HTTPS (platform/http_client) and so run on workers.
// Thread-safe; borrows the service and the clock.

#include <map>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "domain/identity/identity_service.hpp"
#include "http/router.hpp"

namespace motcua::api {

struct OidcSettings {
  std::string issuer;  // empty: OpenID sign-in is off
  std::string client_id;
  std::string client_secret;  // sent with HTTP basic authentication to the token endpoint
  std::string redirect_uri;   // this server's callback URL as the provider knows it
  std::string scopes = "openid profile";
};

class OidcApi {
 public:
  OidcApi(identity::IdentityService& identity, const Clock& clock, OidcSettings settings,
          bool secure_cookies)
      : identity_(identity),
        clock_(clock),
        settings_(std::move(settings)),
        secure_cookies_(secure_cookies) {}

  bool enabled() const { return !settings_.issuer.empty(); }
  void Start(const http::Request& request, http::Respond respond);
  void Callback(const http::Request& request, http::Respond respond);

 private:
  struct RsaKey {
    std::string modulus, exponent;  // raw bytes
  };
  struct Provider {
    std::string authorization_endpoint, token_endpoint, jwks_uri;
    std::map<std::string, RsaKey> keys;  // by kid
  };
  // The provider's metadata and keys, fetched once and kept; `refresh_keys` fetches the JWKS
  // again (a key id we do not know: the provider rotated its keys).
  Result<Provider> Discover(bool refresh_keys);
  // The verified claims of an ID token: {subject, name}; the error says what was wrong.
  Result<std::pair<std::string, std::string>> VerifyIdToken(const std::string& token,
                                                            const std::string& nonce);

  identity::IdentityService& identity_;
  const Clock& clock_;
  const OidcSettings settings_;
  const bool secure_cookies_;
  std::mutex mutex_;
  std::optional<Provider> provider_;
};

}  // namespace motcua::api
