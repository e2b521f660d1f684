#include "api/system_api.hpp"

#include <chrono>

#include "api/catalog_api.hpp"
#include "platform/metrics.hpp"
#include "storage/database.hpp"

namespace motcua::api {

http::Response SystemApi::Healthz(const http::Request&) const {
  return http::Response::Json(R"({"status":"ok"})");
}

http::Response SystemApi::Readyz(const http::Request& r) const {
  const auto start = std::chrono::steady_clock::now();
  bool ok = false;
  try {
    ok = db_.Ping();
  } catch (const std::exception&) {
    ok = false;
  }
  metrics_.ForDatabase("ping")->Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!ok) {
    http::Response res =
        ErrorResponse(MakeError(ErrorCode::kUnavailable, "Cơ sở dữ liệu không phản hồi",
                                "The database does not answer"),
                      r);
    res.headers.emplace_back("Retry-After", "2");
    return res;
  }
  return http::Response::Json(R"({"status":"ready","database":"ok"})");
}

http::Response SystemApi::Metrics(const http::Request&) const {
  return http::Response::Text(metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
}

http::Response SystemApi::OpenApi(const http::Request&) const {
  http::Response r = http::Response::Json(OpenApiDocument());
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace motcua::api
