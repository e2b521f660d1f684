#include "platform/secrets.hpp"

#include <gtest/gtest.h>

namespace motcua::secrets {
namespace {

// RFC 6238 appendix B, SHA-1 rows (8 digits), and RFC 4226 appendix D (6 digits).
TEST(Secrets, TotpMatchesTheRfcVectors) {
  const std::string key = "12345678901234567890";
  EXPECT_EQ(HotpCode(key, 59 / 30, 8), 94287082);
  EXPECT_EQ(HotpCode(key, 1111111109 / 30, 8), 7081804);
  EXPECT_EQ(HotpCode(key, 1111111111 / 30, 8), 14050471);
  EXPECT_EQ(HotpCode(key, 1234567890 / 30, 8), 89005924);
  EXPECT_EQ(HotpCode(key, 2000000000 / 30, 8), 69279037);
  EXPECT_EQ(HotpCode(key, 20000000000ull / 30, 8), 65353130);
  const int hotp[] = {755224, 287082, 359152, 969429, 338314,
                      254676, 287922, 162583, 399871, 520489};
  for (uint64_t i = 0; i < 10; ++i) EXPECT_EQ(HotpCode(key, i), hotp[i]) << i;
}

TEST(Secrets, Base32RoundTripsAndMatchesRfc4648) {
  EXPECT_EQ(Base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32("f"), "MY");
  EXPECT_EQ(FromBase32("mzxw 6ytb oi======").value(), "foobar");
  EXPECT_FALSE(FromBase32("MZ1W").has_value());
  const std::string random = RandomBytes(20);
  EXPECT_EQ(FromBase32(Base32(random)).value(), random);
}

TEST(Secrets, PasswordsVerifyOnlyThemselves) {
  const std::string hash = HashPassword("đúng mật khẩu 123");
  EXPECT_TRUE(hash.starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(hash, "đúng mật khẩu 123"));
  EXPECT_FALSE(VerifyPassword(hash, "đúng mật khẩu 124"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_NE(HashPassword("same"), HashPassword("same"));  // salted
  EXPECT_FALSE(PasswordNeedsRehash(hash));
}

TEST(Secrets, TokensAreLongUniqueAndDigestedOneWay) {
  const std::string a = NewToken(), b = NewToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(TokenDigest(a).size(), 64u);
  EXPECT_EQ(TokenDigest(a), TokenDigest(a));
  EXPECT_NE(TokenDigest(a), TokenDigest(b));
  EXPECT_NE(KeyedDigest("k1", a), KeyedDigest("k2", a));
  EXPECT_TRUE(EqualConstantTime("abc", "abc"));
  EXPECT_FALSE(EqualConstantTime("abc", "abd"));
  EXPECT_FALSE(EqualConstantTime("abc", "ab"));
}

// A signature made with `openssl dgst -sha256 -sign` (2048-bit key) over a JWT's signed part.
TEST(Secrets, Rs256SignaturesVerifyOnlyForTheirKeyAndMessage) {
  const auto hex = [](std::string_view h) {
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) {
      out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
    }
    return out;
  };
  const std::string n =
      hex("C79CB0B70771FC7CF2D1F4E1BE45DDC960A61545D17420DFCAAFE19D5B2337104D35C1E2DAE904A0"
          "6095E2A4F4A9D0C76A4780A33414D0FCADC13229113B7EA5542D070E38115B859DBC45AF6AE3919F"
          "4E6F9EF94CC0DF067569D5BA75D8A3A1F12633EBC87EFA62FFF14BDB6405FA93FA996948FF6538EE"
          "BF3306565450ABC1C95193E106F27715CC636D4D843745ADF8B5DA7DDD367779493241D10F373166"
          "448F567DF5CC02B30FB13BFA980DCD77AF5C5305B66267F33C966F36E0E1E7E4A5FD581E0B7327CD"
          "A30DB0E377566556B25F8DC1981385A9C518A1D929B96A23C5882DE9D309118898771321C27356DF"
          "F260F7820EF9FC11DEF7D3F5B91708A3");
  const std::string sig =
      hex("81074502820b286cb1962e0ef1c8e0acfadc5aa8fee98619421a0794263a5d3a1802ba4e8b4371a8"
          "41ee2309f3b0b19c9aa5e83be7af64802d6a12787f1496c0667ba63c6fb33ba268d8f478864bd95f"
          "4f6539d807f33a07ce03be01c202ce4d00d7bc8ba7d24d411d7fe977b38277d41a38c8d58ed5e5a6"
          "07881bf3bae1d9577c29c2da5d6a39cd9df76f97edca247509a5002cd4b2ffec287f4a2e02a4272b"
          "530c2a9c1769d6038dc6e603f9e9cd297ca487e87a72f0769873c2e62bd3ba3ad654e0170ea87b50"
          "5d5430f6ae4e674930cc437489b52db2baf56639ddcecfdcc22fdb9688aedfce4c60c6421a9d7485"
          "864d22141a4619dfdc3c6e93220c3a08");
  const std::string e = hex("010001");
  const std::string msg = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0";
  EXPECT_TRUE(VerifyRs256(msg, sig, n, e));
  EXPECT_FALSE(VerifyRs256(msg + "x", sig, n, e));
  std::string bad = sig;
  bad[10] ^= 1;
  EXPECT_FALSE(VerifyRs256(msg, bad, n, e));
  EXPECT_FALSE(VerifyRs256(msg, sig, n.substr(0, 128), e)) << "1024-bit keys are refused";
  EXPECT_FALSE(VerifyRs256(msg, "", n, e));
}

TEST(Secrets, Base64UrlAndSha256) {
  EXPECT_EQ(FromBase64Url("aGVsbG8").value(), "hello");
  EXPECT_FALSE(FromBase64Url("aGVsbG8=").has_value()) << "no padding in JWTs";
  EXPECT_FALSE(FromBase64Url("a+b/").has_value());
  const std::string random = RandomBytes(33);
  EXPECT_EQ(FromBase64Url(Base64Url(random)).value(), random);
  // RFC 7636 appendix B: the S256 code challenge of its example verifier.
  EXPECT_EQ(Base64Url(Sha256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace motcua::secrets
