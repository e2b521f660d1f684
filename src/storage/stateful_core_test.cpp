// Contract tests of the stateful core on both databases: the unit of work, group commit, the
// events log and its feed, the outbox and its dispatcher, and snapshot reads during an import.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "storage/catalog_store.hpp"
#include "storage/event_feed.hpp"
#include "storage/event_store.hpp"
#include "storage/group_commit.hpp"
#include "storage/outbox_dispatcher.hpp"
#include "storage/storage_test_support.hpp"

namespace motcua::storage {
namespace {

using testing::Backend;
using testing::ImportNow;

constexpr std::string_view kNow = "2026-12-02T08:00:00Z";

int64_t Count(Database& db, const std::string& sql) {
  return ReadTransaction(db, [&](Tx& tx) { return tx.Query(sql).at(0).Int(0); });
}

Status InsertRow(Tx& tx, int64_t id, const std::string& who) {
  const Value params[] = {id, who};
  tx.Execute("INSERT INTO gc_rows (id, who) VALUES ($1, $2)", params);
  return OkStatus();
}

// Holds the writer thread inside a unit until released, so the units submitted meanwhile queue
// up and are certain to run as one batch.
class Gate {
 public:
  Status Hold(Transaction&) {
    std::unique_lock lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    return OkStatus();
  }
  void WaitEntered() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool open_ = false;
};

class StatefulCoreTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    Migrate(db());
    db().Acquire()->ExecuteScript(
        "CREATE TABLE gc_rows (id BIGINT PRIMARY KEY, who TEXT NOT NULL);"
        "CREATE TABLE gc_parent (id BIGINT PRIMARY KEY);"
        "CREATE TABLE gc_child (id BIGINT PRIMARY KEY, parent BIGINT NOT NULL "
        "REFERENCES gc_parent(id) DEFERRABLE INITIALLY DEFERRED);");
  }
};

TEST_P(StatefulCoreTest, UnitOfWorkFailingMidwayLeavesNothing) {
  EXPECT_THROW(WriteTransaction(db(),
                                [](Tx& tx) {
                                  (void)InsertRow(tx, 1, "a");
                                  AppendEvent(tx, "queue.B01", "ticket.issued", "{}", kNow);
                                  EnqueueOutbox(tx, "log", "{}", kNow);
                                  throw std::runtime_error("the operation fails after its writes");
                                }),
               std::runtime_error);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM gc_rows"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM events"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM outbox"), 0);

  // Through the group committer: an expected error rolls the unit back the same way.
  GroupCommitter committer(db(), {});
  const Status st = committer.Run([](Transaction& t) -> Status {
    Tx& tx = AsTx(t);
    (void)InsertRow(tx, 2, "b");
    AppendEvent(tx, "queue.B01", "ticket.issued", "{}", kNow);
    return MakeError(ErrorCode::kConflict, "đã hết số", "no numbers left");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM gc_rows"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM events"), 0);
}

TEST_P(StatefulCoreTest, GroupCommitSharesCommitsAmongConcurrentUnits) {
  GroupCommitter committer(db(), {});
  constexpr int kThreads = 32;
  constexpr int kEach = 8;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const Status st =
            committer.Run([=](Transaction& txn) { return InsertRow(AsTx(txn), t * 100 + i, "x"); });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  const GroupCommitStats stats = committer.stats();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM gc_rows"), kThreads * kEach);
  EXPECT_EQ(stats.units, static_cast<uint64_t>(kThreads * kEach));
  // Batching happened: fewer commits (each one fsync) than units.
  EXPECT_LT(stats.commits, stats.units) << "largest batch " << stats.largest_batch;
  EXPECT_GT(stats.largest_batch, 1u);
}

TEST_P(StatefulCoreTest, WithoutGroupCommitEachUnitCommitsAlone) {
  GroupCommitter committer(db(), {.enabled = false});
  std::vector<std::future<Status>> outcomes;
  for (int i = 0; i < 20; ++i) {
    auto p = std::make_shared<std::promise<Status>>();
    outcomes.push_back(p->get_future());
    committer.Submit([=](Transaction& t) { return InsertRow(AsTx(t), i, "x"); },
                     [p](Status s) { p->set_value(std::move(s)); });
  }
  for (auto& f : outcomes) EXPECT_TRUE(f.get().ok());
  EXPECT_EQ(committer.stats().commits, 20u);
}

// Runs `units` as one batch: they are submitted while the writer is held inside a unit of its
// own (which commits alone, before them). Returns the units' outcomes, in order.
std::vector<Status> RunAsOneBatch(GroupCommitter& committer,
                                  const std::vector<UnitOfWork::Work>& units) {
  Gate gate;
  std::promise<Status> held;
  committer.Submit([&](Transaction& t) { return gate.Hold(t); },
                   [&](Status s) { held.set_value(std::move(s)); });
  gate.WaitEntered();
  std::vector<std::future<Status>> futures;
  for (const auto& unit : units) {
    auto p = std::make_shared<std::promise<Status>>();
    futures.push_back(p->get_future());
    committer.Submit(unit, [p](Status s) { p->set_value(std::move(s)); });
  }
  gate.Open();
  EXPECT_TRUE(held.get_future().get().ok()) << "the gate's unit commits alone";
  std::vector<Status> outcomes;
  for (auto& f : futures) outcomes.push_back(f.get());
  return outcomes;
}

TEST_P(StatefulCoreTest, AFailingUnitRollsBackAloneInItsBatch) {
  GroupCommitter committer(db(), {});
  std::vector<UnitOfWork::Work> units;
  for (int i = 0; i < 3; ++i) {
    units.push_back([i](Transaction& t) -> Status {
      (void)InsertRow(AsTx(t), i, "row");
      if (i == 1) throw DatabaseError("this unit breaks");
      return OkStatus();
    });
  }
  const std::vector<Status> outcomes = RunAsOneBatch(committer, units);
  EXPECT_TRUE(outcomes[0].ok());
  ASSERT_FALSE(outcomes[1].ok());
  EXPECT_EQ(outcomes[1].error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(outcomes[2].ok());
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM gc_rows"), 2);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM gc_rows WHERE id = 1"), 0);
}

TEST_P(StatefulCoreTest, AFailedCommitFailsEveryUnitAndAcknowledgesNone) {
  GroupCommitter committer(db(), {});
  std::vector<UnitOfWork::Work> units;
  for (int i = 0; i < 4; ++i) {
    units.push_back([i](Transaction& t) -> Status {
      Tx& tx = AsTx(t);
      (void)InsertRow(tx, i, "row");
      if (i == 2) {
        // A deferred foreign key: the statement succeeds, the COMMIT of the batch fails.
        const Value params[] = {int64_t{i}, int64_t{999}};
        tx.Execute("INSERT INTO gc_child (id, parent) VALUES ($1, $2)", params);
      }
      return OkStatus();
    });
  }
  for (const Status& s : RunAsOneBatch(committer, units)) {
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  }
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM gc_rows"), 0);
  EXPECT_GE(committer.stats().failed_commits, 1u);
  // And the committer goes on working.
  EXPECT_TRUE(committer.Run([](Transaction& t) { return InsertRow(AsTx(t), 10, "after"); }).ok());
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM gc_rows"), 1);
}

TEST_P(StatefulCoreTest, FlushWaitsForEveryAnswer) {
  GroupCommitter committer(db(), {});
  Gate gate;
  std::atomic<int> answered{0};
  committer.Submit([&](Transaction& t) { return gate.Hold(t); }, [&](Status) { ++answered; });
  for (int i = 0; i < 5; ++i) {
    committer.Submit([i](Transaction& t) { return InsertRow(AsTx(t), i, "x"); },
                     [&](Status) { ++answered; });
  }
  gate.WaitEntered();
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    gate.Open();
  });
  committer.Flush();
  EXPECT_EQ(answered.load(), 6);
  opener.join();
}

TEST_P(StatefulCoreTest, EventFeedDeliversEventsOfEveryInstanceInOrder) {
  auto other = scratch().OpenAnother();  // a second instance on the same database
  std::mutex mu;
  std::vector<StoredEvent> seen;
  EventFeed feed(*other, std::chrono::milliseconds(20), [&](const StoredEvent& e) {
    std::lock_guard lock(mu);
    seen.push_back(e);
  });
  GroupCommitter committer(db(), {});
  constexpr int kThreads = 8, kEach = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string payload = "{\"n\":" + std::to_string(t * 100 + i) + "}";
        (void)committer.Run([&](Transaction& txn) {
          Tx& tx = AsTx(txn);
          AppendEvent(tx, "queue.B0" + std::to_string(t % 2), "ticket.issued", payload, kNow);
          return OkStatus();
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu);
      if (seen.size() >= kThreads * kEach) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kThreads * kEach));
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_LT(seen[i - 1].id, seen[i].id);
  std::set<std::string> payloads;
  for (const auto& e : seen) payloads.insert(e.payload);
  EXPECT_EQ(payloads.size(), seen.size());
}

TEST_P(StatefulCoreTest, OutboxIsDeliveredAtLeastOnceWithBackOff) {
  FixedClock clock(std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + std::chrono::hours(8));
  WriteTransaction(db(), [&](Tx& tx) {
    EnqueueOutbox(tx, "sms", "{\"to\":\"09xx\"}", ToIsoUtc(clock.Now()));
    EnqueueOutbox(tx, "log", "{\"n\":1}", ToIsoUtc(clock.Now()));
  });
  int sms_calls = 0;
  bool sms_up = false;
  std::map<std::string, OutboxDispatcher::Sender> senders{
      {"log", LogSender}, {"sms", [&](const OutboxMessage&) -> Status {
                             ++sms_calls;
                             if (sms_up) return OkStatus();
                             return MakeError(ErrorCode::kUnavailable, "mạng SMS lỗi",
                                              "SMS gateway down");
                           }}};
  GroupCommitter committer(db(), {});
  OutboxDispatcher dispatcher(committer, clock,
                              {.instance = "a", .poll_interval = std::chrono::hours(1)}, senders);
  EXPECT_EQ(dispatcher.DeliverDue(), 1);  // log delivered, sms failed
  EXPECT_EQ(sms_calls, 1);
  EXPECT_EQ(dispatcher.DeliverDue(), 0) << "a failed message waits for its back-off";
  EXPECT_EQ(sms_calls, 1);
  clock.Set(clock.Now() + std::chrono::seconds(2));
  sms_up = true;
  EXPECT_EQ(dispatcher.DeliverDue(), 1);
  EXPECT_EQ(sms_calls, 2);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL"), 0);
  EXPECT_EQ(Count(db(), "SELECT attempts FROM outbox WHERE channel = 'sms'"), 2);
}

TEST_P(StatefulCoreTest, OutboxClaimsOfTwoInstancesNeverOverlap) {
  const std::string now = "2026-12-02T08:00:00Z";
  WriteTransaction(db(), [&](Tx& tx) {
    for (int i = 0; i < 40; ++i) EnqueueOutbox(tx, "log", "{}", now);
  });
  auto other = scratch().OpenAnother();
  std::vector<OutboxMessage> a, b;
  std::thread ta([&] {
    for (int i = 0; i < 10; ++i) {
      auto got = WriteTransaction(
          db(), [&](Tx& tx) { return ClaimOutbox(tx, "a", now, "2026-12-02T08:01:00Z", 3); });
      a.insert(a.end(), got.begin(), got.end());
    }
  });
  std::thread tb([&] {
    for (int i = 0; i < 10; ++i) {
      auto got = WriteTransaction(
          *other, [&](Tx& tx) { return ClaimOutbox(tx, "b", now, "2026-12-02T08:01:00Z", 3); });
      b.insert(b.end(), got.begin(), got.end());
    }
  });
  ta.join();
  tb.join();
  std::set<int64_t> ids;
  for (const auto& m : a) ids.insert(m.id);
  for (const auto& m : b) EXPECT_TRUE(ids.insert(m.id).second) << "claimed twice: " << m.id;
  EXPECT_EQ(ids.size(), 40u);
  // A lease that ran out is taken over (the instance that held it crashed).
  auto again = WriteTransaction(db(), [&](Tx& tx) {
    return ClaimOutbox(tx, "c", "2026-12-02T08:02:00Z", "2026-12-02T08:03:00Z", 100);
  });
  EXPECT_EQ(again.size(), 40u);
}

TEST_P(StatefulCoreTest, CatalogueLoadsAreNeverTornByAConcurrentImport) {
  SqlProcedureRepository repo(db());
  auto other = scratch().OpenAnother();
  SqlProcedureRepository writer(*other);
  // Every import sets all procedures to generation g: name "... g" and fee g * 1000.
  const auto generation = [](int g) {
    std::vector<catalog::Procedure> all;
    for (int i = 0; i < 30; ++i) {
      catalog::Procedure p;
      p.code = "1.00" + std::to_string(1000 + i);
      p.name_vi = "Thủ tục thế hệ " + std::to_string(g);
      p.level = catalog::Level::kCommune;
      p.online = catalog::OnlineLevel::kFull;
      p.rules = {catalog::ProcedureRules{*Date::FromYmd(2025, 1, 1), 5, int64_t{g} * 1000}};
      all.push_back(std::move(p));
    }
    return all;
  };
  (void)ImportNow(*other, writer, generation(1), *Date::FromYmd(2025, 1, 1));
  std::atomic<bool> done{false};
  std::thread imports([&] {
    for (int g = 2; g <= 25 && !done; ++g) {
      (void)ImportNow(*other, writer, generation(g), Date::FromYmd(2025, 1, 1)->AddDays(g));
    }
    done = true;
  });
  // The checks run in a function of their own, so a failed ASSERT still joins the thread.
  const auto check_loads = [&] {
    int loads = 0;
    while (!done || loads < 5) {
      const catalog::LoadedCatalog loaded = repo.Load();
      ++loads;
      ASSERT_EQ(loaded.procedures.size(), 30u);
      const std::string name = loaded.procedures[0].name_vi;
      const size_t rules = loaded.procedures[0].rules.size();
      for (const auto& p : loaded.procedures) {
        ASSERT_EQ(p.name_vi, name) << "procedures of two imports in one load";
        ASSERT_EQ(p.rules.size(), rules) << "rules of two imports in one load";
        ASSERT_EQ(p.rules.back().fee_vnd, std::stoll(name.substr(name.rfind(' ') + 1)) * 1000)
            << "text of one import beside fees of another";
      }
      ASSERT_EQ(loaded.version, static_cast<int64_t>(rules)) << "version and data disagree";
    }
  };
  check_loads();
  done = true;  // stop early when a check failed
  imports.join();
}

INSTANTIATE_TEST_SUITE_P(Backends, StatefulCoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendTestName);

}  // namespace
}  // namespace motcua::storage

namespace motcua::storage {
namespace {

class DatabaseTimeoutTest : public StatefulCoreTest {};

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

TEST_P(DatabaseTimeoutTest, AFullPoolAnswersWithinTheTimeout) {
  auto db = OpenDatabase(scratch().url(), {.pool_size = 1, .timeout_ms = 200});
  auto held = db->Acquire();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(db->Acquire(), DatabaseError);
  EXPECT_LT(SecondsSince(start), 1.5);
  held.reset();
  EXPECT_NO_THROW(db->Acquire());
}

TEST_P(DatabaseTimeoutTest, AWriterBlockedByAnotherGivesUpAtTheTimeout) {
  auto a = OpenDatabase(scratch().url(), {.pool_size = 2, .timeout_ms = 300});
  auto holder = a->Acquire();
  holder->Begin();
  holder->Execute("INSERT INTO gc_rows (id, who) VALUES (1, 'holder')");
  if (GetParam() == Backend::kPostgres) {
    // PostgreSQL: a row lock, with the server-side statement_timeout switched off for this
    // session, so only the deadline measured by the client can end the wait.
    auto waiter = a->Acquire();
    waiter->Execute("SET statement_timeout = 0");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(waiter->Execute("INSERT INTO gc_rows (id, who) VALUES (1, 'waiter')"),
                 DatabaseError);
    EXPECT_LT(SecondsSince(start), 2.0);
    EXPECT_GE(SecondsSince(start), 0.25);
  } else {
    // SQLite: the write lock, bounded by the busy timeout.
    auto waiter = a->Acquire();
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(waiter->Begin(), DatabaseError);
    EXPECT_LT(SecondsSince(start), 2.0);
  }
  holder->Rollback();
  holder.reset();
  // The pool goes on working (the stalled connection was discarded, not reused).
  EXPECT_EQ(WriteTransaction(*a,
                             [](Tx& tx) {
                               return tx.Execute(
                                   "INSERT INTO gc_rows (id, who) "
                                   "VALUES (2, 'after')");
                             }),
            1);
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTimeoutTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendTestName);

}  // namespace
}  // namespace motcua::storage
