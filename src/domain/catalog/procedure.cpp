#include "domain/catalog/procedure.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/vn_text.hpp"

namespace motcua::catalog {
namespace {

constexpr int kMaxProcessingDays = 3650;  // ten years: anything longer is a data-entry error
constexpr int64_t kMaxFeeVnd = 10'000'000'000;

Status Invalid(std::string field, std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(vi), std::move(en), std::move(field));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

// National codes are groups of digits separated by dots: "1.004222", "3.000722".
bool IsNationalCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  bool last_was_digit = false;
  bool saw_dot = false;
  for (char c : code) {
    if (IsDigit(c)) {
      last_was_digit = true;
    } else if (c == '.' && last_was_digit) {
      last_was_digit = false;
      saw_dot = true;
    } else {
      return false;
    }
  }
  return last_was_digit && saw_dot;
}

bool IsLocalCode(std::string_view code) {
  constexpr std::string_view kPrefix = "local-";
  if (code.size() != kPrefix.size() + 8 || !code.starts_with(kPrefix)) return false;
  return std::all_of(code.begin() + kPrefix.size(), code.end(), IsLowerHex);
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

struct FieldName {
  std::string_view vi;
  std::string_view en;
};

// Every field (lĩnh vực) of data/procedures.json.
constexpr std::array kFieldNames = {
    FieldName{"An toàn thực phẩm", "Food safety"},
    FieldName{"Bảo hiểm xã hội", "Social insurance"},
    FieldName{"Bảo hiểm y tế", "Health insurance"},
    FieldName{"Bảo trợ xã hội", "Social protection"},
    FieldName{"Chứng thực", "Certification"},
    FieldName{"Căn cước", "Identity cards"},
    FieldName{"Cư trú", "Residence"},
    FieldName{"Giao thông", "Transport"},
    FieldName{"Giáo dục", "Education"},
    FieldName{"Giảm nghèo", "Poverty reduction"},
    FieldName{"Hộ tịch", "Civil status"},
    FieldName{"Khiếu nại, tố cáo", "Complaints and denunciations"},
    FieldName{"Lý lịch tư pháp", "Judicial records"},
    FieldName{"Người có công", "People with meritorious services"},
    FieldName{"Nhà ở", "Housing"},
    FieldName{"Nuôi con nuôi", "Adoption"},
    FieldName{"Thuế", "Tax"},
    FieldName{"Trợ giúp pháp lý", "Legal aid"},
    FieldName{"Việc làm", "Employment"},
    FieldName{"Xuất nhập cảnh", "Immigration and passports"},
    FieldName{"Xây dựng", "Construction"},
    FieldName{"Đăng ký kinh doanh", "Business registration"},
    FieldName{"Đất đai", "Land"},
};

}  // namespace

std::string_view ToString(Level level) {
  switch (level) {
    case Level::kCommune:
      return "commune";
    case Level::kCity:
      return "city";
    case Level::kCentralPolice:
      return "central_police";
  }
  return "commune";
}

std::string_view ToString(OnlineLevel online) {
  switch (online) {
    case OnlineLevel::kFull:
      return "full";
    case OnlineLevel::kPartial:
      return "partial";
    case OnlineLevel::kNone:
      return "none";
  }
  return "none";
}

std::optional<Level> ParseLevel(std::string_view s) {
  if (s == "commune") return Level::kCommune;
  if (s == "city") return Level::kCity;
  if (s == "central_police") return Level::kCentralPolice;
  return std::nullopt;
}

std::optional<OnlineLevel> ParseOnlineLevel(std::string_view s) {
  if (s == "full") return OnlineLevel::kFull;
  if (s == "partial") return OnlineLevel::kPartial;
  if (s == "none") return OnlineLevel::kNone;
  return std::nullopt;
}

const ProcedureRules* Procedure::RulesOn(Date day) const {
  // rules is ascending by effective_from: the last one that started on or before `day`.
  auto it = std::upper_bound(rules.begin(), rules.end(), day,
                             [](Date d, const ProcedureRules& r) { return d < r.effective_from; });
  if (it == rules.begin()) return nullptr;
  return &*std::prev(it);
}

std::string LocalCodeFor(std::string_view name_vi) {
  // FNV-1a 32-bit over the NFC bytes: tiny, stable across platforms and releases.
  const std::string nfc = text::ToNfc(name_vi);
  uint32_t h = 2166136261u;
  for (unsigned char c : nfc) {
    h ^= c;
    h *= 16777619u;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string code = "local-";
  for (int shift = 28; shift >= 0; shift -= 4) code.push_back(kHex[(h >> shift) & 0xF]);
  return code;
}

Status Validate(const Procedure& p) {
  // UTF-8 first: every later message may quote text, and storage must never see broken bytes.
  const std::pair<std::string_view, std::string_view> texts[] = {
      {"code", p.code},     {"name_vi", p.name_vi}, {"name_en", p.name_en}, {"field", p.field},
      {"agency", p.agency}, {"source", p.source},   {"notes", p.notes},
  };
  for (const auto& [name, value] : texts) {
    if (!text::IsValidUtf8(value)) {
      return Invalid(std::string(name), "Trường " + std::string(name) + " không phải UTF-8 hợp lệ",
                     "Field " + std::string(name) + " is not valid UTF-8");
    }
  }
  for (size_t i = 0; i < p.documents.size(); ++i) {
    if (!text::IsValidUtf8(p.documents[i])) {
      const std::string field = "documents/" + std::to_string(i);
      return Invalid(field, "Giấy tờ số " + std::to_string(i) + " không phải UTF-8 hợp lệ",
                     "Document " + std::to_string(i) + " is not valid UTF-8");
    }
  }
  for (size_t i = 0; i < p.keywords.size(); ++i) {
    if (!text::IsValidUtf8(p.keywords[i])) {
      const std::string field = "keywords/" + std::to_string(i);
      return Invalid(field, "Từ khóa số " + std::to_string(i) + " không phải UTF-8 hợp lệ",
                     "Keyword " + std::to_string(i) + " is not valid UTF-8");
    }
  }
  if (p.has_national_code ? !IsNationalCode(p.code) : !IsLocalCode(p.code)) {
    return Invalid("code",
                   "Mã thủ tục phải gồm các nhóm chữ số cách nhau bởi dấu chấm (ví dụ 1.004222) "
                   "hoặc có dạng local-xxxxxxxx",
                   "The procedure code must be digits separated by dots (e.g. 1.004222) or "
                   "local-xxxxxxxx");
  }
  if (IsBlank(p.name_vi)) {
    return Invalid("name_vi", "Tên thủ tục (tiếng Việt) không được để trống",
                   "The Vietnamese name must not be empty");
  }
  if (IsBlank(p.name_en)) {
    return Invalid("name_en", "Tên thủ tục (tiếng Anh) không được để trống",
                   "The English name must not be empty");
  }
  if (IsBlank(p.field)) {
    return Invalid("field", "Lĩnh vực không được để trống", "The field must not be empty");
  }
  if (IsBlank(p.agency)) {
    return Invalid("agency", "Cơ quan thực hiện không được để trống",
                   "The agency must not be empty");
  }
  if (p.rules.empty()) {
    return Invalid("rules", "Thủ tục phải có ít nhất một phiên bản quy định (phí, thời hạn)",
                   "A procedure needs at least one rules entry (fee, time limit)");
  }
  for (size_t i = 0; i < p.rules.size(); ++i) {
    const ProcedureRules& r = p.rules[i];
    if (r.processing_days && (*r.processing_days < 0 || *r.processing_days > kMaxProcessingDays)) {
      return Invalid("processing_days", "Thời hạn giải quyết phải từ 0 đến 3650 ngày làm việc",
                     "processing_days must be between 0 and 3650 working days");
    }
    if (r.fee_vnd && (*r.fee_vnd < 0 || *r.fee_vnd > kMaxFeeVnd)) {
      return Invalid("fee_vnd", "Lệ phí phải từ 0 đến 10.000.000.000 đồng",
                     "fee_vnd must be between 0 and 10,000,000,000 VND");
    }
    if (i > 0 && !(p.rules[i - 1].effective_from < r.effective_from)) {
      return Invalid("rules", "Các phiên bản quy định phải theo thứ tự ngày hiệu lực tăng dần",
                     "Rules entries must be in ascending order of effective date");
    }
  }
  return OkStatus();
}

std::string_view FieldNameEn(std::string_view field_vi) {
  const std::string nfc = text::ToNfc(field_vi);
  for (const auto& f : kFieldNames) {
    if (f.vi == nfc) return f.en;
  }
  return field_vi;
}

}  // namespace motcua::catalog
