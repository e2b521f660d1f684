#include "http/response_head.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <charconv>
#include <random>

#include "http/request_parser.hpp"

namespace motcua::http {
namespace {

void AppendNumber(uint64_t v, std::string* out) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out->append(buf, end);
}

}  // namespace

void HeadBuilder::Set(std::string_view name, std::string_view value) {
  if (!boost::beast::iequals(name, "Set-Cookie")) {
    for (auto& f : fields_) {
      if (boost::beast::iequals(f.first, name)) {
        f.second = value;
        return;
      }
    }
  }
  fields_.emplace_back(name, value);
}

void HeadBuilder::Serialize(int status, std::optional<size_t> content_length, bool keep_alive,
                            std::string* out) const {
  namespace bhttp = boost::beast::http;
  out->clear();
  out->append("HTTP/1.1 ");
  AppendNumber(static_cast<uint64_t>(status), out);
  out->push_back(' ');
  out->append(std::string_view(bhttp::obsolete_reason(static_cast<bhttp::status>(status))));
  out->append("\r\n");
  for (const auto& [name, value] : fields_) {
    out->append(name).append(": ").append(value).append("\r\n");
  }
  if (content_length) {
    out->append("Content-Length: ");
    AppendNumber(*content_length, out);
    out->append("\r\n");
  }
  if (!keep_alive) out->append("Connection: close\r\n");
  out->append("\r\n");
}

bool HeadersAreSafe(const Response& response) {
  if (!IsFieldValue(response.content_type)) return false;
  for (const auto& [name, value] : response.headers) {
    if (!IsFieldName(name) || !IsFieldValue(value)) return false;
  }
  return true;
}

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void NewRequestId(std::string* out) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t v = rng();
  out->resize(16);
  for (int i = 15; i >= 0; --i, v >>= 4) (*out)[static_cast<size_t>(i)] = kHex[v & 0xf];
}

}  // namespace motcua::http
