#include "app/identity_cli.hpp"

#include <cstdio>
#include <iostream>

#include "core/await.hpp"

namespace motcua::app {
namespace {

int Refused(const Error& e) {
  std::fprintf(stderr, "motcua: %s\nmotcua: %s\n", e.message_en.c_str(), e.message_vi.c_str());
  return 1;
}

std::optional<Role> RoleArg(const std::string& name) {
  auto role = ParseRole(name);
  if (!role) {
    std::fprintf(stderr,
                 "motcua: unknown role %s (citizen, reception_officer, processing_officer, "
                 "unit_leader, monitoring, administrator, agent)\n",
                 name.c_str());
  }
  return role;
}

}  // namespace

Actor CliActor() {
  const char* user = std::getenv("USER");
  return Actor{std::string("cli:") + (user ? user : "unknown"), "administrator", "", "", "local"};
}

int UserAdd(Services& s, const UserAddArgs& args) {
  const auto role = RoleArg(args.role);
  if (!role) return 2;
  std::string password;
  if (args.password_from_stdin && !std::getline(std::cin, password)) {
    std::fprintf(stderr, "motcua: no password on standard input\n");
    return 2;
  }
  auto created = Await<identity::CreatedAccount>([&](auto done) {
    s.identity.CreateAccount({args.login, args.display_name, *role, args.unit, password},
                             CliActor(), done);
  });
  if (!created.ok()) return Refused(created.error());
  std::printf("account %s created (id %lld, %s)\n", created->account.login.c_str(),
              static_cast<long long>(created->account.id), args.role.c_str());
  if (!created->initial_password.empty()) {
    std::printf(
        "initial password / mật khẩu ban đầu: %s\n"
        "(to be changed at the first sign-in / phải đổi ở lần đăng nhập đầu tiên)\n",
        created->initial_password.c_str());
  }
  return 0;
}

int UserSetDisabled(Services& s, const std::string& login, bool disabled) {
  auto account = Await<identity::Account>(
      [&](auto done) { s.identity.SetDisabled(login, disabled, CliActor(), done); });
  if (!account.ok()) return Refused(account.error());
  std::printf("account %s %s\n", account->login.c_str(), disabled ? "disabled" : "enabled");
  return 0;
}

int UserReset(Services& s, const std::string& login) {
  auto password =
      Await<std::string>([&](auto done) { s.identity.ResetPassword(login, CliActor(), done); });
  if (!password.ok()) return Refused(password.error());
  std::printf(
      "password of %s reset; every session ended\ninitial password / mật khẩu ban đầu: %s\n",
      login.c_str(), password->c_str());
  return 0;
}

int UserList(Services& s) {
  for (const identity::Account& a : s.identity.ListAccounts()) {
    std::printf("%-6lld %-24s %-20s %-12s %s%s%s\n", static_cast<long long>(a.id), a.login.c_str(),
                std::string(RoleName(a.role)).c_str(), a.unit.empty() ? "-" : a.unit.c_str(),
                a.disabled ? "disabled " : "", a.totp_secret.empty() ? "" : "totp ",
                a.must_change_password ? "must-change-password" : "");
  }
  return 0;
}

int ApiKeyAdd(Services& s, const std::string& name, const std::string& role_name,
              const std::string& unit, bool secret_from_stdin) {
  const auto role = RoleArg(role_name);
  if (!role) return 2;
  std::string secret;
  if (secret_from_stdin && !std::getline(std::cin, secret)) {
    std::fprintf(stderr, "motcua: no key on standard input\n");
    return 2;
  }
  auto key = Await<identity::NewApiKey>(
      [&](auto done) { s.identity.CreateApiKey(name, *role, unit, secret, CliActor(), done); });
  if (!key.ok()) return Refused(key.error());
  std::fprintf(stderr, "API key %lld (%s, %s) created\n", static_cast<long long>(key->key.id),
               key->key.name.c_str(), role_name.c_str());
  // A generated secret alone on stdout, so scripts can capture it; it is shown only this once.
  if (!secret_from_stdin) std::printf("%s\n", key->secret.c_str());
  return 0;
}

int ApiKeyRevoke(Services& s, long long id) {
  auto done = Await<Unit>(
      [&](auto d) { s.identity.RevokeApiKey(static_cast<int64_t>(id), CliActor(), d); });
  if (!done.ok()) return Refused(done.error());
  std::printf("API key %lld revoked\n", id);
  return 0;
}

int ApiKeyList(Services& s) {
  for (const identity::ApiKey& k : s.identity.ListApiKeys()) {
    std::printf("%-6lld %-30s %-20s %-12s %s\n", static_cast<long long>(k.id), k.name.c_str(),
                std::string(RoleName(k.role)).c_str(), k.unit.empty() ? "-" : k.unit.c_str(),
                k.revoked_at.empty() ? "" : ("revoked " + k.revoked_at).c_str());
  }
  return 0;
}

}  // namespace motcua::app
