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

}  // namespace
}  // namespace motcua::secrets
