#pragma once
// Operations endpoints: liveness, readiness, Prometheus metrics, the OpenAPI description.

#include <string>

#include "http/message.hpp"

namespace motcua::storage {
class Database;
}
namespace motcua::metrics {
class Registry;
}

namespace motcua::api {

class SystemApi {
 public:
  SystemApi(storage::Database& db, metrics::Registry& metrics) : db_(db), metrics_(metrics) {}
  http::Response Healthz(const http::Request& request) const;
  http::Response Readyz(const http::Request& request) const;
  http::Response Metrics(const http::Request& request) const;
  http::Response OpenApi(const http::Request& request) const;

 private:
  storage::Database& db_;
  metrics::Registry& metrics_;
};

// The OpenAPI 3.1 document (JSON text).
const std::string& OpenApiDocument();

}  // namespace motcua::api
