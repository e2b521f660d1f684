#pragma once
// `motcua user ...` and `motcua apikey ...`: account and API key administration from the
// command line, through the same identity service (and audit trail) as the admin API. The first
// administrator is created here; there is no default password anywhere.

#include <string>

#include "app/services.hpp"

namespace motcua::app {

struct UserAddArgs {
  std::string login, display_name, role, unit;
  bool password_from_stdin = false;  // else an initial password is generated and printed
};

// The audit actor of the command-line tools: the operating-system user, as administrator.
Actor CliActor();

// Each returns the process exit code and prints what happened (or why not) in both languages.
int UserAdd(Services& services, const UserAddArgs& args);
int UserSetDisabled(Services& services, const std::string& login, bool disabled);
int UserReset(Services& services, const std::string& login);
int UserList(Services& services);
int ApiKeyAdd(Services& services, const std::string& name, const std::string& role,
              const std::string& unit, bool secret_from_stdin);
int ApiKeyRevoke(Services& services, long long id);
int ApiKeyList(Services& services);

}  // namespace motcua::app
