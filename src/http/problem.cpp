#include "http/problem.hpp"

#include "core/json_text.hpp"

namespace motcua::http {
namespace {

struct Kind {
  int status;
  const char* slug;
  const char* title_en;
  const char* title_vi;
};

Kind KindOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {400, "invalid-argument", "Invalid request", "Yêu cầu không hợp lệ"};
    case ErrorCode::kNotFound:
      return {404, "not-found", "Not found", "Không tìm thấy"};
    case ErrorCode::kConflict:
      return {409, "conflict", "Conflict", "Xung đột dữ liệu"};
    case ErrorCode::kInvalidState:
      return {409, "invalid-state", "Not allowed in the current state",
              "Không được phép ở trạng thái hiện tại"};
    case ErrorCode::kUnauthenticated:
      return {401, "unauthenticated", "Authentication required", "Cần xác thực"};
    case ErrorCode::kForbidden:
      return {403, "forbidden", "Forbidden", "Không có quyền"};
    case ErrorCode::kPayloadTooLarge:
      return {413, "payload-too-large", "Request too large", "Yêu cầu quá lớn"};
    case ErrorCode::kUnsupportedMediaType:
      return {415, "unsupported-media-type", "Unsupported media type",
              "Kiểu dữ liệu không được hỗ trợ"};
    case ErrorCode::kMethodNotAllowed:
      return {405, "method-not-allowed", "Method not allowed", "Phương thức không được hỗ trợ"};
    case ErrorCode::kTooManyRequests:
      return {429, "too-many-requests", "Too many requests", "Quá nhiều yêu cầu"};
    case ErrorCode::kUnavailable:
      return {503, "unavailable", "Service unavailable", "Dịch vụ tạm thời không sẵn sàng"};
    case ErrorCode::kInternal:
      break;
  }
  return {500, "internal", "Internal error", "Lỗi hệ thống"};
}

void AppendField(std::string& out, std::string_view key, std::string_view value);

// The problems of the wire level, which have statuses of their own.
Kind KindOfStatus(int status) {
  switch (status) {
    case 408:
      return {408, "request-timeout", "Request timeout", "Hết thời gian chờ yêu cầu"};
    case 413:
      return KindOf(ErrorCode::kPayloadTooLarge);
    case 414:
      return {414, "uri-too-long", "Request line too long", "Dòng yêu cầu quá dài"};
    case 417:
      return {417, "expectation-failed", "Expectation failed", "Không đáp ứng được Expect"};
    case 431:
      return {431, "header-fields-too-large", "Request header fields too large",
              "Phần đầu yêu cầu quá lớn"};
    case 501:
      return {501, "not-implemented", "Not implemented", "Chưa được hỗ trợ"};
    case 505:
      return {505, "http-version-not-supported", "HTTP version not supported",
              "Phiên bản HTTP không được hỗ trợ"};
    default:
      return {400, "malformed-request", "Malformed HTTP request", "Yêu cầu HTTP không hợp lệ"};
  }
}

Response MakeProblem(const Kind& kind, std::string_view detail_en, std::string_view detail_vi,
                     std::string_view field, std::string_view request_id) {
  std::string body = "{\"type\":\"/problems/";
  body += kind.slug;
  body += "\",\"status\":" + std::to_string(kind.status);
  AppendField(body, "title", kind.title_en);
  AppendField(body, "title_vi", kind.title_vi);
  AppendField(body, "detail", detail_en);
  AppendField(body, "detail_vi", detail_vi);
  if (!field.empty()) AppendField(body, "field", field);
  AppendField(body, "request_id", request_id);
  body += '}';
  Response r = Response::Json(std::move(body), kind.status);
  r.content_type = "application/problem+json";
  return r;
}

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":\"";
  AppendJsonEscaped(out, value);
  out += '"';
}

}  // namespace

int StatusFor(ErrorCode code) { return KindOf(code).status; }

Response ProblemResponse(const Error& error, std::string_view request_id) {
  // A fault's details stay in the log; the client gets only the request id to quote.
  const bool internal = error.code == ErrorCode::kInternal;
  return MakeProblem(
      KindOf(error.code), internal ? "An unexpected error occurred." : error.message_en,
      internal ? "Đã xảy ra lỗi không mong muốn." : error.message_vi, error.field, request_id);
}

Response WireProblem(int status, std::string_view message_vi, std::string_view message_en,
                     std::string_view request_id) {
  return MakeProblem(KindOfStatus(status), message_en, message_vi, {}, request_id);
}

}  // namespace motcua::http
