#include "domain/catalog/catalog_service.hpp"

#include <set>

#include "core/json_text.hpp"

namespace motcua::catalog {

CatalogService::CatalogService(ProcedureRepository& repository, UnitOfWork& unit_of_work,
                               ChangeLog& changes, AuditTrail& audit)
    : repository_(repository),
      unit_of_work_(unit_of_work),
      changes_(changes),
      audit_(audit),
      snapshot_(std::make_shared<const SearchIndex>(std::vector<Procedure>{})) {}

void CatalogService::Reload() {
  std::lock_guard lock(write_mutex_);
  LoadedCatalog loaded = repository_.Load();  // one snapshot: data and version agree
  loaded_version_ = loaded.version;
  snapshot_.store(std::make_shared<const SearchIndex>(std::move(loaded.procedures)));
}

bool CatalogService::RefreshIfChanged() {
  {
    std::lock_guard lock(write_mutex_);
    if (repository_.Version() == loaded_version_) return false;
  }
  Reload();
  return true;
}

Result<ImportReport> CatalogService::Import(const std::vector<Procedure>& procedures,
                                            Date effective_from, const Actor& actor) {
  std::set<std::string> codes;
  for (size_t i = 0; i < procedures.size(); ++i) {
    const Procedure& p = procedures[i];
    const std::string where_vi = "Bản ghi #" + std::to_string(i + 1) + " (" + p.code + ")";
    const std::string where_en = "Record #" + std::to_string(i + 1) + " (" + p.code + ")";
    if (Status st = Validate(p); !st.ok()) {
      Error e = st.error();
      e.message_vi = where_vi + ": " + e.message_vi;
      e.message_en = where_en + ": " + e.message_en;
      e.field = "/" + std::to_string(i) + (e.field.empty() ? "" : "/" + e.field);
      return e;
    }
    if (!codes.insert(p.code).second) {
      return MakeError(ErrorCode::kInvalidArgument, where_vi + ": mã thủ tục bị trùng",
                       where_en + ": duplicate procedure code", "/" + std::to_string(i) + "/code");
    }
  }
  ImportReport report;
  {
    std::lock_guard lock(write_mutex_);
    const std::string from = effective_from.ToIso();
    const Status stored = unit_of_work_.Run([&](Transaction& tx) -> Status {
      report = repository_.Import(tx, procedures, effective_from);
      const std::string summary = JsonObject({{"added", int64_t{report.added}},
                                              {"updated", int64_t{report.updated}},
                                              {"new_rules", int64_t{report.new_rules}},
                                              {"effective_from", std::string_view(from)}});
      audit_.Record(tx, actor, "catalog.import", "catalog", summary);
      if (report.added + report.updated + report.new_rules == 0) return OkStatus();
      changes_.Publish(tx, "catalog", "catalog.changed", summary);
      changes_.Notify(tx, "log",
                      JsonObject({{"kind", "catalog.imported"},
                                  {"procedures", static_cast<int64_t>(procedures.size())},
                                  {"effective_from", std::string_view(from)}}));
      return OkStatus();
    });
    if (!stored.ok()) return stored.error();
  }
  Reload();
  return report;
}

}  // namespace motcua::catalog
