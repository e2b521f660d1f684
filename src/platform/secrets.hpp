#pragma once
// Cryptographic building blocks of sign-in, sessions and keys, from well-kept libraries:
// libsodium (random bytes, Argon2id, BLAKE2b, constant-time comparison) and OpenSSL's libcrypto
// (HMAC-SHA1, which authenticator apps use for TOTP and libsodium does not offer). Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/secrets.hpp"

namespace motcua::secrets {

// `n` bytes from the operating system's cryptographic random source.
std::string RandomBytes(size_t n);
// A fresh unguessable token: 32 random bytes, base64url without padding (43 characters).
std::string NewToken();

std::string Base64Url(std::string_view bytes);
// Base64url without padding (as in JWTs) back to bytes; nullopt when it is not that.
std::optional<std::string> FromBase64Url(std::string_view text);
std::string Sha256(std::string_view bytes);
// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) over `signed_part`, with the RSA public key given as a
// JWK's modulus and exponent (raw big-endian bytes). False on any malformed input.
bool VerifyRs256(std::string_view signed_part, std::string_view signature, std::string_view modulus,
                 std::string_view exponent);
// RFC 4648 base32 without padding (what otpauth:// URIs carry), and back (case-insensitive,
// spaces and padding ignored); nullopt when it is not base32.
std::string Base32(std::string_view bytes);
std::optional<std::string> FromBase32(std::string_view text);

// Argon2id, libsodium's "interactive" cost (64 MiB, 2 passes): an encoded string with its salt
// and parameters, as stored.
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded, std::string_view password);
// True when a hash was made with weaker parameters than today's (rehash on the next sign-in).
bool PasswordNeedsRehash(std::string_view encoded);

// BLAKE2b-256 of a token, hex: how session tokens and API keys are stored (a database dump does
// not reveal a usable credential).
std::string TokenDigest(std::string_view token);
// Keyed BLAKE2b-256, hex: for values looked up by equality that must not be readable from a dump.
std::string KeyedDigest(std::string_view key, std::string_view value);

bool EqualConstantTime(std::string_view a, std::string_view b);

std::string HmacSha1(std::string_view key, std::string_view message);
// The HOTP value (RFC 4226) of `secret` at `counter`; TOTP (RFC 6238) uses counter = unix
// time / 30.
int HotpCode(std::string_view secret, uint64_t counter, int digits = 6);

// The secret in `path` (hex), made with `bytes` random bytes and mode 0600 when the file does not
// exist. Throws std::runtime_error saying what is wrong with the file.
std::string LoadOrCreateKeyFile(const std::string& path, size_t bytes);

// The Secrets interface of the domain, implemented by the functions above.
class LibrarySecrets final : public Secrets {
 public:
  std::string HashPassword(std::string_view password) override {
    return secrets::HashPassword(password);
  }
  bool VerifyPassword(std::string_view encoded, std::string_view password) override {
    return secrets::VerifyPassword(encoded, password);
  }
  std::string NewToken() override { return secrets::NewToken(); }
  std::string TokenDigest(std::string_view token) override { return secrets::TokenDigest(token); }
  std::string KeyedDigest(std::string_view key, std::string_view value) override {
    return secrets::KeyedDigest(key, value);
  }
  bool EqualConstantTime(std::string_view a, std::string_view b) override {
    return secrets::EqualConstantTime(a, b);
  }
  std::string RandomBytes(size_t n) override { return secrets::RandomBytes(n); }
  int HotpCode(std::string_view secret, uint64_t counter) override {
    return secrets::HotpCode(secret, counter);
  }
};

}  // namespace motcua::secrets
