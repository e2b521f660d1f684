// Fuzzes http::PercentDecode and http::ParseQuery: the request target comes from the network.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.hpp"
#include "http/message.hpp"

namespace {

// An independent percent-encoder: every byte except unreserved ones becomes %XX.
std::string Encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using motcua::http::ParseQuery;
  using motcua::http::PercentDecode;
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  for (const bool plus_is_space : {false, true}) {
    std::string decoded;
    const bool ok = PercentDecode(in, plus_is_space, &decoded);
    if (in.find('%') == std::string_view::npos) FUZZ_CHECK(ok);  // only escapes can be malformed
    if (!ok) continue;
    FUZZ_CHECK(decoded.size() <= in.size());  // an escape shrinks three bytes into one
    if (!plus_is_space && in.find('%') == std::string_view::npos) FUZZ_CHECK(decoded == in);
    // Decoding is the inverse of encoding, for any bytes (NUL, invalid UTF-8, '+', '%').
    std::string round_trip;
    FUZZ_CHECK(PercentDecode(Encode(decoded), plus_is_space, &round_trip));
    FUZZ_CHECK(round_trip == decoded);
  }

  std::vector<std::pair<std::string, std::string>> pairs;
  if (ParseQuery(in, &pairs)) {
    size_t parts = 1;
    for (const char c : in) parts += c == '&';
    FUZZ_CHECK(pairs.size() <= parts);
    // Re-encoding the pairs and parsing again gives the same pairs.
    std::string again;
    for (const auto& [key, value] : pairs) {
      if (!again.empty()) again += '&';
      again += Encode(key) + "=" + Encode(value);
    }
    std::vector<std::pair<std::string, std::string>> reparsed;
    FUZZ_CHECK(ParseQuery(again, &reparsed));
    // A pair with an empty key and value encodes as "=", which ParseQuery keeps: same count.
    FUZZ_CHECK(reparsed == pairs);
  }
  return 0;
}
