#include "api/auth_api.hpp"

#include "api/auth_gate.hpp"
#include "api/json_body.hpp"
#include "api/json_writer.hpp"
#include "api/params.hpp"
#include "platform/secrets.hpp"

namespace motcua::api {
namespace {

using FS = FieldSpec;

void WritePrincipal(JsonWriter& w, const Principal& p) {
  w.BeginObject();
  w.Key("id").Int(p.id);
  w.Key("login").String(p.login);
  w.Key("display_name").String(p.display_name);
  w.Key("role").String(RoleName(p.role));
  w.Key("role_title").String(RoleTitleVi(p.role));
  w.Key("unit").String(p.unit);
  w.Key("via").String(p.via == Principal::Via::kSession ? "session" : "api_key");
  w.Key("must_change_password").Bool(p.must_change_password);
  w.Key("second_factor").Bool(p.second_factor);
  w.EndObject();
}

// Answers a unit of work that returns nothing with 204 (and `set_cookie`, when given).
identity::Done<Unit> AnswerNoContent(const http::Request& r, http::Respond respond,
                                     std::string set_cookie = {}) {
  return [respond = std::move(respond), id = r.request_id,
          set_cookie = std::move(set_cookie)](Result<Unit> done) {
    if (!done.ok()) return respond(ErrorAnswer(done.error(), id));
    http::Response res = NoContent();
    if (!set_cookie.empty()) res.headers.emplace_back("Set-Cookie", set_cookie);
    respond(std::move(res));
  };
}

}  // namespace

std::string AccountJson(const identity::Account& a) {
  JsonWriter w;
  w.BeginObject();
  w.Key("id").Int(a.id);
  w.Key("login").String(a.login);
  w.Key("display_name").String(a.display_name);
  w.Key("role").String(RoleName(a.role));
  w.Key("unit").String(a.unit);
  w.Key("disabled").Bool(a.disabled);
  w.Key("must_change_password").Bool(a.must_change_password);
  w.Key("second_factor").Bool(!a.totp_secret.empty());
  w.Key("locked_until").String(a.locked_until);
  w.Key("created_at").String(a.created_at);
  w.EndObject();
  return w.Take();
}

void AuthApi::SignIn(const http::Request& r, http::Respond respond) {
  auto fields = BodyFieldsOrRefuse(
      r, respond,
      {FS{"login", FS::Type::kText, true, 64}, FS{"password", FS::Type::kText, true, 256},
       FS{"totp_code", FS::Type::kText, false, 10}, FS{"want_token", FS::Type::kBool}});
  if (!fields) return;
  if (int wait = sign_in_limiter_.Acquire(r.remote, std::chrono::steady_clock::now()); wait > 0) {
    return respond(
        ErrorAnswer(MakeError(ErrorCode::kTooManyRequests,
                              "Quá nhiều lần đăng nhập sai từ địa chỉ này; thử lại sau " +
                                  std::to_string(wait) + " giây",
                              "Too many failed sign-ins from this address; try again in " +
                                  std::to_string(wait) + " seconds"),
                    r.request_id, wait));
  }
  identity::SignInRequest request{fields->Text("login"), fields->Text("password"),
                                  fields->Text("totp_code"), r.remote};
  identity_.SignIn(
      std::move(request), ActorOf(r),
      [respond, id = r.request_id, want_token = fields->Flag("want_token"),
       secure = secure_cookies_, lifetime = identity_.policy().session_lifetime,
       limiter = &sign_in_limiter_, client = r.remote](Result<identity::SignedIn> s, int retry) {
        if (!s.ok()) {
          // Asking for the second factor is not a failure: the password was right.
          if (s.error().field == "totp_code") limiter->Refund(client);
          return respond(ErrorAnswer(s.error(), id, retry));
        }
        limiter->Refund(client);  // only failures count against the address
        JsonWriter w;
        w.BeginObject();
        w.Key("account");
        WritePrincipal(w, s->principal);
        w.Key("csrf_token").String(s->csrf_token);
        w.Key("expires_at").String(s->expires_at);
        // The token goes in the body only when asked (scripts, apps); a browser keeps it in the
        // HttpOnly cookie, out of reach of page scripts.
        if (want_token) w.Key("token").String(s->token);
        w.EndObject();
        http::Response res = http::Response::Json(w.Take());
        res.headers.emplace_back("Set-Cookie", SessionCookie(s->token, lifetime, secure));
        respond(NoStore(std::move(res)));
      });
}

void AuthApi::Register(const http::Request& r, http::Respond respond) {
  auto fields = BodyFieldsOrRefuse(
      r, respond,
      {FS{"id_number", FS::Type::kText, true, 20}, FS{"full_name", FS::Type::kText, true, 200},
       FS{"password", FS::Type::kText, true, 256}});
  if (!fields) return;
  if (!identity_.citizen_local_accounts()) {
    return respond(ErrorAnswer(MakeError(ErrorCode::kForbidden,
                                         "Đăng ký tài khoản tại chỗ không được bật; hãy đăng nhập "
                                         "bằng tài khoản định danh điện tử",
                                         "Local accounts are not enabled; sign in with the "
                                         "national digital identity"),
                               r.request_id));
  }
  if (int wait = register_limiter_.Acquire(r.remote, std::chrono::steady_clock::now()); wait > 0) {
    return respond(ErrorAnswer(MakeError(ErrorCode::kTooManyRequests,
                                         "Quá nhiều lần đăng ký từ địa chỉ này; thử lại sau " +
                                             std::to_string(wait) + " giây",
                                         "Too many registrations from this address; try again in " +
                                             std::to_string(wait) + " seconds"),
                               r.request_id, wait));
  }
  identity_.RegisterCitizen(
      fields->Text("id_number"), fields->Text("full_name"), fields->Text("password"), ActorOf(r),
      [respond, id = r.request_id](Result<identity::Account> a) {
        if (!a.ok()) return respond(ErrorAnswer(a.error(), id));
        respond(NoStore(http::Response::Json("{\"account\":" + AccountJson(*a) + "}", 201)));
      });
}

void AuthApi::SignOut(const http::Request& r, http::Respond respond) const {
  if (r.principal->via != Principal::Via::kSession) {
    return respond(
        ErrorAnswer(MakeError(ErrorCode::kInvalidArgument, "Khóa API không có phiên để đăng xuất",
                              "An API key has no session to end"),
                    r.request_id));
  }
  identity_.SignOut(CredentialOf(r), ActorOf(r),
                    AnswerNoContent(r, std::move(respond),
                                    SessionCookie({}, std::chrono::seconds{0}, secure_cookies_)));
}

void AuthApi::SignOutEverywhere(const http::Request& r, http::Respond respond) const {
  identity_.SignOutEverywhere(
      *r.principal, ActorOf(r),
      AnswerNoContent(r, std::move(respond),
                      SessionCookie({}, std::chrono::seconds{0}, secure_cookies_)));
}

http::Response AuthApi::Me(const http::Request& r) const {
  if (Status st = OnlyParams(r, {}); !st.ok()) return ErrorAnswer(st.error(), r.request_id);
  auto who = identity_.Authenticate(CredentialOf(r));
  if (!who)
    return ErrorAnswer(MakeError(ErrorCode::kUnauthenticated, "Cần đăng nhập", "Sign-in required"),
                       r.request_id);
  JsonWriter w;
  w.BeginObject();
  w.Key("account");
  WritePrincipal(w, *r.principal);
  w.Key("csrf_token").String(who->csrf_token);
  w.Key("expires_at").String(who->expires_at);
  w.EndObject();
  return NoStore(http::Response::Json(w.Take()));
}

http::Response AuthApi::Methods(const http::Request& r, bool provider_sign_in) const {
  if (Status st = OnlyParams(r, {}); !st.ok()) return ErrorAnswer(st.error(), r.request_id);
  JsonWriter w;
  w.BeginObject();
  w.Key("local").Bool(true);
  w.Key("citizen_registration").Bool(identity_.citizen_local_accounts());
  w.Key("provider").Bool(provider_sign_in);
  w.EndObject();
  http::Response res = http::Response::Json(w.Take());
  res.headers.emplace_back("Cache-Control", "no-cache");
  return res;
}

void AuthApi::ChangePassword(const http::Request& r, http::Respond respond) const {
  auto fields = BodyFieldsOrRefuse(r, respond,
                                   {FS{"current_password", FS::Type::kText, true, 256},
                                    FS{"new_password", FS::Type::kText, true, 256}});
  if (!fields) return;
  identity_.ChangePassword(
      *r.principal, fields->Text("current_password"), fields->Text("new_password"), ActorOf(r),
      AnswerNoContent(r, std::move(respond),
                      SessionCookie({}, std::chrono::seconds{0}, secure_cookies_)));
}

void AuthApi::BeginTotp(const http::Request& r, http::Respond respond) const {
  if (!BodyFieldsOrRefuse(r, respond, {})) return;
  identity_.BeginTotp(
      *r.principal, ActorOf(r),
      [respond, id = r.request_id, login = r.principal->login](Result<identity::TotpEnrolment> e) {
        if (!e.ok()) return respond(ErrorAnswer(e.error(), id));
        const std::string secret = secrets::Base32(e->secret);
        JsonWriter w;
        w.BeginObject();
        w.Key("secret").String(secret);
        // otpauth://totp/<issuer>:<account>?secret=...&issuer=...: what authenticator apps scan.
        w.Key("uri").String("otpauth://totp/motcua:" + login + "?secret=" + secret +
                            "&issuer=motcua&algorithm=SHA1&digits=6&period=30");
        w.EndObject();
        respond(NoStore(http::Response::Json(w.Take(), 201)));
      });
}

void AuthApi::ConfirmTotp(const http::Request& r, http::Respond respond) const {
  auto fields = BodyFieldsOrRefuse(r, respond, {FS{"code", FS::Type::kText, true, 10}});
  if (!fields) return;
  identity_.ConfirmTotp(*r.principal, fields->Text("code"), ActorOf(r),
                        AnswerNoContent(r, std::move(respond)));
}

void AuthApi::DisableTotp(const http::Request& r, http::Respond respond) const {
  auto fields = BodyFieldsOrRefuse(r, respond, {FS{"code", FS::Type::kText, true, 10}});
  if (!fields) return;
  identity_.DisableTotp(*r.principal, fields->Text("code"), ActorOf(r),
                        AnswerNoContent(r, std::move(respond)));
}

}  // namespace motcua::api
