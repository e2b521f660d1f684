#include "core/unit_of_work.hpp"

#include <future>

namespace motcua {

Status UnitOfWork::Run(Work work) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  Submit(std::move(work), [&promise](Status s) { promise.set_value(std::move(s)); });
  return future.get();
}

}  // namespace motcua
