#include "api/accounts_api.hpp"

#include "api/auth_api.hpp"
#include "api/auth_gate.hpp"
#include "api/json_body.hpp"
#include "api/json_writer.hpp"
#include "api/params.hpp"

namespace motcua::api {
namespace {

using FS = FieldSpec;

std::string ApiKeyJson(const identity::ApiKey& k) {
  JsonWriter w;
  w.BeginObject();
  w.Key("id").Int(k.id);
  w.Key("name").String(k.name);
  w.Key("role").String(RoleName(k.role));
  w.Key("unit").String(k.unit);
  w.Key("created_at").String(k.created_at);
  w.Key("revoked_at").String(k.revoked_at);
  w.EndObject();
  return w.Take();
}

template <typename T, typename F>
std::string JsonArray(const std::vector<T>& items, F to_json) {
  std::string body = "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) body += ',';
    body += to_json(items[i]);
  }
  return body + "]}";
}

Result<Role> RoleField(const std::string& name) {
  if (auto role = ParseRole(name)) return *role;
  return MakeError(ErrorCode::kInvalidArgument, "Vai trò không hợp lệ: " + name,
                   "Unknown role: " + name, "role");
}

}  // namespace

http::Response AccountsApi::List(const http::Request& r) const {
  if (Status st = OnlyParams(r, {}); !st.ok()) return ErrorAnswer(st.error(), r.request_id);
  return NoStore(http::Response::Json(JsonArray(identity_.ListAccounts(), AccountJson)));
}

void AccountsApi::Create(const http::Request& r, http::Respond respond) const {
  auto f = BodyFieldsOrRefuse(
      r, respond,
      {FS{"login", FS::Type::kText, true, 64}, FS{"display_name", FS::Type::kText, true, 200},
       FS{"role", FS::Type::kText, true, 40}, FS{"unit", FS::Type::kText, false, 64},
       FS{"password", FS::Type::kText, false, 256}});
  if (!f) return;
  auto role = RoleField(f->Text("role"));
  if (!role.ok()) return respond(ErrorAnswer(role.error(), r.request_id));
  identity_.CreateAccount(
      {f->Text("login"), f->Text("display_name"), *role, f->Text("unit"), f->Text("password")},
      ActorOf(r), [respond, id = r.request_id](Result<identity::CreatedAccount> c) {
        if (!c.ok()) return respond(ErrorAnswer(c.error(), id));
        std::string body = "{\"account\":" + AccountJson(c->account);
        if (!c->initial_password.empty()) {
          body += ",\"initial_password\":\"" + c->initial_password + "\"";
        }
        body += '}';
        respond(NoStore(http::Response::Json(std::move(body), 201)));
      });
}

void AccountsApi::SetDisabled(const http::Request& r, http::Respond respond, bool disabled) const {
  if (!BodyFieldsOrRefuse(r, respond, {})) return;
  identity_.SetDisabled(std::string(r.Param("login")), disabled, ActorOf(r),
                        [respond, id = r.request_id](Result<identity::Account> a) {
                          if (!a.ok()) return respond(ErrorAnswer(a.error(), id));
                          respond(NoStore(http::Response::Json(AccountJson(*a))));
                        });
}

void AccountsApi::Disable(const http::Request& r, http::Respond respond) const {
  SetDisabled(r, std::move(respond), true);
}

void AccountsApi::Enable(const http::Request& r, http::Respond respond) const {
  SetDisabled(r, std::move(respond), false);
}

void AccountsApi::ResetPassword(const http::Request& r, http::Respond respond) const {
  if (!BodyFieldsOrRefuse(r, respond, {})) return;
  identity_.ResetPassword(
      std::string(r.Param("login")), ActorOf(r),
      [respond, id = r.request_id](Result<std::string> password) {
        if (!password.ok()) return respond(ErrorAnswer(password.error(), id));
        respond(NoStore(http::Response::Json("{\"initial_password\":\"" + *password + "\"}")));
      });
}

http::Response AccountsApi::ListApiKeys(const http::Request& r) const {
  if (Status st = OnlyParams(r, {}); !st.ok()) return ErrorAnswer(st.error(), r.request_id);
  return NoStore(http::Response::Json(JsonArray(identity_.ListApiKeys(), ApiKeyJson)));
}

void AccountsApi::CreateApiKey(const http::Request& r, http::Respond respond) const {
  auto f = BodyFieldsOrRefuse(
      r, respond,
      {FS{"name", FS::Type::kText, true, 100}, FS{"role", FS::Type::kText, true, 40},
       FS{"unit", FS::Type::kText, false, 64}});
  if (!f) return;
  auto role = RoleField(f->Text("role"));
  if (!role.ok()) return respond(ErrorAnswer(role.error(), r.request_id));
  identity_.CreateApiKey(
      f->Text("name"), *role, f->Text("unit"), {}, ActorOf(r),
      [respond, id = r.request_id](Result<identity::NewApiKey> k) {
        if (!k.ok()) return respond(ErrorAnswer(k.error(), id));
        respond(NoStore(http::Response::Json(
            "{\"key\":" + ApiKeyJson(k->key) + ",\"secret\":\"" + k->secret + "\"}", 201)));
      });
}

void AccountsApi::RevokeApiKey(const http::Request& r, http::Respond respond) const {
  if (!BodyFieldsOrRefuse(r, respond, {})) return;
  int64_t key_id = 0;
  const std::string_view param = r.Param("id");
  if (param.empty() || param.size() > 18 ||
      param.find_first_not_of("0123456789") != std::string_view::npos) {
    return respond(
        ErrorAnswer(MakeError(ErrorCode::kNotFound, "Không có khóa API " + std::string(param),
                              "No API key " + std::string(param)),
                    r.request_id));
  }
  key_id = std::stoll(std::string(param));
  identity_.RevokeApiKey(key_id, ActorOf(r), [respond, id = r.request_id](Result<Unit> done) {
    if (!done.ok()) return respond(ErrorAnswer(done.error(), id));
    respond(NoContent());
  });
}

}  // namespace motcua::api
