#include "core/identity.hpp"

namespace motcua {
namespace {

struct RoleText {
  Role role;
  std::string_view name;
  std::string_view title_vi;
};

constexpr RoleText kRoles[kRoleCount] = {
    {Role::kCitizen, "citizen", "Công dân, tổ chức"},
    {Role::kReceptionOfficer, "reception_officer", "Cán bộ tiếp nhận"},
    {Role::kProcessingOfficer, "processing_officer", "Cán bộ xử lý"},
    {Role::kUnitLeader, "unit_leader", "Lãnh đạo đơn vị"},
    {Role::kMonitoring, "monitoring", "Giám sát"},
    {Role::kAdministrator, "administrator", "Quản trị hệ thống"},
    {Role::kAgent, "agent", "Đại lý, hệ thống kết nối"},
};

}  // namespace

std::string_view RoleName(Role role) { return kRoles[static_cast<int>(role)].name; }

std::string_view RoleTitleVi(Role role) { return kRoles[static_cast<int>(role)].title_vi; }

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleText& r : kRoles) {
    if (r.name == name) return r.role;
  }
  return std::nullopt;
}

std::string Principal::ActorId() const {
  return (via == Via::kSession ? "account/" : "api-key/") + std::to_string(id);
}

}  // namespace motcua
