#pragma once
// The server's own request and response types: handlers and the api/ layer never see Beast.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/identity.hpp"
#include "core/result.hpp"

namespace motcua::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::vector<std::pair<std::string, std::string>> params;   // path parameters from the route
  std::string body;
  std::string request_id;
  std::string remote;
  // Who is calling, set by the server's authenticator before a non-public route's handler runs;
  // null on public routes.
  std::shared_ptr<const Principal> principal;

  // The first value of a header (name in lower case), or empty.
  std::string_view Header(std::string_view name) const;
  // The first value of a query parameter; `found` tells absent from empty.
  std::string_view Query(std::string_view name, bool* found = nullptr) const;
  // A path parameter by name ("code" for "/api/v1/procedures/{code}").
  std::string_view Param(std::string_view name) const;
};

// An event for live streams: its id orders it among all events (the events table's id).
struct Event {
  int64_t id = 0;
  std::string topic;  // e.g. "queue.B01"
  std::string type;   // e.g. "ticket.called": the SSE "event:" field
  std::string data;   // JSON
};

// Turns a response into a Server-Sent Events stream: the server subscribes the connection to
// `topics`, sends `replay` (events after the client's Last-Event-ID, read from the database),
// then every later event with id > the last replayed one (or > after_id).
struct EventStreamRequest {
  std::vector<std::string> topics;
  std::vector<Event> replay;
  int64_t after_id = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, the body is this shared, immutable string instead of `body` (which stays empty):
  // cached and static bodies are sent without copying them per request.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // When set, the response is an event stream (status 200, text/event-stream) instead of a body.
  std::shared_ptr<const EventStreamRequest> event_stream;

  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : body; }

  static Response Json(std::string body, int status = 200) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static Response Json(std::shared_ptr<const std::string> body, int status = 200) {
    Response r;
    r.status = status;
    r.shared_body = std::move(body);
    return r;
  }
  static Response Stream(std::shared_ptr<const EventStreamRequest> stream) {
    Response r;
    r.content_type = "text/event-stream";
    r.event_stream = std::move(stream);
    return r;
  }
  static Response Text(std::string body, std::string content_type, int status = 200) {
    Response r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
  }
};

// The credentials of an "Authorization: Bearer <token>" field (RFC 6750; the scheme name is
// case-insensitive, RFC 9110 §11.1), or empty when the field is absent or of another scheme.
std::string_view BearerToken(const Request& request);

// Splits request.target into the decoded path and query (request.path, request.query). Refuses
// (400) a malformed escape, invalid UTF-8, a NUL or backslash, or a ".." segment in the path.
Status DecodeTarget(Request* request);

// Decodes %XX and (in queries) '+'. Returns false on a malformed escape.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);
// Splits "a=1&b=2" into decoded pairs. Returns false on a malformed escape.
bool ParseQuery(std::string_view query, std::vector<std::pair<std::string, std::string>>* out);

}  // namespace motcua::http
