#pragma once
// Signing in and out, the current identity, password change and the TOTP second factor:
//   POST /api/v1/auth/sign-in            public; rate-limited per client; sets the session cookie
//   POST /api/v1/auth/sign-out           ends this session
//   POST /api/v1/auth/sign-out-everywhere ends every session of the account
//   GET  /api/v1/auth/me                 who is signed in, and the CSRF token for writes
//   POST /api/v1/auth/password           change the password (also the forced first change)
//   POST /api/v1/auth/totp[/confirm|/disable]  enrol, confirm, turn off the second factor
// The handlers that hash or verify a password run on a worker (Argon2id is slow on purpose) and
// answer after their unit of work is durable. Thread-safe; borrows the service and the clock.

#include "core/clock.hpp"
#include "core/rate_limiter.hpp"
#include "domain/identity/identity_service.hpp"
#include "http/router.hpp"

namespace motcua::api {

class AuthApi {
 public:
  // `sign_in_burst`: failed sign-ins one client address may make at once before it must wait
  // (one more every 6 seconds). Successful sign-ins do not count: the officials of a whole
  // centre behind one address sign in at opening time.
  AuthApi(identity::IdentityService& identity, bool secure_cookies, int sign_in_burst)
      : identity_(identity),
        secure_cookies_(secure_cookies),
        sign_in_limiter_(1.0 / 6, sign_in_burst) {}

  void SignIn(const http::Request& request, http::Respond respond);
  // POST /api/v1/auth/register: a local citizen account (when enabled); rate-limited per address.
  void Register(const http::Request& request, http::Respond respond);
  void SignOut(const http::Request& request, http::Respond respond) const;
  void SignOutEverywhere(const http::Request& request, http::Respond respond) const;
  http::Response Me(const http::Request& request) const;
  // GET /api/v1/auth/methods: which ways of signing in this installation offers (for the pages).
  http::Response Methods(const http::Request& request, bool provider_sign_in) const;
  void ChangePassword(const http::Request& request, http::Respond respond) const;
  void BeginTotp(const http::Request& request, http::Respond respond) const;
  void ConfirmTotp(const http::Request& request, http::Respond respond) const;
  void DisableTotp(const http::Request& request, http::Respond respond) const;

 private:
  identity::IdentityService& identity_;
  bool secure_cookies_;
  // Failed sign-ins per client address. Per account, the identity policy's lockout applies too.
  RateLimiter sign_in_limiter_;
  // Registrations per client address: 5 at once, then one a minute.
  RateLimiter register_limiter_{1.0 / 60, 5};
};

// An account as JSON, without its secrets.
std::string AccountJson(const identity::Account& account);

}  // namespace motcua::api
