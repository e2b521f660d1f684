#include "http/static_files.hpp"

#include <algorithm>
#include <filesystem>

#include "http/gzip.hpp"
#include "http/request_parser.hpp"
#include "platform/file.hpp"

namespace motcua::http {
namespace {

std::string_view TypeFor(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "application/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".webmanifest") return "application/manifest+json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".wav") return "audio/wav";
  return "application/octet-stream";
}

// FNV-1a 64: enough for an ETag of a file we loaded ourselves.
std::string Etag(std::string_view data) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

// "/assets/x.js" names a file; "/thu-tuc/1.004194" is a client-side route (a procedure code).
bool LooksLikeFile(std::string_view path) {
  const std::string_view last = path.substr(path.rfind('/') + 1);
  const auto dot = last.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view ext = last.substr(dot + 1);
  return !ext.empty() && ext.size() <= 11 &&
         std::any_of(ext.begin(), ext.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return;
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (!entry.is_regular_file()) continue;
    auto read = platform::ReadWholeFile(entry.path().string());
    if (!read.ok()) continue;  // vanished or unreadable since listed: serve what can be read
    File f;
    const std::string body = std::move(read).value();
    f.content_type = std::string(TypeFor(entry.path()));
    f.etag = Etag(body);
    if (WorthCompressing(f.content_type, body.size())) {
      std::string gzipped = Gzip(body, 9);
      if (gzipped.size() < body.size()) {
        f.gzipped = std::make_shared<const std::string>(std::move(gzipped));
      }
    }
    f.body = std::make_shared<const std::string>(body);
    const std::string rel = "/" + fs::relative(entry.path(), root).generic_string();
    f.immutable = rel.starts_with("/assets/");
    files_.emplace(rel, std::move(f));
  }
}

Response StaticFiles::Build(const File& f, const Request& request) const {
  Response r;
  r.content_type = f.content_type;
  r.headers.emplace_back("ETag", f.etag);
  r.headers.emplace_back("Cache-Control",
                         f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  if (request.Header("if-none-match") == f.etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  if (f.gzipped && AcceptsGzip(request.Header("accept-encoding"))) {
    r.shared_body = f.gzipped;
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.shared_body = f.body;
  }
  return r;
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  std::string_view path = request.path;
  // The server has already refused paths with "..", NUL or backslashes; look up exact keys only,
  // so nothing outside the loaded tree can be reached.
  if (path == "/") path = "/index.html";
  if (auto it = files_.find(path); it != files_.end()) return Build(it->second, request);
  if (!LooksLikeFile(path) && !path.starts_with("/api/")) {
    if (auto it = files_.find(std::string_view("/index.html")); it != files_.end()) {
      return Build(it->second, request);
    }
  }
  return std::nullopt;
}

}  // namespace motcua::http
