#pragma once
// A minimal streaming JSON writer for the hot responses (search results, procedure pages): it
// appends to one string with no intermediate tree, which is several times cheaper than building
// an nlohmann::json document and dumping it. Input strings must be valid UTF-8 (they come from
// the catalogue, which is validated on import). Not thread-safe; one per response.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::api {

class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // A value that is already JSON, written by the platform itself (never text from outside).
  JsonWriter& Raw(std::string_view json);
  JsonWriter& OptionalInt(const std::optional<int64_t>& value) {
    return value ? Int(*value) : Null();
  }
  JsonWriter& StringArray(const std::vector<std::string>& values);

  std::string Take() { return std::move(out_); }
  void Reserve(size_t n) { out_.reserve(n); }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();

  std::string out_;
  std::vector<bool> has_items_;  // per open container: something written already
  bool after_key_ = false;
};

}  // namespace motcua::api
