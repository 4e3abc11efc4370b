#include "lamtool/error.h"

#include <cstring>

namespace lamtool {

std::string errno_message(int err) {
  char buf[256];
  // GNU strerror_r returns the message pointer, which may or may not be buf.
  return strerror_r(err, buf, sizeof buf);
}

}  // namespace lamtool
