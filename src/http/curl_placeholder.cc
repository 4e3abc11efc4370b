// PLACEHOLDER for the AWS branch only, so the lamtool binary links before the libcurl
// transport is merged. Delete this file at merge: the transport branch's curl client
// replaces it.

#include "lamtool/error.h"
#include "lamtool/http.h"

namespace lamtool {

std::unique_ptr<HttpClient> make_curl_http_client(const HttpClientOptions&) {
  throw NetworkError("http transport not built into this lamtool (merge the curl client)");
}

}  // namespace lamtool
