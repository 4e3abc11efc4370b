// The Runtime API's answer to /next: the response bytes as the socket client reads them,
// the invocation's request id and deadline from its headers, and its body as an event.
#include <chrono>
#include <sstream>

#include "fuzz.h"
#include "lambda/socket_http.h"
#include "lamtool/error.h"
#include "lamtool/events.h"
#include "lamtool/lambda.h"
#include "lamtool/log.h"

LAMTOOL_FUZZ_TARGET(lambda_next) {
  std::ostringstream sink;
  lamtool::Logger log(lamtool::Verbosity::kVerbose, sink);
  try {
    lamtool::HttpResponse next =
        lamtool::lambda::parse_http_response(lamtool::fuzz::as_text(data, size), "127.0.0.1:9001");
    auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'000));
    (void)lamtool::lambda::invocation_info(next, now, log);
    (void)lamtool::parse_event(next.body, "Runtime API event");
  } catch (const lamtool::Error&) {
  }
  return 0;
}
