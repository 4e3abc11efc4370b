#pragma once
// The media type of some bytes: what an upload is labelled with when the user names none.

#include <string>
#include <string_view>

namespace lamtool {

/// The media type of `bytes`: PNG, GIF, JPEG, WebP, PDF and SVG by their signatures,
/// JSON and CSV by a look at the text, text/plain for other UTF-8 text; otherwise by the
/// extension of `name`; else application/octet-stream.
std::string detect_content_type(std::string_view bytes, std::string_view name);

}  // namespace lamtool
