#include "platform/config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "platform/metrics.hpp"

namespace motcua::config {
namespace {

TEST(Config, LayersOverrideAndValidate) {
  Config c;
  ASSERT_TRUE(Apply(c, {{"listen", "0.0.0.0:9000"}, {"io_threads", "4"}}, "file").ok());
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 9000);
  EXPECT_EQ(c.io_threads, 4);
  ASSERT_TRUE(Apply(c, {{"listen", "[::1]:0"}}, "flags").ok());
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 0);
  EXPECT_EQ(c.DatabaseUrl(), "sqlite:var/motcua.db");
  ASSERT_TRUE(Apply(c, {{"data", "/srv/motcua"}}, "flags").ok());
  EXPECT_EQ(c.DatabaseUrl(), "sqlite:/srv/motcua/motcua.db");
}

TEST(Config, ErrorsNameTheKeyAndTheSource) {
  Config c;
  const Config before = c;
  for (const auto& [k, v] :
       std::vector<std::pair<std::string, std::string>>{{"listen", "8080"},
                                                        {"listen", "host:99999"},
                                                        {"io_threads", "0"},
                                                        {"io_threads", "two"},
                                                        {"max_body_bytes", "-1"},
                                                        {"log_level", "loud"},
                                                        {"access_log", "yes"},
                                                        {"colour", "blue"}}) {
    Status st = Apply(c, {{k, v}}, "environment");
    ASSERT_FALSE(st.ok()) << k << "=" << v;
    EXPECT_NE(st.error().message_en.find(k), std::string::npos) << st.error().message_en;
    EXPECT_NE(st.error().message_en.find("environment"), std::string::npos);
    EXPECT_FALSE(st.error().message_vi.empty());
  }
  EXPECT_EQ(c.listen_port, before.listen_port);
  EXPECT_EQ(c.io_threads, before.io_threads);
  c.database_url = "mysql://x";
  EXPECT_FALSE(Validate(c).ok());
}

TEST(Config, ReadsFilesWithCommentsAndRejectsJunk) {
  const std::string path = ::testing::TempDir() + "/motcua-test.conf";
  {
    std::ofstream f(path);
    f << "# comment\nlisten = 127.0.0.1:1234  # trailing\n\nlog_level=warn\n";
  }
  auto settings = ReadFile(path);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->at("listen"), "127.0.0.1:1234");
  EXPECT_EQ(settings->at("log_level"), "warn");
  {
    std::ofstream f(path);
    f << "listen 127.0.0.1:1234\n";
  }
  auto bad = ReadFile(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message_en.find(":1"), std::string::npos);
  EXPECT_FALSE(ReadFile("/nonexistent/motcua.conf").ok());
}

TEST(Config, EnvironmentVariables) {
  ::setenv("MOTCUA_IO_THREADS", "3", 1);
  ::setenv("MOTCUA_DATABASE_URL", "postgresql://u@h/db", 1);
  auto env = FromEnvironment();
  ::unsetenv("MOTCUA_IO_THREADS");
  ::unsetenv("MOTCUA_DATABASE_URL");
  EXPECT_EQ(env.at("io_threads"), "3");
  EXPECT_EQ(env.at("database_url"), "postgresql://u@h/db");
}

TEST(Metrics, HistogramsAreCumulativeAndRendered) {
  metrics::Registry registry;
  registry.SetBuildInfo("1.2.3", "sqlite");
  auto* route = registry.ForRoute("GET", "/x");
  EXPECT_EQ(route, registry.ForRoute("GET", "/x"));
  route->Record(200, 0.0004);
  route->Record(200, 0.003);
  route->Record(404, 5.0);
  const std::string out = registry.Render();
  EXPECT_NE(out.find("motcua_http_requests_total{method=\"GET\",route=\"/x\",status=\"2xx\"} 2"),
            std::string::npos);
  EXPECT_NE(out.find("motcua_http_requests_total{method=\"GET\",route=\"/x\",status=\"4xx\"} 1"),
            std::string::npos);
  EXPECT_NE(out.find("le=\"0.0005\"} 1"), std::string::npos);
  EXPECT_NE(out.find("le=\"0.005\"} 2"), std::string::npos);
  EXPECT_NE(out.find("le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(out.find("motcua_build_info{version=\"1.2.3\",database=\"sqlite\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace motcua::config
