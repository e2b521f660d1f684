#include "http/trusted_proxies.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <stdexcept>

namespace motcua::http {

namespace net = boost::asio;

struct TrustedProxies::Networks {
  std::vector<net::ip::network_v4> v4;
  std::vector<net::ip::network_v6> v6;
};

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries)
    : networks_(std::make_unique<Networks>()) {
  for (const std::string& e : entries) {
    boost::system::error_code ec;
    if (e.find('/') != std::string::npos) {
      if (e.find(':') != std::string::npos) {
        networks_->v6.push_back(net::ip::make_network_v6(e, ec));
      } else {
        networks_->v4.push_back(net::ip::make_network_v4(e, ec));
      }
    } else {
      const auto a = net::ip::make_address(e, ec);
      if (!ec && a.is_v4()) networks_->v4.push_back(net::ip::network_v4(a.to_v4(), 32));
      if (!ec && a.is_v6()) networks_->v6.push_back(net::ip::network_v6(a.to_v6(), 128));
    }
    if (ec) throw std::invalid_argument("trusted_proxies: '" + e + "' is not an address or CIDR");
  }
}

TrustedProxies::~TrustedProxies() = default;
TrustedProxies::TrustedProxies(TrustedProxies&&) noexcept = default;

bool TrustedProxies::empty() const { return networks_->v4.empty() && networks_->v6.empty(); }

bool TrustedProxies::Contains(std::string_view text) const {
  boost::system::error_code ec;
  auto a = net::ip::make_address(std::string(text), ec);
  if (ec) return false;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    a = net::ip::make_address_v4(net::ip::v4_mapped, a.to_v6());
  }
  if (a.is_v4()) {
    for (const auto& n : networks_->v4) {
      if ((a.to_v4().to_uint() & n.netmask().to_uint()) == n.network().to_uint()) return true;
    }
    return false;
  }
  const auto bytes = a.to_v6().to_bytes();
  for (const auto& n : networks_->v6) {
    const auto net_bytes = n.network().to_bytes();
    int bits = n.prefix_length();
    bool match = true;
    for (size_t i = 0; i < bytes.size() && bits > 0 && match; ++i, bits -= 8) {
      const auto mask = static_cast<unsigned char>(bits >= 8 ? 0xFF : 0xFF << (8 - bits));
      match = (bytes[i] & mask) == (net_bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string TrustedProxies::ClientOf(const std::string& peer,
                                     std::string_view forwarded_for) const {
  if (empty() || forwarded_for.empty() || !Contains(peer)) return peer;
  std::string client = peer;
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    std::string_view hop =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) hop.remove_prefix(1);
    while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) hop.remove_suffix(1);
    boost::system::error_code ec;
    const auto a = net::ip::make_address(std::string(hop), ec);
    if (ec) return client;  // not an address: stop at what can be trusted
    client = a.to_string();
    if (!Contains(client)) return client;
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
  }
  return client;
}

}  // namespace motcua::http
