#pragma once
// Server configuration: built-in defaults, then a config file, then MOTCUA_* environment
// variables, then command-line flags (each overrides the one before). Validate() says what to fix.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace motcua::config {

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "var";        // SQLite database and other local state
  std::string database_url;            // empty: sqlite:<data_dir>/motcua.db
  std::string web_dir;                 // static front end; empty: <binary dir>/../web/dist
  int io_threads = 2;                  // threads running the HTTP event loop
  int worker_threads = 4;              // threads running blocking (database) work
  size_t max_body_bytes = 1 << 20;     // request body limit
  size_t max_header_bytes = 16 << 10;  // request line + headers limit
  int read_timeout_seconds = 30;       // to read one request
  int idle_timeout_seconds = 60;       // keep-alive connection without a request
  int shutdown_grace_seconds = 20;     // in-flight requests get this long after SIGTERM
  std::string log_level = "info";
  bool access_log = true;                 // one JSON line per request
  size_t response_cache_entries = 4096;   // rendered catalogue bodies kept; 0 disables
  int catalog_refresh_seconds = 5;        // how often to look for imports by other instances
  bool group_commit = true;               // share one commit (fsync) among concurrent writes
  size_t worker_queue_limit = 1024;       // blocking requests waiting beyond this get 503
  int event_poll_ms = 250;                // how often to look for events of other instances
  int outbox_poll_ms = 1000;              // how often to look for outbox messages to deliver
  int db_pool_size = 0;                   // database connections; 0: worker_threads + 3
  int db_timeout_ms = 5000;               // longest wait for the database (statement, lock, pool)
  int sse_heartbeat_seconds = 15;         // comment line on idle event streams
  size_t max_connections = 20000;         // open connections in all
  size_t max_connections_per_client = 0;  // from one peer address; 0: no limit
  std::string trusted_proxies;
  std::string audit_key_file;  // Ed25519 key signing audit heads; empty: <data>/audit-ed25519.key
  std::string audit_trusted_keys;      // comma-separated public keys (hex) of other instances
  int audit_sign_seconds = 60;         // how often the newest audit record is signed
  int session_hours = 12;              // a session's lifetime
  bool secure_cookies = false;         // session cookies marked Secure (behind TLS)
  int sign_in_burst = 10;              // failed sign-ins per client address before it must wait
  bool citizen_local_accounts = true;  // citizens may register with ID number + password
  std::string identity_key_file;       // keyed hash of ID numbers; empty: <data>/identity.key
  std::string calendar_days_off_file;  // the operator's announced days off, beside the bundled
  std::string oidc_issuer;             // OpenID provider for citizens' sign-in; empty: off
  std::string oidc_client_id;
  std::string oidc_client_secret;
  std::string oidc_redirect_uri;  // this server's /api/v1/auth/oidc/callback as registered
  std::string oidc_scopes = "openid profile";

  // The effective database URL.
  std::string DatabaseUrl() const;
  // trusted_proxies split at commas, blanks trimmed.
  std::vector<std::string> TrustedProxyList() const;
  // audit_trusted_keys, split the same way.
  std::vector<std::string> AuditTrustedKeyList() const;
  // The effective audit key file.
  std::string AuditKeyFile() const;
};

// Applies `key = value` settings (keys as in the config file, e.g. "listen", "io_threads").
// Unknown keys and bad values are errors naming the key and the source.
Status Apply(Config& config, const std::map<std::string, std::string>& settings,
             const std::string& source);

// Reads a config file of `key = value` lines ('#' starts a comment).
Result<std::map<std::string, std::string>> ReadFile(const std::string& path);

// Collects MOTCUA_<KEY> environment variables (e.g. MOTCUA_LISTEN, MOTCUA_DATABASE_URL).
std::map<std::string, std::string> FromEnvironment();

// Checks ranges and combinations.
Status Validate(const Config& config);

// The keys a config file and the environment accept, with a one-line description each.
const std::map<std::string, std::string>& Keys();

}  // namespace motcua::config
