#pragma once
// Outbound HTTP(S) for talking to other systems (the OpenID provider), with libcurl: TLS
// certificates and host names verified, redirects not followed, bounded time and size. Plain
// http:// only to loopback addresses (a provider on the same machine, tests). Thread-safe.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace motcua::http_client {

struct Reply {
  long status = 0;
  std::string body;
};

struct Options {
  std::chrono::milliseconds timeout{10000};
  size_t max_body_bytes = 1 << 20;
  std::string basic_user;  // HTTP basic authentication when set
  std::string basic_password;
};

// Throws std::runtime_error saying what failed (refused URL, DNS, TLS, timeout, too large).
Reply Get(const std::string& url, const Options& options = {});
Reply PostForm(const std::string& url, const std::vector<std::pair<std::string, std::string>>& form,
               const Options& options = {});

// True for https:// URLs, and http:// URLs whose host is a loopback address or localhost.
bool IsAllowedUrl(const std::string& url);

}  // namespace motcua::http_client
