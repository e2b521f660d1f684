#pragma once
// The reverse proxies whose X-Forwarded-For is believed, and the client address behind them
// (for logs, connection limits and the audit trail). Immutable after construction; thread-safe.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::http {

class TrustedProxies {
 public:
  // `entries`: addresses or CIDR blocks ("10.0.0.0/8", "::1"). Throws std::invalid_argument
  // naming a bad entry.
  explicit TrustedProxies(const std::vector<std::string>& entries);
  ~TrustedProxies();
  TrustedProxies(TrustedProxies&&) noexcept;

  bool empty() const;
  // Whether `address` (text) is one of the trusted proxies.
  bool Contains(std::string_view address) const;
  // The client behind `peer`: the rightmost X-Forwarded-For address that is not a trusted proxy,
  // when `peer` is one; otherwise `peer` itself. A malformed header leaves the last trusted hop.
  std::string ClientOf(const std::string& peer, std::string_view forwarded_for) const;

 private:
  struct Networks;
  std::unique_ptr<Networks> networks_;
};

}  // namespace motcua::http
