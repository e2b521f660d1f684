#include "http/request_parser.hpp"

#include <array>
#include <cctype>

namespace motcua::http {
namespace {

// tchar (RFC 9110 §5.6.2): the characters of a token (method, field name, transfer coding).
constexpr auto kTokenChar = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!kTokenChar[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// field-value characters: HTAB, SP, VCHAR, obs-text. No NUL, CR, LF or other controls.
bool IsFieldValueChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

bool IsOws(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool IsFieldName(std::string_view name) { return IsToken(name); }

bool IsFieldValue(std::string_view value) {
  for (char c : value) {
    if (!IsFieldValueChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

namespace {

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Calls f(element) for each non-empty element of a comma-separated list (RFC 9110 §5.6.1).
template <typename F>
void ForEachListElement(std::string_view list, F&& f) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view element = TrimOws(list.substr(0, comma));
    if (!element.empty()) f(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// Finds the end of the line that starts at data[from]: the index of its '\n', or npos.
size_t FindLineEnd(std::string_view data, size_t from, size_t limit) {
  const size_t end = std::min(data.size(), limit);
  if (from >= end) return std::string_view::npos;
  const size_t nl = data.substr(0, end).find('\n', from);
  return nl;
}

// The line's content without its terminator ("\r\n" or a lone "\n"); false when a CR appears
// anywhere but just before the LF (a bare CR is a classic smuggling trick).
bool LineContent(std::string_view data, size_t begin, size_t nl, std::string_view* line) {
  std::string_view l = data.substr(begin, nl - begin);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  if (l.find('\r') != std::string_view::npos) return false;
  *line = l;
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void RequestParser::Reset() {
  state_ = State::kNeedMore;
  phase_ = Phase::kHead;
  error_ = {};
  request_.method.clear();
  request_.target.clear();
  request_.body.clear();
  request_.headers.clear();
  host_.clear();
  version_minor_ = 1;
  keep_alive_ = true;
  expects_continue_ = false;
  started_ = false;
  head_reported_ = false;
  host_fields_ = 0;
  absolute_form_ = false;
  remaining_ = 0;
  content_length_seen_ = false;
  chunked_ = false;
  close_requested_ = false;
  keep_alive_requested_ = false;
  expect_.clear();
  trailer_bytes_ = 0;
  trailer_fields_ = 0;
  head_scan_ = 0;
  transfer_codings_.clear();
}

size_t RequestParser::MaxBufferedBytes() const {
  switch (phase_) {
    case Phase::kHead:
      return limits_.max_header_bytes;
    case Phase::kChunkLine:
      return kMaxChunkLineBytes;
    case Phase::kTrailer:
      return limits_.max_header_bytes;
    default:
      return 2;  // the CRLF after chunk data; body bytes are always consumed
  }
}

void RequestParser::Fail(int status, std::string vi, std::string en) {
  state_ = State::kError;
  phase_ = Phase::kDone;
  error_ = ParseError{status, std::move(vi), std::move(en)};
  keep_alive_ = false;
}

size_t RequestParser::Feed(std::string_view data) {
  if (state_ == State::kError || state_ == State::kComplete) return 0;
  if (!data.empty()) started_ = true;
  size_t used = 0;
  while (state_ != State::kError) {
    const std::string_view rest = data.substr(used);
    size_t n = 0;
    switch (phase_) {
      case Phase::kHead:
        n = ParseHead(rest);
        if (state_ == State::kError) return used + n;
        if (phase_ != Phase::kHead) {
          used += n;
          state_ = State::kHeadComplete;
          head_reported_ = true;
          return used;
        }
        break;
      case Phase::kBodyLength: {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, rest.size()));
        request_.body.append(rest.data(), take);
        remaining_ -= take;
        n = take;
        if (remaining_ == 0) phase_ = Phase::kDone;
        break;
      }
      case Phase::kChunkLine:
        n = ParseChunkLine(rest);
        break;
      case Phase::kChunkData: {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, rest.size()));
        request_.body.append(rest.data(), take);
        remaining_ -= take;
        n = take;
        if (remaining_ == 0) phase_ = Phase::kChunkDataEnd;
        break;
      }
      case Phase::kChunkDataEnd:
        if (rest.empty()) break;
        if (rest[0] == '\n') {
          n = 1;
        } else if (rest[0] == '\r') {
          if (rest.size() < 2) break;
          if (rest[1] != '\n') {
            Fail(400, "Khối dữ liệu (chunk) không kết thúc bằng CRLF",
                 "Chunk data is not followed by CRLF");
            return used;
          }
          n = 2;
        } else {
          Fail(400, "Khối dữ liệu (chunk) dài hơn kích thước đã khai báo",
               "Chunk data is longer than its declared size");
          return used;
        }
        phase_ = Phase::kChunkLine;
        break;
      case Phase::kTrailer:
        n = ParseTrailer(rest);
        break;
      case Phase::kDone:
        break;
    }
    used += n;
    if (state_ == State::kError) return used;
    if (phase_ == Phase::kDone) {
      state_ = State::kComplete;
      return used;
    }
    if (n == 0) {
      state_ = State::kNeedMore;
      return used;
    }
  }
  return used;
}

size_t RequestParser::ParseHead(std::string_view data) {
  const size_t limit = limits_.max_header_bytes;
  // Empty lines before the request line are ignored (RFC 9112 §2.2); they are consumed at once
  // so they never count against the head.
  size_t skip = 0;
  while (skip < data.size() && (data[skip] == '\n' || data[skip] == '\r')) {
    if (data[skip] == '\r' && (skip + 1 >= data.size() || data[skip + 1] != '\n')) break;
    skip += data[skip] == '\r' ? 2 : 1;
  }
  if (skip) {
    head_scan_ = 0;
    return skip;
  }
  // Find the empty line that ends the head, resuming where the last call stopped, so a head that
  // trickles in a byte at a time is scanned once.
  size_t end = std::string_view::npos;  // index just past the empty line
  size_t pos = head_scan_;
  while (true) {
    const size_t nl = FindLineEnd(data, pos, limit);
    if (nl == std::string_view::npos) break;
    const size_t line_len = nl - pos;
    if (pos > 0 && (line_len == 0 || (line_len == 1 && data[pos] == '\r'))) {
      end = nl + 1;
      break;
    }
    pos = nl + 1;
  }
  if (end == std::string_view::npos) {
    head_scan_ = pos;
    if (data.size() >= limit) {
      if (pos == 0) {
        Fail(414, "Dòng yêu cầu (địa chỉ) quá dài", "Request line (URI) too long");
      } else {
        Fail(431, "Phần đầu yêu cầu quá lớn", "Request header fields too large");
      }
    }
    return 0;
  }
  head_scan_ = 0;

  // The head is complete: parse it line by line.
  size_t begin = 0;
  size_t nl = data.find('\n');
  std::string_view line;
  if (!LineContent(data, begin, nl, &line)) {
    Fail(400, "Dòng yêu cầu chứa ký tự CR không hợp lệ", "Bare CR in the request line");
    return 0;
  }
  if (!ParseRequestLine(line)) return 0;
  size_t fields = 0;
  begin = nl + 1;
  while (begin < end) {
    nl = data.find('\n', begin);
    if (!LineContent(data, begin, nl, &line)) {
      Fail(400, "Trường tiêu đề chứa ký tự CR không hợp lệ", "Bare CR in a header field");
      return 0;
    }
    begin = nl + 1;
    if (line.empty()) break;
    if (++fields > limits_.max_header_fields) {
      Fail(431, "Quá nhiều trường tiêu đề", "Too many header fields");
      return 0;
    }
    if (!ParseField(line, false)) return 0;
  }
  if (!ApplyFraming()) return 0;
  return end;
}

bool RequestParser::ParseRequestLine(std::string_view line) {
  const auto bad = [this] {
    Fail(400, "Dòng yêu cầu HTTP không hợp lệ", "Malformed HTTP request line");
    return false;
  };
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return bad();
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return bad();
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method)) return bad();
  if (method.size() > 20) {
    Fail(501, "Phương thức HTTP không được hỗ trợ", "HTTP method not implemented");
    return false;
  }
  if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' ||
      !std::isdigit(static_cast<unsigned char>(version[5])) ||
      !std::isdigit(static_cast<unsigned char>(version[7]))) {
    return bad();
  }
  if (version[5] != '1') {
    Fail(505, "Phiên bản HTTP không được hỗ trợ (chỉ HTTP/1.0 và HTTP/1.1)",
         "HTTP version not supported (only HTTP/1.0 and HTTP/1.1)");
    return false;
  }
  // RFC 9110 §2.5: a higher minor version of a major version we implement is read as HTTP/1.1.
  version_minor_ = version[7] == '0' ? 0 : 1;
  if (target.empty()) return bad();
  for (char ch : target) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return bad();
  }
  request_.method.assign(method);
  if (target.front() == '/') {
    request_.target.assign(target);
    return true;
  }
  // absolute-form (RFC 9112 §3.2.2): "http://host[:port]/path?query". The authority replaces
  // the Host field; the handlers see the origin-form path and query.
  std::string_view rest;
  if (target.size() > 7 && IEquals(target.substr(0, 7), "http://")) {
    rest = target.substr(7);
  } else if (target.size() > 8 && IEquals(target.substr(0, 8), "https://")) {
    rest = target.substr(8);
  } else {
    return bad();
  }
  const size_t path_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, path_start);
  if (!IsValidHost(authority)) return bad();
  absolute_form_ = true;
  host_.assign(authority);
  const std::string_view path_and_query =
      path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);
  request_.target.clear();
  if (path_and_query.empty() || path_and_query.front() == '?') request_.target = "/";
  request_.target.append(path_and_query);
  return true;
}

bool RequestParser::ParseField(std::string_view line, bool trailer) {
  if (IsOws(line.front())) {
    Fail(400, "Trường tiêu đề gập dòng (obs-fold) không được chấp nhận",
         "Obsolete line folding in a header field is not accepted");
    return false;
  }
  const size_t colon = line.find(':');
  const std::string_view name = line.substr(0, colon);
  if (colon == std::string_view::npos || !IsToken(name)) {
    Fail(400, "Tên trường tiêu đề không hợp lệ", "Malformed header field name");
    return false;
  }
  const std::string_view value = TrimOws(line.substr(colon + 1));
  for (char c : value) {
    if (!IsFieldValueChar(static_cast<unsigned char>(c))) {
      Fail(400, "Giá trị trường tiêu đề chứa ký tự điều khiển",
           "A header field value contains a control character");
      return false;
    }
  }
  // Trailer fields are checked and dropped: nothing here needs them, and merging them into the
  // head would let a client change a header after the body was framed by it.
  if (trailer) return true;

  auto& [lower, stored] = request_.headers.emplace_back();
  lower.assign(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  stored.assign(value);

  if (lower == "host") {
    ++host_fields_;
    if (!absolute_form_) host_.assign(value);
  } else if (lower == "content-length") {
    uint64_t n = 0;
    if (value.empty() || value.size() > 18) {
      Fail(400, "Content-Length không hợp lệ", "Invalid Content-Length");
      return false;
    }
    for (char c : value) {
      if (c < '0' || c > '9') {
        Fail(400, "Content-Length không hợp lệ", "Invalid Content-Length");
        return false;
      }
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (content_length_seen_ && n != remaining_) {
      Fail(400, "Các trường Content-Length mâu thuẫn nhau", "Conflicting Content-Length fields");
      return false;
    }
    content_length_seen_ = true;
    remaining_ = n;
  } else if (lower == "transfer-encoding") {
    bool ok = true;
    ForEachListElement(value, [&](std::string_view coding) {
      if (!IsToken(coding)) ok = false;  // parameters on a coding: none that we know take them
      transfer_codings_.emplace_back(coding);
    });
    // A field with no codings at all is as ambiguous as a wrong one.
    if (!ok || value.empty()) transfer_codings_.emplace_back("(invalid)");
  } else if (lower == "connection") {
    ForEachListElement(value, [&](std::string_view option) {
      if (IEquals(option, "close")) close_requested_ = true;
      if (IEquals(option, "keep-alive")) keep_alive_requested_ = true;
    });
  } else if (lower == "expect") {
    expect_.assign(value);
  }
  return true;
}

bool RequestParser::ApplyFraming() {
  const auto bad_host = [this] {
    Fail(400, "Trường Host thiếu, trùng lặp hoặc không hợp lệ",
         "The Host header field is missing, repeated or invalid");
    return false;
  };
  // RFC 9112 §3.2: exactly one valid Host in HTTP/1.1; never more than one.
  if (host_fields_ > 1 || (version_minor_ == 1 && host_fields_ == 0)) return bad_host();
  if (host_fields_ == 1 && !absolute_form_ && !IsValidHost(host_)) return bad_host();

  if (!transfer_codings_.empty()) {
    // RFC 9112 §6.1-6.3: only a final "chunked" frames a request; anything else, TE in HTTP/1.0,
    // or TE beside Content-Length is refused and the connection closed.
    if (version_minor_ == 0) {
      Fail(400, "Transfer-Encoding không được phép trong yêu cầu HTTP/1.0",
           "Transfer-Encoding is not allowed in an HTTP/1.0 request");
      return false;
    }
    if (content_length_seen_) {
      Fail(400, "Không được dùng đồng thời Transfer-Encoding và Content-Length",
           "Transfer-Encoding and Content-Length together are not allowed");
      return false;
    }
    if (!IEquals(transfer_codings_.back(), "chunked")) {
      Fail(400, "Transfer-Encoding phải kết thúc bằng chunked",
           "Transfer-Encoding must end with chunked");
      return false;
    }
    for (size_t i = 0; i + 1 < transfer_codings_.size(); ++i) {
      if (IEquals(transfer_codings_[i], "chunked")) {  // RFC 9112 §7.1: chunked at most once
        Fail(400, "Mã hóa chunked chỉ được dùng một lần", "chunked may be applied only once");
        return false;
      }
    }
    if (transfer_codings_.size() > 1) {
      Fail(501, "Mã hóa truyền tải không được hỗ trợ (chỉ chunked)",
           "Transfer coding not implemented (only chunked)");
      return false;
    }
    chunked_ = true;
  } else if (content_length_seen_ && remaining_ > limits_.max_body_bytes) {
    Fail(413, "Nội dung yêu cầu vượt quá " + std::to_string(limits_.max_body_bytes) + " byte",
         "Request body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
    return false;
  }

  if (!expect_.empty()) {
    if (!IEquals(expect_, "100-continue")) {
      Fail(417, "Giá trị Expect không được hỗ trợ", "Unsupported Expect value");
      return false;
    }
  }
  keep_alive_ =
      version_minor_ == 1 ? !close_requested_ : keep_alive_requested_ && !close_requested_;
  if (chunked_) {
    phase_ = Phase::kChunkLine;
  } else if (content_length_seen_ && remaining_ > 0) {
    phase_ = Phase::kBodyLength;
  } else {
    phase_ = Phase::kDone;
  }
  // RFC 9110 §10.1.1: a 100 (Continue) only to HTTP/1.1 clients, only when a body will follow.
  expects_continue_ = version_minor_ == 1 && !expect_.empty() && phase_ != Phase::kDone;
  return true;
}

size_t RequestParser::ParseChunkLine(std::string_view data) {
  const size_t nl = FindLineEnd(data, 0, kMaxChunkLineBytes);
  if (nl == std::string_view::npos) {
    if (data.size() >= kMaxChunkLineBytes) {
      Fail(400, "Dòng kích thước khối (chunk) quá dài", "Chunk-size line too long");
    }
    return 0;
  }
  std::string_view line;
  if (!LineContent(data, 0, nl, &line)) {
    Fail(400, "Dòng kích thước khối (chunk) chứa CR không hợp lệ", "Bare CR in a chunk-size line");
    return 0;
  }
  uint64_t size = 0;
  size_t i = 0;
  for (; i < line.size() && HexDigit(line[i]) >= 0; ++i) {
    size = size * 16 + static_cast<uint64_t>(HexDigit(line[i]));
    if (size > limits_.max_body_bytes) {
      Fail(413, "Nội dung yêu cầu vượt quá " + std::to_string(limits_.max_body_bytes) + " byte",
           "Request body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
      return 0;
    }
  }
  if (i == 0) {
    Fail(400, "Kích thước khối (chunk) không hợp lệ", "Invalid chunk size");
    return 0;
  }
  // chunk-ext: BWS ";" ... — checked for shape, then ignored.
  std::string_view ext = line.substr(i);
  while (!ext.empty() && IsOws(ext.front())) ext.remove_prefix(1);
  bool ext_ok = ext.empty() || ext.front() == ';';
  for (char c : ext) ext_ok = ext_ok && IsFieldValueChar(static_cast<unsigned char>(c));
  if (!ext_ok) {
    Fail(400, "Phần mở rộng của khối (chunk) không hợp lệ", "Invalid chunk extension");
    return 0;
  }
  if (size == 0) {
    phase_ = Phase::kTrailer;
  } else {
    if (request_.body.size() + size > limits_.max_body_bytes) {
      Fail(413, "Nội dung yêu cầu vượt quá " + std::to_string(limits_.max_body_bytes) + " byte",
           "Request body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
      return 0;
    }
    remaining_ = size;
    phase_ = Phase::kChunkData;
  }
  return nl + 1;
}

size_t RequestParser::ParseTrailer(std::string_view data) {
  // One line at a time; the whole trailer block shares the head's byte and field limits.
  const size_t budget =
      limits_.max_header_bytes - std::min(trailer_bytes_, limits_.max_header_bytes);
  const size_t nl = FindLineEnd(data, 0, budget);
  if (nl == std::string_view::npos) {
    if (data.size() >= budget) {
      Fail(431, "Phần trailer của yêu cầu quá lớn", "Request trailer fields too large");
    }
    return 0;
  }
  std::string_view line;
  if (!LineContent(data, 0, nl, &line)) {
    Fail(400, "Trường trailer chứa ký tự CR không hợp lệ", "Bare CR in a trailer field");
    return 0;
  }
  trailer_bytes_ += nl + 1;
  if (line.empty()) {
    phase_ = Phase::kDone;
    return nl + 1;
  }
  if (++trailer_fields_ > limits_.max_header_fields) {
    Fail(431, "Quá nhiều trường trailer", "Too many trailer fields");
    return 0;
  }
  if (!ParseField(line, true)) return 0;
  return nl + 1;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  // q-values per RFC 9110 §12.4.2: "0" to "1" with up to three decimals; an invalid one makes
  // the element unusable (treated as not acceptable, the safe reading).
  const auto parse_q = [](std::string_view params) -> int {  // thousandths, or -1 if invalid
    int q = 1000;
    while (!params.empty()) {
      const size_t semi = params.find(';');
      const std::string_view param = TrimOws(params.substr(0, semi));
      params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
      const size_t eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      if (!IEquals(TrimOws(param.substr(0, eq)), "q")) continue;
      const std::string_view v = TrimOws(param.substr(eq + 1));
      if (v.empty() || (v[0] != '0' && v[0] != '1') || v.size() > 5) return -1;
      if (v.size() > 1 && v[1] != '.') return -1;
      int value = (v[0] - '0') * 1000;
      int scale = 100;
      for (size_t i = 2; i < v.size(); ++i, scale /= 10) {
        if (!std::isdigit(static_cast<unsigned char>(v[i]))) return -1;
        value += (v[i] - '0') * scale;
      }
      if (value > 1000) return -1;
      q = value;
    }
    return q;
  };
  int gzip_q = -2;  // -2: not named
  int star_q = -2;
  ForEachListElement(accept_encoding, [&](std::string_view element) {
    const size_t semi = element.find(';');
    const std::string_view coding = TrimOws(element.substr(0, semi));
    const int q =
        parse_q(semi == std::string_view::npos ? std::string_view{} : element.substr(semi + 1));
    if (IEquals(coding, "gzip") || IEquals(coding, "x-gzip")) {
      gzip_q = std::max(gzip_q, q);
    } else if (coding == "*") {
      star_q = std::max(star_q, q);
    }
  });
  if (gzip_q != -2) return gzip_q > 0;
  return star_q > 0;
}

bool IsValidHost(std::string_view host) {
  if (host.empty() || host.size() > 300) return false;
  std::string_view name = host;
  if (host.front() == '[') {  // IP-literal
    const size_t close = host.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : host.substr(1, close - 1)) {
      if (!(HexDigit(c) >= 0 || c == ':' || c == '.')) return false;
    }
    name = {};
    host.remove_prefix(close + 1);
    if (host.empty()) return true;
    if (host.front() != ':') return false;
  } else {
    const size_t colon = host.rfind(':');
    name = host.substr(0, colon);
    host = colon == std::string_view::npos ? std::string_view{} : host.substr(colon);
    if (name.empty()) return false;
    for (char ch : name) {
      const auto c = static_cast<unsigned char>(ch);
      const bool ok = std::isalnum(c) ||
                      std::string_view("-._~!$&'()*+,;=%").find(ch) != std::string_view::npos;
      if (!ok) return false;
    }
  }
  // ":" port, with port = *DIGIT (at most 5 digits).
  if (host.empty()) return true;
  const std::string_view port = host.substr(1);
  if (port.size() > 5) return false;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace motcua::http
