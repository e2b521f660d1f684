#pragma once
// Administrative units and service points kept in the database (tables units, service_points).

#include <vector>

#include "domain/organisation/organisation.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

// Ownership: borrows the Database, which must outlive it.
// Thread-safety: thread-safe (each call takes its own pooled connection).
class SqlOrganisationRepository final : public organisation::OrganisationRepository {
 public:
  explicit SqlOrganisationRepository(Database& db) : db_(db) {}

  // Ordered by code.
  std::vector<organisation::Unit> LoadUnits() override;
  std::vector<organisation::ServicePoint> LoadServicePoints() override;
  // Inserts or replaces, in one transaction; a unit's parent and a point's unit may come in the
  // same call, in any order. Throws ConstraintViolation (and writes nothing) when a parent or
  // unit is missing or a value breaks the schema.
  void Save(const std::vector<organisation::Unit>& units,
            const std::vector<organisation::ServicePoint>& points) override;

 private:
  Database& db_;
};

}  // namespace motcua::storage
