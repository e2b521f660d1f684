#pragma once
// Reading a whole file: the one way the program loads data files, seeds and static assets.

#include <string>

#include "core/result.hpp"

namespace motcua::platform {

// The bytes of the file, or an error naming it (in Vietnamese and English).
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace motcua::platform
