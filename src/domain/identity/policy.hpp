#pragma once
// The rules of sign-in as pure functions: what a login and a password must be, how long an
// account is locked after repeated failures, which TOTP codes are accepted.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace motcua::identity {

struct Policy {
  int max_failures = 5;                     // consecutive failures before the first lock
  std::chrono::seconds first_lock{60};      // doubles with every further failure ...
  std::chrono::seconds longest_lock{3600};  // ... up to this
  std::chrono::seconds session_lifetime{12 * 3600};
  // How long a checked credential is trusted without reading the database again (see
  // IdentityService::Authenticate); zero: every request reads it.
  std::chrono::seconds credential_cache{5};
  size_t min_password_chars = 10;
  size_t max_password_bytes = 256;
};

// 3–64 characters of a-z 0-9 . _ - @, after lower-casing (which the caller does).
Status ValidateLogin(std::string_view login);
// Long enough, not too long, not the login, not a well-known password, valid UTF-8.
Status ValidateNewPassword(std::string_view login, std::string_view password, const Policy& policy);

// How long an account stays locked after its `failures`-th consecutive failure (zero when below
// the threshold).
std::chrono::seconds LockDuration(int failures, const Policy& policy);

// The TOTP time step (RFC 6238: 30-second steps since the epoch).
int64_t TotpStep(std::chrono::system_clock::time_point now);

// "0912***678": what logs and the audit trail show of an identifier.
std::string Masked(std::string_view value);

}  // namespace motcua::identity
