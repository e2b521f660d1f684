#pragma once
// gzip compression of response bodies (zlib), and whether a response is worth compressing.

#include <string>
#include <string_view>

namespace motcua::http {

std::string Gzip(std::string_view data, int level = 6);
// Text-like types over ~1 KiB pay for compression; images and fonts are compressed already.
bool WorthCompressing(std::string_view content_type, size_t size);

}  // namespace motcua::http
