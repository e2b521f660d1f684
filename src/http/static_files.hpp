#pragma once
// The built front end, loaded into memory at start-up (a few hundred KB) with a gzip copy of each
// compressible file and a strong ETag. Hashed files under /assets/ are cached for a year
// (immutable); everything else is revalidated. Read-only after construction: thread-safe.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace motcua::http {

class StaticFiles {
 public:
  // Loads every file below `root`. An empty or missing root serves nothing.
  explicit StaticFiles(const std::string& root);

  // A response for GET/HEAD of `path`, or nullopt when there is no such file. Paths without an
  // extension that match nothing get index.html (client-side routes).
  std::optional<Response> Serve(const Request& request) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    // Shared with the responses that send them, so serving a file copies no bytes.
    std::shared_ptr<const std::string> body;
    std::shared_ptr<const std::string> gzipped;  // null when not worth it
    std::string etag;
    bool immutable = false;
  };
  Response Build(const File& file, const Request& request) const;

  std::map<std::string, File, std::less<>> files_;  // key: "/assets/x.js"
};

}  // namespace motcua::http
