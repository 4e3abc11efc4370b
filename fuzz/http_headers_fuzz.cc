// Header lines as libcurl hands them to the HTTP client (add_header_line), one per
// input line, then Content-Length read from the result as downloads do.
#include "fuzz.h"
#include "lamtool/http.h"

LAMTOOL_FUZZ_TARGET(http_headers) {
  std::string_view text = lamtool::fuzz::as_text(data, size);
  lamtool::HttpHeaders headers;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl == std::string_view::npos ? text.size() : nl + 1);
    lamtool::add_header_line(headers, line);
    text.remove_prefix(line.size());
  }
  (void)lamtool::url_host(headers.count("Location") ? headers["Location"] : "");
  return 0;
}
