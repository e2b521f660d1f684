#pragma once
// A bounded pool of backend connections, shared by the SQLite and PostgreSQL backends.
//
// Ownership: the pool owns the idle connections; Acquire() hands one out as a shared_ptr whose
// deleter gives it back. The deleter keeps the pool's state alive, so a handle may outlive the
// Database that made it (it is then simply closed).
// Thread-safety: Acquire() may be called from any thread; it waits at most `acquire_timeout`
// while all `max_size` connections are in use, then throws DatabaseError (answered 503). A
// handed-out connection is used by one thread at a time.
//
// C must derive from Connection and provide `bool Recycle() noexcept`, called when a handle is
// released: it brings the connection back to a clean state (rolls back a forgotten transaction)
// and returns false when the connection is unusable and must be closed instead.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"

namespace motcua::storage {

template <typename C>
class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<C>()>;

  ConnectionPool(size_t max_size, Factory factory,
                 std::chrono::milliseconds acquire_timeout = std::chrono::seconds(5))
      : state_(std::make_shared<State>(max_size, std::move(factory))),
        acquire_timeout_(acquire_timeout) {}

  // An idle connection, or a new one while fewer than max_size are open. Throws what the
  // factory throws (DatabaseError) when a new connection cannot be opened.
  std::shared_ptr<C> Acquire() {
    std::unique_ptr<C> conn;
    {
      std::unique_lock lock(state_->mu);
      if (!state_->cv.wait_for(lock, acquire_timeout_, [&] {
            return !state_->idle.empty() || state_->open < state_->max;
          })) {
        throw DatabaseError("no database connection became free within " +
                            std::to_string(acquire_timeout_.count()) +
                            " ms (all in use; the database may be slow or stalled)");
      }
      if (!state_->idle.empty()) {
        conn = std::move(state_->idle.back());
        state_->idle.pop_back();
      } else {
        ++state_->open;  // reserve the slot; connect outside the lock (it may take a while)
      }
    }
    if (!conn) {
      try {
        conn = state_->factory();
      } catch (...) {
        std::lock_guard lock(state_->mu);
        --state_->open;
        state_->cv.notify_one();
        throw;
      }
    }
    std::shared_ptr<State> state = state_;
    return std::shared_ptr<C>(conn.release(), [state](C* c) { Release(*state, c); });
  }

 private:
  struct State {
    State(size_t max_size, Factory f) : max(max_size == 0 ? 1 : max_size), factory(std::move(f)) {}
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::unique_ptr<C>> idle;
    size_t open = 0;  // idle + handed out
    const size_t max;
    const Factory factory;
  };

  static void Release(State& state, C* raw) {
    std::unique_ptr<C> conn(raw);
    const bool reusable = conn->Recycle();
    {
      std::lock_guard lock(state.mu);
      if (reusable) {
        state.idle.push_back(std::move(conn));
      } else {
        --state.open;
      }
      state.cv.notify_one();
    }
    // An unusable connection is closed here, outside the lock.
  }

  std::shared_ptr<State> state_;
  std::chrono::milliseconds acquire_timeout_;
};

}  // namespace motcua::storage
