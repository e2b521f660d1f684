#pragma once
// Waiting for an asynchronous operation that reports a Result<T> exactly once (a unit of work's
// `done`): for command-line tools, tests and handlers that already run on a worker thread. Never
// on an event loop.

#include <future>
#include <utility>

#include "core/result.hpp"

namespace motcua {

// `start` receives the completion callback and starts the operation; Await returns its result.
template <typename T, typename Start>
Result<T> Await(Start&& start) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  start([&promise](Result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace motcua
