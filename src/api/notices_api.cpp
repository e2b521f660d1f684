#include "api/notices_api.hpp"

#include <nlohmann/json.hpp>

#include "api/auth_gate.hpp"
#include "api/params.hpp"
#include "core/vn_text.hpp"
#include "http/problem.hpp"

namespace motcua::api {
namespace {

using nlohmann::json;

Error Invalid(std::string vi, std::string en, std::string field) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

// {"service_point"?: string|null, "text_vi": string, "text_en"?: string}; nothing else.
Result<notices::NoticeDraft> ParseDraft(const std::string& body) {
  if (!text::IsValidUtf8(body)) {
    return Invalid("Nội dung không phải UTF-8 hợp lệ", "The body is not valid UTF-8", "");
  }
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Invalid("Nội dung phải là một đối tượng JSON", "The body must be a JSON object", "");
  }
  notices::NoticeDraft draft;
  for (const auto& [key, value] : doc.items()) {
    if (key == "service_point") {
      if (value.is_null()) continue;
      if (!value.is_string()) {
        return Invalid("service_point phải là chuỗi", "service_point must be a string", key);
      }
      draft.service_point = value.get<std::string>();
    } else if (key == "text_vi" || key == "text_en") {
      if (!value.is_string()) {
        return Invalid(key + " phải là chuỗi", key + " must be a string", key);
      }
      (key == "text_vi" ? draft.text_vi : draft.text_en) = text::ToNfc(value.get<std::string>());
    } else {
      return Invalid("Trường không được hỗ trợ: " + key, "Unknown field: " + key, key);
    }
  }
  return draft;
}

}  // namespace

void NoticesApi::Publish(const http::Request& r, http::Respond respond) const {
  if (auto refused = RequireJson(r)) return respond(std::move(*refused));
  if (Status st = OnlyParams(r, {}); !st.ok()) {
    return respond(http::ProblemResponse(st.error(), r.request_id));
  }
  auto draft = ParseDraft(r.body);
  if (!draft.ok()) return respond(http::ProblemResponse(draft.error(), r.request_id));
  service_.Publish(std::move(draft).value(), ActorOf(r),
                   [respond, id = r.request_id](Result<notices::Notice> notice) {
                     if (!notice.ok()) return respond(ErrorAnswer(notice.error(), id));
                     respond(http::Response::Json(notices::ToJson(*notice), 201));
                   });
}

http::Response NoticesApi::List(const http::Request& r) const {
  const auto fail = [&](const Error& e) { return http::ProblemResponse(e, r.request_id); };
  if (Status st = OnlyParams(r, {"service_point", "limit"}); !st.ok()) return fail(st.error());
  auto limit = IntParam(r, "limit", 1, 500, 50);
  if (!limit.ok()) return fail(limit.error());
  auto point = TextParam(r, "service_point", 64);
  if (!point.ok()) return fail(point.error());
  std::string body = "{\"items\":[";
  bool first = true;
  for (const notices::Notice& n : service_.List(*point, static_cast<size_t>(*limit))) {
    if (!first) body += ',';
    first = false;
    body += notices::ToJson(n);
  }
  body += "]}";
  return http::Response::Json(std::move(body));
}

}  // namespace motcua::api
