#pragma once
// The response head, written by hand rather than by Beast's serializer (which measured as a large
// share of the time of a small response), and the checks every response passes before it is.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace motcua::http {

// Fields in insertion order. Set() replaces a field of the same name (case-insensitive), except
// Set-Cookie, which may appear several times (RFC 6265 forbids folding it). Views only:
// everything referenced must outlive Serialize(). Not thread-safe; one per connection.
class HeadBuilder {
 public:
  void Reset() { fields_.clear(); }
  void Set(std::string_view name, std::string_view value);
  // "HTTP/1.1 200 OK\r\n" + fields + the optional Content-Length and "Connection: close".
  void Serialize(int status, std::optional<size_t> content_length, bool keep_alive,
                 std::string* out) const;

 private:
  std::vector<std::pair<std::string_view, std::string_view>> fields_;
};

// True when every header of `response` has a token for a name and a value without CR, LF, NUL or
// other controls, and its content type is such a value: nothing user-derived can split it.
bool HeadersAreSafe(const Response& response);

// A request id a client may choose (X-Request-Id): 1-64 of A-Z a-z 0-9 - _ .
bool IsValidRequestId(std::string_view id);
// 16 random lower-case hex digits into `out`. Formatted by hand: this runs for every request.
void NewRequestId(std::string* out);

}  // namespace motcua::http
