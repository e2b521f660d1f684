#include "api/procedure_json.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace motcua::api {
namespace {

const Date kFrom = *Date::FromYmd(2025, 7, 1);

std::string Bundled() {
  std::ifstream in(MOTCUA_SOURCE_DIR "/data/procedures.json");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ParseProcedures, ReadsTheBundledCatalogue) {
  auto parsed = ParseProcedures(Bundled(), kFrom);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message_en;
  ASSERT_EQ(parsed->size(), 130u);
  int local = 0, unknown_fee = 0;
  for (const auto& p : *parsed) {
    ASSERT_EQ(p.rules.size(), 1u);
    EXPECT_EQ(p.rules[0].effective_from, kFrom);
    if (!p.has_national_code) {
      ++local;
      EXPECT_EQ(p.code.rfind("local-", 0), 0u);
    }
    if (!p.rules[0].fee_vnd) ++unknown_fee;
  }
  EXPECT_EQ(local, 2);
  EXPECT_GT(unknown_fee, 0) << "null fees stay unknown, not zero";
}

TEST(ParseProcedures, ErrorsNameTheRecordAndField) {
  auto doc = nlohmann::json::parse(Bundled());
  struct Case {
    const char* field;
    nlohmann::json value;
  } cases[] = {{"fee_vnd", -1},      {"fee_vnd", "free"},  {"processing_days", 1.5},
               {"level", "country"}, {"online", true},     {"name_vi", nullptr},
               {"documents", "one"}, {"keywords", {1, 2}}, {"code", 12}};
  for (const auto& c : cases) {
    auto broken = doc;
    broken[6][c.field] = c.value;
    auto r = ParseProcedures(broken.dump(), kFrom);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().field, std::string("/6/") + c.field);
    EXPECT_NE(r.error().message_en.find("Record #7"), std::string::npos) << r.error().message_en;
    EXPECT_NE(r.error().message_vi.find("Bản ghi #7"), std::string::npos);
  }
  auto missing = doc;
  missing[0].erase("fee_vnd");
  EXPECT_FALSE(ParseProcedures(missing.dump(), kFrom).ok()) << "a missing fee is not a free one";
  EXPECT_FALSE(ParseProcedures("{}", kFrom).ok());
  EXPECT_FALSE(ParseProcedures("[", kFrom).ok());
  EXPECT_FALSE(ParseProcedures("[\"\xff\"]", kFrom).ok());
  EXPECT_FALSE(ParseProcedures("[1]", kFrom).ok());
}

TEST(ParseProcedures, NormalisesToNfc) {
  // "Đăng ký" typed in NFD (a + combining breve, y + combining acute).
  const std::string nfd =
      "[{\"code\":\"1.1\",\"name_vi\":\"\xC4\x90\x61\xCC\x86ng ky\xCC\x81\","
      "\"name_en\":\"x\",\"field\":\"C\",\"level\":\"city\",\"online\":\"none\","
      "\"agency\":\"A\",\"processing_days\":null,\"fee_vnd\":null}]";
  auto r = ParseProcedures(nfd, kFrom);
  ASSERT_TRUE(r.ok()) << r.error().message_en;
  EXPECT_EQ((*r)[0].name_vi, "Đăng ký");
}

TEST(ProcedureSummary, HighlightSegmentsRebuildTheName) {
  catalog::Procedure p;
  p.code = "1.004194";
  p.name_vi = "Đăng ký tạm trú";
  p.name_en = "Temporary residence registration";
  p.rules.push_back({kFrom, 3, 15000});
  catalog::SearchHit hit;
  hit.procedure = &p;
  hit.name_vi_spans = {{0, 6}, {7, 10}};  // "Đăng", "ký" (byte offsets)
  JsonWriter w;
  WriteProcedureSummary(w, p, kFrom, &hit);
  const auto j = nlohmann::json::parse(w.Take());
  const auto& segs = j["highlight"]["name_vi"];
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0]["text"], "Đăng ký");
  EXPECT_TRUE(segs[0]["match"].get<bool>());
  EXPECT_EQ(segs[1]["text"], " tạm trú");
  EXPECT_FALSE(segs[1]["match"].get<bool>());
  EXPECT_EQ(j["fee_vnd"], 15000);
  EXPECT_EQ(j["processing_days"], 3);
  const auto before = nlohmann::json::parse(ProcedureDetailJson(p, *Date::FromYmd(2024, 1, 1)));
  EXPECT_EQ(before["rule_history"].size(), 1u);
  EXPECT_EQ(before["fee_vnd"], 15000) << "before the first version, its rules are shown";
  EXPECT_FALSE(before.contains("score"));
}

TEST(JsonWriter, EscapesAndSeparates) {
  JsonWriter w;
  w.BeginObject()
      .Key("a\"b")
      .String("x\n\x01y\\")
      .Key("n")
      .Int(-5)
      .Key("list")
      .BeginArray()
      .Null()
      .Bool(true)
      .Double(1.5)
      .BeginObject()
      .EndObject()
      .EndArray()
      .Key("s")
      .StringArray({"Đăng", "ký"})
      .EndObject();
  const auto j = nlohmann::json::parse(w.Take());
  EXPECT_EQ(j["a\"b"], "x\n\x01y\\");
  EXPECT_EQ(j["n"], -5);
  EXPECT_EQ(j["list"].size(), 4u);
  EXPECT_EQ(j["list"][2], 1.5);
  EXPECT_EQ(j["s"][0], "Đăng");
}

}  // namespace
}  // namespace motcua::api
