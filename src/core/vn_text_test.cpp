#include "core/vn_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace motcua::text {
namespace {

TEST(IsValidUtf8, AcceptsVietnameseAndAscii) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("Đăng ký tạm trú"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
}

TEST(IsValidUtf8, RejectsMalformed) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("a\xFF"));
}

TEST(ToNfc, ComposesDecomposedInput) {
  // "ký" written as k + y + combining acute.
  EXPECT_EQ(ToNfc("ky\xCC\x81"), "ký");
  EXPECT_EQ(ToNfc("Đăng ký"), "Đăng ký");
}

TEST(Canonical, UnifiesOldAndNewTonePlacement) {
  EXPECT_EQ(Canonical("hoà"), Canonical("hòa"));
  EXPECT_EQ(Canonical("Thuỷ"), Canonical("thủy"));
  EXPECT_EQ(Canonical("khoẻ"), Canonical("khỏe"));
  EXPECT_EQ(Canonical("hòa"), "hòa");
  EXPECT_EQ(Canonical("thủy sản"), "thủy sản");
}

TEST(Canonical, KeepsDiacriticsAndLowercases) {
  EXPECT_EQ(Canonical("ĐĂNG KÝ"), "đăng ký");
  EXPECT_NE(Canonical("tạm"), Canonical("tâm"));
  // Tone on a vowel with a quality mark, and with a final consonant.
  EXPECT_EQ(Canonical("người"), "người");
  EXPECT_EQ(Canonical("hoàng"), "hoàng");
  EXPECT_EQ(Canonical("quý"), "quý");
  EXPECT_EQ(Canonical("già"), "già");
}

TEST(Canonical, AcceptsNfdInput) {
  // "hoà" in NFD with the grave on the a (new style) equals NFC old style "hòa".
  EXPECT_EQ(Canonical("hoa\xCC\x80"), "hòa");
}

TEST(Fold, RemovesDiacriticsAndFoldsD) {
  EXPECT_EQ(Fold("Đăng ký tạm trú"), "dang ky tam tru");
  EXPECT_EQ(Fold("ĐỔI GIẤY PHÉP LÁI XE"), "doi giay phep lai xe");
  EXPECT_EQ(Fold("Người có công"), "nguoi co cong");
  EXPECT_EQ(Fold("đ"), "d");
}

TEST(Fold, SameForNfcAndNfd) {
  const std::string nfd =
      "\xC4\x91"
      "a\xCC\x86ng ky\xCC\x81";  // "đăng ký" decomposed
  EXPECT_EQ(Fold(nfd), "dang ky");
  EXPECT_EQ(Fold(nfd), Fold("đăng ký"));
}

TEST(Tokenize, SplitsOnNonLettersWithOffsets) {
  const std::string s = "Cấp thẻ căn cước (CCCD), 14 tuổi";
  const auto tokens = Tokenize(s);
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_EQ(tokens[0].folded, "cap");
  EXPECT_EQ(s.substr(tokens[0].begin, tokens[0].end - tokens[0].begin), "Cấp");
  EXPECT_EQ(tokens[4].folded, "cccd");
  EXPECT_EQ(s.substr(tokens[4].begin, tokens[4].end - tokens[4].begin), "CCCD");
  EXPECT_EQ(tokens[5].folded, "14");
  EXPECT_EQ(tokens[6].folded, "tuoi");
  EXPECT_EQ(tokens[6].end, s.size());
}

TEST(Tokenize, KeepsCombiningMarksInsideTheWord) {
  const std::string s = "ky\xCC\x81 te\xCC\x82n";  // "ký tên" NFD
  const auto tokens = Tokenize(s);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].folded, "ky");
  EXPECT_EQ(tokens[0].end, 4u);
  EXPECT_EQ(tokens[1].folded, "ten");
  EXPECT_EQ(tokens[1].end, s.size());
}

TEST(Tokenize, EmptyAndPunctuationOnly) {
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize(" ,.;-- ").empty());
}

}  // namespace
}  // namespace motcua::text
