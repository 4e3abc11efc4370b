#pragma once
// libcurl, opened with dlopen on first use. Linking it would make every command load its
// tree of some thirty shared libraries (nghttp2, ssh2, rtmp, gssapi, ldap, gnutls, ...)
// at start-up, which cost most of a local job's time; only commands that use the network
// pay for it now. <curl/curl.h> still gives the types and constants.

#include <curl/curl.h>

namespace lamtool {

/// The libcurl functions lamtool calls, resolved once.
struct CurlLibrary {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL* handle);
  void (*easy_reset)(CURL* handle);
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL* handle);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* line);
  void (*slist_free_all)(curl_slist* list);
};

/// Opens libcurl.so.4 and runs curl_global_init on the first call (thread-safe), then
/// returns the same table. Throws ConfigError (78) naming the library and the loader's
/// reason when it cannot be opened, lacks a function, or fails to initialise; every
/// later call throws the same error.
const CurlLibrary& curl_library();

/// Makes a transfer on `handle` stop within about a second of SIGINT or SIGTERM
/// (lamtool/interrupt.h): libcurl's progress callback, which it calls at least once a
/// second also while it waits, returns CURLE_ABORTED_BY_CALLBACK, which the caller turns
/// into Interrupted with check_interrupted(). Set again after each curl_easy_reset.
void stop_on_interrupt(CURL* handle);

/// True when libcurl gave up because a server's TLS certificate could not be verified
/// (an unknown issuer, a name or address that does not match, an expired certificate) or
/// the CA bundle to verify it with could not be read. Not temporary: never retried.
inline bool is_tls_verification_failure(CURLcode rc) {
  return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
         rc == CURLE_SSL_ISSUER_ERROR || rc == CURLE_SSL_CRL_BADFILE ||
         rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}
/// What the user can do about it, appended to the error line.
inline constexpr const char* kTlsVerificationHint =
    "certificate verification is always on; to trust a private CA, name its PEM file in "
    "CURL_CA_BUNDLE or SSL_CERT_FILE";

/// Owners of libcurl handles (std::unique_ptr<CURL, CurlEasyDeleter>).
struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_library().easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_library().slist_free_all(list); }
};

}  // namespace lamtool
