// motcua: the command-line entry point. Subcommands: serve, migrate, import-procedures,
// import-organisation, audit verify, user, apikey, version.

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

#include "api/auth_gate.hpp"
#include "api/organisation_api.hpp"
#include "api/procedure_json.hpp"
#include "app/identity_cli.hpp"
#include "app/routes.hpp"
#include "app/services.hpp"
#include "http/server.hpp"
#include "platform/file.hpp"
#include "platform/log.hpp"

namespace {

using namespace motcua;

// Options every subcommand that touches storage shares; flags override file and environment.
struct CommonOptions {
  std::string config_file;
  std::map<std::string, std::string> flags;
};

void AddStorageOptions(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("--config", o.config_file,
                  "Config file of key = value lines (env MOTCUA_CONFIG)");
  cmd->add_option_function<std::string>(
      "--data", [&o](const std::string& v) { o.flags["data"] = v; },
      "Data directory for the SQLite database (env MOTCUA_DATA; default ./var)");
  cmd->add_option_function<std::string>(
      "--database-url", [&o](const std::string& v) { o.flags["database_url"] = v; },
      "sqlite:PATH or postgresql://user@host:port/db (env MOTCUA_DATABASE_URL)");
}

// defaults < config file < environment < flags. Exits with a clear message on a bad setting.
config::Config LoadConfig(const CommonOptions& o) {
  config::Config c;
  auto fail = [](const Error& e) {
    std::fprintf(stderr, "motcua: %s\nmotcua: %s\n", e.message_en.c_str(), e.message_vi.c_str());
    std::exit(2);
  };
  std::string file = o.config_file;
  if (file.empty()) {
    if (const char* env = std::getenv("MOTCUA_CONFIG")) file = env;
  }
  if (!file.empty()) {
    auto settings = config::ReadFile(file);
    if (!settings.ok()) fail(settings.error());
    if (Status st = config::Apply(c, *settings, file); !st.ok()) fail(st.error());
  }
  if (Status st = config::Apply(c, config::FromEnvironment(), "environment"); !st.ok()) {
    fail(st.error());
  }
  if (Status st = config::Apply(c, o.flags, "command line"); !st.ok()) fail(st.error());
  if (Status st = config::Validate(c); !st.ok()) fail(st.error());
  log::Level level = log::Level::kInfo;
  log::ParseLevel(c.log_level, &level);
  log::SetLevel(level);
  return c;
}

std::string ReadFileOrExit(const std::string& path) {
  auto text = platform::ReadWholeFile(path);
  if (!text.ok()) {
    std::fprintf(stderr, "motcua: %s\nmotcua: %s\n", text.error().message_en.c_str(),
                 text.error().message_vi.c_str());
    std::exit(2);
  }
  return std::move(text).value();
}

// Prints why FILE was refused, in English and Vietnamese.
void PrintRefusal(const std::string& file, const Error& e, const char* tail = "") {
  std::fprintf(stderr, "motcua: %s: %s\nmotcua: %s: %s\n%s", file.c_str(), e.message_en.c_str(),
               file.c_str(), e.message_vi.c_str(), tail);
}

constexpr char kNothingImported[] = "Nothing was imported. / Không có gì được nhập.\n";

// Each connection is a file descriptor: raise the soft limit to the hard one so max_connections
// can be reached (a default soft limit of 1,024 would refuse clients long before).
void RaiseFileLimit(size_t connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur < connections + 256) {
    log::Warn("the open-file limit is below max_connections: raise it (ulimit -n)",
              {{"limit", static_cast<long long>(limit.rlim_cur)},
               {"max_connections", static_cast<long long>(connections)}});
  }
}

int Serve(const config::Config& c) {
  app::Services services(c);
  app::LoadBundledDataIfEmpty(services);
  std::string web = c.web_dir.empty() ? std::string(MOTCUA_SOURCE_DIR "/web/dist") : c.web_dir;
  auto static_files = std::make_shared<const http::StaticFiles>(web);
  if (static_files->size() == 0) {
    log::Warn("no web front end to serve: build it with `make web` or set --web", {{"web", web}});
  }
  http::ServerOptions options;
  options.host = c.listen_host;
  options.port = c.listen_port;
  options.io_threads = c.io_threads;
  options.worker_threads = c.worker_threads;
  options.max_body_bytes = c.max_body_bytes;
  options.max_header_bytes = c.max_header_bytes;
  options.read_timeout_seconds = c.read_timeout_seconds;
  options.idle_timeout_seconds = c.idle_timeout_seconds;
  options.shutdown_grace_seconds = c.shutdown_grace_seconds;
  options.access_log = c.access_log;
  options.worker_queue_limit = c.worker_queue_limit;
  options.worker_queue_timeout_ms = c.db_timeout_ms;
  options.sse_heartbeat_seconds = c.sse_heartbeat_seconds;
  options.max_connections = c.max_connections;
  options.max_connections_per_client = c.max_connections_per_client;
  options.trusted_proxies = c.TrustedProxyList();
  RaiseFileLimit(c.max_connections);
  services.StartBackgroundWork();
  http::Server server(options, app::BuildRouter(services), static_files, services.metrics);
  server.SetEventHub(&services.events);
  server.SetAuthenticator(api::MakeAuthenticator(services.identity));
  server.Start();
  // Several instances may share one database: pick up catalogue imports made by the others.
  std::jthread refresher([&services, seconds = c.catalog_refresh_seconds](std::stop_token stop) {
    if (seconds <= 0) return;
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    for (;;) {
      // Returns early (and false) when a stop is requested.
      wake.wait_for(lock, stop, std::chrono::seconds(seconds), [] { return false; });
      if (stop.stop_requested()) return;
      try {
        if (services.catalog.RefreshIfChanged()) log::Info("catalogue reloaded: changed elsewhere");
      } catch (const std::exception& e) {
        log::Warn("catalogue refresh failed", {{"error", e.what()}});
      }
    }
  });
  const bool v6 = c.listen_host.find(':') != std::string::npos;
  const std::string url = "http://" + (v6 ? "[" + c.listen_host + "]" : c.listen_host) + ":" +
                          std::to_string(server.port());
  std::printf("motcua %s listening on %s\n", MOTCUA_VERSION, url.c_str());
  std::fflush(stdout);
  log::Info("listening", {{"url", url}, {"database", services.db->Describe()}, {"web", web}});
  server.Run();
  // Writes still in the group committer answer their connections through the server's loops:
  // let them finish while the server still exists (its loops are stopped; the answers are
  // dropped with them, but nothing refers to a destroyed loop).
  services.unit_of_work.Flush();
  refresher.request_stop();
  refresher.join();
  log::Info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "motcua — nền tảng phục vụ hành chính công / public administration service platform"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("motcua ") + MOTCUA_VERSION);

  CommonOptions serve_opts;
  auto* serve =
      cli.add_subcommand("serve", "Run the HTTP server (creates and seeds an empty database)");
  AddStorageOptions(serve, serve_opts);
  serve->add_option_function<std::string>(
      "--listen", [&](const std::string& v) { serve_opts.flags["listen"] = v; },
      "HOST:PORT (env MOTCUA_LISTEN; default 127.0.0.1:8080; port 0 picks a free one)");
  serve->add_option_function<std::string>(
      "--web", [&](const std::string& v) { serve_opts.flags["web"] = v; },
      "Directory of the built front end (env MOTCUA_WEB)");
  serve->footer(
      "Other settings (config file keys; env MOTCUA_<KEY>): io_threads, worker_threads, "
      "max_body_bytes, max_header_bytes, read_timeout_seconds, idle_timeout_seconds, "
      "shutdown_grace_seconds, session_hours, secure_cookies, sign_in_burst, "
      "citizen_local_accounts, identity_key_file, oidc_issuer, oidc_client_id, "
      "oidc_client_secret, oidc_redirect_uri, oidc_scopes, access_log, response_cache_entries, "
      "catalog_refresh_seconds, log_level. See README.");

  CommonOptions migrate_opts;
  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  AddStorageOptions(migrate, migrate_opts);
  bool dry_run = false;
  migrate->add_flag("--dry-run", dry_run, "List the migrations that would run, change nothing");

  CommonOptions import_opts;
  std::string import_file, effective_from;
  auto* import =
      cli.add_subcommand("import-procedures", "Import a procedure catalogue file (all or nothing)");
  AddStorageOptions(import, import_opts);
  import->add_option("FILE", import_file, "JSON array of procedures, as data/procedures.json")
      ->required();
  import->add_option("--effective-from", effective_from,
                     "YYYY-MM-DD from which changed fees/time limits apply (default today)");

  CommonOptions audit_opts;
  auto* audit = cli.add_subcommand("audit", "The audit trail");
  auto* audit_verify = audit->add_subcommand(
      "verify", "Recompute the hash chain and check the signed heads; exit 1 when it was tampered");
  AddStorageOptions(audit_verify, audit_opts);
  audit->require_subcommand(1);

  CommonOptions org_opts;
  std::string org_file;
  auto* import_org = cli.add_subcommand(
      "import-organisation", "Import units and service points (as data/hanoi-organisation.json)");
  AddStorageOptions(import_org, org_opts);
  import_org->add_option("FILE", org_file, "JSON file")->required();

  CommonOptions user_opts;
  auto* user = cli.add_subcommand("user", "Accounts: add, disable, enable, reset, list");
  user->require_subcommand(1);
  app::UserAddArgs user_add_args;
  auto* user_add = user->add_subcommand("add", "Create an account (the first administrator too)");
  user_add->add_option("LOGIN", user_add_args.login, "login (a-z 0-9 . _ - @)")->required();
  user_add->add_option("--name", user_add_args.display_name, "display name")->required();
  user_add
      ->add_option("--role", user_add_args.role,
                   "citizen, reception_officer, processing_officer, unit_leader, "
                   "monitoring, administrator or agent")
      ->required();
  user_add->add_option("--unit", user_add_args.unit, "unit code (officials)");
  user_add->add_flag("--password-stdin", user_add_args.password_from_stdin,
                     "read the password from standard input (else one is generated, to be "
                     "changed at the first sign-in)");
  std::string user_login;
  auto* user_disable = user->add_subcommand("disable", "Disable an account and end its sessions");
  auto* user_enable = user->add_subcommand("enable", "Enable an account and unlock it");
  auto* user_reset =
      user->add_subcommand("reset", "New initial password; unlocks; ends every session");
  for (auto* cmd : {user_disable, user_enable, user_reset}) {
    cmd->add_option("LOGIN", user_login, "login")->required();
  }
  auto* user_list = user->add_subcommand("list", "List accounts");
  for (auto* cmd : {user_add, user_disable, user_enable, user_reset, user_list}) {
    AddStorageOptions(cmd, user_opts);
  }

  CommonOptions key_opts;
  auto* apikey = cli.add_subcommand("apikey", "API keys of machine clients: add, revoke, list");
  apikey->require_subcommand(1);
  std::string key_name, key_role, key_unit;
  long long key_id = 0;
  auto* key_add = apikey->add_subcommand("add", "Create a key; prints its secret once on stdout");
  key_add->add_option("NAME", key_name, "what the key is for")->required();
  key_add->add_option("--role", key_role, "agent, monitoring, administrator, ...")->required();
  key_add->add_option("--unit", key_unit, "unit code (keys of officials)");
  bool key_from_stdin = false;
  key_add->add_flag("--secret-stdin", key_from_stdin,
                    "register the key read from standard input (mck_ and 32+ characters) instead "
                    "of generating one");
  auto* key_revoke = apikey->add_subcommand("revoke", "Revoke a key");
  key_revoke->add_option("ID", key_id, "key id")->required();
  auto* key_list = apikey->add_subcommand("list", "List keys");
  for (auto* cmd : {key_add, key_revoke, key_list}) AddStorageOptions(cmd, key_opts);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  try {
    if (*serve) return Serve(LoadConfig(serve_opts));
    if (*user) {
      app::Services services(LoadConfig(user_opts));
      app::LoadBundledDataIfEmpty(services);  // units, for --unit on a fresh installation
      if (*user_add) return app::UserAdd(services, user_add_args);
      if (*user_disable) return app::UserSetDisabled(services, user_login, true);
      if (*user_enable) return app::UserSetDisabled(services, user_login, false);
      if (*user_reset) return app::UserReset(services, user_login);
      return app::UserList(services);
    }
    if (*apikey) {
      app::Services services(LoadConfig(key_opts));
      app::LoadBundledDataIfEmpty(services);
      if (*key_add) return app::ApiKeyAdd(services, key_name, key_role, key_unit, key_from_stdin);
      if (*key_revoke) return app::ApiKeyRevoke(services, key_id);
      return app::ApiKeyList(services);
    }
    if (*audit_verify) {
      app::Services services(LoadConfig(audit_opts));
      const auto v = storage::VerifyAudit(*services.db, services.TrustedAuditKeys());
      if (v.ok) {
        std::printf("audit trail ok: %lld records, %lld signed heads\n",
                    static_cast<long long>(v.records), static_cast<long long>(v.heads));
        return 0;
      }
      std::printf("AUDIT TRAIL TAMPERED at record %lld: %s\nNHẬT KÝ BỊ SỬA tại bản ghi %lld: %s\n",
                  static_cast<long long>(v.first_bad), v.problem_en.c_str(),
                  static_cast<long long>(v.first_bad), v.problem_vi.c_str());
      return 1;
    }
    if (*migrate && dry_run) {
      const config::Config config = LoadConfig(migrate_opts);
      auto db = storage::OpenDatabase(config.DatabaseUrl());
      const auto pending = storage::PendingMigrations(*db);
      std::printf("%s: %zu migration(s) to apply\n", db->Describe().c_str(), pending.size());
      for (const auto& m : pending) {
        std::printf("  %d %s%s\n", m.version, m.name.c_str(),
                    m.transactional ? "" : " (outside a transaction)");
      }
      return 0;
    }
    if (*migrate) {
      app::Services services(LoadConfig(migrate_opts));
      std::printf("schema version %d\n", storage::LatestSchemaVersion());
      return 0;
    }
    if (*import) {
      app::Services services(LoadConfig(import_opts));
      Date from = services.clock.TodayInVietnam();
      if (!effective_from.empty()) {
        auto d = Date::Parse(effective_from);
        if (!d) {
          std::fprintf(stderr, "motcua: --effective-from must be YYYY-MM-DD\n");
          return 2;
        }
        from = *d;
      }
      auto parsed = api::ParseProcedures(ReadFileOrExit(import_file), from);
      if (!parsed.ok()) {
        PrintRefusal(import_file, parsed.error(), kNothingImported);
        return 1;
      }
      auto report = services.catalog.Import(*parsed, from, app::CliActor());
      if (!report.ok()) {
        PrintRefusal(import_file, report.error(), kNothingImported);
        return 1;
      }
      std::printf("imported %s: %d added, %d updated, %d new rule versions from %s, %d unchanged\n",
                  import_file.c_str(), report->added, report->updated, report->new_rules,
                  from.ToIso().c_str(), report->unchanged);
      return 0;
    }
    if (*import_org) {
      app::Services services(LoadConfig(org_opts));
      auto seed = api::ParseOrganisation(ReadFileOrExit(org_file));
      if (!seed.ok()) {
        PrintRefusal(org_file, seed.error());
        return 1;
      }
      services.organisation.Save(seed->units, seed->service_points);
      std::printf("imported %zu units and %zu service points\n", seed->units.size(),
                  seed->service_points.size());
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "motcua: %s\n", e.what());
    log::Error("fatal", {{"error", e.what()}});
    return 1;
  }
  return 0;
}
