#include "app/services.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "api/procedure_json.hpp"
#include "domain/calendar/days_off_file.hpp"
#include "platform/file.hpp"
#include "platform/log.hpp"

namespace motcua::app {
namespace {

// Bundled files must be there: a missing one is a broken installation, not bad input.
std::string ReadBundled(const std::string& path) {
  auto text = platform::ReadWholeFile(path);
  if (!text.ok()) throw std::runtime_error(text.error().message_en);
  return std::move(text).value();
}

std::unique_ptr<storage::Database> OpenAndMigrate(const config::Config& config) {
  if (config.DatabaseUrl().starts_with("sqlite:")) {
    std::filesystem::create_directories(config.data_dir);
  }
  // Connections for the workers, the group-commit writer, the event feed and the dispatcher.
  const size_t pool = config.db_pool_size > 0 ? static_cast<size_t>(config.db_pool_size)
                                              : static_cast<size_t>(config.worker_threads) + 3;
  auto db = storage::OpenDatabase(config.DatabaseUrl(),
                                  {.pool_size = pool, .timeout_ms = config.db_timeout_ms});
  const int applied = storage::Migrate(*db);
  log::Info("database ready",
            {{"database", db->Describe()},
             {"migrations_applied", static_cast<long long>(applied)},
             {"schema_version", static_cast<long long>(storage::LatestSchemaVersion())}});
  return db;
}

// The date from which the bundled catalogue's fees and time limits are recorded: the two-tier
// local government reform, when the current procedure lists took effect.
constexpr int kBundledRulesYear = 2025, kBundledRulesMonth = 7, kBundledRulesDay = 1;

// The secret that hashes ID numbers into logins, from its file (made on first use).
std::string CitizenKey(const config::Config& c) {
  const std::string path =
      c.identity_key_file.empty() ? c.data_dir + "/identity.key" : c.identity_key_file;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  return secrets::LoadOrCreateKeyFile(path, 32);
}

}  // namespace

Services::Services(const config::Config& c)
    : config(c),
      db(OpenAndMigrate(c)),
      unit_of_work(*db, storage::GroupCommitOptions{.enabled = c.group_commit}),
      changes(clock),
      sql_procedures(*db),
      sql_organisation(*db),
      procedures(sql_procedures, metrics),
      organisation(sql_organisation, metrics),
      audit(clock),
      catalog(procedures, unit_of_work, changes, audit),
      sql_notices(*db),
      notices(sql_notices, unit_of_work, changes, audit, clock),
      sql_accounts(*db),
      identity(sql_accounts, unit_of_work, audit, crypto, clock,
               identity::Policy{.session_lifetime = std::chrono::hours(c.session_hours)},
               c.citizen_local_accounts ? CitizenKey(c) : std::string()),
      catalog_api(catalog, clock, c.response_cache_entries),
      organisation_api(organisation),
      system_api(*db, metrics),
      events_api(*db, [this] { return event_feed ? event_feed->last_id() : events.last_id(); }),
      notices_api(notices),
      audit_api(*db, [this] { return TrustedAuditKeys(); }),
      auth_api(identity, c.secure_cookies, c.sign_in_burst),
      accounts_api(identity),
      oidc_api(identity, clock,
               api::OidcSettings{c.oidc_issuer, c.oidc_client_id, c.oidc_client_secret,
                                 c.oidc_redirect_uri, c.oidc_scopes},
               c.secure_cookies),
      working_calendar(LoadWorkingCalendar(c, clock.TodayInVietnam())),
      calendar_api(working_calendar) {
  const auto committed = [this](auto field) {
    return [this, field] { return static_cast<double>(unit_of_work.stats().*field); };
  };
  metrics.AddValue("motcua_write_units_total", "Units of work (writes) run by the group committer.",
                   "counter", committed(&storage::GroupCommitStats::units));
  metrics.AddValue("motcua_write_commits_total",
                   "Transactions committed by the group committer (each one durable flush).",
                   "counter", committed(&storage::GroupCommitStats::commits));
  metrics.AddValue("motcua_write_failed_commits_total",
                   "Group commits that failed (every unit in them failed).", "counter",
                   committed(&storage::GroupCommitStats::failed_commits));
  metrics.AddValue("motcua_write_refused_total", "Units refused because the write queue was full.",
                   "counter", committed(&storage::GroupCommitStats::refused));
  metrics.AddValue("motcua_event_subscribers", "Open live event streams.", "gauge",
                   [this] { return static_cast<double>(events.subscribers()); });
  metrics.SetBuildInfo(MOTCUA_VERSION,
                       db->dialect() == storage::Dialect::kSqlite ? "sqlite" : "postgresql");
}

Services::~Services() {
  // The background threads use the database and the hub: stop them before those go.
  unit_of_work.SetCommitListener(nullptr);
  audit_signer.reset();
  session_sweeper.reset();
  outbox.reset();
  event_feed.reset();
}

const storage::AuditKey& Services::AuditSigningKey() {
  std::lock_guard lock(audit_key_mutex_);
  if (!audit_key_) {
    const std::string path = config.AuditKeyFile();
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    audit_key_ = std::make_unique<storage::AuditKey>(storage::AuditKey::LoadOrCreate(path));
  }
  return *audit_key_;
}

std::vector<std::string> Services::TrustedAuditKeys() {
  std::vector<std::string> keys = config.AuditTrustedKeyList();
  keys.push_back(AuditSigningKey().public_key_hex());
  return keys;
}

void Services::StartBackgroundWork() {
  const storage::AuditKey& key = AuditSigningKey();
  audit_signer = std::make_unique<storage::WakeableLoop>(
      std::chrono::seconds(config.audit_sign_seconds), [this, &key] {
        try {
          if (const int64_t seq = storage::SignAuditHead(*db, key, clock)) {
            log::Debug("audit head signed", {{"seq", static_cast<long long>(seq)}});
          }
        } catch (const std::exception& e) {
          log::Warn("cannot sign the audit head", {{"error", e.what()}});
        }
      });
  // Expired sessions (with the client address they hold) are kept no longer than needed.
  session_sweeper = std::make_unique<storage::WakeableLoop>(std::chrono::minutes(10), [this] {
    const std::string now = ToIsoUtc(clock.Now());
    unit_of_work.Submit(
        [this, now](Transaction& tx) -> Status {
          sql_accounts.DeleteExpiredSessions(tx, now);
          return OkStatus();
        },
        [](Status st) {
          if (!st.ok())
            log::Warn("cannot delete expired sessions", {{"error", st.error().message_en}});
        });
  });
  event_feed = std::make_unique<storage::EventFeed>(
      *db, std::chrono::milliseconds(config.event_poll_ms), [this](const storage::StoredEvent& e) {
        events.Publish(
            std::make_shared<const http::Event>(http::Event{e.id, e.topic, e.type, e.payload}));
      });
  char host[256] = "unknown";
  gethostname(host, sizeof host - 1);
  outbox = std::make_unique<storage::OutboxDispatcher>(
      unit_of_work, clock,
      storage::OutboxDispatcher::Options{
          .instance = std::string(host) + ":" + std::to_string(getpid()),
          .poll_interval = std::chrono::milliseconds(config.outbox_poll_ms)},
      std::map<std::string, storage::OutboxDispatcher::Sender>{{"log", storage::LogSender}});
  // A local commit wakes the feed at once; other instances' events arrive within event_poll_ms.
  unit_of_work.SetCommitListener([this] {
    if (auto* feed = event_feed.get(); feed && changes.TakePublished()) feed->Wake();
    if (auto* dispatcher = outbox.get(); dispatcher && changes.TakeNotified()) dispatcher->Wake();
  });
}

std::shared_ptr<const calendar::WorkingCalendar> LoadWorkingCalendar(const config::Config& c,
                                                                     Date today) {
  std::vector<calendar::AnnouncedDay> days;
  std::vector<std::string> files = {BundledDataDir() + "/vn-calendar/official-days-off.tsv"};
  if (!c.calendar_days_off_file.empty()) files.push_back(c.calendar_days_off_file);
  for (const std::string& path : files) {
    auto parsed = calendar::ParseDaysOffFile(ReadBundled(path));
    if (!parsed.ok()) throw std::runtime_error(path + ": " + parsed.error().message_en);
    for (auto& d : *parsed) {
      for (const auto& known : days) {
        if (known.date == d.date) {
          throw std::runtime_error(path + ": " + d.date.ToIso() +
                                   " is already announced in an earlier file");
        }
      }
      days.push_back(std::move(d));
    }
  }
  const int year = std::stoi(today.ToIso().substr(0, 4));
  return std::make_shared<const calendar::WorkingCalendar>(year - 2, year + 10, std::move(days));
}

std::string BundledDataDir() {
  if (const char* dir = std::getenv("MOTCUA_BUNDLED_DATA")) return dir;
  return MOTCUA_SOURCE_DIR "/data";
}

void LoadBundledDataIfEmpty(Services& s) {
  s.catalog.Reload();
  if (s.catalog.Snapshot()->procedures().empty()) {
    const std::string path = BundledDataDir() + "/procedures.json";
    const Date from = *Date::FromYmd(kBundledRulesYear, kBundledRulesMonth, kBundledRulesDay);
    auto parsed = api::ParseProcedures(ReadBundled(path), from);
    if (!parsed.ok()) throw std::runtime_error(path + ": " + parsed.error().message_en);
    auto report = s.catalog.Import(*parsed, from, Actor{"system", "system", "", "", "local"});
    if (!report.ok()) throw std::runtime_error(path + ": " + report.error().message_en);
    log::Info("bundled catalogue loaded",
              {{"file", path}, {"procedures", static_cast<long long>(report->added)}});
  }
  if (s.organisation.LoadUnits().empty()) {
    const std::string path = BundledDataDir() + "/hanoi-organisation.json";
    auto seed = api::ParseOrganisation(ReadBundled(path));
    if (!seed.ok()) throw std::runtime_error(path + ": " + seed.error().message_en);
    s.organisation.Save(seed->units, seed->service_points);
    log::Info("seed organisation loaded",
              {{"file", path},
               {"units", static_cast<long long>(seed->units.size())},
               {"service_points", static_cast<long long>(seed->service_points.size())}});
  }
}

}  // namespace motcua::app
