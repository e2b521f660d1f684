#pragma once
// HTTP handlers of public notices: POST /api/v1/notices (administrators and unit leaders; answered
// after the group commit, holding no thread while it waits) and GET /api/v1/notices.

#include <string>

#include "domain/notices/notice.hpp"
#include "http/router.hpp"

namespace motcua::api {

// Thread-safe; borrows the service.
class NoticesApi {
 public:
  explicit NoticesApi(notices::NoticeService& service) : service_(service) {}
  void Publish(const http::Request& request, http::Respond respond) const;  // asynchronous
  http::Response List(const http::Request& request) const;                  // blocking

 private:
  notices::NoticeService& service_;
};

}  // namespace motcua::api
