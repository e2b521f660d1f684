#pragma once
// Where procedures are kept. Implemented by storage/; the domain only sees this interface.

#include <cstdint>
#include <vector>

#include "core/date.hpp"
#include "core/unit_of_work.hpp"
#include "domain/catalog/procedure.hpp"

namespace motcua::catalog {

struct ImportReport {
  int added = 0;      // procedures new to the catalogue
  int updated = 0;    // descriptive fields changed (names, documents, keywords, ...)
  int new_rules = 0;  // fee or time limit changed: a new rules version from the effective date
  int unchanged = 0;
};

// The catalogue as one snapshot: the procedures and the version they belong to, read together so
// an import running at the same time can never give procedures without their rules, old text
// beside new fees, or a version that does not match the data.
struct LoadedCatalog {
  int64_t version = 0;
  std::vector<Procedure> procedures;  // ordered by code, each with all its rule versions
};

class ProcedureRepository {
 public:
  virtual ~ProcedureRepository() = default;
  // Every procedure with all its rule versions, and the version, from one consistent snapshot.
  virtual LoadedCatalog Load() = 0;
  // Adds or updates the given procedures within the caller's unit of work: all or nothing. Each
  // procedure's rules[0] holds the incoming fee/time limit; when it differs from the rules in
  // force, a new version starting at `effective_from` is stored (an existing version at that date
  // is replaced).
  virtual ImportReport Import(Transaction& tx, const std::vector<Procedure>& procedures,
                              Date effective_from) = 0;
  // A number that changes whenever an import changes the catalogue (cheap to read), so a server
  // sharing the database with others can tell its copy is stale.
  virtual int64_t Version() = 0;
};

}  // namespace motcua::catalog
