#pragma once
// Structured logging: one JSON object per line on stderr, so log shippers need no parsing rules.
// Thread-safe. Every line about a request carries its request_id. Info and debug lines are
// written in batches (every 10 ms) by a thread of their own; warnings and errors are written at
// once, after everything before them. Flush() forces it (also done at exit).

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace motcua::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// A field value: text, integer or real number.
using FieldValue = std::variant<std::string_view, long long, double>;
using Field = std::pair<std::string_view, FieldValue>;

void SetLevel(Level level);
// Writes what is buffered now.
void Flush();
// Every line written at once (command-line tools, where a line must appear before the next step).
void SetUnbuffered(bool unbuffered);
bool ParseLevel(std::string_view s, Level* out);
bool Enabled(Level level);

// Writes {"ts":"...","level":"info","msg":"...", fields...}.
void Write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});

inline void Debug(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, msg, f);
}
inline void Info(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, msg, f);
}
inline void Warn(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, msg, f);
}
inline void Error(std::string_view msg, std::initializer_list<Field> f = {}) {
  Write(Level::kError, msg, f);
}

}  // namespace motcua::log
