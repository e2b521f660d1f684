#include "domain/identity/policy.hpp"

#include <gtest/gtest.h>

namespace motcua::identity {
namespace {

using std::chrono::seconds;

TEST(IdentityPolicy, Logins) {
  for (const char* ok : {"abc", "nguyen.van.a", "canbo_01", "a-b@ubnd.hanoi"}) {
    EXPECT_TRUE(ValidateLogin(ok).ok()) << ok;
  }
  for (const char* bad : {"ab", "Có dấu", "with space", "semi;colon", ""}) {
    auto st = ValidateLogin(bad);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().field, "login");
  }
  EXPECT_FALSE(ValidateLogin(std::string(65, 'a')).ok());
}

TEST(IdentityPolicy, PasswordsCountCharactersNotBytes) {
  const Policy p;
  EXPECT_TRUE(ValidateNewPassword("canbo", "đường phố Hà Nội", p).ok());
  EXPECT_FALSE(ValidateNewPassword("canbo", "ngắn", p).ok());
  // Ten characters, more bytes: long enough.
  EXPECT_TRUE(ValidateNewPassword("canbo", "ệệệệệệệệệa", p).ok());
  EXPECT_FALSE(ValidateNewPassword("canbo", "ệệệệệệệệ", p).ok()) << "8 characters, 24 bytes";
  EXPECT_FALSE(ValidateNewPassword("canbo", "aaaaaaaaaaaa", p).ok()) << "one repeated character";
  EXPECT_FALSE(ValidateNewPassword("canbo", "MatKhau123", p).ok()) << "well known";
  EXPECT_FALSE(ValidateNewPassword("canbo", "xx-CANBO-2026", p).ok()) << "contains the login";
  EXPECT_FALSE(ValidateNewPassword("canbo",
                                   std::string("abc\xff"
                                               "defghijk"),
                                   p)
                   .ok());
  EXPECT_FALSE(ValidateNewPassword("canbo", std::string(300, 'x') + "y", p).ok());
}

TEST(IdentityPolicy, LockDoublesFromTheThresholdUpToTheLongest) {
  const Policy p;
  EXPECT_EQ(LockDuration(4, p), seconds(0));
  EXPECT_EQ(LockDuration(5, p), seconds(60));
  EXPECT_EQ(LockDuration(6, p), seconds(120));
  EXPECT_EQ(LockDuration(9, p), seconds(960));
  EXPECT_EQ(LockDuration(11, p), seconds(3600));
  EXPECT_EQ(LockDuration(1000, p), seconds(3600));
}

TEST(IdentityPolicy, MaskingKeepsOnlyEnoughToRecognise) {
  EXPECT_EQ(Masked("001099012345"), "0010***345");
  EXPECT_EQ(Masked("canbo01"), "c***o01");
  EXPECT_EQ(Masked("abc"), "***");
  EXPECT_EQ(TotpStep(std::chrono::system_clock::time_point{} + seconds(59)), 1);
}

}  // namespace
}  // namespace motcua::identity
