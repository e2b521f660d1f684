#pragma once
// An incremental, strict HTTP/1.1 request parser (RFC 9112), independent of any I/O library, so
// the server and the fuzz target run exactly the same code over the bytes of a connection.
//
// Why not Beast's parser: it let a trailer field over 64 KiB throw out of the connection, read a
// chunk-size line of any length into memory, and framed requests with an unknown or non-final
// Transfer-Encoding as bodiless (request smuggling). Here every part of a message has a bound,
// and anything ambiguous about the framing is an error that closes the connection.
//
// Memory: the caller keeps the unparsed bytes; the parser never needs more than
// `max_header_bytes` of them buffered (the head, a trailer block) or `kMaxChunkLineBytes` (a
// chunk-size line), and appends at most `max_body_bytes` of body to the request.
//
// Not thread-safe; one per connection.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace motcua::http {

struct ParseLimits {
  size_t max_header_bytes = 16 << 10;  // request line + fields; also bounds a trailer block
  size_t max_body_bytes = 1 << 20;     // decoded body, whatever the framing
  size_t max_header_fields = 100;      // per head and per trailer block
};

// A chunk-size line with its extensions: extensions are legal but useless to us, so a short
// bound is enough and keeps a hostile extension from growing the read buffer.
inline constexpr size_t kMaxChunkLineBytes = 4096;

// Why a message was refused: the HTTP status to answer with, and the reason in both languages.
// After any error the connection must be closed: the stream no longer has a known framing.
struct ParseError {
  int status = 400;
  std::string message_vi;
  std::string message_en;
};

class RequestParser {
 public:
  enum class State {
    kNeedMore,      // feed more bytes
    kHeadComplete,  // the head is parsed (request() has method, target, headers); call Feed again
                    // for the body. Reported once per message, before any body byte is taken.
    kComplete,      // the whole message is parsed; Reset() before the next one
    kError,         // error() says why; the connection must be closed
  };

  explicit RequestParser(ParseLimits limits = {}) : limits_(limits) {}

  // Prepares for the next message on the connection (keeps the request's string capacity).
  void Reset();

  // Parses from the front of `data`. Returns how many bytes were consumed: the caller drops them
  // and calls again with what is left plus any new bytes. Bytes after a complete message are not
  // consumed (pipelining). Unconsumed bytes never exceed the bounds above while kNeedMore.
  size_t Feed(std::string_view data);

  // The largest number of unconsumed bytes the parser may need buffered to make progress.
  size_t MaxBufferedBytes() const;

  State state() const { return state_; }
  const ParseError& error() const { return error_; }
  // True once at least one byte of the current message has been seen (for timeouts and logs).
  bool started() const { return started_; }

  // The message being parsed. method, target (origin-form path and query; an absolute-form
  // target is reduced to it), headers (lower-case names, values trimmed) and body are set.
  Request& request() { return request_; }
  int version_minor() const { return version_minor_; }  // HTTP/1.<minor>: 0 or 1
  bool keep_alive() const { return keep_alive_; }
  bool expects_continue() const { return expects_continue_; }  // only ever true for HTTP/1.1
  // The authority the request names: the Host field, or the absolute-form target's.
  std::string_view host() const { return host_; }

 private:
  enum class Phase { kHead, kBodyLength, kChunkLine, kChunkData, kChunkDataEnd, kTrailer, kDone };

  size_t ParseHead(std::string_view data);
  bool ParseRequestLine(std::string_view line);
  bool ParseField(std::string_view line, bool trailer);
  bool ApplyFraming();
  size_t ParseChunkLine(std::string_view data);
  size_t ParseTrailer(std::string_view data);
  void Fail(int status, std::string vi, std::string en);
  void FinishHead();

  ParseLimits limits_;
  State state_ = State::kNeedMore;
  Phase phase_ = Phase::kHead;
  ParseError error_;
  Request request_;
  std::string host_;
  int version_minor_ = 1;
  bool keep_alive_ = true;
  bool expects_continue_ = false;
  bool started_ = false;
  bool head_reported_ = false;
  int host_fields_ = 0;
  bool absolute_form_ = false;
  uint64_t remaining_ = 0;  // the Content-Length, then the body bytes still to come
  bool content_length_seen_ = false;
  bool chunked_ = false;
  bool close_requested_ = false;
  bool keep_alive_requested_ = false;
  std::string expect_;
  std::vector<std::string> transfer_codings_;  // every coding of every Transfer-Encoding field
  size_t trailer_bytes_ = 0;
  size_t trailer_fields_ = 0;
  size_t head_scan_ = 0;  // where the search for the end of the head resumes
};

// Parses an Accept-Encoding value (RFC 9110 §12.5.3): true when gzip is acceptable, i.e. its
// q-value (or that of "*" when gzip is not named) is above zero.
bool AcceptsGzip(std::string_view accept_encoding);

// A header field name (an RFC 9110 token), and a field value (no NUL, CR, LF or other control
// but HTAB). The server checks every response header with them: nothing user-derived can split
// a response or inject a header.
bool IsFieldName(std::string_view name);
bool IsFieldValue(std::string_view value);

// True for a valid Host value (RFC 9110 §7.2: uri-host [":" port]); empty is not valid here.
bool IsValidHost(std::string_view host);

}  // namespace motcua::http
