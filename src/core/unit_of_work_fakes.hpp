#pragma once
// Test doubles of the write path for domain tests (only test files include this): a unit of work
// that runs each unit at once, and a change log that keeps what a unit announced only when the
// unit succeeded, as the real transaction would.

#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/unit_of_work.hpp"

namespace motcua::testing {

class FakeTransaction final : public Transaction {};

class RecordingChangeLog final : public ChangeLog {
 public:
  struct Entry {
    std::string topic_or_channel;
    std::string type;  // empty for an outbox message
    std::string payload;
  };
  void Publish(Transaction&, std::string_view topic, std::string_view type,
               std::string_view payload_json) override {
    staged_.push_back({std::string(topic), std::string(type), std::string(payload_json)});
  }
  void Notify(Transaction&, std::string_view channel, std::string_view payload_json) override {
    staged_.push_back({std::string(channel), "", std::string(payload_json)});
  }
  void Commit() {
    committed.insert(committed.end(), staged_.begin(), staged_.end());
    staged_.clear();
  }
  void Rollback() { staged_.clear(); }

  std::vector<Entry> committed;

 private:
  std::vector<Entry> staged_;
};

// Keeps audit records in memory (all of them: a test reads what a unit recorded).
class RecordingAuditTrail final : public AuditTrail {
 public:
  struct Entry {
    Actor actor;
    std::string action, target, details;
  };
  void Record(Transaction&, const Actor& actor, std::string_view action, std::string_view target,
              std::string_view details_json) override {
    entries.push_back({actor, std::string(action), std::string(target), std::string(details_json)});
  }
  std::vector<Entry> entries;
};

// Runs each unit on the calling thread. `fail_commits` makes every commit fail (a database
// outage): the unit's announcements are dropped and done() gets kUnavailable.
class InlineUnitOfWork final : public UnitOfWork {
 public:
  explicit InlineUnitOfWork(RecordingChangeLog& log) : log_(log) {}
  void Submit(Work work, Done done) override {
    FakeTransaction tx;
    Status s = work(tx);
    if (s.ok() && fail_commits) s = MakeError(ErrorCode::kUnavailable, "lỗi", "down");
    if (s.ok()) {
      log_.Commit();
      ++commits;
    } else {
      log_.Rollback();
    }
    done(std::move(s));
  }
  bool fail_commits = false;
  int commits = 0;

 private:
  RecordingChangeLog& log_;
};

}  // namespace motcua::testing
