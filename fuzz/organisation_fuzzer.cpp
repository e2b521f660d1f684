// Fuzzes api::ParseOrganisation: the organisation seed file (units and service points). It must
// never crash or throw, and what it accepts must say what the JSON said.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/organisation_api.hpp"
#include "core/vn_text.hpp"
#include "fuzz_check.hpp"

namespace {

bool IsTime(const std::string& s) {
  return s.size() == 5 && s[2] == ':' && s >= "00:00" && s <= "23:59" && s[3] <= '5';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using nlohmann::json;
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  auto seed = motcua::api::ParseOrganisation(in);  // an exception here fails the run
  if (!seed.ok()) {
    FUZZ_CHECK(seed.error().code == motcua::ErrorCode::kInvalidArgument);
    return 0;
  }
  // Accepted: compare with an independent reading of the same document.
  const json doc = json::parse(in);
  const json units = doc.value("units", json::array());
  const json points = doc.value("service_points", json::array());
  FUZZ_CHECK(seed->units.size() == units.size());
  FUZZ_CHECK(seed->service_points.size() == points.size());
  for (const auto& u : seed->units) {
    FUZZ_CHECK(!u.code.empty() && !u.name.empty());
    FUZZ_CHECK(motcua::text::IsValidUtf8(u.code) && motcua::text::IsValidUtf8(u.name));
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const auto& p = seed->service_points[i];
    FUZZ_CHECK(!p.code.empty() && !p.unit_code.empty());
    FUZZ_CHECK(motcua::text::IsValidUtf8(p.address));
    // The number stored is the number written: a count outside 0..500 must be refused, not
    // wrapped into range.
    FUZZ_CHECK(p.counters >= 0 && p.counters <= 500);
    const json counters = points[i].value("counters", json(0));
    FUZZ_CHECK(counters.is_number_integer() && counters == json(p.counters));
    const json hours = points[i].value("hours", json::array());
    FUZZ_CHECK(p.hours.size() == hours.size());
    for (size_t k = 0; k < p.hours.size(); ++k) {
      const auto& h = p.hours[k];
      FUZZ_CHECK(h.weekday >= 0 && h.weekday <= 6);
      FUZZ_CHECK(hours[k].at("weekday") == json(h.weekday));
      FUZZ_CHECK(IsTime(h.morning_open) && IsTime(h.morning_close));
      FUZZ_CHECK(IsTime(h.afternoon_open) && IsTime(h.afternoon_close));
      FUZZ_CHECK(h.morning_open < h.morning_close && h.morning_close <= h.afternoon_open &&
                 h.afternoon_open < h.afternoon_close);
    }
    for (const auto& f : p.fields) FUZZ_CHECK(motcua::text::IsValidUtf8(f));
  }
  return 0;
}
