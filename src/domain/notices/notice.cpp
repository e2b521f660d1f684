#include "domain/notices/notice.hpp"

#include <memory>

#include "core/json_text.hpp"
#include "core/vn_text.hpp"

namespace motcua::notices {
namespace {

Error Invalid(std::string vi, std::string en, std::string field) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

}  // namespace

std::string ToJson(const Notice& n) {
  return JsonObject(
      {{"id", n.id},
       {"service_point",
        n.service_point ? JsonScalar(std::string_view(*n.service_point)) : JsonScalar(nullptr)},
       {"text_vi", std::string_view(n.text_vi)},
       {"text_en", std::string_view(n.text_en)},
       {"published_at", std::string_view(n.published_at)}});
}

Status Validate(const NoticeDraft& d) {
  for (const auto& [text, field, required] :
       {std::tuple{&d.text_vi, "text_vi", true}, std::tuple{&d.text_en, "text_en", false}}) {
    if (!text::IsValidUtf8(*text)) {
      return Invalid("Nội dung không phải UTF-8 hợp lệ", "The text is not valid UTF-8", field);
    }
    if (required && text->find_first_not_of(" \t\r\n") == std::string::npos) {
      return Invalid("Nội dung thông báo (tiếng Việt) không được để trống",
                     "The notice text (Vietnamese) must not be empty", field);
    }
    if (text::CountCodePoints(*text) > kMaxTextChars) {
      return Invalid("Nội dung dài quá " + std::to_string(kMaxTextChars) + " ký tự",
                     "The text is longer than " + std::to_string(kMaxTextChars) + " characters",
                     field);
    }
  }
  if (d.service_point && d.service_point->empty()) {
    return Invalid("Mã điểm phục vụ không được để trống", "The service point code is empty",
                   "service_point");
  }
  return OkStatus();
}

void NoticeService::Publish(NoticeDraft draft, Actor actor,
                            std::function<void(Result<Notice>)> done) {
  if (Status st = Validate(draft); !st.ok()) return done(st.error());
  auto notice = std::make_shared<Notice>();
  notice->service_point = std::move(draft.service_point);
  notice->text_vi = std::move(draft.text_vi);
  notice->text_en = std::move(draft.text_en);
  notice->published_at = ToIsoUtc(clock_.Now());
  unit_of_work_.Submit(
      [this, notice, actor = std::move(actor)](Transaction& tx) -> Status {
        if (notice->service_point && !repository_.ServicePointExists(tx, *notice->service_point)) {
          return Invalid("Không có điểm phục vụ " + *notice->service_point,
                         "No service point " + *notice->service_point, "service_point");
        }
        notice->id = repository_.Insert(tx, *notice);
        const std::string json = ToJson(*notice);
        changes_.Publish(tx, "notices." + notice->service_point.value_or("all"), "notice.published",
                         json);
        changes_.Notify(tx, "log", JsonObject({{"kind", "notice.published"}, {"id", notice->id}}));
        audit_.Record(
            tx, actor, "notice.publish", "notice/" + std::to_string(notice->id),
            JsonObject({{"service_point", std::string_view(notice->service_point.value_or(""))}}));
        return OkStatus();
      },
      [notice, done = std::move(done)](Status st) {
        if (!st.ok()) return done(st.error());
        done(*notice);
      });
}

}  // namespace motcua::notices
