#pragma once
// Who is acting: the roles of the platform and the principal a request was authenticated as.
// Shared by every layer (the router declares which roles a route admits; the domain checks units
// and ownership), so it lives in core.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace motcua {

enum class Role : uint8_t {
  kCitizen,            // a person or business acting for themselves
  kReceptionOfficer,   // receives dossiers and serves queue numbers at a counter
  kProcessingOfficer,  // handles dossiers in a specialised unit
  kUnitLeader,         // approves and watches over a unit (and its branches)
  kMonitoring,         // reads everything city-wide, changes nothing
  kAdministrator,      // accounts, catalogue, configuration
  kAgent,              // a machine client: postal or online service agent, Open311 client
};
inline constexpr int kRoleCount = 7;

// "citizen", "reception_officer", ...: the name in the API, the database and the audit trail.
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// The role's name for people ("Cán bộ tiếp nhận" / "Reception officer").
std::string_view RoleTitleVi(Role role);

// A set of roles as a bit mask: what a route admits.
using RoleSet = uint32_t;
constexpr RoleSet RolesOf(std::initializer_list<Role> roles) {
  RoleSet set = 0;
  for (Role r : roles) set |= RoleSet{1} << static_cast<unsigned>(r);
  return set;
}
constexpr bool Contains(RoleSet set, Role role) {
  return (set >> static_cast<unsigned>(role)) & 1u;
}
inline constexpr RoleSet kAnyRole = (RoleSet{1} << kRoleCount) - 1;
inline constexpr RoleSet kOfficials =
    RolesOf({Role::kReceptionOfficer, Role::kProcessingOfficer, Role::kUnitLeader});

// The authenticated identity behind a request.
struct Principal {
  enum class Via : uint8_t { kSession, kApiKey };
  int64_t id = 0;            // account id (Via::kSession) or API key id (Via::kApiKey)
  std::string login;         // account login, or the key's name
  std::string display_name;  // the person's name (accounts); empty for keys
  Role role = Role::kCitizen;
  std::string unit;  // the official's (or key's) unit code; empty when not bound to one
  Via via = Via::kSession;
  bool must_change_password = false;  // may only change the password or sign out
  bool second_factor = false;         // TOTP is on for the account

  // "account/12" or "api-key/3": the actor id in the audit trail.
  std::string ActorId() const;
};

}  // namespace motcua
