#include "domain/catalog/procedure.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "domain/catalog/catalog_test_util.hpp"

namespace motcua::catalog {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

Procedure Valid() {
  Procedure p;
  p.code = "1.004222";
  p.name_vi = "Đăng ký thường trú";
  p.name_en = "Permanent residence registration";
  p.field = "Cư trú";
  p.agency = "Công an xã";
  p.rules.push_back(ProcedureRules{D(2025, 7, 1), 7, 20000});
  return p;
}

TEST(Procedure, EnumsRoundTrip) {
  for (Level l : {Level::kCommune, Level::kCity, Level::kCentralPolice}) {
    EXPECT_EQ(ParseLevel(ToString(l)), l);
  }
  for (OnlineLevel o : {OnlineLevel::kFull, OnlineLevel::kPartial, OnlineLevel::kNone}) {
    EXPECT_EQ(ParseOnlineLevel(ToString(o)), o);
  }
  EXPECT_EQ(ToString(Level::kCentralPolice), "central_police");
  EXPECT_FALSE(ParseLevel("province").has_value());
  EXPECT_FALSE(ParseOnlineLevel("").has_value());
}

TEST(Procedure, RulesOnPicksTheVersionInForce) {
  Procedure p = Valid();
  p.rules = {ProcedureRules{D(2024, 1, 1), 10, 30000}, ProcedureRules{D(2025, 7, 1), 7, 20000}};
  EXPECT_EQ(p.RulesOn(D(2023, 12, 31)), nullptr);
  ASSERT_NE(p.RulesOn(D(2024, 1, 1)), nullptr);
  EXPECT_EQ(p.RulesOn(D(2024, 1, 1))->fee_vnd, 30000);
  EXPECT_EQ(p.RulesOn(D(2025, 6, 30))->processing_days, 10);
  EXPECT_EQ(p.RulesOn(D(2025, 7, 1))->processing_days, 7);
  EXPECT_EQ(p.RulesOn(D(2030, 1, 1))->fee_vnd, 20000);
  p.rules.clear();
  EXPECT_EQ(p.RulesOn(D(2025, 1, 1)), nullptr);
}

TEST(Procedure, LocalCodeIsStableAndNfcBased) {
  const std::string code = LocalCodeFor("Giải quyết hưởng trợ cấp thất nghiệp");
  // FNV-1a 32 of the NFC bytes, computed independently in Python.
  EXPECT_EQ(code, "local-588d3810");
  EXPECT_EQ(LocalCodeFor("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"), "local-27cbf928");
  // The same name in NFD gets the same code.
  EXPECT_EQ(LocalCodeFor("ca\xCC\x89"), LocalCodeFor("cả"));
  EXPECT_EQ(LocalCodeFor("Đăng ký"), LocalCodeFor("\xC4\x90"
                                                  "a\xCC\x86ng ky\xCC\x81"));
  EXPECT_NE(LocalCodeFor("a"), LocalCodeFor("b"));
}

TEST(Procedure, ValidateAcceptsAValidProcedure) {
  EXPECT_TRUE(Validate(Valid()).ok());
  Procedure p = Valid();
  p.code = LocalCodeFor(p.name_vi);
  p.has_national_code = false;
  EXPECT_TRUE(Validate(p).ok());
  p = Valid();
  p.rules[0].processing_days.reset();  // not confirmed is allowed
  p.rules[0].fee_vnd.reset();
  EXPECT_TRUE(Validate(p).ok());
}

TEST(Procedure, ValidateNamesTheField) {
  auto field_of = [](const Procedure& p) {
    const Status s = Validate(p);
    EXPECT_FALSE(s.ok());
    if (s.ok()) return std::string();
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(s.error().message_vi.empty());
    EXPECT_FALSE(s.error().message_en.empty());
    return s.error().field;
  };
  Procedure p = Valid();
  p.code = "1.00x";
  EXPECT_EQ(field_of(p), "code");
  p.code = "1004222";
  EXPECT_EQ(field_of(p), "code");
  p.code = "1.004222.";
  EXPECT_EQ(field_of(p), "code");
  p = Valid();
  p.has_national_code = false;  // local flag with a national-looking code
  EXPECT_EQ(field_of(p), "code");
  p.code = "local-1234567G";
  EXPECT_EQ(field_of(p), "code");

  p = Valid();
  p.name_vi = "  ";
  EXPECT_EQ(field_of(p), "name_vi");
  p = Valid();
  p.name_en.clear();
  EXPECT_EQ(field_of(p), "name_en");
  p = Valid();
  p.field.clear();
  EXPECT_EQ(field_of(p), "field");
  p = Valid();
  p.agency.clear();
  EXPECT_EQ(field_of(p), "agency");
  p = Valid();
  p.rules.clear();
  EXPECT_EQ(field_of(p), "rules");
  p = Valid();
  p.rules[0].processing_days = 3651;
  EXPECT_EQ(field_of(p), "processing_days");
  p.rules[0].processing_days = -1;
  EXPECT_EQ(field_of(p), "processing_days");
  p = Valid();
  p.rules[0].fee_vnd = -5;
  EXPECT_EQ(field_of(p), "fee_vnd");
  p.rules[0].fee_vnd = 10'000'000'001;
  EXPECT_EQ(field_of(p), "fee_vnd");
  p = Valid();
  p.notes = "bad \xC3";
  EXPECT_EQ(field_of(p), "notes");
  p = Valid();
  p.keywords = {"ok", "\xFF"};
  EXPECT_EQ(field_of(p), "keywords/1");
  p = Valid();
  p.rules.push_back(p.rules[0]);  // same date twice
  EXPECT_EQ(field_of(p), "rules");
}

TEST(Procedure, RealCatalogueValidatesAndHasEnglishFieldNames) {
  const auto catalogue = testing::LoadRealCatalog();
  ASSERT_EQ(catalogue.size(), 130u);
  std::set<std::string> codes;
  for (const auto& p : catalogue) {
    const Status s = Validate(p);
    EXPECT_TRUE(s.ok()) << p.code << ": " << (s.ok() ? "" : s.error().message_en);
    EXPECT_NE(FieldNameEn(p.field), p.field) << "no English name for field " << p.field;
    codes.insert(p.code);
  }
  EXPECT_EQ(codes.size(), catalogue.size()) << "codes must be unique";
  EXPECT_EQ(FieldNameEn("Cư trú"), "Residence");
  EXPECT_EQ(FieldNameEn("Không có"), "Không có");
}

}  // namespace
}  // namespace motcua::catalog
