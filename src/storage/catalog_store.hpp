#pragma once
// The procedure catalogue kept in the database (tables procedures and procedure_rules).

#include <vector>

#include "core/clock.hpp"
#include "domain/catalog/procedure_repository.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

// Ownership: borrows the Database and the Clock, which must outlive it.
// Thread-safety: thread-safe (each call takes its own pooled connection); two concurrent
// Import() calls are serialised by the database.
class SqlProcedureRepository final : public catalog::ProcedureRepository {
 public:
  // `clock` stamps updated_at; the system clock when not given.
  explicit SqlProcedureRepository(Database& db);
  SqlProcedureRepository(Database& db, const Clock& clock);

  // One read transaction (a snapshot on both databases).
  catalog::LoadedCatalog Load() override;
  // Throws DatabaseError (ConstraintViolation for a record the schema rejects, e.g. a negative
  // fee); the caller's unit of work then rolls the whole batch back.
  catalog::ImportReport Import(Transaction& tx, const std::vector<catalog::Procedure>& procedures,
                               Date effective_from) override;
  int64_t Version() override;

 private:
  static const Clock& DefaultClock();

  Database& db_;
  const Clock& clock_;
};

}  // namespace motcua::storage
