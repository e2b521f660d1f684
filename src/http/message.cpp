#include "http/message.hpp"

#include "core/vn_text.hpp"

namespace motcua::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Find(const std::vector<std::pair<std::string, std::string>>& v,
                      std::string_view name, bool* found) {
  for (const auto& [k, val] : v) {
    if (k == name) {
      if (found) *found = true;
      return val;
    }
  }
  if (found) *found = false;
  return {};
}

// Checks the decoded path: no NUL, no backslash, no ".." segment, valid UTF-8.
bool IsSafePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t pos = 0;
  while (pos < path.size()) {
    size_t next = path.find('/', pos + 1);
    if (next == std::string_view::npos) next = path.size();
    const std::string_view seg = path.substr(pos + 1, next - pos - 1);
    if (seg == "..") return false;
    pos = next;
  }
  return text::IsValidUtf8(path);
}

}  // namespace

Status DecodeTarget(Request* request) {
  const std::string_view target = request->target;
  const auto qmark = target.find('?');
  if (!PercentDecode(target.substr(0, qmark), false, &request->path) ||
      !IsSafePath(request->path)) {
    return MakeError(ErrorCode::kInvalidArgument, "Đường dẫn không hợp lệ", "Invalid request path");
  }
  // Always parsed (an empty query empties the list): the strings are reused across requests.
  const std::string_view raw_query =
      qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);
  bool valid = ParseQuery(raw_query, &request->query);
  for (const auto& [k, v] : request->query) {
    valid = valid && text::IsValidUtf8(k) && text::IsValidUtf8(v);
  }
  if (!valid) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "Tham số truy vấn không hợp lệ (mã hóa hoặc UTF-8)",
                     "Invalid query string (escaping or UTF-8)");
  }
  return OkStatus();
}

std::string_view BearerToken(const Request& request) {
  std::string_view v = request.Header("authorization");
  constexpr std::string_view kScheme = "bearer";
  if (v.size() <= kScheme.size() || (v[kScheme.size()] != ' ' && v[kScheme.size()] != '\t')) {
    return {};
  }
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if ((v[i] | 0x20) != kScheme[i]) return {};
  }
  v.remove_prefix(kScheme.size());
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  return v;
}

std::string_view Request::Header(std::string_view name) const {
  return Find(headers, name, nullptr);
}
std::string_view Request::Query(std::string_view name, bool* found) const {
  return Find(query, name, found);
}
std::string_view Request::Param(std::string_view name) const { return Find(params, name, nullptr); }

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool ParseQuery(std::string_view query, std::vector<std::pair<std::string, std::string>>* out) {
  // Decodes into the strings already in `out` (the server reuses one Request per connection), so
  // their capacity is reused; the vector is trimmed to the pairs found at the end.
  size_t n = 0;
  bool ok = true;
  while (ok && !query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (n == out->size()) out->emplace_back();
    auto& [key, value] = (*out)[n++];
    value.clear();
    ok = PercentDecode(part.substr(0, eq), true, &key) &&
         (eq == std::string_view::npos || PercentDecode(part.substr(eq + 1), true, &value));
  }
  out->resize(n);
  return ok;
}

}  // namespace motcua::http
