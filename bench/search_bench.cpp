// Throughput of SearchIndex::Search on a catalogue enlarged to 2,000 procedures, over the
// development query set (tests/search/queries.json). Run: build/bench/search_bench
//
// How the catalogue is enlarged: the 130 real procedures are kept; each extra procedure i takes
// a real "base" procedure (i % 130) and a "donor" from elsewhere in the catalogue, and combines
// real name parts the way the national catalogue varies a procedure across agencies and subjects:
//   name_vi  = base name + a real qualifier ("đối với doanh nghiệp", "(thực hiện tại cấp tỉnh)",
//              "có yếu tố nước ngoài", ...)
//   name_en  = base English name + the English qualifier
//   field, agency = the donor's (the same kind of procedure run by another sector)
//   keywords = the base's keywords plus one of the donor's; documents = the base's
// So the vocabulary, posting-list lengths and name lengths look like a real, larger catalogue:
// popular words ("đăng ký", "cấp", "giấy") get long posting lists, as they would.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/catalog/catalog_test_util.hpp"
#include "domain/catalog/search_index.hpp"

namespace {

using motcua::catalog::Procedure;
using motcua::catalog::SearchIndex;
using motcua::catalog::SearchQuery;

constexpr size_t kCatalogueSize = 2000;

struct Qualifier {
  const char* vi;
  const char* en;
};

constexpr Qualifier kQualifiers[] = {
    {"đối với doanh nghiệp", "for enterprises"},
    {"(thực hiện tại cấp tỉnh)", "(provincial level)"},
    {"(thực hiện tại cấp xã)", "(commune level)"},
    {"có yếu tố nước ngoài", "with foreign element"},
    {"đối với hộ gia đình, cá nhân", "for households and individuals"},
    {"tại Ban Quản lý các khu công nghiệp", "at the Industrial Zones Authority"},
    {"đối với người Việt Nam định cư ở nước ngoài", "for overseas Vietnamese"},
    {"trong trường hợp bị mất, hư hỏng", "in case of loss or damage"},
    {"thuộc thẩm quyền của Sở", "under department authority"},
    {"bằng dịch vụ công trực tuyến toàn trình", "fully online"},
    {"đối với cơ sở giáo dục", "for educational institutions"},
    {"đối với hợp tác xã", "for cooperatives"},
    {"cho người lao động nước ngoài", "for foreign workers"},
    {"đối với tổ chức tôn giáo", "for religious organisations"},
};

std::vector<Procedure> Enlarged() {
  std::vector<Procedure> real = motcua::catalog::testing::LoadRealCatalog();
  std::vector<Procedure> out = real;
  const size_t n = real.size();
  constexpr size_t kQualifierCount = sizeof(kQualifiers) / sizeof(kQualifiers[0]);
  for (size_t i = n; i < kCatalogueSize; ++i) {
    const Procedure& base = real[i % n];
    const Procedure& donor = real[(i * 37 + 11) % n];
    const Qualifier& qual = kQualifiers[(i / n + i) % kQualifierCount];
    Procedure p = base;
    char code[16];
    std::snprintf(code, sizeof code, "9.%06zu", i);
    p.code = code;
    p.name_vi = base.name_vi + " " + qual.vi;
    p.name_en = base.name_en + " " + qual.en;
    p.field = donor.field;
    p.agency = donor.agency;
    if (!donor.keywords.empty()) p.keywords.push_back(donor.keywords[i % donor.keywords.size()]);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> Queries() {
  std::vector<std::string> out;
  const auto json = motcua::catalog::testing::ReadJsonFile(
      motcua::catalog::testing::SourcePath("tests/search/queries.json"));
  for (const auto& e : json) out.push_back(e.at("q").get<std::string>());
  return out;
}

const SearchIndex& Index() {
  static const SearchIndex index(Enlarged());
  return index;
}

void BM_Search(benchmark::State& state) {
  const SearchIndex& index = Index();
  const std::vector<std::string> queries = Queries();
  SearchQuery q;
  q.limit = 10;
  size_t i = 0;
  size_t hits = 0;
  for (auto _ : state) {
    q.text = queries[i];
    const auto result = index.Search(q);
    hits += result.hits.size();
    benchmark::DoNotOptimize(result);
    i = i + 1 == queries.size() ? 0 : i + 1;
  }
  state.counters["queries/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["catalogue"] = static_cast<double>(index.procedures().size());
  state.counters["hits/query"] =
      static_cast<double>(hits) / static_cast<double>(std::max<int64_t>(1, state.iterations()));
}
BENCHMARK(BM_Search)->MinTime(2.0);

// Hostile input: random 30-character strings of letters (no word of the vocabulary, typo
// correction tried on every one). Must stay cheap: it runs on the event loop.
void BM_SearchGarbage(benchmark::State& state) {
  const SearchIndex& index = Index();
  std::vector<std::string> queries;
  uint64_t seed = 42;
  for (int i = 0; i < 1000; ++i) {
    std::string q;
    for (int c = 0; c < 30; ++c) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      const int r = static_cast<int>((seed >> 33) % 28);
      q.push_back(r < 26 ? static_cast<char>('a' + r) : ' ');
    }
    queries.push_back(std::move(q));
  }
  SearchQuery q;
  q.limit = 10;
  size_t i = 0;
  for (auto _ : state) {
    q.text = queries[i];
    benchmark::DoNotOptimize(index.Search(q));
    i = i + 1 == queries.size() ? 0 : i + 1;
  }
  state.counters["queries/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SearchGarbage)->MinTime(2.0);

// The listing path (empty text) with a field filter, as the catalogue page uses it.
void BM_ListByField(benchmark::State& state) {
  const SearchIndex& index = Index();
  SearchQuery q;
  q.field = "Hộ tịch";
  for (auto _ : state) benchmark::DoNotOptimize(index.Search(q));
  state.counters["queries/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ListByField);

void BM_Build(benchmark::State& state) {
  const std::vector<Procedure> procedures = Enlarged();
  for (auto _ : state) {
    SearchIndex index(procedures);
    benchmark::DoNotOptimize(index);
  }
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond)->Iterations(3);

// Writes the enlarged catalogue in the import file format, so the HTTP load benchmark
// (scripts/bench) serves exactly the catalogue measured here.
void WriteCatalogue(const char* path) {
  nlohmann::json out = nlohmann::json::array();
  for (const Procedure& p : Enlarged()) {
    const auto& rules = p.rules.front();
    out.push_back(
        {{"code", p.has_national_code ? nlohmann::json(p.code) : nlohmann::json(nullptr)},
         {"name_vi", p.name_vi},
         {"name_en", p.name_en},
         {"field", p.field},
         {"level", std::string(motcua::catalog::ToString(p.level))},
         {"online", std::string(motcua::catalog::ToString(p.online))},
         {"processing_days",
          rules.processing_days ? nlohmann::json(*rules.processing_days) : nlohmann::json(nullptr)},
         {"fee_vnd", rules.fee_vnd ? nlohmann::json(*rules.fee_vnd) : nlohmann::json(nullptr)},
         {"documents", p.documents},
         {"keywords", p.keywords},
         {"agency", p.agency}});
  }
  std::ofstream(path) << out.dump();
}

}  // namespace

// search_bench [--write-catalogue FILE] [google benchmark flags]
int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-catalogue") {
    WriteCatalogue(argv[2]);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
