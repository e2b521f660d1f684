#include "platform/http_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace motcua::http_client {
namespace {

void EnsureCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  std::string* out;
  size_t limit;
  bool too_large = false;
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->out->size() + size * n > sink->limit) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  sink->out->append(data, size * n);
  return size * n;
}

std::string Escape(CURL* curl, const std::string& s) {
  char* e = curl_easy_escape(curl, s.data(), static_cast<int>(s.size()));
  std::string out = e ? e : "";
  curl_free(e);
  return out;
}

Reply Perform(const std::string& url, const std::vector<std::pair<std::string, std::string>>* form,
              const Options& o) {
  if (!IsAllowedUrl(url))
    throw std::runtime_error("refused URL (https only, or http to loopback): " + url);
  EnsureCurl();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  CURL* c = curl.get();
  Reply reply;
  Sink sink{&reply.body, o.max_body_bytes};
  std::string body;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "motcua");
  if (!o.basic_user.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, o.basic_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, o.basic_password.c_str());
  }
  if (form) {
    for (const auto& [k, v] : *form) {
      if (!body.empty()) body += '&';
      body += Escape(c, k) + "=" + Escape(c, v);
    }
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (sink.too_large) throw std::runtime_error("reply larger than the limit from " + url);
  if (rc != CURLE_OK) {
    throw std::runtime_error(std::string("request to ") + url +
                             " failed: " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace

bool IsAllowedUrl(const std::string& url) {
  if (url.starts_with("https://")) return true;
  if (!url.starts_with("http://")) return false;
  std::string rest = url.substr(7);
  const size_t end = rest.find_first_of("/?#");
  std::string host = rest.substr(0, end);
  if (const size_t at = host.rfind('@'); at != std::string::npos) return false;  // no userinfo
  if (host.starts_with("[")) return host.starts_with("[::1]");
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host.starts_with("127.");
}

Reply Get(const std::string& url, const Options& options) { return Perform(url, nullptr, options); }

Reply PostForm(const std::string& url, const std::vector<std::pair<std::string, std::string>>& form,
               const Options& options) {
  return Perform(url, &form, options);
}

}  // namespace motcua::http_client
