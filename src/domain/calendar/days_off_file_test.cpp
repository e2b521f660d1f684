#include "domain/calendar/days_off_file.hpp"

#include <gtest/gtest.h>

#include "domain/calendar/calendar_test_util.hpp"

namespace motcua::calendar {
namespace {

using testing::CalendarTestDataPath;
using testing::ReadFile;
using testing::SourcePath;
using testing::Ymd;

TEST(HolidayDaysOffFile, TheBundledFileParses) {
  const auto days =
      ParseDaysOffFile(ReadFile(SourcePath("data/vn-calendar/official-days-off.tsv")));
  ASSERT_TRUE(days.ok()) << days.error().message_en;
  ASSERT_EQ(days->size(), 28u);
  EXPECT_EQ(days->front(), (AnnouncedDay{Ymd(2025, 1, 1), AnnouncedKind::kHoliday, "Tết Dương lịch",
                                         "Labor Code art. 112"}));
  EXPECT_EQ((*days)[15],
            (AnnouncedDay{Ymd(2026, 1, 10), AnnouncedKind::kWorkday, "Làm bù cho ngày 2/1",
                          "Government Office notice 12729/VPCP-KGVX"}));
  int holidays = 0, days_off = 0, workdays = 0;
  for (const AnnouncedDay& d : *days) {
    holidays += d.kind == AnnouncedKind::kHoliday;
    days_off += d.kind == AnnouncedKind::kDayOff;
    workdays += d.kind == AnnouncedKind::kWorkday;
  }
  EXPECT_EQ(holidays, 21);
  EXPECT_EQ(days_off, 4);
  EXPECT_EQ(workdays, 3);
}

TEST(HolidayDaysOffFile, CommentsBlankLinesCrLfAndAnOptionalBasis) {
  const auto days = ParseDaysOffFile(
      "# a comment\r\n"
      "\r\n"
      "   \n"
      "2027-02-10\tday_off\tNghỉ bù Tết\r\n"
      "2027-02-20\tworkday\tLàm bù\tQĐ 123\t\n");
  ASSERT_TRUE(days.ok()) << days.error().message_en;
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[0],
            (AnnouncedDay{Ymd(2027, 2, 10), AnnouncedKind::kDayOff, "Nghỉ bù Tết", ""}));
  EXPECT_EQ((*days)[1],
            (AnnouncedDay{Ymd(2027, 2, 20), AnnouncedKind::kWorkday, "Làm bù", "QĐ 123"}));
  EXPECT_TRUE(ParseDaysOffFile("").ok());
}

struct BadLine {
  const char* text;
  const char* field;
  const char* message_en;
};

TEST(HolidayDaysOffFile, MalformedLinesAreNamed) {
  const BadLine cases[] = {
      {"# header\n2027-02-10 day_off Nghỉ bù\n", "line 2",
       "line 2: expected 3 or 4 tab-separated columns (date, kind, name, basis), found 1"},
      {"2027-02-30\tday_off\tX\n", "line 1",
       "line 1: \"2027-02-30\" is not a valid date (expected YYYY-MM-DD)"},
      {"\n\n10/02/2027\tday_off\tX\n", "line 3",
       "line 3: \"10/02/2027\" is not a valid date (expected YYYY-MM-DD)"},
      {"2027-02-10\tholliday\tX\n", "line 1",
       "line 1: unknown kind \"holliday\" (expected holiday, day_off or workday)"},
      {"2027-02-10\tday_off\t \tbasis\n", "line 1", "line 1: the name is empty"},
      {"2027-02-10\tday_off\tX\tbasis\textra\n", "line 1",
       "line 1: expected 3 or 4 tab-separated columns (date, kind, name, basis), found 5"},
      {"2027-02-10\tday_off\tX\n# c\n2027-02-10\tholiday\tY\n", "line 3",
       "line 3: 2027-02-10 is already listed on line 1"},
  };
  for (const BadLine& c : cases) {
    const auto days = ParseDaysOffFile(c.text);
    ASSERT_FALSE(days.ok()) << c.text;
    EXPECT_EQ(days.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(days.error().field, c.field);
    EXPECT_EQ(days.error().message_en, c.message_en);
    EXPECT_EQ(days.error().message_vi.rfind("dòng " + days.error().field.substr(5) + ": ", 0), 0u)
        << days.error().message_vi;
  }
}

}  // namespace
}  // namespace motcua::calendar
