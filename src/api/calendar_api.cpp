#include "api/calendar_api.hpp"

#include "api/auth_gate.hpp"
#include "api/json_writer.hpp"
#include "api/params.hpp"
#include "domain/calendar/due_date.hpp"

namespace motcua::api {
namespace {

using namespace std::chrono;

Error Invalid(std::string vi, std::string en, std::string field) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

std::string_view KindName(calendar::NonWorkingReason::Kind k) {
  switch (k) {
    case calendar::NonWorkingReason::Kind::kWeekend:
      return "weekend";
    case calendar::NonWorkingReason::Kind::kHoliday:
      return "holiday";
    case calendar::NonWorkingReason::Kind::kDayOff:
      return "day_off";
    case calendar::NonWorkingReason::Kind::kUnitClosed:
      return "unit_closed";
  }
  return "";
}

std::string_view RuleName(calendar::ClockStartRule r) {
  switch (r) {
    case calendar::ClockStartRule::kInWorkingHours:
      return "in_working_hours";
    case calendar::ClockStartRule::kLaterSameDay:
      return "later_same_day";
    case calendar::ClockStartRule::kAfterCutOff:
      return "after_cut_off";
    case calendar::ClockStartRule::kAfterClosing:
      return "after_closing";
    case calendar::ClockStartRule::kClosedDay:
      return "closed_day";
  }
  return "";
}

// "2026-12-04T10:00:00+07:00": instants are shown in Vietnam's time.
std::string LocalIso(calendar::Instant t) {
  std::string utc = ToIsoUtc(t + calendar::kVietnamUtcOffset);
  utc.pop_back();  // the 'Z'
  return utc + "+07:00";
}

// An instant from "YYYY-MM-DDTHH:MM:SSZ" or "...+07:00".
std::optional<calendar::Instant> ParseInstant(std::string_view s) {
  if (s.size() == 25 && s.substr(19) == "+07:00") {
    const int64_t local = ParseIsoUtcSeconds(std::string(s.substr(0, 19)) + "Z");
    if (local == 0) return std::nullopt;
    return calendar::Instant{} + seconds(local) - calendar::kVietnamUtcOffset;
  }
  const int64_t utc = ParseIsoUtcSeconds(s);
  if (utc == 0) return std::nullopt;
  return calendar::Instant{} + seconds(utc);
}

void WriteReason(JsonWriter& w, const calendar::NonWorkingReason& r) {
  w.Key("reason").BeginObject();
  w.Key("kind").String(KindName(r.kind));
  w.Key("name").String(r.name);
  w.EndObject();
}

}  // namespace

http::Response CalendarApi::Days(const http::Request& r) const {
  const auto fail = [&](const Error& e) { return ErrorAnswer(e, r.request_id); };
  if (Status st = OnlyParams(r, {"from", "to"}); !st.ok()) return fail(st.error());
  auto from = DateParam(r, "from");
  if (!from.ok()) return fail(from.error());
  auto to = DateParam(r, "to");
  if (!to.ok()) return fail(to.error());
  if (!*from || !*to)
    return fail(Invalid("Cần from và to (YYYY-MM-DD)", "from and to (YYYY-MM-DD) are required",
                        !*from ? "from" : "to"));
  const int64_t span = (*to)->days() - (*from)->days();
  if (span < 0 || span > 366) {
    return fail(
        Invalid("Khoảng ngày phải từ 0 đến 366 ngày", "The range must be 0 to 366 days", "to"));
  }
  JsonWriter w;
  w.BeginObject();
  w.Key("items").BeginArray();
  int working = 0;
  for (int64_t d = (*from)->days(); d <= (*to)->days(); ++d) {
    const Date date = Date::FromDays(d);
    const auto why = calendar_->WhyNotWorking(date);
    w.BeginObject();
    w.Key("date").String(date.ToIso());
    w.Key("working").Bool(!why);
    if (why) WriteReason(w, *why);
    w.EndObject();
    working += !why;
  }
  w.EndArray();
  w.Key("working_days").Int(working);
  w.EndObject();
  http::Response res = http::Response::Json(w.Take());
  res.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return res;
}

http::Response CalendarApi::DueDate(const http::Request& r) const {
  const auto fail = [&](const Error& e) { return ErrorAnswer(e, r.request_id); };
  if (Status st = OnlyParams(r, {"received_at", "days", "hours", "cut_off"}); !st.ok()) {
    return fail(st.error());
  }
  const auto received = ParseInstant(r.Query("received_at"));
  if (!received) {
    return fail(Invalid("received_at phải có dạng 2026-12-02T09:30:00+07:00 hoặc ...Z",
                        "received_at must look like 2026-12-02T09:30:00+07:00 or ...Z",
                        "received_at"));
  }
  bool has_days = false, has_hours = false;
  r.Query("days", &has_days);
  r.Query("hours", &has_hours);
  if (has_days == has_hours) {
    return fail(
        Invalid("Cần đúng một trong days hoặc hours", "Give exactly one of days or hours", "days"));
  }
  auto amount = IntParam(r, has_days ? "days" : "hours", 0, has_days ? 1000 : 8000, 0);
  if (!amount.ok()) return fail(amount.error());
  calendar::DueDateRequest request;
  request.received_at = *received;
  request.limit.amount = static_cast<int>(*amount);
  request.limit.unit =
      has_days ? calendar::TimeLimit::Unit::kWorkingDays : calendar::TimeLimit::Unit::kWorkingHours;
  if (const std::string_view c = r.Query("cut_off"); !c.empty()) {
    if (c.size() != 5 || c[2] != ':' || !isdigit(c[0]) || !isdigit(c[1]) || !isdigit(c[3]) ||
        !isdigit(c[4]) || (c[0] - '0') * 10 + (c[1] - '0') > 23 || c[3] > '5') {
      return fail(Invalid("cut_off phải có dạng HH:MM", "cut_off must be HH:MM", "cut_off"));
    }
    request.cut_off =
        hours((c[0] - '0') * 10 + (c[1] - '0')) + minutes((c[3] - '0') * 10 + (c[4] - '0'));
  }
  const calendar::DueDate due = calendar::ComputeDueDate(time_, request);
  JsonWriter w;
  w.BeginObject();
  w.Key("received_at").String(LocalIso(*received));
  w.Key("counting_from").String(LocalIso(due.start.at));
  w.Key("counting_rule").String(RuleName(due.start.rule));
  w.Key("working_hours").Int(duration_cast<hours>(due.working_time).count());
  w.Key("due_at").String(LocalIso(due.due_at));
  w.Key("skipped_days").BeginArray();
  for (const calendar::SkippedDay& s : due.skipped_days) {
    w.BeginObject();
    w.Key("date").String(s.date.ToIso());
    WriteReason(w, s.reason);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return http::Response::Json(w.Take());
}

}  // namespace motcua::api
