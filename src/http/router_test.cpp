#include "http/router.hpp"

#include <gtest/gtest.h>

#include "http/gzip.hpp"
#include "http/message.hpp"
#include "http/request_parser.hpp"

namespace motcua::http {
namespace {

Response Ok(const Request&) { return Response::Json("{}"); }

Route MakeRoute(std::string method, std::string pattern, Access access = Access::Public()) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.access = access;
  r.handler = Ok;
  return r;
}

TEST(Router, MatchesParametersMethodsAndHead) {
  Router router;
  router.Add(MakeRoute("GET", "/api/v1/procedures"));
  router.Add(MakeRoute("GET", "/api/v1/procedures/{code}"));
  router.Add(MakeRoute("POST", "/api/v1/procedures/import"));

  Match m = router.Find("GET", "/api/v1/procedures/1.004194");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/procedures/{code}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].second, "1.004194");

  EXPECT_EQ(router.Find("POST", "/api/v1/procedures/import").route->method, "POST");
  EXPECT_NE(router.Find("HEAD", "/api/v1/procedures").route, nullptr);

  Match wrong = router.Find("DELETE", "/api/v1/procedures");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_matched);

  Match none = router.Find("GET", "/api/v1/procedures/a/b");
  EXPECT_EQ(none.route, nullptr);
  EXPECT_FALSE(none.path_matched);
  EXPECT_EQ(router.Find("GET", "/api/v1/procedures/").route, nullptr) << "empty parameter";
  EXPECT_THROW(router.Add(MakeRoute("GET", "/api/v1/procedures")), std::logic_error);
}

// A route that does not say who may call it is refused when it is added, so an endpoint
// cannot be left unprotected by forgetting; so is a route that admits no role at all.
TEST(Router, RefusesRoutesWithoutAnAccessRule) {
  Router router;
  EXPECT_THROW(router.Add(MakeRoute("GET", "/a", Access{})), std::logic_error);
  EXPECT_THROW(router.Add(MakeRoute("GET", "/b", Access::Roles(0))), std::logic_error);
  router.Add(MakeRoute("GET", "/c", Access::Roles(RolesOf({Role::kAdministrator}))));
  EXPECT_EQ(router.routes().size(), 1u);
}

TEST(Message, PercentDecodingAndQueries) {
  std::string out;
  EXPECT_TRUE(PercentDecode("%C4%90%C4%83ng+k%C3%BD", true, &out));
  EXPECT_EQ(out, "Đăng ký");
  EXPECT_TRUE(PercentDecode("a+b", false, &out));
  EXPECT_EQ(out, "a+b");
  EXPECT_FALSE(PercentDecode("%G1", true, &out));
  EXPECT_FALSE(PercentDecode("abc%", true, &out));
  EXPECT_FALSE(PercentDecode("abc%4", true, &out));

  std::vector<std::pair<std::string, std::string>> q;
  ASSERT_TRUE(ParseQuery("q=dang+ky&limit=5&&flag&empty=", &q));
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"q", "dang ky"}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_FALSE(ParseQuery("q=%ZZ", &q));
}

TEST(Gzip, Compression) {
  EXPECT_TRUE(WorthCompressing("application/json", 5000));
  EXPECT_FALSE(WorthCompressing("application/json", 200));
  EXPECT_FALSE(WorthCompressing("image/png", 50000));
  const std::string text(10000, 'a');
  const std::string z = Gzip(text);
  ASSERT_GT(z.size(), 10u);
  EXPECT_LT(z.size(), 200u);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
}

}  // namespace
}  // namespace motcua::http

namespace motcua::http {
namespace {

TEST(BearerToken, SchemeIsCaseInsensitive) {
  Request r;
  for (const char* v : {"Bearer abc", "bearer abc", "BEARER  abc", "Bearer\tabc"}) {
    r.headers = {{"authorization", v}};
    EXPECT_EQ(BearerToken(r), "abc") << v;
  }
  for (const char* v : {"Basic abc", "Bearerabc", "Bearer", "Bearer "}) {
    r.headers = {{"authorization", v}};
    EXPECT_EQ(BearerToken(r), "") << v;
  }
}

}  // namespace
}  // namespace motcua::http

namespace motcua::http {
namespace {

TEST(Access, AdmitsItsRolesAndHoldsBackAnUnchangedInitialPassword) {
  const Access leaders = Access::Roles(RolesOf({Role::kUnitLeader, Role::kAdministrator}));
  Principal who;
  who.role = Role::kUnitLeader;
  EXPECT_FALSE(leaders.RefusalFor(who).has_value());
  who.role = Role::kCitizen;
  auto refused = leaders.RefusalFor(who);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->code, ErrorCode::kForbidden);
  EXPECT_NE(refused->message_en.find("citizen"), std::string::npos);
  who.role = Role::kAdministrator;
  who.must_change_password = true;
  EXPECT_TRUE(leaders.RefusalFor(who).has_value());
  Access me = Access::Roles(kAnyRole);
  me.during_password_change = true;
  EXPECT_FALSE(me.RefusalFor(who).has_value());
  EXPECT_FALSE(Access::Public().RefusalFor(who).has_value());
}

}  // namespace
}  // namespace motcua::http
