#include "platform/secrets.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace motcua::secrets {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Hex(const unsigned char* data, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

std::string RandomBytes(size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string NewToken() { return Base64Url(RandomBytes(32)); }

std::string Base64Url(std::string_view bytes) {
  EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  EnsureSodium();
  std::string out(text.size() * 3 / 4 + 3, '\0');
  size_t n = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &n, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(n);
  return out;
}

std::string Sha256(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(bytes), bytes.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

bool VerifyRs256(std::string_view signed_part, std::string_view signature, std::string_view modulus,
                 std::string_view exponent) {
  if (modulus.size() < 256 || modulus.size() > 1024 || exponent.empty() || exponent.size() > 8) {
    return false;  // RSA below 2048 bits is refused
  }
  std::unique_ptr<BIGNUM, void (*)(BIGNUM*)> n(
      BN_bin2bn(Bytes(modulus), static_cast<int>(modulus.size()), nullptr), BN_free);
  std::unique_ptr<BIGNUM, void (*)(BIGNUM*)> e(
      BN_bin2bn(Bytes(exponent), static_cast<int>(exponent.size()), nullptr), BN_free);
  std::unique_ptr<OSSL_PARAM_BLD, void (*)(OSSL_PARAM_BLD*)> build(OSSL_PARAM_BLD_new(),
                                                                   OSSL_PARAM_BLD_free);
  if (!n || !e || !build || !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
    return false;
  }
  std::unique_ptr<OSSL_PARAM, void (*)(OSSL_PARAM*)> params(OSSL_PARAM_BLD_to_param(build.get()),
                                                            OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> from(
      EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY* raw_key = nullptr;
  if (!params || !from || EVP_PKEY_fromdata_init(from.get()) <= 0 ||
      EVP_PKEY_fromdata(from.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    return false;
  }
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(raw_key, EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
         EVP_DigestVerify(md.get(), Bytes(signature), signature.size(), Bytes(signed_part),
                          signed_part.size()) == 1;
}

std::string Base32(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> FromBase32(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ' || ch == '=' || ch == '-') continue;
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    const size_t v = kBase32Alphabet.find(ch);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  EnsureSodium();
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  encoded.copy(stored, encoded.size());
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view encoded) {
  EnsureSodium();
  if (encoded.size() >= crypto_pwhash_STRBYTES) return true;
  char stored[crypto_pwhash_STRBYTES] = {};
  encoded.copy(stored, encoded.size());
  return crypto_pwhash_str_needs_rehash(stored, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

std::string TokenDigest(std::string_view token) { return KeyedDigest({}, token); }

std::string LoadOrCreateKeyFile(const std::string& path, size_t bytes) {
  EnsureSodium();
  std::ifstream in(path);
  std::string secret(bytes, '\0');
  if (in) {
    std::string hex;
    in >> hex;
    size_t n = 0;
    if (hex.size() != bytes * 2 ||
        sodium_hex2bin(reinterpret_cast<unsigned char*>(secret.data()), bytes, hex.data(),
                       hex.size(), nullptr, &n, nullptr) != 0 ||
        n != bytes) {
      throw std::runtime_error("key file " + path + " does not hold " + std::to_string(bytes * 2) +
                               " hex digits");
    }
    return secret;
  }
  secret = RandomBytes(bytes);
  const mode_t old = umask(077);
  std::ofstream out(path, std::ios::trunc);
  umask(old);
  out << Hex(reinterpret_cast<const unsigned char*>(secret.data()), bytes) << "\n";
  if (!out.flush()) {
    throw std::runtime_error("cannot write the key file " + path +
                             "; check that its directory exists and is writable");
  }
  return secret;
}

std::string KeyedDigest(std::string_view key, std::string_view value) {
  EnsureSodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, Bytes(value), value.size(),
                     key.empty() ? nullptr : Bytes(key), key.size());
  return Hex(digest, sizeof digest);
}

bool EqualConstantTime(std::string_view a, std::string_view b) {
  EnsureSodium();
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HmacSha1(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), Bytes(message), message.size(),
            out, &n)) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), n);
}

int HotpCode(std::string_view secret, uint64_t counter, int digits) {
  char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<char>(counter & 0xff);
    counter >>= 8;
  }
  const std::string mac = HmacSha1(secret, std::string_view(message, 8));
  const int offset = static_cast<unsigned char>(mac[19]) & 0x0f;
  const uint32_t binary =
      (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset]) & 0x7f) << 24) |
      (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
      (static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
      static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  uint32_t modulo = 1;
  for (int i = 0; i < digits; ++i) modulo *= 10;
  return static_cast<int>(binary % modulo);
}

}  // namespace motcua::secrets
