// S3's error documents (XML): the code and the message's first line.
#include "fuzz.h"
#include "lamtool/aws/config.h"
#include "lamtool/aws/s3.h"
#include "lamtool/error.h"

LAMTOOL_FUZZ_TARGET(s3_error) {
  auto [code, message] = lamtool::aws::parse_s3_error(lamtool::fuzz::as_text(data, size));
  (void)lamtool::aws::is_clock_skew_error(code, message);
  return 0;
}
