#pragma once
// A plain-socket HTTP/1.1 client for the Lambda Runtime API (http://host:port on the
// sandbox's loopback): keep-alive, Content-Length or chunked bodies, no TLS. The loop
// uses it instead of libcurl so that a cold start reaches its first /next without
// loading libcurl and its thirty libraries (jobs still load libcurl when they need it).

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "lamtool/http.h"

namespace lamtool::lambda {

/// `host_port` as in AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001" or "localhost:9001".
/// send() takes requests whose URL is http://host_port/PATH; throws NetworkError when no
/// whole response arrived (a request that failed before any byte of the answer was read
/// is sent once more on a new connection, since a kept-alive one may have been closed).
std::unique_ptr<HttpClient> make_socket_http_client(std::string host_port);

/// Reads one HTTP/1.1 response (status line, headers, then a Content-Length, chunked or
/// read-to-the-end body) from the front of `buffer`, calling `fill` to append more bytes
/// to it (false: the stream ended), and removes what it read. `close_after`: the
/// connection is done (Connection: close, or a body read to the end). NetworkError
/// naming `peer` when the bytes end early or are not HTTP.
HttpResponse read_http_response(std::string& buffer, const std::function<bool()>& fill,
                                std::string_view peer, bool& close_after);

/// read_http_response() over `bytes`, a whole response (the fuzz target's entry).
HttpResponse parse_http_response(std::string_view bytes, std::string_view peer);

}  // namespace lamtool::lambda
