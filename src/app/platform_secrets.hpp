#pragma once
// The identity domain's cryptography, provided by platform/secrets (libsodium, libcrypto).

#include "domain/identity/account.hpp"
#include "platform/secrets.hpp"

namespace motcua::app {

class PlatformSecrets final : public identity::Secrets {
 public:
  std::string HashPassword(std::string_view password) override {
    return secrets::HashPassword(password);
  }
  bool VerifyPassword(std::string_view encoded, std::string_view password) override {
    return secrets::VerifyPassword(encoded, password);
  }
  std::string NewToken() override { return secrets::NewToken(); }
  std::string TokenDigest(std::string_view token) override { return secrets::TokenDigest(token); }
  bool EqualConstantTime(std::string_view a, std::string_view b) override {
    return secrets::EqualConstantTime(a, b);
  }
  std::string RandomBytes(size_t n) override { return secrets::RandomBytes(n); }
  int HotpCode(std::string_view secret, uint64_t counter) override {
    return secrets::HotpCode(secret, counter);
  }
};

}  // namespace motcua::app
