#pragma once
// A plain-socket HTTP/1.1 client for the Lambda Runtime API (http://host:port on the
// sandbox's loopback): keep-alive, Content-Length or chunked bodies, no TLS. The loop
// uses it instead of libcurl so that a cold start reaches its first /next without
// loading libcurl and its thirty libraries (jobs still load libcurl when they need it).

#include <memory>
#include <string>

#include "lamtool/http.h"

namespace lamtool::lambda {

/// `host_port` as in AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" or "localhost:9001".
/// send() takes requests whose URL is http://host_port/PATH; throws NetworkError when no
/// whole response arrived (a request that failed before any byte of the answer was read
/// is sent once more on a new connection, since a kept-alive one may have been closed).
std::unique_ptr<HttpClient> make_socket_http_client(std::string host_port);

}  // namespace lamtool::lambda
