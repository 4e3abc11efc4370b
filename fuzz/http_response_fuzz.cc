// HTTP/1.1 responses as the Runtime API client reads them from its socket (status line,
// headers, Content-Length, chunked or read-to-the-end body).
#include "fuzz.h"
#include "lambda/socket_http.h"
#include "lamtool/error.h"

LAMTOOL_FUZZ_TARGET(http_response) {
  try {
    (void)lamtool::lambda::parse_http_response(lamtool::fuzz::as_text(data, size),
                                               "127.0.0.1:9001");
  } catch (const lamtool::Error&) {
  }
  return 0;
}
