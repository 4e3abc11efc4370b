// Loads libcurl at run time; see curl_library.h for why.

#include "http/curl_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <mutex>
#include <string>

#include "lamtool/error.h"
#include "lamtool/interrupt.h"

namespace lamtool {
namespace {

constexpr const char* kSoname = "libcurl.so.4";

// dlsym returns void*; POSIX guarantees that it converts to a function pointer.
template <typename Fn>
void resolve(void* library, const char* name, Fn& slot, std::string& missing) {
  void* symbol = dlsym(library, name);
  if (!symbol) {
    if (!missing.empty()) missing += ", ";
    missing += name;
    return;
  }
  slot = reinterpret_cast<Fn>(symbol);
}

// Returns an empty string on success, or why libcurl is unusable. The library stays
// open for the life of the process (libcurl keeps global state).
std::string load(CurlLibrary& lib) {
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    return fmt::format("cannot load '{}': {}", kSoname, why ? why : "unknown error");
  }
  std::string missing;
  resolve(handle, "curl_global_init", lib.global_init, missing);
  resolve(handle, "curl_easy_init", lib.easy_init, missing);
  resolve(handle, "curl_easy_cleanup", lib.easy_cleanup, missing);
  resolve(handle, "curl_easy_reset", lib.easy_reset, missing);
  resolve(handle, "curl_easy_setopt", lib.easy_setopt, missing);
  resolve(handle, "curl_easy_perform", lib.easy_perform, missing);
  resolve(handle, "curl_easy_getinfo", lib.easy_getinfo, missing);
  resolve(handle, "curl_easy_strerror", lib.easy_strerror, missing);
  resolve(handle, "curl_slist_append", lib.slist_append, missing);
  resolve(handle, "curl_slist_free_all", lib.slist_free_all, missing);
  if (!missing.empty()) {
    return fmt::format("cannot load '{}': it is not libcurl, it lacks {}", kSoname, missing);
  }
  CURLcode rc = lib.global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) {
    return fmt::format("cannot initialise libcurl: {}", lib.easy_strerror(rc));
  }
  return {};
}

}  // namespace

const CurlLibrary& curl_library() {
  static std::once_flag flag;
  static CurlLibrary library{};
  static std::string failure;
  std::call_once(flag, [] { failure = load(library); });
  if (!failure.empty()) {
    throw ConfigError(failure +
                      " (commands that use the network need libcurl; on Debian, "
                      "apt-get install libcurl4)");
  }
  return library;
}

namespace {

int on_transfer_info(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return interrupt_signal() != 0 ? 1 : 0;
}

}  // namespace

void stop_on_interrupt(CURL* handle) {
  const CurlLibrary& lib = curl_library();
  lib.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, on_transfer_info);
  lib.easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
}

}  // namespace lamtool
