// lamtool package: reading the system loader's list of libraries.

#include "lamtool/jobs/package.h"

#include <gtest/gtest.h>

#include "lamtool/error.h"

namespace lamtool::jobs::package {
namespace {

TEST(Package, ParsesTheLoaderListLikeLdd) {
  const std::string out =
      "\tlinux-vdso.so.1 (0x00007ffd8a5f1000)\n"
      "\tlibcurl.so.4 => /lib/x86_64-linux-gnu/libcurl.so.4 (0x00007f0e1c8a0000)\n"
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0e1c6bf000)\n"
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f0e1c9a2000)\n"
      "\tlibodd.so.1 => /opt/with space/libodd.so.1 (0x00007f0e1c6b0000)\n";
  auto deps = parse_loader_list(out, "/bin/x");
  ASSERT_EQ(deps.size(), 3u);
  EXPECT_EQ(deps[0].soname, "libcurl.so.4");
  EXPECT_EQ(deps[0].path, "/lib/x86_64-linux-gnu/libcurl.so.4");
  EXPECT_EQ(deps[1].soname, "libc.so.6");
  EXPECT_EQ(deps[2].path, "/opt/with space/libodd.so.1");
  EXPECT_TRUE(parse_loader_list("\tstatically linked\n", "/bin/x").empty());
}

TEST(Package, ALibraryTheLoaderCannotFindIsAConfigError) {
  try {
    parse_loader_list("\tlibgone.so.2 => not found\n", "/usr/lib/libcurl.so.4");
    FAIL() << "no exception";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'/usr/lib/libcurl.so.4' needs 'libgone.so.2', which the dynamic loader cannot find");
  }
}

}  // namespace
}  // namespace lamtool::jobs::package
