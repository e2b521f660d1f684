#pragma once
// The program's objects, wired explicitly: storage, repositories, domain services, API handlers.
// Owned by main; lives as long as the server.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/accounts_api.hpp"
#include "api/audit_api.hpp"
#include "api/auth_api.hpp"
#include "api/calendar_api.hpp"
#include "api/catalog_api.hpp"
#include "api/events_api.hpp"
#include "api/notices_api.hpp"
#include "api/oidc_api.hpp"
#include "api/organisation_api.hpp"
#include "api/system_api.hpp"
#include "app/instrumented_repositories.hpp"
#include "core/clock.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/identity/identity_service.hpp"
#include "http/event_hub.hpp"
#include "platform/config.hpp"
#include "platform/metrics.hpp"
#include "platform/secrets.hpp"
#include "storage/audit_store.hpp"
#include "storage/catalog_store.hpp"
#include "storage/change_log.hpp"
#include "storage/database.hpp"
#include "storage/event_feed.hpp"
#include "storage/group_commit.hpp"
#include "storage/identity_store.hpp"
#include "storage/notice_store.hpp"
#include "storage/organisation_store.hpp"
#include "storage/outbox_dispatcher.hpp"

namespace motcua::app {

struct Services {
  explicit Services(const config::Config& config);

  config::Config config;
  SystemClock clock;
  metrics::Registry metrics;
  std::unique_ptr<storage::Database> db;
  storage::GroupCommitter unit_of_work;  // every request that writes goes through it
  storage::SqlChangeLog changes;
  http::EventHub events;  // live streams subscribe here; fed by event_feed
  storage::SqlProcedureRepository sql_procedures;
  storage::SqlOrganisationRepository sql_organisation;
  InstrumentedProcedureRepository procedures;  // what the services use: timed
  InstrumentedOrganisationRepository organisation;
  storage::SqlAuditTrail audit;
  catalog::CatalogService catalog;
  storage::SqlNoticeRepository sql_notices;
  notices::NoticeService notices;
  secrets::LibrarySecrets crypto;  // passwords, tokens, TOTP
  storage::SqlAccountRepository sql_accounts;
  identity::IdentityService identity;
  api::CatalogApi catalog_api;
  api::OrganisationApi organisation_api;
  api::SystemApi system_api;
  api::EventsApi events_api;
  api::NoticesApi notices_api;
  api::AuditApi audit_api;
  api::AuthApi auth_api;
  api::AccountsApi accounts_api;
  api::OidcApi oidc_api;
  // The working-day calendar: statutory holidays plus the announced days off of the bundled
  // data/vn-calendar/official-days-off.tsv and the operator's calendar_days_off_file.
  std::shared_ptr<const calendar::WorkingCalendar> working_calendar;
  api::CalendarApi calendar_api;

  // The background work of a serving instance (not of the command-line tools): the feed that
  // brings events of every instance to the hub, and the outbox dispatcher. Stopped first.
  void StartBackgroundWork();
  std::unique_ptr<storage::EventFeed> event_feed;
  std::unique_ptr<storage::OutboxDispatcher> outbox;
  std::unique_ptr<storage::WakeableLoop> audit_signer;     // signs the audit head periodically
  std::unique_ptr<storage::WakeableLoop> session_sweeper;  // deletes expired sessions

  // The key that signs audit heads (made on first use) and the public keys trusted when the
  // trail is verified (this instance's and audit_trusted_keys).
  const storage::AuditKey& AuditSigningKey();
  std::vector<std::string> TrustedAuditKeys();

  ~Services();

 private:
  std::mutex audit_key_mutex_;
  std::unique_ptr<storage::AuditKey> audit_key_;
};

// The directory of the bundled data (catalogue, seed organisation).
std::string BundledDataDir();

// The working-day calendar of a configuration (throws std::runtime_error naming the file and
// line of a malformed days-off file).
std::shared_ptr<const calendar::WorkingCalendar> LoadWorkingCalendar(const config::Config& c,
                                                                     Date today);

// On an empty database: the bundled catalogue and the seed organisation. Idempotent.
void LoadBundledDataIfEmpty(Services& services);

}  // namespace motcua::app
