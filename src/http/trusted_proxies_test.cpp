#include "http/trusted_proxies.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace motcua::http {
namespace {

TEST(TrustedProxies, ClientIsTheRightmostUntrustedHop) {
  const TrustedProxies proxies({"127.0.0.0/8", "10.0.0.0/8", "fd00::/8"});
  EXPECT_EQ(proxies.ClientOf("127.0.0.1", "203.0.113.7, 10.1.1.1"), "203.0.113.7");
  EXPECT_EQ(proxies.ClientOf("127.0.0.1", "203.0.113.7, 192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(proxies.ClientOf("127.0.0.1", "198.51.100.2, 127.0.0.5"), "198.51.100.2");
  EXPECT_EQ(proxies.ClientOf("127.0.0.1", "garbage"), "127.0.0.1");
  EXPECT_EQ(proxies.ClientOf("127.0.0.1", "2001:db8::1, fd00::2"), "2001:db8::1");
  // From a peer that is not a proxy the header is ignored: anyone can send it.
  EXPECT_EQ(proxies.ClientOf("192.0.2.9", "203.0.113.7"), "192.0.2.9");
  EXPECT_TRUE(proxies.Contains("::ffff:10.2.3.4"));
  EXPECT_FALSE(proxies.Contains("11.0.0.1"));
}

TEST(TrustedProxies, NoneConfiguredMeansThePeer) {
  const TrustedProxies none({});
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.ClientOf("127.0.0.1", "203.0.113.7"), "127.0.0.1");
}

TEST(TrustedProxies, ABadEntryIsRefusedByName) {
  EXPECT_THROW(TrustedProxies({"10.0.0.0/33"}), std::invalid_argument);
  EXPECT_THROW(TrustedProxies({"proxy.local"}), std::invalid_argument);
}

}  // namespace
}  // namespace motcua::http
