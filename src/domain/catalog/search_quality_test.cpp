// Runs the development query set (tests/search/queries.json) against the real catalogue and
// prints the top-1 / top-3 rates, the out-of-scope rate and every miss. The reviewers keep a
// held-out set; this one is for development, so read the misses, not only the numbers.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "domain/catalog/catalog_test_util.hpp"
#include "domain/catalog/search_index.hpp"

namespace motcua::catalog {
namespace {

constexpr double kMinTop3 = 0.95;
constexpr double kMinOutOfScope = 0.9;

// Cuts at a character boundary so the report stays valid UTF-8.
std::string Prefix(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
  return s.substr(0, max) + "...";
}

std::string Describe(const SearchResult& r) {
  std::string s = r.confident ? "[confident]" : "[not confident]";
  for (size_t i = 0; i < r.hits.size() && i < 3; ++i) {
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", r.hits[i].score);
    s += "\n      " + std::to_string(i + 1) + ". " + r.hits[i].procedure->code + " (" + score +
         ") " + Prefix(r.hits[i].procedure->name_vi, 90);
  }
  return s;
}

TEST(SearchQuality, DevelopmentSet) {
  SearchIndex index(testing::LoadRealCatalog());
  const auto queries = testing::ReadJsonFile(testing::SourcePath("tests/search/queries.json"));

  int in_scope = 0, top1 = 0, top3 = 0, out_of_scope = 0, out_ok = 0, in_confident = 0;
  std::vector<std::string> misses;
  for (const auto& entry : queries) {
    const std::string text = entry.at("q").get<std::string>();
    SearchQuery q;
    q.text = text;
    q.limit = 3;
    const SearchResult r = index.Search(q);
    if (entry.value("out_of_scope", false)) {
      ++out_of_scope;
      if (!r.confident) {
        ++out_ok;
      } else {
        misses.push_back("OUT-OF-SCOPE but confident: \"" + text + "\"" + Describe(r));
      }
      continue;
    }
    std::vector<std::string> expected;
    if (entry.contains("expect")) {
      expected.push_back(entry["expect"].get<std::string>());
    } else {
      expected = entry.at("expect_any").get<std::vector<std::string>>();
    }
    ASSERT_FALSE(expected.empty()) << text;
    for (const auto& code : expected) ASSERT_NE(index.Find(code), nullptr) << code;
    ++in_scope;
    if (r.confident) ++in_confident;
    auto is_expected = [&](const SearchHit& h) {
      return std::find(expected.begin(), expected.end(), h.procedure->code) != expected.end();
    };
    const bool first = !r.hits.empty() && is_expected(r.hits[0]);
    const bool any3 = std::any_of(r.hits.begin(), r.hits.end(), is_expected);
    top1 += first ? 1 : 0;
    top3 += any3 ? 1 : 0;
    if (!first) {
      misses.push_back(std::string(any3 ? "top-3 only" : "MISS") + ": \"" + text + "\" expected " +
                       expected[0] + Describe(r));
    }
  }

  const double top1_rate = static_cast<double>(top1) / in_scope;
  const double top3_rate = static_cast<double>(top3) / in_scope;
  const double oos_rate = static_cast<double>(out_ok) / out_of_scope;
  for (const auto& m : misses) std::printf("  %s\n", m.c_str());
  std::printf(
      "search quality: %d in-scope queries: top-1 %.3f, top-3 %.3f, confident %.3f; "
      "%d out-of-scope: not confident %.3f\n",
      in_scope, top1_rate, top3_rate, static_cast<double>(in_confident) / in_scope, out_of_scope,
      oos_rate);
  EXPECT_GE(in_scope, 120);
  EXPECT_GE(out_of_scope, 15);
  EXPECT_GE(top3_rate, kMinTop3);
  EXPECT_GE(oos_rate, kMinOutOfScope);
}

}  // namespace
}  // namespace motcua::catalog
