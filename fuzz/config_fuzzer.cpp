// Fuzzes config::ReadFile and config::Apply with arbitrary bytes: a config file, environment
// variables and flags are all outside input to the server. The input is read twice: as a config
// file, and as raw "key<TAB>value" lines handed straight to Apply (as the environment and flags
// are, without ReadFile's trimming).

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "platform/config.hpp"

namespace {

using motcua::config::Config;

// An in-memory file, so the fuzzer does not write to the disk on every input.
int File() {
  static const int fd = [] {
    const int f = memfd_create("motcua-config-fuzz", 0);
    if (f < 0) {
      std::perror("memfd_create");
      std::exit(2);
    }
    return f;
  }();
  return fd;
}

// What a successful Apply promises: every setting within its documented range.
void CheckRanges(const Config& c) {
  FUZZ_CHECK(c.listen_port >= 0 && c.listen_port <= 65535);
  FUZZ_CHECK(c.io_threads >= 1 && c.io_threads <= 64);
  FUZZ_CHECK(c.worker_threads >= 1 && c.worker_threads <= 256);
  FUZZ_CHECK(c.max_body_bytes >= 1024 && c.max_body_bytes <= (64u << 20));
  FUZZ_CHECK(c.max_header_bytes >= 1024 && c.max_header_bytes <= (1u << 20));
  FUZZ_CHECK(c.read_timeout_seconds >= 1 && c.read_timeout_seconds <= 600);
  FUZZ_CHECK(c.idle_timeout_seconds >= 1 && c.idle_timeout_seconds <= 3600);
  FUZZ_CHECK(c.shutdown_grace_seconds >= 0 && c.shutdown_grace_seconds <= 600);
  FUZZ_CHECK(c.catalog_refresh_seconds >= 0 && c.catalog_refresh_seconds <= 3600);
  FUZZ_CHECK(c.response_cache_entries <= 1000000);
  FUZZ_CHECK(c.log_level == "debug" || c.log_level == "info" || c.log_level == "warn" ||
             c.log_level == "error");
  FUZZ_CHECK(!c.data_dir.empty());
  (void)motcua::config::Validate(c);
  (void)c.DatabaseUrl();
}

void ApplyAndCheck(const std::map<std::string, std::string>& settings) {
  Config c;
  const motcua::Status st = motcua::config::Apply(c, settings, "fuzz");
  if (st.ok()) {
    CheckRanges(c);
    for (const auto& [key, value] : settings) {
      FUZZ_CHECK(motcua::config::Keys().count(key) == 1);  // unknown keys are errors
    }
  } else {
    FUZZ_CHECK(!st.error().message_en.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  // 1. As a config file.
  const int fd = File();
  FUZZ_CHECK(ftruncate(fd, 0) == 0);
  FUZZ_CHECK(pwrite(fd, data, size, 0) == static_cast<ssize_t>(size));
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  auto file = motcua::config::ReadFile(path);
  if (file.ok()) {
    for (const auto& [key, value] : *file) {
      // Comments are gone, keys hold no '=', both sides are trimmed.
      FUZZ_CHECK(key.find('#') == std::string::npos && value.find('#') == std::string::npos);
      FUZZ_CHECK(key.find('=') == std::string::npos);
      FUZZ_CHECK(key.find('\n') == std::string::npos && value.find('\n') == std::string::npos);
      for (const std::string* s : {&key, &value}) {
        if (!s->empty()) {
          FUZZ_CHECK(s->front() != ' ' && s->front() != '\t');
          FUZZ_CHECK(s->back() != ' ' && s->back() != '\t');
        }
      }
    }
    ApplyAndCheck(*file);
  }

  // 2. As raw settings: any bytes in keys and values, including NUL and '=' and spaces.
  std::map<std::string, std::string> raw;
  size_t start = 0;
  while (start <= in.size()) {
    size_t end = in.find('\n', start);
    if (end == std::string_view::npos) end = in.size();
    const std::string_view line = in.substr(start, end - start);
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      raw[std::string(line)] = "";
    } else {
      raw[std::string(line.substr(0, tab))] = std::string(line.substr(tab + 1));
    }
    start = end + 1;
  }
  ApplyAndCheck(raw);
  return 0;
}
