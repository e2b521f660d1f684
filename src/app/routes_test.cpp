// Every route the program registers is described in the OpenAPI document, with its method, and
// the document describes no route that does not exist.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "app/routes.hpp"
#include "app/services.hpp"

namespace motcua::app {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(Routes, EveryRouteIsDocumentedAndNothingElse) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("motcua-routes-" + std::to_string(::getpid()));
  config::Config c;
  c.data_dir = dir.string();
  {
    Services services(c);
    const http::Router router = BuildRouter(services);
    const auto doc = nlohmann::json::parse(api::OpenApiDocument());
    std::set<std::pair<std::string, std::string>> registered, documented;
    for (const auto& r : router.routes()) registered.emplace(Lower(r.method), r.pattern);
    for (const auto& [path, item] : doc["paths"].items()) {
      for (const auto& [method, op] : item.items()) {
        documented.emplace(method, path);
        EXPECT_TRUE(op.contains("responses")) << method << " " << path;
      }
    }
    EXPECT_GE(registered.size(), 10u);
    for (const auto& r : registered) {
      EXPECT_TRUE(documented.count(r)) << "not in openapi.json: " << r.first << " " << r.second;
    }
    for (const auto& d : documented) {
      EXPECT_TRUE(registered.count(d))
          << "documented but not routed: " << d.first << " " << d.second;
    }
  }
  std::filesystem::remove_all(dir);
}

// The routes anyone may call without signing in, listed here on purpose: making a route public
// (or forgetting to protect a new one) fails this test until the list is changed too.
TEST(Routes, PublicRoutesAreExactlyTheListedOnes) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("motcua-public-" + std::to_string(::getpid()));
  config::Config c;
  c.data_dir = dir.string();
  {
    Services services(c);
    const http::Router router = BuildRouter(services);
    const std::set<std::string> expected = {"GET /api/v1/procedures",
                                            "GET /api/v1/procedures/{code}",
                                            "GET /api/v1/fields",
                                            "GET /api/v1/units",
                                            "GET /api/v1/service-points",
                                            "GET /api/v1/notices",
                                            "GET /api/v1/events",
                                            "GET /api/v1/auth/oidc/start",
                                            "GET /api/v1/auth/oidc/callback",
                                            "POST /api/v1/auth/sign-in",
                                            "POST /api/v1/auth/register",
                                            "GET /api/v1/auth/methods",
                                            "GET /api/v1/calendar/days",
                                            "GET /api/v1/calendar/due-date",
                                            "GET /healthz",
                                            "GET /readyz",
                                            "GET /api/openapi.json"};
    std::set<std::string> public_routes;
    for (const auto& r : router.routes()) {
      ASSERT_NE(r.access.kind, http::Access::Kind::kUndeclared) << r.method << " " << r.pattern;
      if (r.access.is_public()) public_routes.insert(r.method + " " + r.pattern);
    }
    EXPECT_EQ(public_routes, expected);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace motcua::app
