#pragma once
// The tamper-evident audit trail (tables audit_log and audit_heads).
//
// Each record carries `seq` (1, 2, 3 ...), its fields, the hash of the previous record and its own
// hash: BLAKE2b-256 over the previous hash and the fields, each length-prefixed, so no two
// different records serialise alike. Editing a record breaks its hash; deleting or reordering
// records breaks the chain. Deleting the newest records leaves a valid shorter chain: that is
// what the signed heads are for. Every `audit_sign_seconds` an instance signs the newest
// (seq, hash) with its Ed25519 key; verification checks each head's signature with the trusted
// public keys and that the chain still has that hash at that seq, so truncation behind a signed
// head shows too (what was appended after the newest head can still be cut unnoticed: sign
// often).
//
// Records are appended under a transaction-level advisory lock on PostgreSQL (one chain, several
// instances); on SQLite the write lock serialises them.

#include <cstdint>
#include <string>
#include <vector>

#include "core/audit.hpp"
#include "core/clock.hpp"
#include "storage/database.hpp"

namespace motcua::storage {

class SqlAuditTrail final : public AuditTrail {
 public:
  explicit SqlAuditTrail(const Clock& clock) : clock_(clock) {}
  void Record(Transaction& tx, const Actor& actor, std::string_view action, std::string_view target,
              std::string_view details_json) override;

 private:
  const Clock& clock_;
};

// An Ed25519 key pair for signing heads. The secret key lives in a file (hex, mode 0600), made
// on first use. Throws std::runtime_error saying what to fix when the file is unusable.
class AuditKey {
 public:
  static AuditKey LoadOrCreate(const std::string& path);
  const std::string& public_key_hex() const { return public_hex_; }
  std::string Sign(std::string_view message) const;  // hex signature

 private:
  std::string secret_;  // raw bytes
  std::string public_hex_;
};

// Signs the newest record if it is newer than the newest signed head. Returns the seq signed,
// or 0 when there was nothing new.
int64_t SignAuditHead(Database& db, const AuditKey& key, const Clock& clock);

struct AuditVerification {
  bool ok = true;
  int64_t records = 0;
  int64_t heads = 0;       // signed heads checked
  int64_t first_bad = 0;   // seq of the first record (or head) found wrong; 0 when ok
  std::string problem_vi;  // what is wrong, for people
  std::string problem_en;
};

// Recomputes the whole chain and checks every signed head against `trusted_public_keys` (hex).
AuditVerification VerifyAudit(Database& db, const std::vector<std::string>& trusted_public_keys);

// Searching the trail, newest first. Empty fields do not filter.
struct AuditQuery {
  std::string actor;       // exact ("account/12", "api-key/3", "cli:root")
  std::string action;      // exact ("auth.sign_in") or a prefix ending in '.' ("account.")
  std::string target;      // exact ("notice/17")
  std::string unit;        // the actor's unit (exact)
  std::string from;        // ISO 8601 UTC, inclusive
  std::string to;          // ISO 8601 UTC, exclusive
  int64_t before_seq = 0;  // records older than this (paging); 0: from the newest
  size_t limit = 50;
};

struct AuditEntry {
  int64_t seq = 0;
  std::string at, actor, role, unit, action, target, request_id, client, details;
};

std::vector<AuditEntry> SearchAudit(Database& db, const AuditQuery& query);

}  // namespace motcua::storage
