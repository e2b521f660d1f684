// Fuzzes the server's request path over raw connection bytes: http::RequestParser (request line,
// fields, Content-Length and chunked bodies, chunk extensions, trailers, pipelining), then
// DecodeTarget and the router, exactly as a session runs them. The first input byte chooses how
// the bytes are split into reads, so the parser sees every boundary a network can produce.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/message.hpp"
#include "http/request_parser.hpp"
#include "http/router.hpp"

namespace {

motcua::http::Response Ok(const motcua::http::Request&) {
  return motcua::http::Response::Json("{}");
}

const motcua::http::Router& TestRouter() {
  static const motcua::http::Router router = [] {
    motcua::http::Router r;
    for (const auto& [method, pattern] :
         {std::pair{"GET", "/healthz"}, std::pair{"GET", "/api/v1/procedures"},
          std::pair{"GET", "/api/v1/procedures/{code}"},
          std::pair{"POST", "/api/v1/procedures/import"}}) {
      motcua::http::Route route;
      route.method = method;
      route.pattern = pattern;
      route.handler = Ok;
      route.access = motcua::http::Access::Public();
      r.Add(std::move(route));
    }
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using motcua::http::RequestParser;
  using State = RequestParser::State;
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 64;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  motcua::http::ParseLimits limits;
  limits.max_header_bytes = 2048;
  limits.max_body_bytes = 4096;
  limits.max_header_fields = 20;
  RequestParser parser(limits);
  std::string buffered;  // what a session holds: received and not yet consumed
  size_t next = 0;
  int messages = 0;
  while (true) {
    const size_t used = parser.Feed(buffered);
    FUZZ_CHECK(used <= buffered.size());
    buffered.erase(0, used);
    const State state = parser.state();
    if (state == State::kHeadComplete) continue;
    if (state == State::kError) {
      const int status = parser.error().status;
      FUZZ_CHECK(status == 400 || status == 413 || status == 414 || status == 417 ||
                 status == 431 || status == 501 || status == 505);
      FUZZ_CHECK(!parser.error().message_vi.empty() && !parser.error().message_en.empty());
      break;
    }
    if (state == State::kComplete) {
      ++messages;
      auto& request = parser.request();
      // The bounds the server documents hold for every message.
      FUZZ_CHECK(request.body.size() <= limits.max_body_bytes);
      FUZZ_CHECK(request.headers.size() <= limits.max_header_fields);
      FUZZ_CHECK(!request.method.empty() && request.target.front() == '/');
      FUZZ_CHECK(parser.version_minor() == 0 || parser.version_minor() == 1);
      if (parser.version_minor() == 1) FUZZ_CHECK(motcua::http::IsValidHost(parser.host()));
      if (motcua::http::DecodeTarget(&request).ok()) {
        FUZZ_CHECK(!request.path.empty() && request.path.front() == '/');
        const auto match = TestRouter().Find(request.method, request.path);
        if (match.route)
          FUZZ_CHECK(match.route->method == request.method || request.method == "HEAD");
      }
      (void)motcua::http::AcceptsGzip(request.Header("accept-encoding"));
      (void)motcua::http::BearerToken(request);
      if (!parser.keep_alive()) break;
      parser.Reset();
      continue;
    }
    // kNeedMore: the parser must never ask to hold more than its bound.
    FUZZ_CHECK(buffered.size() <= parser.MaxBufferedBytes());
    if (next >= input.size()) break;
    const size_t n = std::min(step, input.size() - next);
    buffered.append(input.substr(next, n));
    next += n;
  }
  FUZZ_CHECK(messages <= static_cast<int>(input.size()));
  return 0;
}
