#include "storage/group_commit.hpp"

#include "platform/log.hpp"

namespace motcua::storage {
namespace {

Error InternalFault() { return MakeError(ErrorCode::kInternal, "", ""); }

// Runs one unit inside its savepoint (also when batches are off: an expected error must roll the
// unit back while the transaction stays usable). Returns its outcome; throws only when the
// transaction as a whole can no longer be trusted (the savepoint could not be rolled back).
Status RunUnit(Tx& tx, const UnitOfWork::Work& work) {
  tx.Execute("SAVEPOINT unit");
  Status outcome = OkStatus();
  try {
    outcome = work(tx);
  } catch (const DatabaseError& e) {
    log::Error("unit of work failed", {{"error", e.what()}});
    outcome = DatabaseUnavailable();
  } catch (const std::exception& e) {
    log::Error("unit of work failed", {{"error", e.what()}});
    outcome = InternalFault();
  }
  if (!outcome.ok()) tx.Execute("ROLLBACK TO SAVEPOINT unit");
  tx.Execute("RELEASE SAVEPOINT unit");
  return outcome;
}

}  // namespace

Error DatabaseUnavailable() {
  return MakeError(ErrorCode::kUnavailable, "Cơ sở dữ liệu tạm thời không sẵn sàng, xin thử lại",
                   "The database is temporarily unavailable; please try again");
}

GroupCommitter::GroupCommitter(Database& db, GroupCommitOptions options)
    : db_(db), options_(options), writer_([this] { Loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void GroupCommitter::Submit(Work work, Done done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && queue_.size() < options_.max_queue) {
      queue_.push_back(Unit{std::move(work), std::move(done)});
      cv_.notify_one();
      return;
    }
    ++stats_.refused;
  }
  done(MakeError(ErrorCode::kUnavailable, "Hệ thống đang quá tải, xin thử lại sau giây lát",
                 "The server is overloaded; please try again in a moment"));
}

void GroupCommitter::Flush() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
}

void GroupCommitter::SetCommitListener(CommitListener listener) {
  std::lock_guard lock(mu_);
  listener_ = std::move(listener);
}

GroupCommitStats GroupCommitter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitter::Loop() {
  std::vector<Unit> batch;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      const size_t limit = options_.enabled ? options_.max_batch : 1;
      while (!queue_.empty() && batch.size() < limit) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      running_ = batch.size();
    }
    RunBatch(batch);
    batch.clear();
    {
      std::lock_guard lock(mu_);
      running_ = 0;
    }
    idle_cv_.notify_all();
  }
}

void GroupCommitter::RunBatch(std::vector<Unit>& batch) {
  std::vector<Status> outcomes;
  outcomes.reserve(batch.size());
  bool committed = false;
  try {
    // The writer keeps its connection between batches: its page cache stays warm (a connection
    // that another one wrote behind must re-read every page it touches), and on SQLite the one
    // write lock is always taken by the same connection. A failed batch gives it back.
    if (!writer_conn_) writer_conn_ = db_.Acquire();
    auto conn = writer_conn_;
    conn->Begin();
    Tx tx(*conn);
    try {
      for (Unit& unit : batch) outcomes.push_back(RunUnit(tx, unit.work));
      conn->Commit();
      committed = true;
    } catch (...) {
      try {
        conn->Rollback();
      } catch (...) {
      }
      throw;
    }
  } catch (const std::exception& e) {
    writer_conn_.reset();  // possibly broken: the pool checks it and the next batch takes another
    // Nothing of this batch is durable. A unit that failed on its own keeps its own error (it
    // was rolled back either way); every other one is told the database failed.
    log::Error("group commit failed",
               {{"error", e.what()}, {"units", static_cast<long long>(batch.size())}});
    outcomes.resize(batch.size(), OkStatus());
    for (Status& s : outcomes) {
      if (s.ok()) s = DatabaseUnavailable();
    }
  }
  CommitListener listener;
  {
    std::lock_guard lock(mu_);
    listener = listener_;
    stats_.units += batch.size();
    if (committed) {
      ++stats_.commits;
    } else {
      ++stats_.failed_commits;
    }
    stats_.largest_batch = std::max(stats_.largest_batch, batch.size());
  }
  if (committed && listener) listener();
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(outcomes[i]));
}

}  // namespace motcua::storage
