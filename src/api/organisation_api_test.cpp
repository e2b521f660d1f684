#include "api/organisation_api.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace motcua::api {
namespace {

std::string Point(const std::string& extra) {
  return R"({"units":[{"code":"U","name":"Phường Hoàn Kiếm","kind":"ward","parent_code":null}],)"
         R"("service_points":[{"code":"A","name":"B","kind":"postal_agent","unit_code":"U")" +
         extra + "}]}";
}

TEST(ParseOrganisation, ReadsTheBundledSeed) {
  std::ifstream in(MOTCUA_SOURCE_DIR "/data/hanoi-organisation.json");
  std::ostringstream ss;
  ss << in.rdbuf();
  auto seed = ParseOrganisation(ss.str());
  ASSERT_TRUE(seed.ok()) << seed.error().message_en;
  EXPECT_GE(seed->units.size(), 50u);
  int branches = 0;
  for (const auto& p : seed->service_points) {
    branches += p.kind == organisation::ServicePointKind::kCentreBranch;
  }
  EXPECT_EQ(branches, 12);
}

TEST(ParseOrganisation, NumbersAreRangeCheckedBeforeNarrowing) {
  // Found by fuzzing: these were undefined behaviour or wrapped to small valid values.
  const std::string hours =
      R"(,"hours":[{"weekday":%,"morning":["08:00","12:00"],"afternoon":["13:00","17:00"]}])";
  for (const std::string weekday : {"1e10", "4294967297", "1.9", "-1", "7", "\"1\""}) {
    std::string h = hours;
    h.replace(h.find('%'), 1, weekday);
    auto r = ParseOrganisation(Point(h));
    ASSERT_FALSE(r.ok()) << weekday;
    EXPECT_EQ(r.error().field, "hours");
  }
  for (const std::string counters : {"4294967301", "-1", "501", "2.5", "\"3\""}) {
    auto r = ParseOrganisation(Point(R"(,"counters":)" + counters));
    ASSERT_FALSE(r.ok()) << counters;
    EXPECT_EQ(r.error().field, "counters");
  }
  auto ok = ParseOrganisation(Point(R"(,"counters":500)"));
  ASSERT_TRUE(ok.ok()) << ok.error().message_en;
  EXPECT_EQ(ok->service_points[0].counters, 500);
}

TEST(ParseOrganisation, HoursMustBeInOrder) {
  auto r = ParseOrganisation(Point(
      R"(,"hours":[{"weekday":1,"morning":["12:00","08:00"],"afternoon":["13:00","17:00"]}])"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_vi.find("giờ"), std::string::npos);
}

}  // namespace
}  // namespace motcua::api
