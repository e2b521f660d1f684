#include "api/events_api.hpp"

#include <charconv>

#include "api/params.hpp"
#include "http/event_hub.hpp"
#include "http/problem.hpp"
#include "storage/database.hpp"
#include "storage/event_store.hpp"

namespace motcua::api {
namespace {

constexpr size_t kMaxTopics = 16;
// A client far behind gets at most this many of the events it missed (the newest), and at most
// kScanLimit events are read for it: a screen that was away that long reloads its state anyway.
constexpr size_t kMaxReplay = 2000;
constexpr size_t kScanLimit = 20000;

bool IsTopic(std::string_view t) {
  if (t.empty() || t.size() > 64) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                    c == '_' || (c >= 'A' && c <= 'Z') || (c == '*' && i + 1 == t.size());
    if (!ok) return false;
  }
  return true;
}

Error BadParam(std::string vi, std::string en, std::string field) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

}  // namespace

http::Response EventsApi::Stream(const http::Request& r) const {
  const auto fail = [&](const Error& e) { return http::ProblemResponse(e, r.request_id); };
  if (Status st = OnlyParams(r, {"topics", "last_event_id"}); !st.ok()) return fail(st.error());
  auto request = std::make_shared<http::EventStreamRequest>();
  std::string_view topics = r.Query("topics");
  while (!topics.empty()) {
    const size_t comma = topics.find(',');
    const std::string_view topic = topics.substr(0, comma);
    if (!IsTopic(topic)) {
      return fail(BadParam("Chủ đề không hợp lệ: chữ, số, '.', '-', '_' và '*' ở cuối",
                           "Invalid topic: letters, digits, '.', '-', '_', and '*' at the end",
                           "topics"));
    }
    request->topics.emplace_back(topic);
    if (request->topics.size() > kMaxTopics) {
      return fail(BadParam("Tối đa 16 chủ đề", "At most 16 topics", "topics"));
    }
    topics = comma == std::string_view::npos ? std::string_view{} : topics.substr(comma + 1);
  }
  // Where to resume: the Last-Event-ID header (EventSource sends it on reconnect) or the
  // parameter (for a first connection that knows where it stopped).
  std::string_view last = r.Header("last-event-id");
  if (last.empty()) last = r.Query("last_event_id");
  if (last.empty()) {
    request->after_id = latest_id_();
    return http::Response::Stream(std::move(request));
  }
  int64_t after = 0;
  const auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), after);
  if (ec != std::errc() || end != last.data() + last.size() || after < 0) {
    return fail(BadParam("Last-Event-ID phải là số nguyên không âm",
                         "Last-Event-ID must be a non-negative integer", "last_event_id"));
  }
  request->after_id = after;
  size_t scanned = 0;
  while (scanned < kScanLimit) {
    const auto batch = storage::ReadTransaction(
        db_, [&](storage::Tx& tx) { return storage::EventsAfter(tx, after, 1000); });
    for (const storage::StoredEvent& e : batch) {
      after = e.id;
      if (!http::EventHub::Matches(request->topics, e.topic)) continue;
      request->replay.push_back(http::Event{e.id, e.topic, e.type, e.payload});
    }
    scanned += batch.size();
    if (batch.size() < 1000) break;
  }
  if (request->replay.size() > kMaxReplay) {
    request->replay.erase(request->replay.begin(),
                          request->replay.end() - static_cast<std::ptrdiff_t>(kMaxReplay));
  }
  request->after_id = after;
  return http::Response::Stream(std::move(request));
}

}  // namespace motcua::api
