#pragma once
// The cryptography identity needs, as an interface: the domain stays free of libraries, and
// platform/secrets.hpp provides it with libsodium and libcrypto.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace motcua {

class Secrets {
 public:
  virtual ~Secrets() = default;
  virtual std::string HashPassword(std::string_view password) = 0;
  virtual bool VerifyPassword(std::string_view encoded, std::string_view password) = 0;
  virtual std::string NewToken() = 0;
  virtual std::string TokenDigest(std::string_view token) = 0;
  // Keyed BLAKE2b-256, hex: for identifiers looked up by equality that a dump must not reveal.
  virtual std::string KeyedDigest(std::string_view key, std::string_view value) = 0;
  virtual bool EqualConstantTime(std::string_view a, std::string_view b) = 0;
  virtual std::string RandomBytes(size_t n) = 0;
  virtual int HotpCode(std::string_view secret, uint64_t counter) = 0;
};

}  // namespace motcua
