#include "api/audit_api.hpp"

#include "api/auth_gate.hpp"
#include "api/json_writer.hpp"
#include "api/params.hpp"
#include "core/json_text.hpp"
#include "http/problem.hpp"
#include "storage/audit_store.hpp"

namespace motcua::api {

http::Response AuditApi::Verify(const http::Request& r) const {
  if (Status st = OnlyParams(r, {}); !st.ok())
    return http::ProblemResponse(st.error(), r.request_id);
  const storage::AuditVerification v = storage::VerifyAudit(db_, trusted_keys_());
  http::Response res =
      http::Response::Json(JsonObject({{"ok", v.ok},
                                       {"records", v.records},
                                       {"signed_heads", v.heads},
                                       {"first_bad", v.first_bad},
                                       {"problem", std::string_view(v.problem_en)},
                                       {"problem_vi", std::string_view(v.problem_vi)}}));
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

http::Response AuditApi::Search(const http::Request& r) const {
  const auto fail = [&](const Error& e) { return ErrorAnswer(e, r.request_id); };
  if (Status st =
          OnlyParams(r, {"actor", "action", "target", "unit", "from", "to", "before", "limit"});
      !st.ok()) {
    return fail(st.error());
  }
  storage::AuditQuery q;
  for (auto [name, field] : {std::pair{"actor", &q.actor}, std::pair{"action", &q.action},
                             std::pair{"target", &q.target}, std::pair{"unit", &q.unit},
                             std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    auto v = TextParam(r, name, 200);
    if (!v.ok()) return fail(v.error());
    *field = v->value_or("");
  }
  for (const std::string* t : {&q.from, &q.to}) {
    if (!t->empty() && ParseIsoUtcSeconds(*t) == 0) {
      return fail(MakeError(ErrorCode::kInvalidArgument,
                            "Thời điểm phải có dạng YYYY-MM-DDTHH:MM:SSZ",
                            "Times must be YYYY-MM-DDTHH:MM:SSZ", t == &q.from ? "from" : "to"));
    }
  }
  auto before = IntParam(r, "before", 0, INT64_MAX, 0);
  if (!before.ok()) return fail(before.error());
  auto limit = IntParam(r, "limit", 1, 500, 50);
  if (!limit.ok()) return fail(limit.error());
  q.before_seq = *before;
  q.limit = static_cast<size_t>(*limit);
  // A unit leader sees the acts of their own unit only.
  if (r.principal->role == Role::kUnitLeader) {
    if (!q.unit.empty() && q.unit != r.principal->unit) {
      return fail(MakeError(ErrorCode::kForbidden, "Chỉ xem được nhật ký của đơn vị mình",
                            "Only your own unit's records can be searched", "unit"));
    }
    q.unit = r.principal->unit;
  }
  JsonWriter w;
  w.BeginObject();
  w.Key("items").BeginArray();
  for (const storage::AuditEntry& e : storage::SearchAudit(db_, q)) {
    w.BeginObject();
    w.Key("seq").Int(e.seq);
    w.Key("at").String(e.at);
    w.Key("actor").String(e.actor);
    w.Key("role").String(e.role);
    w.Key("unit").String(e.unit);
    w.Key("action").String(e.action);
    w.Key("target").String(e.target);
    w.Key("request_id").String(e.request_id);
    w.Key("client").String(e.client);
    // The details are JSON the platform wrote itself (core/json_text).
    w.Key("details").Raw(e.details.empty() ? std::string_view("{}") : std::string_view(e.details));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::string body = w.Take();
  return NoStore(http::Response::Json(std::move(body)));
}

}  // namespace motcua::api
