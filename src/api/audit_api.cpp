#include "api/audit_api.hpp"

#include "api/auth_gate.hpp"
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

}  // namespace motcua::api
