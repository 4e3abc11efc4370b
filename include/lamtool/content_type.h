#pragma once
// The media type of some bytes: what an upload is labelled with when the user names none.

#include <cstddef>
#include <string>
#include <string_view>

namespace lamtool {

/// detect_content_type() looks at no more than this many leading bytes: a prefix this
/// long gets the same answer as the whole.
inline constexpr size_t kContentTypeWindow = 1024 * 1024 + 1;

/// The media type of `bytes`: PNG, GIF, JPEG, WebP, PDF and SVG by their signatures,
/// JSON and CSV by a look at the text, text/plain for other UTF-8 text; otherwise by the
/// extension of `name`; else application/octet-stream.
std::string detect_content_type(std::string_view bytes, std::string_view name);

}  // namespace lamtool
