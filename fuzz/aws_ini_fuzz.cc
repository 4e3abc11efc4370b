// AWS shared config and credentials files (INI, with nested settings), and the region,
// profile and credentials read from them.
#include "fuzz.h"
#include "lamtool/aws/config.h"
#include "lamtool/error.h"

LAMTOOL_FUZZ_TARGET(aws_ini) {
  auto sections = lamtool::aws::parse_ini(lamtool::fuzz::as_text(data, size));
  for (const auto& [name, keys] : sections)
    for (const auto& [key, value] : keys) (void)lamtool::aws::error_message_line(value);
  return 0;
}
