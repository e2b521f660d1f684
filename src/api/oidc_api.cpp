#include "api/oidc_api.hpp"

#include <nlohmann/json.hpp>

#include "api/auth_gate.hpp"
#include "api/params.hpp"
#include "core/await.hpp"
#include "platform/http_client.hpp"
#include "platform/log.hpp"
#include "platform/secrets.hpp"

namespace motcua::api {
namespace {

using nlohmann::json;

Error Refused(std::string vi, std::string en) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(vi), std::move(en));
}

Error ProviderUnavailable(const std::string& why) {
  log::Warn("OpenID provider unavailable", {{"error", why}});
  return MakeError(ErrorCode::kUnavailable,
                   "Không kết nối được nhà cung cấp định danh; xin thử lại sau",
                   "The identity provider cannot be reached; please try again later");
}

// RFC 3986 unreserved characters stay; everything else is percent-encoded.
std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A path of this site to return to: "/..." but not "//host" (an open redirect), no backslash
// or control characters.
bool IsLocalPath(std::string_view p) {
  if (p.empty() || p.size() > 300 || p[0] != '/' || p.starts_with("//")) return false;
  for (unsigned char c : p) {
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

Result<json> FetchJson(const std::string& url) {
  try {
    const auto reply = http_client::Get(url);
    if (reply.status != 200)
      return ProviderUnavailable(url + ": HTTP " + std::to_string(reply.status));
    json doc = json::parse(reply.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      return ProviderUnavailable(url + ": not a JSON object");
    return doc;
  } catch (const std::exception& e) {
    return ProviderUnavailable(e.what());
  }
}

std::string Text(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Ties a provider sign-in to the browser that started it: Lax, because it must come back on the
// provider's top-level redirect to the callback; scoped to the OpenID paths; ten minutes.
constexpr std::string_view kBrowserCookie = "motcua_oidc";

std::string BrowserCookie(std::string_view value, bool secure) {
  std::string c(kBrowserCookie);
  c += '=';
  c += value;
  c += "; Path=/api/v1/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=";
  c += value.empty() ? "0" : "600";
  if (secure) c += "; Secure";
  return c;
}

http::Response Redirect(const std::string& location) {
  http::Response res;
  res.status = 302;
  res.content_type.clear();
  res.headers.emplace_back("Location", location);
  return NoStore(std::move(res));
}

}  // namespace

Result<OidcApi::Provider> OidcApi::Discover(bool refresh_keys) {
  std::lock_guard lock(mutex_);
  if (!provider_) {
    auto meta = FetchJson(settings_.issuer + "/.well-known/openid-configuration");
    if (!meta.ok()) return meta.error();
    Provider p;
    p.authorization_endpoint = Text(*meta, "authorization_endpoint");
    p.token_endpoint = Text(*meta, "token_endpoint");
    p.jwks_uri = Text(*meta, "jwks_uri");
    if (Text(*meta, "issuer") != settings_.issuer || p.authorization_endpoint.empty() ||
        p.token_endpoint.empty() || p.jwks_uri.empty()) {
      return ProviderUnavailable("the discovery document does not match the configured issuer");
    }
    provider_ = std::move(p);
    refresh_keys = true;
  }
  if (refresh_keys) {
    auto jwks = FetchJson(provider_->jwks_uri);
    if (!jwks.ok()) return jwks.error();
    std::map<std::string, RsaKey> keys;
    if (auto it = jwks->find("keys"); it != jwks->end() && it->is_array()) {
      for (const json& k : *it) {
        if (!k.is_object() || Text(k, "kty") != "RSA") continue;
        if (const std::string use = Text(k, "use"); !use.empty() && use != "sig") continue;
        auto n = secrets::FromBase64Url(Text(k, "n"));
        auto e = secrets::FromBase64Url(Text(k, "e"));
        if (n && e) keys[Text(k, "kid")] = RsaKey{*n, *e};
      }
    }
    provider_->keys = std::move(keys);
  }
  return *provider_;
}

Result<std::pair<std::string, std::string>> OidcApi::VerifyIdToken(const std::string& token,
                                                                   const std::string& nonce) {
  const auto bad = [](std::string why) {
    log::Warn("ID token refused", {{"reason", why}});
    return Refused("Nhà cung cấp định danh trả về thông tin không hợp lệ",
                   "The identity provider returned an invalid identity token");
  };
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string::npos) return bad("not three parts");
  auto header_raw = secrets::FromBase64Url(std::string_view(token).substr(0, dot1));
  auto payload_raw =
      secrets::FromBase64Url(std::string_view(token).substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = secrets::FromBase64Url(std::string_view(token).substr(dot2 + 1));
  if (!header_raw || !payload_raw || !signature) return bad("not base64url");
  const json header = json::parse(*header_raw, nullptr, false);
  const json claims = json::parse(*payload_raw, nullptr, false);
  if (!header.is_object() || !claims.is_object()) return bad("not JSON objects");
  // Only RS256: never "none", never a symmetric algorithm keyed with a public key.
  if (Text(header, "alg") != "RS256") return bad("algorithm " + Text(header, "alg"));
  const std::string kid = Text(header, "kid");
  auto provider = Discover(false);
  if (!provider.ok()) return provider.error();
  if (!provider->keys.contains(kid)) {
    provider = Discover(true);
    if (!provider.ok()) return provider.error();
  }
  auto key = provider->keys.find(kid);
  if (key == provider->keys.end()) return bad("unknown key id " + kid);
  if (!secrets::VerifyRs256(std::string_view(token).substr(0, dot2), *signature,
                            key->second.modulus, key->second.exponent)) {
    return bad("signature");
  }
  if (Text(claims, "iss") != settings_.issuer) return bad("issuer");
  const json aud = claims.value("aud", json());
  const bool aud_ok =
      (aud.is_string() && aud == settings_.client_id) ||
      (aud.is_array() && std::find(aud.begin(), aud.end(), settings_.client_id) != aud.end());
  if (!aud_ok) return bad("audience");
  if (aud.is_array() && aud.size() > 1 && Text(claims, "azp") != settings_.client_id) {
    return bad("authorized party");
  }
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  constexpr int64_t kLeeway = 60;
  const json exp = claims.value("exp", json());
  const json iat = claims.value("iat", json());
  if (!exp.is_number_integer() || exp.get<int64_t>() + kLeeway < now) return bad("expired");
  if (!iat.is_number_integer() || iat.get<int64_t>() > now + kLeeway)
    return bad("issued in the future");
  if (!secrets::EqualConstantTime(Text(claims, "nonce"), nonce)) return bad("nonce");
  const std::string subject = Text(claims, "sub");
  if (subject.empty()) return bad("no subject");
  return std::make_pair(subject, Text(claims, "name"));
}

void OidcApi::Start(const http::Request& r, http::Respond respond) {
  if (settings_.issuer.empty()) {
    return respond(ErrorAnswer(
        MakeError(ErrorCode::kNotFound, "Đăng nhập qua nhà cung cấp định danh chưa được bật",
                  "Sign-in through an identity provider is not enabled"),
        r.request_id));
  }
  if (Status st = OnlyParams(r, {"return"}); !st.ok())
    return respond(ErrorAnswer(st.error(), r.request_id));
  std::string return_to(r.Query("return"));
  if (return_to.empty()) return_to = "/tai-khoan";
  if (!IsLocalPath(return_to)) {
    return respond(ErrorAnswer(
        MakeError(ErrorCode::kInvalidArgument, "return phải là một đường dẫn của trang này",
                  "return must be a path of this site", "return"),
        r.request_id));
  }
  auto provider = Discover(false);
  if (!provider.ok()) return respond(ErrorAnswer(provider.error(), r.request_id));
  const std::string state = secrets::NewToken();
  identity::PendingLogin login;
  login.state_digest = secrets::TokenDigest(state);
  login.nonce = secrets::NewToken();
  login.code_verifier = secrets::NewToken();
  login.return_to = return_to;
  const std::string browser = secrets::NewToken();
  login.browser_digest = secrets::TokenDigest(browser);
  const std::string location =
      provider->authorization_endpoint +
      (provider->authorization_endpoint.find('?') == std::string::npos ? "?" : "&") +
      "response_type=code&client_id=" + UrlEncode(settings_.client_id) +
      "&redirect_uri=" + UrlEncode(settings_.redirect_uri) +
      "&scope=" + UrlEncode(settings_.scopes) + "&state=" + UrlEncode(state) +
      "&nonce=" + UrlEncode(login.nonce) +
      "&code_challenge=" + secrets::Base64Url(secrets::Sha256(login.code_verifier)) +
      "&code_challenge_method=S256";
  identity_.BeginExternalSignIn(
      std::move(login), [respond, location, id = r.request_id,
                         cookie = BrowserCookie(browser, secure_cookies_)](Result<Unit> done) {
        if (!done.ok()) return respond(ErrorAnswer(done.error(), id));
        http::Response res = Redirect(location);
        res.headers.emplace_back("Set-Cookie", cookie);
        respond(std::move(res));
      });
}

void OidcApi::Callback(const http::Request& r, http::Respond respond) {
  const auto fail = [&](const Error& e) { respond(ErrorAnswer(e, r.request_id)); };
  if (settings_.issuer.empty()) {
    return fail(MakeError(ErrorCode::kNotFound,
                          "Đăng nhập qua nhà cung cấp định danh chưa được bật",
                          "Sign-in through an identity provider is not enabled"));
  }
  if (!r.Query("error").empty()) {
    return fail(
        Refused("Nhà cung cấp định danh từ chối đăng nhập: " + std::string(r.Query("error")),
                "The identity provider refused the sign-in: " + std::string(r.Query("error"))));
  }
  const std::string code(r.Query("code"));
  const std::string state(r.Query("state"));
  if (code.empty() || state.empty() || code.size() > 2048 || state.size() > 200) {
    return fail(MakeError(ErrorCode::kInvalidArgument, "Thiếu code hoặc state",
                          "code and state are required"));
  }
  // This route runs on a worker and talks to the provider: waiting here for the one-time
  // state to be taken (a unit of work) holds nothing the event loops need.
  auto login = Await<identity::PendingLogin>([&](auto done) {
    identity_.TakeExternalSignIn(secrets::TokenDigest(state), std::move(done));
  });
  if (!login.ok()) return fail(login.error());
  const std::string browser = CookieOf(r, kBrowserCookie);
  if (browser.empty() ||
      !secrets::EqualConstantTime(secrets::TokenDigest(browser), login->browser_digest)) {
    log::Warn("provider callback from another browser", {{"request_id", r.request_id}});
    return fail(MakeError(ErrorCode::kUnauthenticated,
                          "Hãy hoàn tất đăng nhập trên chính trình duyệt đã bắt đầu đăng nhập",
                          "Finish signing in in the browser that started it", "state"));
  }
  auto provider = Discover(false);
  if (!provider.ok()) return fail(provider.error());
  http_client::Reply reply;
  try {
    http_client::Options options;
    options.basic_user = settings_.client_id;
    options.basic_password = settings_.client_secret;
    reply = http_client::PostForm(provider->token_endpoint,
                                  {{"grant_type", "authorization_code"},
                                   {"code", code},
                                   {"redirect_uri", settings_.redirect_uri},
                                   {"code_verifier", login->code_verifier}},
                                  options);
  } catch (const std::exception& e) {
    return fail(ProviderUnavailable(e.what()));
  }
  const json tokens = json::parse(reply.body, nullptr, false);
  if (reply.status != 200 || !tokens.is_object() || Text(tokens, "id_token").empty()) {
    log::Warn("token request refused", {{"status", static_cast<long long>(reply.status)}});
    return fail(Refused("Nhà cung cấp định danh không xác nhận đăng nhập; hãy thử lại",
                        "The identity provider did not confirm the sign-in; try again"));
  }
  auto claims = VerifyIdToken(Text(tokens, "id_token"), login->nonce);
  if (!claims.ok()) return fail(claims.error());
  identity::ExternalIdentity who{settings_.issuer, claims->first, claims->second, r.remote};
  identity_.SignInExternal(
      std::move(who), ActorOf(r),
      [respond, id = r.request_id, to = login->return_to, secure = secure_cookies_,
       lifetime = identity_.policy().session_lifetime](Result<identity::SignedIn> s) {
        if (!s.ok()) return respond(ErrorAnswer(s.error(), id));
        http::Response res = Redirect(to);
        res.headers.emplace_back("Set-Cookie", SessionCookie(s->token, lifetime, secure));
        res.headers.emplace_back("Set-Cookie", BrowserCookie({}, secure));
        respond(std::move(res));
      });
}

}  // namespace motcua::api
