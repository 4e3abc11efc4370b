// The container and instance metadata services' credentials JSON (with its Expiration).
#include "fuzz.h"
#include "lamtool/aws/credentials.h"
#include "lamtool/error.h"

LAMTOOL_FUZZ_TARGET(aws_credentials) {
  try {
    (void)lamtool::aws::parse_credentials_json(std::string(lamtool::fuzz::as_text(data, size)),
                                               "container credentials");
  } catch (const lamtool::Error&) {
  }
  return 0;
}
