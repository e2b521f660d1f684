#pragma once
// Repository decorators that time every database operation into the metrics registry
// (motcua_db_operation_duration_seconds{operation="..."}). Thread-safe as the wrapped ones are.

#include <chrono>
#include <utility>

#include "domain/catalog/procedure_repository.hpp"
#include "domain/organisation/organisation.hpp"
#include "platform/metrics.hpp"

namespace motcua::app {

// Runs `work`, recording its duration in `histogram` (also when it throws).
template <typename F>
auto Timed(metrics::Histogram* histogram, F&& work) {
  struct Stopwatch {
    metrics::Histogram* h;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    ~Stopwatch() {
      h->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  } stopwatch{histogram};
  return work();
}

class InstrumentedProcedureRepository final : public catalog::ProcedureRepository {
 public:
  InstrumentedProcedureRepository(catalog::ProcedureRepository& inner, metrics::Registry& m)
      : inner_(inner),
        load_all_(m.ForDatabase("procedures.load_all")),
        import_(m.ForDatabase("procedures.import")),
        version_(m.ForDatabase("procedures.version")) {}
  catalog::LoadedCatalog Load() override {
    return Timed(load_all_, [&] { return inner_.Load(); });
  }
  catalog::ImportReport Import(Transaction& tx, const std::vector<catalog::Procedure>& procedures,
                               Date effective_from) override {
    return Timed(import_, [&] { return inner_.Import(tx, procedures, effective_from); });
  }
  int64_t Version() override {
    return Timed(version_, [&] { return inner_.Version(); });
  }

 private:
  catalog::ProcedureRepository& inner_;
  metrics::Histogram* load_all_;
  metrics::Histogram* import_;
  metrics::Histogram* version_;
};

class InstrumentedOrganisationRepository final : public organisation::OrganisationRepository {
 public:
  InstrumentedOrganisationRepository(organisation::OrganisationRepository& inner,
                                     metrics::Registry& m)
      : inner_(inner),
        units_(m.ForDatabase("units.load")),
        points_(m.ForDatabase("service_points.load")),
        save_(m.ForDatabase("organisation.save")) {}
  std::vector<organisation::Unit> LoadUnits() override {
    return Timed(units_, [&] { return inner_.LoadUnits(); });
  }
  std::vector<organisation::ServicePoint> LoadServicePoints() override {
    return Timed(points_, [&] { return inner_.LoadServicePoints(); });
  }
  void Save(const std::vector<organisation::Unit>& units,
            const std::vector<organisation::ServicePoint>& points) override {
    Timed(save_, [&] { inner_.Save(units, points); });
  }

 private:
  organisation::OrganisationRepository& inner_;
  metrics::Histogram* units_;
  metrics::Histogram* points_;
  metrics::Histogram* save_;
};

}  // namespace motcua::app
