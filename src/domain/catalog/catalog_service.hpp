#pragma once
// The catalogue as the rest of the program sees it: an immutable snapshot (procedures + search
// index) that readers take without locking, replaced whole when the catalogue changes.
//
// Thread-safe: Snapshot() may run concurrently with Reload()/Import().

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "core/audit.hpp"
#include "core/result.hpp"
#include "core/unit_of_work.hpp"
#include "domain/catalog/procedure_repository.hpp"
#include "domain/catalog/search_index.hpp"

namespace motcua::catalog {

class CatalogService {
 public:
  // Does not load: call Reload() once storage is ready. Imports write through `unit_of_work` and
  // announce themselves through `changes` (event "catalog.changed" on topic "catalog", and an
  // outbox message for systems that mirror the catalogue).
  CatalogService(ProcedureRepository& repository, UnitOfWork& unit_of_work, ChangeLog& changes,
                 AuditTrail& audit);

  // Loads every procedure from the repository and swaps in a new index.
  void Reload();
  // Reloads when the repository's version differs from the loaded one (another server instance
  // imported). Returns true when it reloaded.
  bool RefreshIfChanged();
  // The current snapshot; never null after the first Reload().
  std::shared_ptr<const SearchIndex> Snapshot() const { return snapshot_.load(); }

  // Validates every record first (the error names the record and field), then stores them all
  // in one unit of work with its announcement, then reloads. Nothing is stored when any record is
  // invalid; a database fault is an error (kUnavailable), not an exception.
  // The import is recorded in the audit trail as `actor`'s.
  Result<ImportReport> Import(const std::vector<Procedure>& procedures, Date effective_from,
                              const Actor& actor);

 private:
  ProcedureRepository& repository_;
  UnitOfWork& unit_of_work_;
  ChangeLog& changes_;
  AuditTrail& audit_;
  std::mutex write_mutex_;  // one import/reload at a time
  std::atomic<std::shared_ptr<const SearchIndex>> snapshot_;
  int64_t loaded_version_ = -1;  // guarded by write_mutex_
};

}  // namespace motcua::catalog
