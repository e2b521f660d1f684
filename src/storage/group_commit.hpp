#pragma once
// Group commit: the one way requests write. Concurrent units of work are queued, and a writer
// thread runs a batch of them in one database transaction, each inside its own SAVEPOINT (so one
// failing unit rolls back alone), then commits once: many requests share one fsync (SQLite,
// synchronous=FULL) or one WAL flush and round trip (PostgreSQL). Each unit's completion is
// called only after its batch is durable; if the commit fails, every unit of the batch fails and
// none is acknowledged.
//
// Callers never wait on a thread of their own: Submit() returns at once and `done` runs later on
// the writer thread (post it to where the answer belongs; keep it short).
//
// Ownership: borrows the Database, which must outlive it. Thread-safety: Submit(), Run() and
// stats() may be called from any thread. The destructor finishes what is queued, then stops.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

struct GroupCommitOptions {
  bool enabled = true;      // false: one transaction (and one fsync) per unit of work
  size_t max_batch = 256;   // units per transaction
  size_t max_queue = 8192;  // queued units beyond this are refused at once (503), not buffered
};

struct GroupCommitStats {
  uint64_t units = 0;           // units of work run
  uint64_t commits = 0;         // transactions committed (each one durable write)
  uint64_t failed_commits = 0;  // batches whose commit failed (every unit in them failed)
  uint64_t refused = 0;         // units refused because the queue was full
  size_t largest_batch = 0;
};

// The storage implementation of the domain's UnitOfWork. A unit returning an error rolls back
// alone (its savepoint); one that throws does too and fails as unavailable (database fault) or
// internal. Units run on the writer thread; `done` is called there too.
class GroupCommitter final : public UnitOfWork {
 public:
  // Called after every successful commit, on the writer thread (e.g. to wake the event feed).
  using CommitListener = std::function<void()>;

  GroupCommitter(Database& db, GroupCommitOptions options);
  ~GroupCommitter() override;
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  void Submit(Work work, Done done) override;
  void SetCommitListener(CommitListener listener);
  // Waits until every unit submitted so far has run and its `done` has been called (shutdown:
  // the answers must be handed over while the server that sends them still exists).
  void Flush();
  GroupCommitStats stats() const;

 private:
  struct Unit {
    Work work;
    Done done;
  };
  void Loop();
  void RunBatch(std::vector<Unit>& batch);

  Database& db_;
  const GroupCommitOptions options_;
  CommitListener listener_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Unit> queue_;
  bool stopping_ = false;
  size_t running_ = 0;  // units taken from the queue whose `done` has not returned yet
  std::condition_variable idle_cv_;
  GroupCommitStats stats_;
  std::shared_ptr<Connection> writer_conn_;  // only on the writer thread
  std::thread writer_;                       // last: started when everything above is ready
};

// The error a unit gets when the database fails under it (503 to a client).
Error DatabaseUnavailable();

}  // namespace motcua::storage
