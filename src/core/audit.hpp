#pragma once
// The audit trail as the domain sees it: every state-changing act is recorded inside the unit of
// work that performs it, so a change without its record (or a record without its change) cannot
// be committed. The storage layer chains the records by hash and signs the head, so any later
// edit, deletion or reordering shows (see storage/audit_store.hpp).

#include <string>
#include <string_view>

#include "core/unit_of_work.hpp"

namespace motcua {

// Who acted, from where: filled by the api layer from the request.
struct Actor {
  std::string id;    // account id; "admin-token" for the administrator token
  std::string role;  // e.g. "administrator", "reception_officer", "citizen"
  std::string unit;  // the official's unit code; empty for others
  std::string request_id;
  std::string client;  // client address (X-Forwarded-For through trusted proxies)
};

class AuditTrail {
 public:
  virtual ~AuditTrail() = default;
  // Appends a record: `action` ("notice.publish"), `target` ("notice/17"), `details_json` (what
  // changed, without personal data in clear). Thread-safe; the Transaction is the caller's.
  virtual void Record(Transaction& tx, const Actor& actor, std::string_view action,
                      std::string_view target, std::string_view details_json) = 0;
};

}  // namespace motcua
