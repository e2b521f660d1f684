#include "http/problem.hpp"

#include "platform/log.hpp"

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
    case ErrorCode::kUnavailable:
      return {503, "unavailable", "Service unavailable", "Dịch vụ tạm thời không sẵn sàng"};
    case ErrorCode::kInternal:
      break;
  }
  return {500, "internal", "Internal error", "Lỗi hệ thống"};
}

void AppendField(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":\"";
  log::AppendJsonEscaped(out, value);
  out += '"';
}

}  // namespace

int StatusFor(ErrorCode code) { return KindOf(code).status; }

Response ProblemResponse(const Error& error, std::string_view request_id) {
  const Kind kind = KindOf(error.code);
  std::string body = "{\"type\":\"/problems/";
  body += kind.slug;
  body += "\",\"status\":" + std::to_string(kind.status);
  AppendField(body, "title", kind.title_en);
  AppendField(body, "title_vi", kind.title_vi);
  // A fault's details stay in the log; the client gets only the request id to quote.
  const bool internal = error.code == ErrorCode::kInternal;
  AppendField(body, "detail", internal ? "An unexpected error occurred." : error.message_en);
  AppendField(body, "detail_vi", internal ? "Đã xảy ra lỗi không mong muốn." : error.message_vi);
  if (!error.field.empty()) AppendField(body, "field", error.field);
  AppendField(body, "request_id", request_id);
  body += '}';
  Response r = Response::Json(std::move(body), kind.status);
  r.content_type = "application/problem+json";
  return r;
}

}  // namespace motcua::http
