#include "platform/file.hpp"

#include <fstream>
#include <sstream>

namespace motcua::platform {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "Không đọc được tệp " + path, "Cannot read " + path,
                     path);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    return MakeError(ErrorCode::kInternal, "Lỗi khi đọc tệp " + path, "Error reading " + path,
                     path);
  }
  return ss.str();
}

}  // namespace motcua::platform
