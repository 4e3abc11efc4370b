// SigV4 against the AWS test suite (every case folder found under fixtures/sigv4, each
// stage asserted on its own) and the S3 documentation's published examples.

#include "lamtool/aws/sigv4.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <sstream>

#include "lamtool/clock.h"
#include "lamtool/error.h"
#include "temp_dir.h"

namespace lamtool::aws {
namespace {

namespace fs = std::filesystem;

const std::string kSuiteDir = std::string(LAMTOOL_FIXTURE_DIR) + "/sigv4";

Seconds at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

SigningParams suite_params() {
  return {{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "test"},
          "us-east-1",
          "service",
          at("2015-08-30T12:36:00Z"),
          false};
}

// How a .req file's folded header lines (continuations starting with whitespace) are
// read. The original suite treats each continuation line as another value of the
// header (its .creq joins them with ','); aws-c-auth's copy of the case unfolds them
// with a space as RFC 7230 section 3.2.4 says.
enum class Fold { kSeparateValues, kSpace };

struct ParsedRequest {
  std::string method;
  std::string path;
  std::string query;
  HeaderList headers;
  std::string body;
};

// Parses the suite's HTTP request files: request line (the target may hold raw spaces
// and UTF-8), headers up to an empty line, then the body.
ParsedRequest parse_req(const std::string& text, Fold fold) {
  ParsedRequest r;
  size_t header_end = text.find("\n\n");
  std::string head = text.substr(0, header_end);
  if (header_end != std::string::npos) r.body = text.substr(header_end + 2);
  std::istringstream in(head);
  std::string line;
  std::getline(in, line);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(" HTTP/");
  r.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  while (std::getline(in, line)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {
      if (fold == Fold::kSpace) {
        r.headers.back().second += " " + line;
      } else {
        r.headers.emplace_back(r.headers.back().first, line);
      }
      continue;
    }
    size_t colon = line.find(':');
    r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return r;
}

std::string read_text(const fs::path& p) { return test::slurp(p.string()); }

// Inputs that a case takes from the suite's documentation rather than its .req file.
SigningParams params_for(const std::string& name) {
  SigningParams p = suite_params();
  if (name == "get-vanilla-with-session-token")
    p.credentials.session_token =
        "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
  return p;
}

std::vector<fs::path> suite_cases() {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::recursive_directory_iterator(kSuiteDir)) {
    if (entry.path().extension() == ".req") cases.push_back(entry.path().parent_path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

TEST(SigV4Suite, AllCasesFound) {
  // 35 folders hold a .req: 34 cases of the suite and the aws-c-auth variant. Each runs
  // as its own test below (SigV4Suite/Case.Stages/<folder>).
  EXPECT_GE(suite_cases().size(), 35u);
}

class Case : public ::testing::TestWithParam<fs::path> {};

TEST_P(Case, Stages) {
  const fs::path& dir = GetParam();
  std::string name = dir.filename().string();
  bool variant = dir.string().find("_variant-aws-c-auth") != std::string::npos;
  ParsedRequest req =
      parse_req(read_text(dir / (name + ".req")), variant ? Fold::kSpace : Fold::kSeparateValues);
  RequestParts parts{req.method, req.path, req.query, req.headers, sha256_hex(req.body)};
  Signed s = sign_parts(parts, params_for(name));
  EXPECT_EQ(s.canonical_request, read_text(dir / (name + ".creq")));
  EXPECT_EQ(s.string_to_sign, read_text(dir / (name + ".sts")));
  EXPECT_EQ(s.authorization, read_text(dir / (name + ".authz")));
}

std::string case_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string rel = fs::relative(info.param, kSuiteDir).string();
  for (char& c : rel)
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  return rel;
}

INSTANTIATE_TEST_SUITE_P(SigV4Suite, Case, ::testing::ValuesIn(suite_cases()), case_name);

TEST(SigV4, SigningKeyFromAwsDocumentation) {
  // The "derive a signing key" example of the SigV4 documentation (secret
  // wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam).
  std::string key = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                at("2012-02-15T00:00:00Z"), "us-east-1", "iam");
  EXPECT_EQ(hex_encode(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4, UriEncodingRules) {
  EXPECT_EQ(percent_encode("a+b c/ü~._-", true), "a%2Bb%20c/%C3%BC~._-");
  EXPECT_EQ(percent_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(percent_encode("*'()!", false), "%2A%27%28%29%21");
  EXPECT_EQ(percent_decode("%E1%88%B4%2b+%zz"), "\xE1\x88\xB4++%zz");
}

TEST(SigV4, CanonicalQuerySortsAndKeepsValuelessParameters) {
  EXPECT_EQ(canonical_query("uploads"), "uploads=");
  EXPECT_EQ(canonical_query("b=2&a=1&acl"), "a=1&acl=&b=2");
  // '+' is a literal plus in SigV4, never a space.
  EXPECT_EQ(canonical_query("q=a+b&r=a%20b"), "q=a%2Bb&r=a%20b");
  EXPECT_EQ(canonical_query("x=%7e"), "x=~");
}

TEST(SigV4, PathEncodingDiffersForS3AndOtherServices) {
  // Other services encode the sent path once more; S3 signs it as sent.
  EXPECT_EQ(canonical_uri("/a%20b/./c", false), "/a%2520b/c");
  EXPECT_EQ(canonical_uri("/a%20b/./c", true), "/a%20b/./c");
  EXPECT_EQ(canonical_uri("", true), "/");
}

// Amazon S3 API reference, "Authenticating Requests: Using Query Parameters":
// GET https://examplebucket.s3.amazonaws.com/test.txt, 20130524T000000Z, expires 86400.
TEST(SigV4, S3PresignedUrlDocumentationExample) {
  SigningParams p{{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", ""},
                  "us-east-1",
                  "s3",
                  at("2013-05-24T00:00:00Z"),
                  true};
  Signed s = presign("GET", "https://examplebucket.s3.amazonaws.com/test.txt", p, 86400);
  EXPECT_EQ(s.canonical_request,
            "GET\n/test.txt\n"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
            "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
            "X-Amz-SignedHeaders=host\nhost:examplebucket.s3.amazonaws.com\n\nhost\n"
            "UNSIGNED-PAYLOAD");
  EXPECT_EQ(s.signature, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  EXPECT_EQ(s.url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&"
            "X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&"
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

// Amazon S3 API reference, "Signature Calculations for the Authorization Header",
// example GET Object: bytes 0-9 of examplebucket/test.txt.
TEST(SigV4, S3GetObjectHeaderDocumentationExample) {
  SigningParams p{{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", ""},
                  "us-east-1",
                  "s3",
                  at("2013-05-24T00:00:00Z"),
                  true};
  HttpRequest req{.method = "GET",
                  .url = "https://examplebucket.s3.amazonaws.com/test.txt",
                  .headers = {{"Range", "bytes=0-9"}},
                  .body = {}};
  Signed s = sign_request(req, p);
  EXPECT_EQ(
      s.canonical_request,
      "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
      "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
      "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(s.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  // The request carries exactly what was signed.
  bool has_auth = false;
  for (const auto& [k, v] : req.headers) has_auth |= k == "Authorization" && v == s.authorization;
  EXPECT_TRUE(has_auth);
}

TEST(SigV4, PresignWithSessionTokenSignsTheToken) {
  SigningParams p{{"AKID", "SECRETSECRET", "TOKEN/with+chars=", ""},
                  "eu-west-1",
                  "s3",
                  at("2013-05-24T00:00:00Z"),
                  true};
  Signed s = presign("GET", "http://127.0.0.1:4569/bucket/a%2Bb", p, 60);
  EXPECT_NE(s.url.find("&X-Amz-Security-Token=TOKEN%2Fwith%2Bchars%3D&"), std::string::npos);
  EXPECT_NE(s.canonical_request.find("X-Amz-Security-Token=TOKEN%2Fwith%2Bchars%3D"),
            std::string::npos);
  EXPECT_NE(s.canonical_request.find("\nhost:127.0.0.1:4569\n"), std::string::npos);
  EXPECT_TRUE(s.url.starts_with("http://127.0.0.1:4569/bucket/a%2Bb?X-Amz-Algorithm="));
}

TEST(SigV4, PresignRejectsExpiryOutsideSevenDays) {
  SigningParams p = suite_params();
  EXPECT_THROW(presign("GET", "https://h/x", p, 604801), UsageError);
  EXPECT_THROW(presign("GET", "https://h/x", p, 0), UsageError);
  EXPECT_NO_THROW(presign("GET", "https://h/x", p, 604800));
}

TEST(SigV4, SplitUrl) {
  UrlParts u = split_url("http://127.0.0.1:4569/b/k%20x?uploads");
  EXPECT_EQ(u.host, "127.0.0.1:4569");
  EXPECT_EQ(u.path, "/b/k%20x");
  EXPECT_EQ(u.query, "uploads");
  EXPECT_EQ(split_url("https://h.example").path, "/");
  EXPECT_THROW(split_url("ftp://x/"), ConfigError);
}

}  // namespace
}  // namespace lamtool::aws
