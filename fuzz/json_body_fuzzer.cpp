// Fuzzes the strict reader of small JSON bodies (api/json_body): sign-in, password change, TOTP,
// accounts and API keys. Whatever the bytes, it returns fields or an error naming what is wrong;
// every text field it returns is valid UTF-8 within its length limit, and no unknown field
// passes.

#include <cstddef>
#include <cstdint>
#include <string>

#include "api/json_body.hpp"
#include "core/vn_text.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using motcua::api::FieldSpec;
  motcua::http::Request r;
  r.method = "POST";
  r.headers = {{"content-type", "application/json"}};
  r.body.assign(reinterpret_cast<const char*>(data), size);
  auto fields =
      motcua::api::ParseJsonFields(r, {FieldSpec{"login", FieldSpec::Type::kText, true, 64},
                                       FieldSpec{"password", FieldSpec::Type::kText, true, 256},
                                       FieldSpec{"totp_code", FieldSpec::Type::kText, false, 10},
                                       FieldSpec{"want_token", FieldSpec::Type::kBool}});
  if (!fields.ok()) {
    FUZZ_CHECK(!fields.error().message_en.empty() && !fields.error().message_vi.empty());
    return 0;
  }
  FUZZ_CHECK(fields->text.contains("login") && fields->text.contains("password"));
  for (const auto& [name, value] : fields->text) {
    FUZZ_CHECK(name == "login" || name == "password" || name == "totp_code");
    FUZZ_CHECK(motcua::text::IsValidUtf8(value));
    FUZZ_CHECK(motcua::text::CountCodePoints(value) <= (name == "login" ? 64u : 256u));
  }
  for (const auto& [name, value] : fields->flags) FUZZ_CHECK(name == "want_token");
  return 0;
}
