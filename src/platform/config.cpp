#include "platform/config.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>

#include "platform/log.hpp"

namespace motcua::config {
namespace {

Error Bad(const std::string& key, const std::string& source, const std::string& why_vi,
          const std::string& why_en) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "Cấu hình '" + key + "' (" + source + "): " + why_vi,
                   "Setting '" + key + "' (" + source + "): " + why_en, key);
}

bool ParseInt(const std::string& s, long long min, long long max, long long* out) {
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) return false;
  *out = v;
  return true;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

}  // namespace

std::string Config::DatabaseUrl() const {
  return database_url.empty() ? "sqlite:" + data_dir + "/motcua.db" : database_url;
}

namespace {
std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string item =
        Trim(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}
}  // namespace

std::vector<std::string> Config::TrustedProxyList() const { return SplitList(trusted_proxies); }
std::vector<std::string> Config::AuditTrustedKeyList() const {
  return SplitList(audit_trusted_keys);
}
std::string Config::AuditKeyFile() const {
  return audit_key_file.empty() ? data_dir + "/audit-ed25519.key" : audit_key_file;
}

const std::map<std::string, std::string>& Keys() {
  static const std::map<std::string, std::string> kKeys = {
      {"listen", "HOST:PORT to listen on (port 0 picks a free one); default 127.0.0.1:8080"},
      {"data", "data directory (SQLite database); default ./var"},
      {"database_url",
       "sqlite:PATH or postgresql://user@host:port/db; default sqlite:<data>/motcua.db"},
      {"web", "directory of the built front end; default web/dist beside the binary's source tree"},
      {"io_threads", "HTTP event-loop threads (1-64); default 2"},
      {"worker_threads", "threads for blocking database work (1-256); default 4"},
      {"max_body_bytes", "largest request body accepted (1 KiB - 64 MiB); default 1 MiB"},
      {"max_header_bytes", "largest request head accepted (1 KiB - 1 MiB); default 16 KiB"},
      {"read_timeout_seconds", "time allowed to read one request (1-600); default 30"},
      {"idle_timeout_seconds", "keep-alive idle time (1-3600); default 60"},
      {"shutdown_grace_seconds", "time in-flight requests get after SIGTERM (0-600); default 20"},
      {"session_hours", "lifetime of a signed-in session (1-720); default 12"},
      {"citizen_local_accounts",
       "true or false: citizens may register a local account with their ID number and a "
       "password (stand-alone installations); default true"},
      {"identity_key_file",
       "file of the secret that hashes ID numbers into citizens' logins (made on first start, "
       "mode 0600; give every instance the same file); default <data>/identity.key"},
      {"calendar_days_off_file",
       "a file of announced days off and make-up working days (the format of "
       "data/vn-calendar/official-days-off.tsv), added to the bundled one; default none"},
      {"oidc_issuer",
       "issuer URL of the OpenID provider citizens sign in with (https; http only on loopback); "
       "unset: off"},
      {"oidc_client_id", "this platform's client id at the OpenID provider"},
      {"oidc_client_secret", "its client secret (sent with HTTP basic authentication)"},
      {"oidc_redirect_uri",
       "this server's https://.../api/v1/auth/oidc/callback as registered at the provider"},
      {"oidc_scopes", "scopes asked for; default \"openid profile\""},
      {"sign_in_burst",
       "failed sign-ins one client address may make in a row before it must wait (one more "
       "every 6 s; 1-100000); default 10"},
      {"secure_cookies",
       "true or false: mark the session cookie Secure (turn on when clients reach the server "
       "over HTTPS); default false"},
      {"log_level", "debug, info, warn or error; default info"},
      {"access_log", "true or false: one JSON log line per request; default true"},
      {"catalog_refresh_seconds",
       "how often to pick up catalogue imports made by other instances (0-3600, 0 never); default "
       "5"},
      {"group_commit",
       "true or false: concurrent writes share one commit (one fsync); default true"},
      {"worker_queue_limit",
       "blocking requests that may wait for a worker (1-1000000); beyond it 503; default 1024"},
      {"event_poll_ms",
       "how often live streams look for events written by other instances (10-10000); default "
       "250"},
      {"outbox_poll_ms",
       "how often the outbox is checked for messages to deliver (10-60000); "
       "default 1000"},
      {"db_pool_size",
       "database connections per instance (0-1000, 0: worker_threads + 3); default 0"},
      {"db_timeout_ms",
       "longest wait for the database: one statement, the SQLite write lock or a pooled "
       "connection (100-600000); past it requests get 503; default 5000"},
      {"sse_heartbeat_seconds",
       "comment line sent on an idle event stream so proxies keep it open (1-300); default 15"},
      {"max_connections",
       "open connections in all (16-1000000); more are closed at once; default 20000"},
      {"max_connections_per_client",
       "open connections from one client address (0-1000000, 0 no limit); behind a reverse proxy "
       "all clients share its address; default 0"},
      {"trusted_proxies",
       "comma-separated addresses or CIDR blocks of reverse proxies whose X-Forwarded-For gives "
       "the client address (for logs, limits and audit); default none"},
      {"audit_key_file",
       "file of the Ed25519 key that signs the audit trail's head (made on first start, mode "
       "0600); default <data>/audit-ed25519.key"},
      {"audit_trusted_keys",
       "comma-separated public keys (hex) of the other instances sharing the database, trusted "
       "when the audit trail is verified; default none"},
      {"audit_sign_seconds", "how often the newest audit record is signed (1-86400); default 60"},
      {"response_cache_entries",
       "rendered search/procedure bodies kept in memory (0-1000000, 0 disables); default 4096"},
  };
  return kKeys;
}

Status Apply(Config& c, const std::map<std::string, std::string>& settings,
             const std::string& source) {
  for (const auto& setting : settings) {
    // Named copies, not structured bindings: lambdas below capture them (clang < 16 cannot
    // capture structured bindings, and the fuzz build uses clang).
    const std::string& key = setting.first;
    const std::string& value = setting.second;
    long long n = 0;
    auto int_setting = [&](long long min, long long max, auto& field) -> Status {
      if (!ParseInt(value, min, max, &n)) {
        return Bad(key, source,
                   "phải là số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max),
                   "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      }
      field = static_cast<std::remove_reference_t<decltype(field)>>(n);
      return OkStatus();
    };
    Status st = OkStatus();
    if (key == "listen") {
      const auto colon = value.rfind(':');
      if (colon == std::string::npos || colon == 0 ||
          !ParseInt(value.substr(colon + 1), 0, 65535, &n)) {
        return Bad(key, source, "phải có dạng HOST:PORT, ví dụ 127.0.0.1:8080",
                   "must be HOST:PORT, e.g. 127.0.0.1:8080");
      }
      c.listen_host = value.substr(0, colon);
      if (c.listen_host.size() > 2 && c.listen_host.front() == '[' && c.listen_host.back() == ']') {
        c.listen_host = c.listen_host.substr(1, c.listen_host.size() - 2);
      }
      c.listen_port = static_cast<int>(n);
    } else if (key == "data") {
      if (value.empty()) return Bad(key, source, "không được để trống", "must not be empty");
      c.data_dir = value;
    } else if (key == "database_url") {
      c.database_url = value;
    } else if (key == "web") {
      c.web_dir = value;
    } else if (key == "io_threads") {
      st = int_setting(1, 64, c.io_threads);
    } else if (key == "worker_threads") {
      st = int_setting(1, 256, c.worker_threads);
    } else if (key == "max_body_bytes") {
      st = int_setting(1024, 64ll << 20, c.max_body_bytes);
    } else if (key == "max_header_bytes") {
      st = int_setting(1024, 1 << 20, c.max_header_bytes);
    } else if (key == "read_timeout_seconds") {
      st = int_setting(1, 600, c.read_timeout_seconds);
    } else if (key == "idle_timeout_seconds") {
      st = int_setting(1, 3600, c.idle_timeout_seconds);
    } else if (key == "shutdown_grace_seconds") {
      st = int_setting(0, 600, c.shutdown_grace_seconds);
    } else if (key == "admin_token") {
      return Bad(key, source, "đã bỏ: tạo khóa API bằng `motcua apikey add`",
                 "was removed: create an API key with `motcua apikey add`");
    } else if (key == "sign_in_burst") {
      st = int_setting(1, 100000, c.sign_in_burst);
    } else if (key == "oidc_issuer") {
      if (!value.empty() && !(value.starts_with("https://") || value.starts_with("http://"))) {
        return Bad(key, source, "phải là một URL https://", "must be an https:// URL");
      }
      c.oidc_issuer = value;
    } else if (key == "oidc_client_id") {
      c.oidc_client_id = value;
    } else if (key == "oidc_client_secret") {
      c.oidc_client_secret = value;
    } else if (key == "oidc_redirect_uri") {
      c.oidc_redirect_uri = value;
    } else if (key == "oidc_scopes") {
      c.oidc_scopes = value;
    } else if (key == "session_hours") {
      st = int_setting(1, 720, c.session_hours);
    } else if (key == "catalog_refresh_seconds") {
      st = int_setting(0, 3600, c.catalog_refresh_seconds);
    } else if (key == "response_cache_entries") {
      st = int_setting(0, 1000000, c.response_cache_entries);
    } else if (key == "worker_queue_limit") {
      st = int_setting(1, 1000000, c.worker_queue_limit);
    } else if (key == "event_poll_ms") {
      st = int_setting(10, 10000, c.event_poll_ms);
    } else if (key == "outbox_poll_ms") {
      st = int_setting(10, 60000, c.outbox_poll_ms);
    } else if (key == "max_connections") {
      st = int_setting(16, 1000000, c.max_connections);
    } else if (key == "max_connections_per_client") {
      st = int_setting(0, 1000000, c.max_connections_per_client);
    } else if (key == "trusted_proxies") {
      c.trusted_proxies = value;
    } else if (key == "audit_key_file") {
      c.audit_key_file = value;
    } else if (key == "audit_trusted_keys") {
      c.audit_trusted_keys = value;
    } else if (key == "audit_sign_seconds") {
      st = int_setting(1, 86400, c.audit_sign_seconds);
    } else if (key == "db_timeout_ms") {
      st = int_setting(100, 600000, c.db_timeout_ms);
    } else if (key == "sse_heartbeat_seconds") {
      st = int_setting(1, 300, c.sse_heartbeat_seconds);
    } else if (key == "db_pool_size") {
      st = int_setting(0, 1000, c.db_pool_size);
    } else if (key == "calendar_days_off_file") {
      c.calendar_days_off_file = value;
    } else if (key == "identity_key_file") {
      c.identity_key_file = value;
    } else if (key == "access_log" || key == "group_commit" || key == "secure_cookies" ||
               key == "citizen_local_accounts") {
      if (value != "true" && value != "false") {
        return Bad(key, source, "phải là true hoặc false", "must be true or false");
      }
      (key == "access_log"       ? c.access_log
       : key == "group_commit"   ? c.group_commit
       : key == "secure_cookies" ? c.secure_cookies
                                 : c.citizen_local_accounts) = value == "true";
    } else if (key == "log_level") {
      if (log::Level level; !log::ParseLevel(value, &level)) {
        return Bad(key, source, "phải là debug, info, warn hoặc error",
                   "must be debug, info, warn or error");
      }
      c.log_level = value;
    } else {
      return Bad(key, source, "không có cấu hình này (xem motcua serve --help)",
                 "unknown setting (see motcua serve --help)");
    }
    if (!st.ok()) return st;
  }
  return OkStatus();
}

Result<std::map<std::string, std::string>> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return MakeError(ErrorCode::kInvalidArgument, "Không đọc được tệp cấu hình " + path,
                     "Cannot read config file " + path, "config");
  }
  std::map<std::string, std::string> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    line = Trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      const std::string where = path + ":" + std::to_string(number);
      return MakeError(ErrorCode::kInvalidArgument, where + ": dòng phải có dạng khóa = giá trị",
                       where + ": line must be key = value", "config");
    }
    out[Trim(line.substr(0, eq))] = Trim(line.substr(eq + 1));
  }
  return out;
}

std::map<std::string, std::string> FromEnvironment() {
  std::map<std::string, std::string> out;
  for (const auto& [key, description] : Keys()) {
    std::string var = "MOTCUA_";
    for (char ch : key) var += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (const char* v = std::getenv(var.c_str())) out[key] = v;
  }
  return out;
}

Status Validate(const Config& c) {
  if (c.listen_host.empty()) {
    return Bad("listen", "config", "thiếu địa chỉ", "host is missing");
  }
  const std::string url = c.DatabaseUrl();
  if (url.rfind("sqlite:", 0) != 0 && url.rfind("postgresql://", 0) != 0 &&
      url.rfind("postgres://", 0) != 0) {
    return Bad("database_url", "config", "phải bắt đầu bằng sqlite: hoặc postgresql://",
               "must start with sqlite: or postgresql://");
  }
  return OkStatus();
}

}  // namespace motcua::config
