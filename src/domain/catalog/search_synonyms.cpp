// The dictionary of the search: what people type -> what the catalogue says. Generic Vietnamese
// administrative vocabulary, not tied to particular procedures, so it keeps working when the
// catalogue changes. A query phrase that matches `from` also searches for `to` (one way only).

#include <array>

#include "domain/catalog/search_text.hpp"

namespace motcua::catalog::search_internal {
namespace {

constexpr std::array kSynonyms = {
    // Identity documents: old and abbreviated names.
    Synonym{"CCCD", "căn cước công dân"},
    Synonym{"CMND", "chứng minh nhân dân căn cước"},
    Synonym{"CMT", "chứng minh nhân dân căn cước"},
    Synonym{"chứng minh nhân dân", "căn cước"},
    Synonym{"chứng minh thư", "chứng minh nhân dân căn cước"},
    Synonym{"thẻ chip", "căn cước gắn chip"},
    Synonym{"định danh", "định danh cá nhân"},
    // Residence.
    Synonym{"hộ khẩu", "thường trú cư trú"},
    Synonym{"sổ hộ khẩu", "thường trú cư trú"},
    Synonym{"nhập khẩu", "đăng ký thường trú"},
    Synonym{"cắt khẩu", "xóa đăng ký thường trú"},
    Synonym{"chuyển khẩu", "đăng ký thường trú"},
    Synonym{"KT3", "tạm trú"},
    Synonym{"nhà trọ", "tạm trú"},
    // Civil status.
    Synonym{"giấy khai sinh", "khai sinh"},
    Synonym{"giấy chứng tử", "khai tử"},
    Synonym{"chứng tử", "khai tử"},
    Synonym{"báo tử", "khai tử"},
    Synonym{"cưới", "kết hôn"},
    Synonym{"cưới vợ", "kết hôn"},
    Synonym{"lấy vợ", "kết hôn"},
    Synonym{"lấy chồng", "kết hôn"},
    Synonym{"giấy đăng ký kết hôn", "kết hôn"},
    Synonym{"độc thân", "tình trạng hôn nhân"},
    Synonym{"bố", "cha"},
    Synonym{"bé", "trẻ em"},
    Synonym{"em bé", "trẻ em"},
    Synonym{"sơ sinh", "trẻ em dưới 6 tuổi"},
    // Certification.
    Synonym{"công chứng", "chứng thực"},
    Synonym{"sao y", "chứng thực bản sao"},
    Synonym{"photo công chứng", "chứng thực bản sao từ bản chính"},
    Synonym{"ủy quyền", "chữ ký"},
    Synonym{"lý lịch", "lý lịch tư pháp"},
    // Transport.
    Synonym{"GPLX", "giấy phép lái xe"},
    Synonym{"bằng lái", "giấy phép lái xe"},
    Synonym{"bằng lái xe", "giấy phép lái xe"},
    Synonym{"cà vẹt", "chứng nhận đăng ký xe"},
    Synonym{"cavet", "chứng nhận đăng ký xe"},
    Synonym{"biển số", "biển số xe"},
    Synonym{"xe máy", "xe"},
    Synonym{"ô tô", "xe"},
    // Land and housing.
    Synonym{"sổ đỏ", "giấy chứng nhận quyền sử dụng đất"},
    Synonym{"sổ hồng", "giấy chứng nhận quyền sử dụng đất quyền sở hữu"},
    Synonym{"bìa đỏ", "giấy chứng nhận quyền sử dụng đất"},
    Synonym{"GCN", "giấy chứng nhận"},
    Synonym{"QSDĐ", "quyền sử dụng đất"},
    Synonym{"QSD đất", "quyền sử dụng đất"},
    Synonym{"thổ cư", "đất ở"},
    Synonym{"lên thổ cư", "chuyển mục đích sử dụng đất"},
    Synonym{"xây nhà", "xây dựng nhà ở"},
    Synonym{"sửa nhà", "sửa chữa cải tạo nhà ở"},
    Synonym{"trước bạ", "lệ phí trước bạ"},
    // Business and tax.
    Synonym{"HKD", "hộ kinh doanh"},
    Synonym{"ĐKKD", "đăng ký kinh doanh"},
    Synonym{"GPKD", "giấy chứng nhận đăng ký kinh doanh"},
    Synonym{"giấy phép kinh doanh", "giấy chứng nhận đăng ký kinh doanh"},
    Synonym{"hộ cá thể", "hộ kinh doanh"},
    Synonym{"TNHH", "trách nhiệm hữu hạn"},
    Synonym{"MST", "mã số thuế"},
    Synonym{"TNCN", "thu nhập cá nhân"},
    Synonym{"ATTP", "an toàn thực phẩm"},
    Synonym{"vệ sinh an toàn thực phẩm", "an toàn thực phẩm"},
    // Insurance and benefits.
    Synonym{"BHYT", "bảo hiểm y tế"},
    Synonym{"BHXH", "bảo hiểm xã hội"},
    Synonym{"lương hưu", "hưu trí"},
    Synonym{"người già", "người cao tuổi"},
    Synonym{"làm lại", "cấp lại"},
    Synonym{"UBND", "ủy ban nhân dân"},
    // Spelling variants (i/y are both accepted in "kí/ký", "lí/lý").
    Synonym{"kí", "ký"},
    Synonym{"lí", "lý"},
    // English aliases.
    Synonym{"ID", "căn cước"},
    Synonym{"ID card", "căn cước"},
    Synonym{"identity card", "căn cước"},
    Synonym{"citizen ID", "căn cước"},
    Synonym{"passport", "hộ chiếu"},
    Synonym{"driving license", "giấy phép lái xe"},
    Synonym{"driver license", "giấy phép lái xe"},
    Synonym{"drivers license", "giấy phép lái xe"},
    Synonym{"license", "licence"},
    Synonym{"birth certificate", "khai sinh"},
    Synonym{"death certificate", "khai tử"},
    Synonym{"marriage certificate", "kết hôn"},
    Synonym{"marry", "kết hôn"},
    Synonym{"wedding", "kết hôn"},
    Synonym{"single", "tình trạng hôn nhân độc thân"},
    Synonym{"baby", "trẻ em khai sinh"},
    Synonym{"child", "trẻ em con"},
    Synonym{"kid", "trẻ em con"},
    Synonym{"lost", "mất cấp lại"},
    Synonym{"lose", "mất cấp lại"},
    Synonym{"criminal record", "lý lịch tư pháp"},
    Synonym{"police check", "lý lịch tư pháp"},
    Synonym{"background check", "lý lịch tư pháp"},
    Synonym{"red book", "giấy chứng nhận quyền sử dụng đất"},
    Synonym{"pink book", "giấy chứng nhận quyền sử dụng đất"},
    Synonym{"land title", "giấy chứng nhận quyền sử dụng đất"},
    Synonym{"household registration", "thường trú hộ khẩu"},
    Synonym{"residence permit", "cư trú"},
    Synonym{"business license", "đăng ký kinh doanh"},
    Synonym{"company", "công ty doanh nghiệp"},
    Synonym{"firm", "công ty doanh nghiệp"},
    Synonym{"start a business", "thành lập doanh nghiệp hộ kinh doanh"},
    Synonym{"tax code", "mã số thuế"},
    Synonym{"tax ID", "mã số thuế"},
    Synonym{"notarize", "chứng thực"},
    Synonym{"notarise", "chứng thực"},
    Synonym{"notary", "chứng thực"},
    Synonym{"building", "xây dựng construction"},
    Synonym{"build", "xây dựng construction"},
    Synonym{"house", "nhà ở"},
    Synonym{"motorbike", "xe vehicle"},
    Synonym{"motorcycle", "xe vehicle"},
    Synonym{"car", "xe vehicle"},
    Synonym{"license plate", "biển số xe"},
    Synonym{"number plate", "biển số xe"},
    Synonym{"pension", "hưu trí"},
    Synonym{"poor household", "hộ nghèo"},
    Synonym{"testament", "di chúc"},
    Synonym{"lawyer", "trợ giúp pháp lý"},
    Synonym{"foreigner", "nước ngoài foreign"},
    Synonym{"divorce", "hôn nhân"},
};

// Vietnamese question wrappers and function words. When a query is typed without diacritics, a
// one-word entry only counts if its folded form is unambiguous in the catalogue ("cho" yes;
// "do" no: it is also "đỏ" of "sổ đỏ").
constexpr std::string_view kVietnameseStopPhrases[] = {
    "thủ tục",    "làm sao",     "làm thế nào", "như thế nào", "thế nào", "ra sao", "tôi muốn",
    "cho em hỏi", "cho tôi hỏi", "xin hỏi",     "hỏi",         "tôi",     "muốn",   "mình",
    "em",         "anh",         "chị",         "chú",         "bác",     "cô",     "của",
    "cho",        "và",          "thì",         "là",          "gì",      "cần",    "những",
    "các",        "có",          "không",       "được",        "ở đâu",   "đâu",    "bao nhiêu",
    "bao lâu",    "với",         "để",          "khi",         "nào",     "phải",   "giấy tờ",
    "hồ sơ",      "ạ",           "nhé",         "vậy",         "này",     "đó",     "bị",
    "đã",         "mà",          "rồi",         "lẫn",         "cả",      "ơi",     "ai",
    "nhà mình",   "thế",         "nhờ",         "giúp"};

// English function words; they apply only to queries that look English.
constexpr std::string_view kEnglishStopWords[] = {
    "how",   "to",   "the",   "a",      "an",   "for",  "of",     "in",    "on",   "i",
    "my",    "me",   "do",    "does",   "get",  "what", "is",     "are",   "can",  "where",
    "need",  "want", "apply", "please", "with", "and",  "or",     "at",    "by",   "from",
    "about", "we",   "our",   "you",    "it",   "be",   "should", "which", "when", "if"};

}  // namespace

std::span<const Synonym> Synonyms() { return kSynonyms; }
std::span<const std::string_view> VietnameseStopPhrases() { return kVietnameseStopPhrases; }
std::span<const std::string_view> EnglishStopWords() { return kEnglishStopWords; }

}  // namespace motcua::catalog::search_internal
