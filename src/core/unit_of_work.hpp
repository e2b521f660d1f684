#pragma once
// The write path as the domain sees it. A business operation (a state change, its audit record,
// its outbox message, its live event) runs as one unit of work: everything it wrote commits
// together or not at all, and it is answered only once that commit is durable.
//
//   domain service --Submit(work)--> UnitOfWork (storage: GroupCommitter, one fsync per batch)
//        work(Transaction&): repositories and ChangeLog write through the same Transaction
//   done(Status) after the commit --> the handler answers the client
//
// Transaction is opaque here: the storage layer creates it and its repositories turn it back
// into their own handle. Domain code never begins, commits or rolls back.

#include <functional>
#include <string_view>

#include "core/result.hpp"

namespace motcua {

class Transaction {
 public:
  virtual ~Transaction() = default;

 protected:
  Transaction() = default;
};

class UnitOfWork {
 public:
  // Returning an error, or throwing, rolls this unit back (and only this unit).
  using Work = std::function<Status(Transaction&)>;
  // Called once, after the unit's commit is durable (ok) or failed (the error).
  using Done = std::function<void(Status)>;

  virtual ~UnitOfWork() = default;
  // Queues the unit and returns at once; `done` runs on another thread. Thread-safe.
  virtual void Submit(Work work, Done done) = 0;
  // Submits and waits (command-line tools, administrative bulk operations; never an event loop).
  Status Run(Work work);
};

// Announces changes from inside a unit of work, so an announcement exists exactly when its change
// does. Thread-safe; the Transaction is the caller's.
class ChangeLog {
 public:
  virtual ~ChangeLog() = default;
  // A live event for streams (boards, counters, dashboards), e.g. ("queue.B01", "ticket.called").
  virtual void Publish(Transaction& tx, std::string_view topic, std::string_view type,
                       std::string_view payload_json) = 0;
  // A message for another system, delivered at least once by the outbox dispatcher.
  virtual void Notify(Transaction& tx, std::string_view channel, std::string_view payload_json) = 0;
};

}  // namespace motcua
