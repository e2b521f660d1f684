#include "core/json_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace motcua {
namespace {

std::string Escaped(std::string_view s) {
  std::string out;
  AppendJsonEscaped(out, s);
  return out;
}

TEST(JsonEscape, KeepsValidUtf8AndEscapesControls) {
  EXPECT_EQ(Escaped("Hộ tịch \"a\"\\\n\x01"), "Hộ tịch \\\"a\\\"\\\\\\n\\u0001");
  EXPECT_EQ(Escaped("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");  // U+1F600, four bytes
}

// A hostile path or header must never make a log line or a body invalid UTF-8 JSON.
TEST(JsonEscape, ReplacesInvalidUtf8) {
  const std::string kReplacement = "\xEF\xBF\xBD";
  EXPECT_EQ(Escaped("/\xC0\xAE\xC0\xAE/x"),
            "/" + kReplacement + kReplacement + kReplacement + kReplacement + "/x");
  EXPECT_EQ(Escaped("a\xFF"), "a" + kReplacement);
  EXPECT_EQ(Escaped("\xE1\xBA"), kReplacement + kReplacement);                     // truncated
  EXPECT_EQ(Escaped("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);  // surrogate
  EXPECT_EQ(Escaped("\xF4\x90\x80\x80").size(), 4 * kReplacement.size());          // above U+10FFFF
}

TEST(JsonObject, WritesFieldsInOrder) {
  EXPECT_EQ(JsonObject({{"a", int64_t{1}}, {"b", "x\"y"}, {"c", true}, {"d", nullptr}}),
            R"({"a":1,"b":"x\"y","c":true,"d":null})");
}

}  // namespace
}  // namespace motcua
