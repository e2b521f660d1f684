#include "api/catalog_api.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "api/auth_gate.hpp"
#include "api/params.hpp"
#include "api/procedure_json.hpp"
#include "http/problem.hpp"

namespace motcua::api {

using nlohmann::json;

http::Response ErrorResponse(const Error& error, const http::Request& request) {
  return http::ProblemResponse(error, request.request_id);
}

http::Response JsonOk(std::string body) { return http::Response::Json(std::move(body)); }

namespace {

// Bodies depend on the request and on the day (which rules are in force).
std::string CacheKey(const http::Request& r, Date today) {
  std::string key;
  key.reserve(10 + r.target.size());
  key += today.ToIso();
  key += r.target;
  return key;
}

}  // namespace

http::Response CatalogApi::ListProcedures(const http::Request& r) const {
  const auto index = catalog_.Snapshot();
  const Date today = clock_.TodayInVietnam();
  const std::string key = CacheKey(r, today);
  if (auto body = cache_.Get(index, key)) return http::Response::Json(std::move(body));
  if (Status st = OnlyParams(r, {"q", "field", "level", "online", "offset", "limit"}); !st.ok()) {
    return ErrorResponse(st.error(), r);
  }
  auto q = TextParam(r, "q", 200);
  if (!q.ok()) return ErrorResponse(q.error(), r);
  auto field = TextParam(r, "field", 100);
  if (!field.ok()) return ErrorResponse(field.error(), r);
  auto offset = IntParam(r, "offset", 0, 100000, 0);
  if (!offset.ok()) return ErrorResponse(offset.error(), r);
  auto limit = IntParam(r, "limit", 1, 100, 20);
  if (!limit.ok()) return ErrorResponse(limit.error(), r);

  catalog::SearchQuery query;
  query.text = q->value_or("");
  query.field = *field;
  query.offset = static_cast<size_t>(*offset);
  query.limit = static_cast<size_t>(*limit);
  if (const auto level = r.Query("level"); !level.empty()) {
    query.level = catalog::ParseLevel(level);
    if (!query.level) {
      return ErrorResponse(
          MakeError(ErrorCode::kInvalidArgument, "level phải là commune, city hoặc central_police",
                    "level must be commune, city or central_police", "level"),
          r);
    }
  }
  if (const auto online = r.Query("online"); !online.empty()) {
    query.online = catalog::ParseOnlineLevel(online);
    if (!query.online) {
      return ErrorResponse(
          MakeError(ErrorCode::kInvalidArgument, "online phải là full, partial hoặc none",
                    "online must be full, partial or none", "online"),
          r);
    }
  }

  const catalog::SearchResult result = index->Search(query);
  JsonWriter w;
  w.Reserve(1024 + 700 * result.hits.size());
  w.BeginObject();
  w.Key("total").Int(static_cast<int64_t>(result.total));
  w.Key("offset").Int(static_cast<int64_t>(query.offset));
  w.Key("limit").Int(static_cast<int64_t>(query.limit));
  w.Key("confident").Bool(result.confident);
  w.Key("items").BeginArray();
  for (const auto& hit : result.hits) {
    WriteProcedureSummary(w, *hit.procedure, today, query.text.empty() ? nullptr : &hit);
  }
  w.EndArray().EndObject();
  auto text = std::make_shared<const std::string>(w.Take());
  cache_.Put(index, key, text);
  return http::Response::Json(std::move(text));
}

http::Response CatalogApi::GetProcedure(const http::Request& r) const {
  const auto index = catalog_.Snapshot();
  const Date today = clock_.TodayInVietnam();
  const std::string key = CacheKey(r, today);
  if (auto body = cache_.Get(index, key)) return http::Response::Json(std::move(body));
  if (Status st = OnlyParams(r, {"on"}); !st.ok()) return ErrorResponse(st.error(), r);
  auto on = DateParam(r, "on");
  if (!on.ok()) return ErrorResponse(on.error(), r);
  const std::string code(r.Param("code"));
  const catalog::Procedure* p = index->Find(code);
  if (!p) {
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "Không có thủ tục mã " + code,
                                   "No procedure with code " + code, "code"),
                         r);
  }
  auto text = std::make_shared<const std::string>(ProcedureDetailJson(*p, on->value_or(today)));
  cache_.Put(index, key, text);
  return http::Response::Json(std::move(text));
}

http::Response CatalogApi::ListFields(const http::Request& r) const {
  if (Status st = OnlyParams(r, {}); !st.ok()) return ErrorResponse(st.error(), r);
  const auto index = catalog_.Snapshot();
  std::map<std::string, int> counts;  // ordered by Vietnamese name (byte order of NFC)
  for (const auto& p : index->procedures()) ++counts[p.field];
  json items = json::array();
  for (const auto& [name, count] : counts) {
    items.push_back({{"name_vi", name},
                     {"name_en", std::string(catalog::FieldNameEn(name))},
                     {"count", count}});
  }
  return JsonOk(json{{"items", std::move(items)}}.dump());
}

http::Response CatalogApi::ImportProcedures(const http::Request& r) const {
  if (auto refused = RequireJson(r)) return *refused;
  if (Status st = OnlyParams(r, {"effective_from"}); !st.ok()) return ErrorResponse(st.error(), r);
  auto effective = DateParam(r, "effective_from");
  if (!effective.ok()) return ErrorResponse(effective.error(), r);
  const Date from = effective->value_or(clock_.TodayInVietnam());
  auto procedures = ParseProcedures(r.body, from);
  if (!procedures.ok()) return ErrorResponse(procedures.error(), r);
  auto report = catalog_.Import(*procedures, from, ActorOf(r));
  if (!report.ok()) return ErrorResponse(report.error(), r);
  json body = {{"added", report->added},
               {"updated", report->updated},
               {"new_rules", report->new_rules},
               {"unchanged", report->unchanged},
               {"effective_from", from.ToIso()}};
  return JsonOk(body.dump());
}

}  // namespace motcua::api
