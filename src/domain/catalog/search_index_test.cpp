#include "domain/catalog/search_index.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "domain/catalog/catalog_test_util.hpp"
#include "domain/catalog/search_text.hpp"

namespace motcua::catalog {
namespace {

Procedure Make(std::string code, std::string name_vi, std::string name_en, std::string field,
               Level level, OnlineLevel online, std::vector<std::string> keywords = {}) {
  Procedure p;
  p.code = std::move(code);
  p.name_vi = std::move(name_vi);
  p.name_en = std::move(name_en);
  p.field = std::move(field);
  p.level = level;
  p.online = online;
  p.keywords = std::move(keywords);
  p.agency = "Ủy ban nhân dân cấp xã";
  p.rules.push_back(ProcedureRules{*Date::FromYmd(2025, 7, 1), 3, 0});
  return p;
}

std::vector<Procedure> Small() {
  return {
      Make("1.004222", "Đăng ký thường trú", "Permanent residence registration", "Cư trú",
           Level::kCommune, OnlineLevel::kFull, {"nhập hộ khẩu"}),
      Make("1.004194", "Đăng ký tạm trú", "Temporary residence registration", "Cư trú",
           Level::kCommune, OnlineLevel::kFull, {"làm tạm trú nhà trọ"}),
      Make("1.001193", "Đăng ký khai sinh", "Birth registration", "Hộ tịch", Level::kCommune,
           OnlineLevel::kFull, {"làm giấy khai sinh"}),
      Make("1.000894", "Đăng ký kết hôn", "Marriage registration", "Hộ tịch", Level::kCommune,
           OnlineLevel::kPartial, {"làm giấy kết hôn"}),
      Make("3.000347", "Đổi giấy phép lái xe", "Renewal of driving licence", "Giao thông",
           Level::kCity, OnlineLevel::kFull, {"đổi bằng lái"}),
      Make("1.012812", "Hòa giải tranh chấp đất đai", "Mediation of land disputes", "Đất đai",
           Level::kCommune, OnlineLevel::kNone, {"tranh chấp đất"}),
  };
}

std::string TopCode(const SearchIndex& index, const std::string& text) {
  SearchQuery q;
  q.text = text;
  const SearchResult r = index.Search(q);
  return r.hits.empty() ? std::string() : r.hits[0].procedure->code;
}

TEST(SearchIndex, FindsWithAndWithoutDiacritics) {
  SearchIndex index(Small());
  EXPECT_EQ(TopCode(index, "đăng ký tạm trú"), "1.004194");
  EXPECT_EQ(TopCode(index, "dang ky tam tru"), "1.004194");
  EXPECT_EQ(TopCode(index, "DANG KY THUONG TRU"), "1.004222");
}

TEST(SearchIndex, NfdInputAndOldTonePlacement) {
  SearchIndex index(Small());
  // "đăng ký kết hôn" fully decomposed.
  EXPECT_EQ(TopCode(index,
                    "\xC4\x91"
                    "a\xCC\x86ng ky\xCC\x81 ke\xCC\x82\xCC\x81t ho\xCC\x82n"),
            "1.000894");
  EXPECT_EQ(TopCode(index, "hoà giải tranh chấp"), "1.012812");
}

TEST(SearchIndex, TelexTyposAbbreviationsAndColloquialNames) {
  SearchIndex index(Small());
  EXPECT_EQ(TopCode(index, "ddawng kys taam truus"), "1.004194");
  EXPECT_EQ(TopCode(index, "dang ky khai sinhh"), "1.001193");
  EXPECT_EQ(TopCode(index, "doi GPLX"), "3.000347");
  EXPECT_EQ(TopCode(index, "nhap ho khau"), "1.004222");
  EXPECT_EQ(TopCode(index, "marriage"), "1.000894");
  EXPECT_EQ(TopCode(index, "renew my driving license"), "3.000347");
}

TEST(SearchIndex, OutOfScopeIsNotConfident) {
  SearchIndex index(Small());
  SearchQuery q;
  q.text = "weather tomorrow";
  EXPECT_FALSE(index.Search(q).confident);
  q.text = "xyz";
  const SearchResult r = index.Search(q);
  EXPECT_FALSE(r.confident);
  EXPECT_EQ(r.total, 0u);
  q.text = "đăng ký kết hôn";
  EXPECT_TRUE(index.Search(q).confident);
}

TEST(SearchIndex, EmptyTextListsByFoldedNameWithFilters) {
  SearchIndex index(Small());
  SearchQuery q;
  const SearchResult all = index.Search(q);
  EXPECT_EQ(all.total, 6u);
  ASSERT_EQ(all.hits.size(), 6u);
  // Folded order: "dang ky ket hon" < "dang ky khai sinh" < ... < "hoa giai ...".
  EXPECT_EQ(all.hits[0].procedure->code, "1.000894");
  EXPECT_EQ(all.hits[5].procedure->code, "1.012812");
  for (const auto& h : all.hits) EXPECT_EQ(h.score, 0.0);

  q.field = "Hộ tịch";
  const SearchResult civil = index.Search(q);
  EXPECT_EQ(civil.total, 2u);
  q.field.reset();
  q.level = Level::kCity;
  EXPECT_EQ(index.Search(q).total, 1u);
  q.level.reset();
  q.online = OnlineLevel::kNone;
  EXPECT_EQ(index.Search(q).hits.at(0).procedure->code, "1.012812");
}

TEST(SearchIndex, FiltersApplyToTextSearch) {
  SearchIndex index(Small());
  SearchQuery q;
  q.text = "đăng ký";
  const SearchResult all = index.Search(q);
  EXPECT_EQ(all.total, 4u);
  q.field = "Cư trú";
  const SearchResult residence = index.Search(q);
  EXPECT_EQ(residence.total, 2u);
  for (const auto& h : residence.hits) EXPECT_EQ(h.procedure->field, "Cư trú");
  q.online = OnlineLevel::kPartial;
  EXPECT_EQ(index.Search(q).total, 0u);
}

TEST(SearchIndex, PagingKeepsTotal) {
  SearchIndex index(Small());
  SearchQuery q;
  q.text = "đăng ký";
  q.limit = 2;
  const SearchResult first = index.Search(q);
  EXPECT_EQ(first.total, 4u);
  ASSERT_EQ(first.hits.size(), 2u);
  q.offset = 2;
  const SearchResult second = index.Search(q);
  EXPECT_EQ(second.total, 4u);
  ASSERT_EQ(second.hits.size(), 2u);
  EXPECT_NE(first.hits[0].procedure, second.hits[0].procedure);
  EXPECT_NE(first.hits[1].procedure, second.hits[1].procedure);
  q.offset = 10;
  EXPECT_TRUE(index.Search(q).hits.empty());
  EXPECT_EQ(index.Search(q).total, 4u);
}

TEST(SearchIndex, HighlightsMatchedWordsOfNames) {
  SearchIndex index(Small());
  SearchQuery q;
  q.text = "dang ky ket hon";
  const SearchResult r = index.Search(q);
  ASSERT_FALSE(r.hits.empty());
  const SearchHit& hit = r.hits[0];
  const std::string& name = hit.procedure->name_vi;
  ASSERT_EQ(hit.name_vi_spans.size(), 4u);
  EXPECT_EQ(name.substr(hit.name_vi_spans[0].begin,
                        hit.name_vi_spans[0].end - hit.name_vi_spans[0].begin),
            "Đăng");
  EXPECT_EQ(name.substr(hit.name_vi_spans[3].begin,
                        hit.name_vi_spans[3].end - hit.name_vi_spans[3].begin),
            "hôn");
  // name_en "Marriage registration": "registration" is not in the query; nothing else matches.
  EXPECT_TRUE(hit.name_en_spans.empty());

  q.text = "marriage";
  const SearchResult en = index.Search(q);
  ASSERT_FALSE(en.hits.empty());
  ASSERT_EQ(en.hits[0].name_en_spans.size(), 1u);
  EXPECT_EQ(en.hits[0].name_en_spans[0].begin, 0u);
  EXPECT_EQ(en.hits[0].name_en_spans[0].end, 8u);
}

TEST(SearchIndex, FindByCode) {
  SearchIndex index(Small());
  ASSERT_NE(index.Find("1.001193"), nullptr);
  EXPECT_EQ(index.Find("1.001193")->name_vi, "Đăng ký khai sinh");
  EXPECT_EQ(index.Find("9.999999"), nullptr);
  EXPECT_EQ(index.procedures().size(), 6u);
}

TEST(SearchIndex, EmptyCatalogueAndPunctuation) {
  SearchIndex empty({});
  SearchQuery q;
  q.text = "đăng ký";
  EXPECT_EQ(empty.Search(q).total, 0u);
  SearchIndex index(Small());
  q.text = "?!,.";
  EXPECT_EQ(index.Search(q).total, 6u);  // no words: the listing
}

TEST(SearchIndex, ConcurrentSearchesAgree) {
  SearchIndex index(testing::LoadRealCatalog());
  const std::vector<std::string> queries = {"làm sổ đỏ", "dang ky tam tru", "passport", "mất CCCD"};
  std::vector<std::string> expected;
  for (const auto& t : queries) expected.push_back(TopCode(index, t));
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const size_t k = static_cast<size_t>(i + t) % queries.size();
        if (TopCode(index, queries[k]) != expected[k]) ++failures[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(SearchText, IndexKeyStemsEnglishOnly) {
  using search_internal::IndexKey;
  EXPECT_EQ(IndexKey("registration"), IndexKey("register"));
  EXPECT_EQ(IndexKey("registered"), IndexKey("registering"));
  EXPECT_EQ(IndexKey("marriage"), IndexKey("married"));
  EXPECT_EQ(IndexKey("copies"), IndexKey("copy"));
  EXPECT_EQ(IndexKey("thuong"), "thuong");
  EXPECT_EQ(IndexKey("nguoi"), "nguoi");
  EXPECT_EQ(IndexKey("khoe"), "khoe");
}

TEST(SearchText, TelexDecode) {
  using search_internal::TelexDecode;
  EXPECT_EQ(TelexDecode("ddawng"), "dang");
  EXPECT_EQ(TelexDecode("kys"), "ky");
  EXPECT_EQ(TelexDecode("taam"), "tam");
  EXPECT_EQ(TelexDecode("truwowngf"), "truong");
  EXPECT_EQ(TelexDecode("vieetj"), "viet");
  EXPECT_EQ(TelexDecode("dang"), "dang");
}

TEST(SearchText, BoundedEditDistance) {
  using search_internal::BoundedEditDistance;
  EXPECT_EQ(BoundedEditDistance("thuong", "thuogn", 2), 1);  // transposition
  EXPECT_EQ(BoundedEditDistance("sinh", "sinhh", 2), 1);
  EXPECT_EQ(BoundedEditDistance("passport", "pasport", 2), 1);
  EXPECT_EQ(BoundedEditDistance("abc", "xyz", 1), 2);  // capped at max + 1
  EXPECT_EQ(BoundedEditDistance("", "", 1), 0);
}

}  // namespace
}  // namespace motcua::catalog
