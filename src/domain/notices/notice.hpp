#pragma once
// Public notices: short announcements an office shows on its waiting-hall boards, kiosks and the
// portal ("Chi nhánh số 1 tạm dừng cấp số lúc 16:30 do mất điện"), for one service point or the
// whole city. Publishing one is a unit of work: the notice, its live event (topic
// "notices.<service point>" or "notices.all", type "notice.published") and its outbox message
// commit together, and the publisher is answered only once that is durable.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/unit_of_work.hpp"

namespace motcua::notices {

inline constexpr size_t kMaxTextChars = 500;

struct NoticeDraft {
  std::optional<std::string> service_point;  // nullopt: city-wide
  std::string text_vi;                       // required
  std::string text_en;                       // optional
};

struct Notice {
  int64_t id = 0;
  std::optional<std::string> service_point;
  std::string text_vi;
  std::string text_en;
  std::string published_at;  // ISO 8601 UTC
};

// The notice as JSON: the API's representation and the event's data, written in one place.
std::string ToJson(const Notice& notice);

// Checks a draft: text present, at most kMaxTextChars characters, valid UTF-8 (NFC is the
// caller's job); the error names the field.
Status Validate(const NoticeDraft& draft);

class NoticeRepository {
 public:
  virtual ~NoticeRepository() = default;
  virtual bool ServicePointExists(Transaction& tx, const std::string& code) = 0;
  // Stores the notice; returns its id.
  virtual int64_t Insert(Transaction& tx, const Notice& notice) = 0;
  // Newest first: the notices of `service_point` and the city-wide ones (all when nullopt).
  virtual std::vector<Notice> List(const std::optional<std::string>& service_point,
                                   size_t limit) = 0;
};

// Thread-safe; borrows everything.
class NoticeService {
 public:
  NoticeService(NoticeRepository& repository, UnitOfWork& unit_of_work, ChangeLog& changes,
                AuditTrail& audit, const Clock& clock)
      : repository_(repository),
        unit_of_work_(unit_of_work),
        changes_(changes),
        audit_(audit),
        clock_(clock) {}

  // Validates, then publishes through the unit of work; `done` gets the stored notice once it
  // is durable, or the error (invalid draft, unknown service point, database unavailable). Runs
  // `done` on another thread, except for a draft refused before any work (then at once).
  // The act is recorded in the audit trail as `actor`'s, in the same unit of work.
  void Publish(NoticeDraft draft, Actor actor, std::function<void(Result<Notice>)> done);
  std::vector<Notice> List(const std::optional<std::string>& service_point, size_t limit) {
    return repository_.List(service_point, limit);
  }

 private:
  NoticeRepository& repository_;
  UnitOfWork& unit_of_work_;
  ChangeLog& changes_;
  AuditTrail& audit_;
  const Clock& clock_;
};

}  // namespace motcua::notices
