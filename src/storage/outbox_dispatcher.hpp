#pragma once
// OutboxDispatcher: delivers outbox messages at least once. Claims due messages with a lease (so
// several instances never deliver one message at the same time, and a crashed instance's claims
// are taken over when the lease runs out), hands each to the sender of its channel, and records
// the delivery or the failure with an exponential back-off (1 s, 2 s, 4 s ... at most 10 min).
// A message whose channel has no sender waits (it is not dropped) until one is configured.
// Its own writes (claims, deliveries) are units of work on the same UnitOfWork as the requests'
// writes: on SQLite a second writer would fight the group committer for the one write lock (and
// sleep in SQLite's busy handler), which measured as the difference between 18,000 and 0
// acknowledged writes per second under load.
//
// Thread-safety: Wake() from any thread; senders run on the dispatcher's own thread.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/unit_of_work.hpp"
#include "storage/database.hpp"
#include "storage/event_store.hpp"
#include "storage/wakeable_loop.hpp"

namespace motcua::storage {

class OutboxDispatcher {
 public:
  // Delivers one message; an error (or an exception) means "try again later".
  using Sender = std::function<Status(const OutboxMessage&)>;

  struct Options {
    std::string instance;  // who claims (host and process id)
    std::chrono::milliseconds poll_interval{1000};
    std::chrono::seconds lease{60};
    size_t batch = 200;
  };

  OutboxDispatcher(UnitOfWork& unit_of_work, const Clock& clock, Options options,
                   std::map<std::string, Sender> senders);
  ~OutboxDispatcher();
  OutboxDispatcher(const OutboxDispatcher&) = delete;
  OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

  void Wake();
  // Claims and delivers what is due now, on the calling thread; returns how many were delivered.
  // The loop calls it; tests call it directly.
  int DeliverDue();

 private:
  void Tick();

  UnitOfWork& unit_of_work_;
  const Clock& clock_;
  const Options options_;
  const std::map<std::string, Sender> senders_;
  bool failing_ = false;                // only on the loop's thread
  std::unique_ptr<WakeableLoop> loop_;  // last: stopped first
};

// The default channel "log": writes the message to the structured log (an operator can ship it
// from there); the real senders (SMS, e-mail, the national portal) plug in beside it.
Status LogSender(const OutboxMessage& message);

}  // namespace motcua::storage
