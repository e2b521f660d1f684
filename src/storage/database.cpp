#include "storage/database.hpp"

#include <string>

#include "storage/postgres/postgres_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace motcua::storage {
namespace {

const char* TypeName(const Value& v) {
  switch (v.index()) {
    case 0:
      return "NULL";
    case 1:
      return "integer";
    case 2:
      return "real";
    default:
      return "text";
  }
}

[[noreturn]] void ThrowWrongType(size_t i, const Value& v, const char* wanted) {
  throw DatabaseError("column " + std::to_string(i) + " is " + TypeName(v) + ", expected " +
                      wanted);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

const Value& Row::At(size_t i) const {
  if (i >= values_.size()) {
    throw DatabaseError("column " + std::to_string(i) + " out of range: the row has " +
                        std::to_string(values_.size()) + " columns");
  }
  return values_[i];
}

int64_t Row::Int(size_t i) const {
  const Value& v = At(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  ThrowWrongType(i, v, "integer");
}

double Row::Real(size_t i) const {
  const Value& v = At(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  // An integer is a valid real: SQLite stores 2.0 in a column without REAL affinity as 2.
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  ThrowWrongType(i, v, "real");
}

const std::string& Row::Text(size_t i) const {
  const Value& v = At(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  ThrowWrongType(i, v, "text");
}

std::optional<int64_t> Row::OptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::optional<std::string> Row::OptionalText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::unique_ptr<Database> OpenDatabase(const std::string& url, DatabaseOptions options) {
  if (StartsWith(url, "sqlite:")) {
    std::string path = url.substr(std::string_view("sqlite:").size());
    if (path.empty()) {
      throw DatabaseError(
          "database URL 'sqlite:' has no file path; write sqlite:PATH, e.g. sqlite:data/motcua.db");
    }
    return std::make_unique<SqliteDatabase>(path, options);
  }
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    return std::make_unique<PostgresDatabase>(url, options);
  }
  // Show only the scheme: the rest of a URL may hold a password.
  std::string scheme = url.substr(0, url.find(':'));
  throw DatabaseError("unsupported database URL (scheme '" + scheme +
                      "'); use sqlite:PATH (e.g. sqlite:data/motcua.db) or "
                      "postgresql://USER@HOST:PORT/DBNAME");
}

}  // namespace motcua::storage
