#include "domain/identity/policy.hpp"

#include <algorithm>
#include <array>

#include "core/vn_text.hpp"

namespace motcua::identity {
namespace {

Error Invalid(std::string vi, std::string en, std::string field) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

// Passwords that lists of leaked passwords put at the top, in Vietnam and elsewhere, and that
// pass the length rule.
constexpr std::array<std::string_view, 12> kWellKnown = {
    "1234567890",  "0123456789",   "12345678910", "123456789a",  "matkhau123", "matkhau1234",
    "password123", "password1234", "qwertyuiop",  "1234567890a", "abc1234567", "iloveyou12"};

}  // namespace

Status ValidateLogin(std::string_view login) {
  if (login.size() < 3 || login.size() > 64) {
    return Invalid("Tên đăng nhập phải dài từ 3 đến 64 ký tự",
                   "The login must be 3 to 64 characters", "login");
  }
  for (char c : login) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-' || c == '@';
    if (!ok) {
      return Invalid("Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - @",
                     "The login may hold only a-z, 0-9 and . _ - @", "login");
    }
  }
  return OkStatus();
}

Status ValidateNewPassword(std::string_view login, std::string_view password,
                           const Policy& policy) {
  if (!text::IsValidUtf8(password)) {
    return Invalid("Mật khẩu không phải UTF-8 hợp lệ", "The password is not valid UTF-8",
                   "password");
  }
  const size_t chars = text::CountCodePoints(password);
  if (chars < policy.min_password_chars) {
    return Invalid(
        "Mật khẩu phải có ít nhất " + std::to_string(policy.min_password_chars) + " ký tự",
        "The password must have at least " + std::to_string(policy.min_password_chars) +
            " characters",
        "password");
  }
  if (password.size() > policy.max_password_bytes) {
    return Invalid("Mật khẩu quá dài", "The password is too long", "password");
  }
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!login.empty() && lower.find(login) != std::string::npos) {
    return Invalid("Mật khẩu không được chứa tên đăng nhập hay số định danh",
                   "The password must not contain the login or the ID number", "password");
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }) ||
      std::find(kWellKnown.begin(), kWellKnown.end(), lower) != kWellKnown.end()) {
    return Invalid("Mật khẩu quá dễ đoán", "The password is too easy to guess", "password");
  }
  return OkStatus();
}

std::chrono::seconds LockDuration(int failures, const Policy& policy) {
  if (failures < policy.max_failures) return std::chrono::seconds{0};
  const int doublings = std::min(failures - policy.max_failures, 20);
  const auto lock = policy.first_lock * (int64_t{1} << doublings);
  return std::min(lock, policy.longest_lock);
}

int64_t TotpStep(std::chrono::system_clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() / 30;
}

std::string Masked(std::string_view value) {
  if (value.size() <= 4) return std::string(value.size(), '*');
  const size_t keep_head = value.size() >= 10 ? 4 : 1;
  const size_t keep_tail = 3;
  if (keep_head + keep_tail >= value.size()) return std::string(value.substr(0, 1)) + "***";
  return std::string(value.substr(0, keep_head)) + "***" +
         std::string(value.substr(value.size() - keep_tail));
}

}  // namespace motcua::identity
