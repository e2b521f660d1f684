#include "storage/audit_store.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>
#include <unordered_map>

namespace motcua::storage {
namespace {

// Serialises audit appends across instances on PostgreSQL. "audit" in ASCII.
constexpr std::string_view kAuditLock = "SELECT pg_advisory_xact_lock(418581800308)";
constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";
constexpr std::string_view kHeadPrefix = "motcua-audit-head\n";

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string Hex(const unsigned char* data, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

bool FromHex(std::string_view hex, std::string* out, size_t expected) {
  out->assign(expected, '\0');
  size_t n = 0;
  return sodium_hex2bin(reinterpret_cast<unsigned char*>(out->data()), expected, hex.data(),
                        hex.size(), nullptr, &n, nullptr) == 0 &&
         n == expected;
}

struct Fields {
  int64_t seq;
  std::string at, actor, role, unit, action, target, request_id, client, details;
};

// BLAKE2b-256 over the previous hash and the fields, each as <length>:<bytes>.
std::string ChainHash(std::string_view prev_hash, const Fields& f) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  const auto add = [&](std::string_view part) {
    const std::string len = std::to_string(part.size()) + ":";
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(len.data()),
                              len.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                              part.size());
  };
  add(prev_hash);
  add(std::to_string(f.seq));
  for (const std::string* s : {&f.at, &f.actor, &f.role, &f.unit, &f.action, &f.target,
                               &f.request_id, &f.client, &f.details}) {
    add(*s);
  }
  unsigned char out[32];
  crypto_generichash_final(&state, out, sizeof out);
  return Hex(out, sizeof out);
}

std::string HeadMessage(int64_t seq, std::string_view hash) {
  return std::string(kHeadPrefix) + std::to_string(seq) + "\n" + std::string(hash);
}

}  // namespace

void SqlAuditTrail::Record(Transaction& transaction, const Actor& actor, std::string_view action,
                           std::string_view target, std::string_view details_json) {
  Tx& tx = AsTx(transaction);
  if (tx.dialect() == Dialect::kPostgres) tx.Query(kAuditLock);
  const auto last = tx.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  Fields f{last.empty() ? 1 : last[0].Int(0) + 1,
           ToIsoUtc(clock_.Now()),
           actor.id,
           actor.role,
           actor.unit,
           std::string(action),
           std::string(target),
           actor.request_id,
           actor.client,
           std::string(details_json)};
  const std::string prev = last.empty() ? std::string(kGenesis) : last[0].Text(1);
  const std::string hash = ChainHash(prev, f);
  const Value params[] = {f.seq,    f.at,         f.actor,  f.role,    f.unit, f.action,
                          f.target, f.request_id, f.client, f.details, prev,   hash};
  tx.Execute(
      "INSERT INTO audit_log (seq, at, actor, role, unit, action, target, request_id, client, "
      "details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      params);
}

AuditKey AuditKey::LoadOrCreate(const std::string& path) {
  InitSodium();
  AuditKey key;
  std::ifstream in(path);
  if (in) {
    std::string hex;
    in >> hex;
    if (!FromHex(hex, &key.secret_, crypto_sign_SECRETKEYBYTES)) {
      throw std::runtime_error("audit key file " + path +
                               " does not hold an Ed25519 secret key (128 hex digits)");
    }
  } else {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    key.secret_.assign(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_keypair(pk, reinterpret_cast<unsigned char*>(key.secret_.data()));
    const mode_t old = umask(077);
    std::ofstream out(path, std::ios::trunc);
    umask(old);
    out << Hex(reinterpret_cast<const unsigned char*>(key.secret_.data()), key.secret_.size())
        << "\n";
    if (!out.flush()) {
      throw std::runtime_error("cannot write the audit key file " + path +
                               "; check that its directory exists and is writable");
    }
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, reinterpret_cast<const unsigned char*>(key.secret_.data()));
  key.public_hex_ = Hex(pk, sizeof pk);
  return key;
}

std::string AuditKey::Sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), reinterpret_cast<const unsigned char*>(secret_.data()));
  return Hex(sig, sizeof sig);
}

int64_t SignAuditHead(Database& db, const AuditKey& key, const Clock& clock) {
  return WriteTransaction(db, [&](Tx& tx) -> int64_t {
    const auto last = tx.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (last.empty()) return 0;
    const int64_t seq = last[0].Int(0);
    const auto signed_rows = tx.Query("SELECT COALESCE(MAX(seq), 0) FROM audit_heads");
    if (signed_rows.at(0).Int(0) >= seq) return 0;
    const std::string& hash = last[0].Text(1);
    const Value params[] = {seq, hash, key.public_key_hex(), key.Sign(HeadMessage(seq, hash)),
                            ToIsoUtc(clock.Now())};
    tx.Execute(
        "INSERT INTO audit_heads (seq, hash, public_key, signature, signed_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        params);
    return seq;
  });
}

AuditVerification VerifyAudit(Database& db, const std::vector<std::string>& trusted) {
  InitSodium();
  return ReadTransaction(db, [&](Tx& tx) {
    AuditVerification v;
    const auto fail = [&](int64_t seq, std::string vi, std::string en) {
      if (!v.ok) return;
      v.ok = false;
      v.first_bad = seq;
      v.problem_vi = std::move(vi);
      v.problem_en = std::move(en);
    };
    // The chain: seq must run 1, 2, 3 ...; each prev_hash must be the previous record's hash;
    // each hash must be the hash of its fields.
    std::unordered_map<int64_t, std::string> hash_at;  // seq -> hash as stored
    std::string prev(kGenesis);
    int64_t expected = 1;
    for (const Row& r :
         tx.Query("SELECT seq, at, actor, role, unit, action, target, request_id, client, "
                  "details, prev_hash, hash FROM audit_log ORDER BY seq")) {
      const Fields f{r.Int(0),  r.Text(1), r.Text(2), r.Text(3), r.Text(4),
                     r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
      ++v.records;
      if (f.seq != expected) {
        fail(expected, "Thiếu bản ghi nhật ký số " + std::to_string(expected),
             "Audit record " + std::to_string(expected) + " is missing");
      } else if (r.Text(10) != prev) {
        fail(f.seq, "Bản ghi nhật ký số " + std::to_string(f.seq) + " không nối tiếp bản trước",
             "Audit record " + std::to_string(f.seq) + " does not follow the one before it");
      } else if (ChainHash(prev, f) != r.Text(11)) {
        fail(f.seq, "Bản ghi nhật ký số " + std::to_string(f.seq) + " đã bị sửa",
             "Audit record " + std::to_string(f.seq) + " was altered");
      }
      prev = r.Text(11);
      expected = f.seq + 1;
      hash_at[f.seq] = prev;
    }
    // The signed heads: a trusted key, a valid signature, and the chain still there.
    for (const Row& h :
         tx.Query("SELECT seq, hash, public_key, signature FROM audit_heads ORDER BY seq")) {
      ++v.heads;
      const int64_t seq = h.Int(0);
      const std::string& hash = h.Text(1);
      std::string pk, sig;
      bool known = false;
      for (const std::string& t : trusted) known = known || t == h.Text(2);
      const std::string msg = HeadMessage(seq, hash);
      const bool signature_ok = known && FromHex(h.Text(2), &pk, crypto_sign_PUBLICKEYBYTES) &&
                                FromHex(h.Text(3), &sig, crypto_sign_BYTES) &&
                                crypto_sign_verify_detached(
                                    reinterpret_cast<const unsigned char*>(sig.data()),
                                    reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                    reinterpret_cast<const unsigned char*>(pk.data())) == 0;
      if (!signature_ok) {
        fail(seq, "Chữ ký đầu chuỗi tại bản ghi số " + std::to_string(seq) + " không hợp lệ",
             "The signed head at record " + std::to_string(seq) +
                 " has no valid signature by a trusted key");
      } else if (const auto it = hash_at.find(seq); it == hash_at.end() || it->second != hash) {
        fail(
            seq, "Nhật ký đã bị cắt hoặc sửa trước bản ghi đã ký số " + std::to_string(seq),
            "The audit trail was truncated or altered before signed record " + std::to_string(seq));
      }
    }
    return v;
  });
}

std::vector<AuditEntry> SearchAudit(Database& db, const AuditQuery& q) {
  std::string sql =
      "SELECT seq, at, actor, role, unit, action, target, request_id, client, details "
      "FROM audit_log WHERE 1 = 1";
  std::vector<Value> params;
  const auto add = [&](std::string_view condition, std::string value) {
    params.emplace_back(std::move(value));
    sql += " AND ";
    sql += condition;
    sql += std::to_string(params.size());
  };
  if (!q.actor.empty()) add("actor = $", q.actor);
  if (!q.action.empty()) {
    if (q.action.back() == '.') {
      // A prefix: the range [prefix, prefix + 1 char) is index-friendly on both databases and
      // needs no LIKE escaping.
      std::string end = q.action;
      end.back() = '/';  // the character after '.'
      add("action >= $", q.action);
      add("action < $", end);
    } else {
      add("action = $", q.action);
    }
  }
  if (!q.target.empty()) add("target = $", q.target);
  if (!q.unit.empty()) add("unit = $", q.unit);
  if (!q.from.empty()) add("at >= $", q.from);
  if (!q.to.empty()) add("at < $", q.to);
  if (q.before_seq > 0) {
    params.emplace_back(q.before_seq);
    sql += " AND seq < $" + std::to_string(params.size());
  }
  params.emplace_back(static_cast<int64_t>(q.limit));
  sql += " ORDER BY seq DESC LIMIT $" + std::to_string(params.size());
  return ReadTransaction(db, [&](Tx& tx) {
    std::vector<AuditEntry> out;
    for (const Row& r : tx.Query(sql, params)) {
      out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                     r.Text(7), r.Text(8), r.Text(9)});
    }
    return out;
  });
}

}  // namespace motcua::storage
